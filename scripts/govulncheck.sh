#!/usr/bin/env bash
# govulncheck over the module: fails on any vulnerability our code reaches (govulncheck's
# "Symbol Results"), except the IDs in scripts/govulncheck-allow.txt, each with its reason.
# Vulnerabilities only in imported packages or required modules that our code does not call are
# listed (-show verbose) but do not fail.
#
# The database is $GOVULNDB (default https://vuln.go.dev). Where it cannot be reached (a sandbox
# that only reaches the Go module proxy: the proxy does not serve golang.org/x/vulndb), the check
# is skipped with a notice unless GOVULNCHECK_REQUIRED=1; point GOVULNDB at a mirror, e.g.
# file:///path/to/db, to run it there.
set -euo pipefail
cd "$(dirname "$0")/.."
db=${GOVULNDB:-https://vuln.go.dev}
reachable() {
  case $db in
    file://*) [ -f "${db#file://}/index/modules.json" ] ;;
    *) curl -fsS --max-time 15 -o /dev/null "$db/index/db.json" 2>/dev/null ;;
  esac
}
if ! reachable; then
  msg="govulncheck: vulnerability database $db unreachable"
  if [ "${GOVULNCHECK_REQUIRED:-0}" = 1 ]; then echo "$msg" >&2; exit 1; fi
  echo "$msg: SKIPPED (set GOVULNDB to a reachable copy, GOVULNCHECK_REQUIRED=1 to fail instead)" >&2
  exit 0
fi
out=$(mktemp); trap 'rm -f "$out"' EXIT
rc=0; bin/govulncheck -db "$db" -show verbose ./... >"$out" 2>&1 || rc=$?
cat "$out"
# 0: nothing called; 3: vulnerabilities found (called ones are under "Symbol Results"); else an error.
if [ "$rc" != 0 ] && [ "$rc" != 3 ]; then echo "govulncheck: failed (exit $rc)" >&2; exit "$rc"; fi
called=$(awk '/^=== Symbol Results ===/{s=1; next} /^=== /{s=0} s && /^Vulnerability #[0-9]+: /{print $3}' "$out" | sort -u)
allowed=$(grep -oE '^GO-[0-9]+-[0-9]+' scripts/govulncheck-allow.txt 2>/dev/null | sort -u || true)
bad=$(comm -23 <(printf '%s\n' $called) <(printf '%s\n' $allowed) | grep . || true)
if [ -n "$bad" ]; then
  echo "govulncheck: our code reaches these vulnerabilities (upgrade, or allow with a reason in scripts/govulncheck-allow.txt):" >&2
  echo "$bad" >&2
  exit 1
fi
echo "govulncheck: no vulnerability reached beyond the allowed: $(echo $allowed)"
