#!/usr/bin/env bash
# `tofu validate` of every module and example under terraform/, against the provider built
# from this tree. The registry is never asked: init finds the provider in a local mirror and
# runs use it through a dev override. Work happens in a copy, so no lock files or .terraform
# directories land in the tree.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
tofu="$root/bin/tofu"
[ -x "$tofu" ] || { echo "validate: no bin/tofu; run make tools-tofu" >&2; exit 1; }
work="$root/.cache/tofu-validate"
rm -rf "$work" && mkdir -p "$work/bin"
mirror="$work/mirror/registry.opentofu.org/dec2-cloud/dec2/0.1.0/linux_amd64"
mkdir -p "$mirror"
(cd "$root" && CGO_ENABLED=0 go build -o "$work/bin/terraform-provider-dec2" ./terraform/cmd/terraform-provider-dec2)
cp "$work/bin/terraform-provider-dec2" "$mirror/terraform-provider-dec2_v0.1.0"
cat > "$work/tofurc" <<RC
provider_installation {
  dev_overrides {
    "dec2-cloud/dec2" = "$work/bin"
  }
  filesystem_mirror {
    path    = "$work/mirror"
    include = ["dec2-cloud/dec2"]
  }
  direct {
    exclude = ["dec2-cloud/dec2"]
  }
}
RC
cp -r "$root/terraform" "$work/tree"
export TF_CLI_CONFIG_FILE="$work/tofurc" TF_IN_AUTOMATION=1
status=0
for dir in "$work"/tree/modules/*/ "$work"/tree/examples/*/; do
  name=${dir#"$work/tree/"}
  if ! out=$(cd "$dir" && "$tofu" init -backend=false -input=false -no-color 2>&1 && "$tofu" validate -no-color 2>&1); then
    echo "tofu validate terraform/$name: FAILED"; echo "$out" | grep -v '^$' | sed 's/^/  /'; status=1
  else
    echo "tofu validate terraform/$name: ok"
  fi
done
exit $status
