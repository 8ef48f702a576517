#!/usr/bin/env bash
# Builds OpenTofu from the Go module proxy into bin/, keyed on the pinned version.
# OpenTofu's go.mod replaces hcl with its own fork, so `go install …@version` refuses;
# building inside a writable copy of the downloaded module honours the replace.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/scripts/gomodbuild.sh"
TOFU_VERSION=${TOFU_VERSION:-v1.10.7}
cached tofu "$TOFU_VERSION" && exit 0

export GOTOOLCHAIN=local GOFLAGS=-mod=mod
work=$(module_copy tofu "github.com/opentofu/opentofu@$TOFU_VERSION")
cd "$work"
echo "tofu $TOFU_VERSION: building (about 6.5 minutes and 1.5 GB of RAM on a cold 2-core machine)"
build tofu "$TOFU_VERSION" ./cmd/tofu -ldflags "-X github.com/opentofu/opentofu/version.dev=no"
cd "$root" && rm -rf "$work"
