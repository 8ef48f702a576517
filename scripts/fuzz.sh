#!/usr/bin/env bash
# Fuzzes every `func FuzzXxx(f *testing.F)` in the module's test files for FUZZTIME each.
# Targets are discovered, not listed: a new fuzzer is fuzzed in CI the day it is written.
# `go test -fuzz` takes one target per package run, so each (package, target) pair runs alone.
# A target that needs a real Nomad or Docker must skip itself under -short (all run with -short).
# FUZZ_EXCLUDE is a space-separated list of pkg-dir:FuzzName pairs not to fuzz (give the reason
# where it is set). Failing inputs land in <pkg>/testdata/fuzz/<FuzzName>/ : commit them with
# the fix, they become seeds that every `go test` runs.
set -euo pipefail
cd "$(dirname "$0")/.."
FUZZTIME=${FUZZTIME:-10s}
FUZZ_EXCLUDE=${FUZZ_EXCLUDE:-}
start=$(date +%s)
mapfile -t pairs < <(git ls-files -- '*_test.go' |
  xargs grep -HoE '^func Fuzz[A-Za-z0-9_]*\(' |
  sed -E 's#^(.*)/[^/]*_test\.go:func (Fuzz[A-Za-z0-9_]*)\($#\1:\2#; s#^[^/]*_test\.go:func (Fuzz[A-Za-z0-9_]*)\($#.:\1#' |
  sort -u)
if [ ${#pairs[@]} -eq 0 ]; then echo "fuzz: no fuzz targets found"; exit 0; fi
echo "fuzz: ${#pairs[@]} targets, $FUZZTIME each"
failed=()
for pair in "${pairs[@]}"; do
  dir=${pair%%:*} name=${pair##*:}
  if [[ " $FUZZ_EXCLUDE " == *" $pair "* ]]; then echo "fuzz: skip $pair (FUZZ_EXCLUDE)"; continue; fi
  t0=$(date +%s)
  ok=0
  for try in 1 2; do
    if go test -short -run '^$' -fuzz "^${name}\$" -fuzztime "$FUZZTIME" "./$dir" >/tmp/fuzz.$$.log 2>&1; then
      ok=1; break
    fi
    # Go's fuzzer can end a run that found nothing with "context deadline exceeded" when the
    # time runs out mid-run (a known flake of Go's fuzzing engine): no failing input is written then, and
    # the target is fuzzed once more. A real failure writes its input and is never retried.
    if grep -q "Failing input written" /tmp/fuzz.$$.log || ! grep -q "context deadline exceeded" /tmp/fuzz.$$.log; then break; fi
    echo "fuzz: $pair ended with the fuzzer's deadline flake and no failing input; again ($try)"
  done
  if [ $ok = 1 ]; then
    echo "fuzz: ok   $pair ($(( $(date +%s) - t0 ))s)"
  else
    echo "fuzz: FAIL $pair"; tail -40 /tmp/fuzz.$$.log; failed+=("$pair")
  fi
done
rm -f /tmp/fuzz.$$.log
echo "fuzz: done in $(( $(date +%s) - start ))s"
if [ ${#failed[@]} -gt 0 ]; then echo "fuzz: failed: ${failed[*]}"; exit 1; fi
