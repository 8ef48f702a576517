#!/usr/bin/env bash
# Builds Nomad from the Go module proxy into bin/, keyed on the pinned version.
# The module zip lacks the nested api module that Nomad's go.mod replaces with ./api,
# so the replace is dropped and a proxy-served api pseudo-version is required instead.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/scripts/gomodbuild.sh"
NOMAD_VERSION=${NOMAD_VERSION:-v1.11.3}
NOMAD_API_VERSION=${NOMAD_API_VERSION:-v0.0.0-20261016150620-df630b26e78a}
cached nomad "$NOMAD_VERSION" && exit 0

export GOTOOLCHAIN=local GOFLAGS=-mod=mod
work=$(module_copy nomad "github.com/hashicorp/nomad@$NOMAD_VERSION")
cd "$work"
go mod edit -dropreplace github.com/hashicorp/nomad/api
go mod edit -require "github.com/hashicorp/nomad/api@$NOMAD_API_VERSION"
echo "nomad $NOMAD_VERSION: building (about 12 minutes and 3 GB of RAM on a cold 2-core machine)"
# The output goes to bin/, outside the source tree: Nomad's source has a nomad/ directory.
build nomad "$NOMAD_VERSION" .
cd "$root" && rm -rf "$work"
bin/nomad version
