# Shared by the install-*.sh scripts: build a pinned Go tool from the module proxy into bin/,
# keyed on its version. Source it, set root, then call the functions in order.

# cached NAME VERSION: link bin/NAME to bin/NAME-VERSION and succeed when it is already built.
cached() {
  if [ -x "$root/bin/$1-$2" ]; then
    ln -sfn "$1-$2" "$root/bin/$1"
    echo "$1 $2: cached at bin/$1-$2"
    return 0
  fi
  return 1
}

# module_copy NAME MODULE@VERSION: download the module's source and print the path of a writable
# copy under .cache/ (the module cache is read-only, and its go.mod may need edits).
module_copy() {
  mkdir -p "$root/bin" "$root/.cache"
  echo "$1: downloading module source" >&2
  local src work
  src=$(cd "$root" && go mod download -json "$2" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  [ -d "$src" ] || { echo "$1: module download failed (is the Go module proxy reachable?)" >&2; return 1; }
  work="$root/.cache/$1-src-${2##*@}"
  rm -rf "$work"
  cp -r "$src" "$work"
  chmod -R u+w "$work"
  echo "$work"
}

# build NAME VERSION PKG [go build flags...]: build PKG (in the current directory) statically
# into bin/NAME-VERSION, printing a count of modules downloaded and packages compiled as
# progress and anything else (errors) as it comes; then link bin/NAME to it.
build() {
  local name=$1 version=$2 pkg=$3
  shift 3
  local out="$root/bin/$name-$version" start
  start=$(date +%s)
  CGO_ENABLED=0 go build -v -trimpath "$@" -o "$out.tmp" "$pkg" 2>&1 \
    | awk '/^go: downloading / { d++; if (d % 50 == 0) printf "  go: %d modules downloaded\n", d; fflush(); next }
           /^[a-zA-Z0-9._\/~-]+$/ { n++; if (n % 100 == 0) printf "  go: %d packages compiled\n", n; fflush(); next }
           { print "  go: " $0; fflush() }
           END { printf "  go: %d packages compiled\n", n }'
  [ -x "$out.tmp" ] || { echo "$name $version: build failed (see above)" >&2; return 1; }
  mv "$out.tmp" "$out"
  ln -sfn "$name-$version" "$root/bin/$name"
  echo "$name $version: built in $(( $(date +%s) - start ))s at bin/$name-$version"
}
