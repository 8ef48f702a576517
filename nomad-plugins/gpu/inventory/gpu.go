// Package inventory holds what the dec2-gpu device plugin knows about GPUs, free of I/O: the
// physical GPUs backends report, how they are exposed to Nomad (whole, as shares, as MIG
// instances), their health over time, what a reservation hands a task, and stats samples.
package inventory

import "sort"

// Vendors, as Nomad device vendors.
const (
	VendorNVIDIA = "nvidia"
	VendorAMD    = "amd"
	VendorIntel  = "intel"
)

// Device types: a whole GPU (or a MIG instance, which CUDA sees as a GPU of its own) and a
// time-shared slice of one.
const (
	TypeGPU   = "gpu"
	TypeShare = "gpu-share"
)

// KnownVendor reports whether v is a vendor the plugin can reserve devices for.
func KnownVendor(v string) bool {
	return v == VendorNVIDIA || v == VendorAMD || v == VendorIntel
}

// GPU is one physical GPU as a backend reports it on one scan.
type GPU struct {
	// ID is stable across scans and reboots: the NVIDIA UUID, or the PCI bus ID for sysfs GPUs.
	ID                string        `json:"id"`
	Vendor            string        `json:"vendor"`
	Model             string        `json:"model"`
	MemoryMiB         int64         `json:"memory_mib"`
	ComputeCapability string        `json:"compute_capability,omitempty"`
	DriverVersion     string        `json:"driver_version,omitempty"`
	PCIBusID          string        `json:"pci_bus_id,omitempty"`
	PowerLimitW       int64         `json:"power_limit_w,omitempty"`
	MIG               bool          `json:"mig,omitempty"`
	MIGInstances      []MIGInstance `json:"mig_instances,omitempty"`
	// RenderNode is the DRM render node AMD and Intel tasks are given, e.g. /dev/dri/renderD128.
	RenderNode string `json:"render_node,omitempty"`
	// Faults are the problems seen on this scan; none means the scan found the GPU healthy.
	Faults []string `json:"faults,omitempty"`
	// Backend names the backend that reported the GPU (the plugin sets it), for health reasons.
	Backend string `json:"-"`
}

// Label names a GPU in health reasons: its ID, and its PCI bus ID where that differs.
func (g GPU) Label() string {
	if g.PCIBusID == "" || g.PCIBusID == g.ID {
		return g.ID
	}
	return g.ID + " (" + g.PCIBusID + ")"
}

// MIGInstance is a MIG device carved out of a GPU in MIG mode.
type MIGInstance struct {
	ID        string `json:"id"`      // MIG UUID, what NVIDIA_VISIBLE_DEVICES takes
	Profile   string `json:"profile"` // e.g. 3g.40gb
	MemoryMiB int64  `json:"memory_mib"`
}

// SortGPUs orders GPUs by ID, so that scans compare and print stably.
func SortGPUs(gpus []GPU) {
	sort.Slice(gpus, func(i, j int) bool { return gpus[i].ID < gpus[j].ID })
}
