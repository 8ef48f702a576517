package e2e

import (
	"maps"
	"slices"

	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"
)

// StorageVolume is the host volume a storage provider's client declares for dec2-storagenode's
// pieces (jobspecs/storagenode.nomad.hcl's default volume).
const StorageVolume = "dec2-storage"

// appendHostVolumes adds a host_volume block per volume to the client block of f, in name
// order so that configs render the same every time.
func appendHostVolumes(f *hclwrite.File, volumes map[string]string) {
	if len(volumes) == 0 {
		return
	}
	client := f.Body().FirstMatchingBlock("client", nil)
	for _, name := range slices.Sorted(maps.Keys(volumes)) {
		b := client.Body().AppendNewBlock("host_volume", []string{name}).Body()
		b.SetAttributeValue("path", cty.StringVal(volumes[name]))
		b.SetAttributeValue("read_only", cty.False)
	}
}
