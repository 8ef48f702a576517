#!/usr/bin/env bash
# Re-vendors uPlot (the console's chart library) from the npm registry into the console's
# embedded assets, with its licence. The console loads nothing from outside at run time, so the
# files are committed; run this (make console-vendor) to move to another version.
set -euo pipefail
version=${UPLOT_VERSION:-1.6.32}
root=$(cd "$(dirname "$0")/.." && pwd)
dest=$root/console/web/static/vendor/uplot
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "uplot@$version" >/dev/null && tar -xzf "uplot-$version.tgz")
mkdir -p "$dest"
cp "$tmp/package/dist/uPlot.iife.min.js" "$tmp/package/dist/uPlot.min.css" "$tmp/package/LICENSE" "$dest/"
echo "$version" >"$dest/VERSION"
echo "uPlot $version vendored into ${dest#"$root"/}"
