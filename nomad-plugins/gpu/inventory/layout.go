package inventory

import (
	"fmt"
	"math"
	"sort"
)

// Layout decides how physical GPUs are exposed to Nomad. A GPU in MIG mode exposes its MIG
// instances, each a device of type gpu; any other GPU is one gpu device, or SharesPerGPU
// gpu-share devices that split its memory when SharesPerGPU > 1. A GPU is never exposed both
// whole and in parts, so Nomad cannot hand out the same card twice.
type Layout struct {
	SharesPerGPU int
}

// Device is one device instance Nomad schedules.
type Device struct {
	ID           string `json:"id"`
	GPU          string `json:"gpu"` // the physical GPU it lives on
	Vendor       string `json:"-"`
	Healthy      bool   `json:"healthy"`
	HealthReason string `json:"health_reason,omitempty"`
	// Vanished: the GPU is missing from the latest scan; it is listed, unhealthy, but cannot be
	// reserved.
	Vanished bool   `json:"vanished,omitempty"`
	PCIBusID string `json:"pci_bus_id,omitempty"`
	// VisibleID is what NVIDIA_VISIBLE_DEVICES names: the GPU's UUID, or the MIG UUID.
	VisibleID  string `json:"-"`
	RenderNode string `json:"-"`
}

// Group is the devices sharing vendor, type and name, with the attributes jobs constrain on and
// the marketplace prices on. Where the devices of a group differ, numbers are the smallest, so a
// constraint that the group meets every device meets.
type Group struct {
	Vendor            string `json:"vendor"`
	Type              string `json:"type"`
	Name              string `json:"name"`
	MemoryMiB         int64  `json:"memory_mib"`
	ComputeCapability string `json:"compute_capability,omitempty"`
	DriverVersion     string `json:"driver_version,omitempty"`
	PowerLimitW       int64  `json:"power_limit_w,omitempty"`
	MIG               bool   `json:"mig"`
	MIGProfile        string `json:"mig_profile,omitempty"`
	// Model is the physical GPU's model, the key of the provider's dec2.price.gpu_hour.<model>.
	Model string `json:"model"`
	// Fraction is the part of one physical GPU each device is: 1 whole, 1/N a share, a MIG
	// instance's part of the card's memory.
	Fraction float64 `json:"fraction"`
	// Shares is how many gpu-share devices one physical GPU was split into (gpu-share groups
	// only, 0 otherwise): a share is priced exactly at 1/Shares of its model's whole-GPU price.
	Shares  int      `json:"shares,omitempty"`
	Devices []Device `json:"devices"`
}

// Health is a GPU's state as Nomad should see it.
type Health struct {
	Healthy bool
	Reason  string
	// Vanished: missing from the latest scan (and so unhealthy).
	Vanished bool
}

// ShareID names share k (1-based) of a GPU.
func ShareID(gpuID string, k int) string { return fmt.Sprintf("%s/share-%d", gpuID, k) }

// MIGName is the device name of a MIG profile's instances on a model.
func MIGName(model, profile string) string { return model + "-MIG-" + profile }

// Expose turns physical GPUs and their health into the device groups Nomad sees, sorted by
// vendor, type and name, each group's devices sorted by ID. GPUs missing from health are healthy.
func (l Layout) Expose(gpus []GPU, health map[string]Health) []Group {
	byKey := map[[3]string]*Group{}
	add := func(g Group, d Device) {
		key := [3]string{g.Vendor, g.Type, g.Name}
		have, ok := byKey[key]
		if !ok {
			g.Devices = []Device{d}
			byKey[key] = &g
			return
		}
		have.MemoryMiB = min(have.MemoryMiB, g.MemoryMiB)
		if have.PowerLimitW == 0 || (g.PowerLimitW != 0 && g.PowerLimitW < have.PowerLimitW) {
			have.PowerLimitW = g.PowerLimitW
		}
		have.Fraction = min(have.Fraction, g.Fraction)
		have.Devices = append(have.Devices, d)
	}

	for _, gpu := range gpus {
		h, ok := health[gpu.ID]
		if !ok {
			h = Health{Healthy: true}
		}
		base := Group{
			Vendor:            gpu.Vendor,
			Type:              TypeGPU,
			Name:              gpu.Model,
			MemoryMiB:         gpu.MemoryMiB,
			ComputeCapability: gpu.ComputeCapability,
			DriverVersion:     gpu.DriverVersion,
			PowerLimitW:       gpu.PowerLimitW,
			MIG:               gpu.MIG,
			Model:             gpu.Model,
			Fraction:          1,
		}
		dev := Device{
			ID: gpu.ID, GPU: gpu.ID, Vendor: gpu.Vendor, Healthy: h.Healthy, HealthReason: h.Reason, Vanished: h.Vanished,
			PCIBusID: gpu.PCIBusID, VisibleID: gpu.ID, RenderNode: gpu.RenderNode,
		}
		switch {
		case gpu.MIG:
			for _, mi := range gpu.MIGInstances {
				g, d := base, dev
				g.Name = MIGName(gpu.Model, mi.Profile)
				g.MIGProfile = mi.Profile
				g.MemoryMiB = mi.MemoryMiB
				g.Fraction = fraction(mi.MemoryMiB, gpu.MemoryMiB)
				d.ID, d.VisibleID = mi.ID, mi.ID
				add(g, d)
			}
		case l.SharesPerGPU > 1:
			for k := 1; k <= l.SharesPerGPU; k++ {
				g, d := base, dev
				g.Type = TypeShare
				g.MemoryMiB = gpu.MemoryMiB / int64(l.SharesPerGPU)
				g.Fraction = 1 / float64(l.SharesPerGPU)
				g.Shares = l.SharesPerGPU
				d.ID = ShareID(gpu.ID, k)
				add(g, d)
			}
		default:
			add(base, dev)
		}
	}

	groups := make([]Group, 0, len(byKey))
	for _, g := range byKey {
		sort.Slice(g.Devices, func(i, j int) bool { return g.Devices[i].ID < g.Devices[j].ID })
		groups = append(groups, *g)
	}
	sort.Slice(groups, func(i, j int) bool {
		a, b := groups[i], groups[j]
		if a.Vendor != b.Vendor {
			return a.Vendor < b.Vendor
		}
		if a.Type != b.Type {
			return a.Type < b.Type
		}
		return a.Name < b.Name
	})
	return groups
}

// fraction is part/whole to four decimals, 0 when whole is unknown.
func fraction(part, whole int64) float64 {
	if whole <= 0 {
		return 0
	}
	return math.Round(float64(part)/float64(whole)*1e4) / 1e4
}
