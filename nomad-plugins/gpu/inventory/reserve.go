package inventory

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// KFD is the device node AMD's ROCm stack needs besides a GPU's render node.
const KFD = "/dev/kfd"

// Index finds exposed devices by ID.
type Index map[string]Device

// NewIndex indexes the devices of groups that can be reserved: all but those of vanished GPUs,
// whose device nodes and UUIDs would give a task nothing.
func NewIndex(groups []Group) Index {
	idx := Index{}
	for _, g := range groups {
		for _, d := range g.Devices {
			if !d.Vanished {
				idx[d.ID] = d
			}
		}
	}
	return idx
}

// Reservation is what a task gets for the devices reserved to it.
type Reservation struct {
	Env map[string]string `json:"env,omitempty"`
	// DeviceNodes are host device paths, given to the task at the same path.
	DeviceNodes []string `json:"device_nodes,omitempty"`
}

// Reserve maps reserved device IDs to what the task needs: NVIDIA GPUs by UUID (MIG UUID for a
// MIG instance; the card's UUID, once, for any number of its shares) in NVIDIA_VISIBLE_DEVICES,
// AMD and Intel GPUs as their render node, plus /dev/kfd for AMD.
func (idx Index) Reserve(ids []string) (Reservation, error) {
	if len(ids) == 0 {
		return Reservation{}, fmt.Errorf("no device IDs to reserve")
	}
	var unknown, visible, nodes []string
	for _, id := range ids {
		d, ok := idx[id]
		if !ok {
			unknown = append(unknown, id)
			continue
		}
		switch d.Vendor {
		case VendorNVIDIA:
			visible = appendNew(visible, d.VisibleID)
		case VendorAMD, VendorIntel:
			if d.RenderNode == "" {
				return Reservation{}, fmt.Errorf("reserving %s GPU %q: no render node is known for it", d.Vendor, id)
			}
			nodes = appendNew(nodes, d.RenderNode)
			if d.Vendor == VendorAMD {
				nodes = appendNew(nodes, KFD)
			}
		default:
			return Reservation{}, fmt.Errorf("reserving GPU %q: vendor %q has no reservation recipe", id, d.Vendor)
		}
	}
	if len(unknown) > 0 {
		known := make([]string, 0, len(idx))
		for id := range idx {
			known = append(known, id)
		}
		sort.Strings(known)
		return Reservation{}, fmt.Errorf("unknown or vanished GPU device IDs %s (this node has %s)",
			strings.Join(unknown, ", "), orNone(known))
	}
	r := Reservation{DeviceNodes: nodes}
	if len(visible) > 0 {
		r.Env = map[string]string{"NVIDIA_VISIBLE_DEVICES": strings.Join(visible, ",")}
	}
	return r, nil
}

func appendNew(list []string, s string) []string {
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}

func orNone(ids []string) string {
	if len(ids) == 0 {
		return "none"
	}
	return strings.Join(ids, ", ")
}
