#!/usr/bin/env bash
# Builds OpenTofu from the Go module proxy into bin/, keyed on the pinned version.
# OpenTofu's go.mod replaces hcl with its own fork, so `go install …@version` refuses;
# building inside a writable copy of the downloaded module honours the replace.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
TOFU_VERSION=${TOFU_VERSION:-v1.10.7}
bin="$root/bin/tofu-$TOFU_VERSION"
link="$root/bin/tofu"

if [ -x "$bin" ]; then
  ln -sfn "tofu-$TOFU_VERSION" "$link"
  echo "tofu $TOFU_VERSION: cached at bin/tofu-$TOFU_VERSION"
  exit 0
fi

mkdir -p "$root/bin" "$root/.cache"
export GOTOOLCHAIN=local GOFLAGS=-mod=mod
echo "tofu $TOFU_VERSION: downloading module source"
src=$(cd "$root" && go mod download -json "github.com/opentofu/opentofu@$TOFU_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
[ -d "$src" ] || { echo "tofu: module download failed (is the Go module proxy reachable?)" >&2; exit 1; }

work="$root/.cache/tofu-src-$TOFU_VERSION"
rm -rf "$work"
cp -r "$src" "$work"
chmod -R u+w "$work"
cd "$work"
echo "tofu $TOFU_VERSION: building (about 6.5 minutes and 1.5 GB of RAM on a cold 2-core machine)"
start=$(date +%s)
# -v names each package as it is compiled: print a count every 100 as progress, and the rest
# (errors) as they come.
CGO_ENABLED=0 go build -v -trimpath -ldflags "-X github.com/opentofu/opentofu/version.dev=no" -o "$bin.tmp" ./cmd/tofu 2>&1 \
  | awk '/^go: downloading / { d++; if (d % 50 == 0) printf "  go: %d modules downloaded\n", d; fflush(); next }
         /^[a-zA-Z0-9._\/~-]+$/ { n++; if (n % 100 == 0) printf "  go: %d packages compiled\n", n; fflush(); next }
         { print "  go: " $0; fflush() }
         END { printf "  go: %d packages compiled\n", n }'
mv "$bin.tmp" "$bin"
ln -sfn "tofu-$TOFU_VERSION" "$link"
cd "$root" && rm -rf "$work"
echo "tofu $TOFU_VERSION: built in $(( $(date +%s) - start ))s at bin/tofu-$TOFU_VERSION"
env -u TF_CLI_CONFIG_FILE "$link" version
