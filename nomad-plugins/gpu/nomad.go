package gpu

import (
	"time"

	"github.com/hashicorp/nomad/plugins/device"
	"github.com/hashicorp/nomad/plugins/shared/structs"

	"github.com/dec2-cloud/dec2/nomad-plugins/gpu/inventory"
)

// Attribute names Nomad jobs constrain on (${device.attr.<name>}); CONVENTIONS.md lists them.
const (
	AttrMemory            = "memory" // MiB, so "24 GiB" constraints compare
	AttrComputeCapability = "compute_capability"
	AttrDriverVersion     = "driver_version"
	AttrPowerLimit        = "power_limit" // W
	AttrMIG               = "mig"
	AttrMIGProfile        = "mig_profile"
	// AttrModel is the physical GPU's model: dec2.price.gpu_hour.<model> prices it.
	AttrModel = "dec2_model"
	// AttrFraction is the part of one physical GPU a device is, for pricing shares and MIG.
	AttrFraction = "dec2_fraction"
	// AttrShares, on gpu-share groups, is how many shares one physical GPU was split into
	// (shares_per_gpu): billing charges a share dec2.price.gpu_hour.<model> / shares, exactly,
	// where the float fraction would round.
	AttrShares = "shares"
)

func fingerprintResponse(groups []inventory.Group) *device.FingerprintResponse {
	out := make([]*device.DeviceGroup, len(groups))
	for i, g := range groups {
		out[i] = deviceGroup(g)
	}
	return device.NewFingerprint(out...)
}

func deviceGroup(g inventory.Group) *device.DeviceGroup {
	dg := &device.DeviceGroup{
		Vendor:     g.Vendor,
		Type:       g.Type,
		Name:       g.Name,
		Devices:    make([]*device.Device, len(g.Devices)),
		Attributes: attributes(g),
	}
	for i, d := range g.Devices {
		dev := &device.Device{ID: d.ID, Healthy: d.Healthy, HealthDesc: d.HealthReason}
		if d.PCIBusID != "" {
			dev.HwLocality = &device.DeviceLocality{PciBusID: d.PCIBusID}
		}
		dg.Devices[i] = dev
	}
	return dg
}

// attributes are a group's Nomad attributes; those a backend could not read are left out, so
// a constraint on them fails rather than matching a made-up value.
func attributes(g inventory.Group) map[string]*structs.Attribute {
	a := map[string]*structs.Attribute{
		AttrMIG:      structs.NewBoolAttribute(g.MIG),
		AttrModel:    structs.NewStringAttribute(g.Model),
		AttrFraction: structs.NewFloatAttribute(g.Fraction, ""),
	}
	if g.MemoryMiB > 0 {
		a[AttrMemory] = structs.NewIntAttribute(g.MemoryMiB, structs.UnitMiB)
	}
	if g.ComputeCapability != "" {
		a[AttrComputeCapability] = structs.NewStringAttribute(g.ComputeCapability)
	}
	if g.DriverVersion != "" {
		a[AttrDriverVersion] = structs.NewStringAttribute(g.DriverVersion)
	}
	if g.PowerLimitW > 0 {
		a[AttrPowerLimit] = structs.NewIntAttribute(g.PowerLimitW, structs.UnitW)
	}
	if g.MIGProfile != "" {
		a[AttrMIGProfile] = structs.NewStringAttribute(g.MIGProfile)
	}
	if g.Shares > 0 {
		a[AttrShares] = structs.NewIntAttribute(int64(g.Shares), "")
	}
	return a
}

// groupStats puts samples, keyed by physical GPU, onto each exposed device.
func groupStats(groups []inventory.Group, samples map[string]inventory.Sample, now time.Time) []*device.DeviceGroupStats {
	out := make([]*device.DeviceGroupStats, 0, len(groups))
	for _, g := range groups {
		gs := &device.DeviceGroupStats{
			Vendor: g.Vendor, Type: g.Type, Name: g.Name,
			InstanceStats: make(map[string]*device.DeviceStats, len(g.Devices)),
		}
		for _, d := range g.Devices {
			if s, ok := samples[d.GPU]; ok {
				gs.InstanceStats[d.ID] = deviceStats(s, now)
			}
		}
		out = append(out, gs)
	}
	return out
}

// deviceStats: the summary is memory used of total, as Nomad's UI shows for GPUs.
func deviceStats(s inventory.Sample, now time.Time) *device.DeviceStats {
	ds := &device.DeviceStats{
		Stats:     &structs.StatObject{Attributes: map[string]*structs.StatValue{}},
		Timestamp: now,
	}
	for _, m := range inventory.Metrics() {
		v, ok := s.Get(m)
		if !ok {
			continue
		}
		info := m.Info()
		ds.Stats.Attributes[info.Name] = &structs.StatValue{FloatNumeratorVal: &v, Unit: info.Unit, Desc: info.Desc}
	}
	used, okUsed := s.Get(inventory.MemoryUsed)
	total, okTotal := s.Get(inventory.MemoryTotal)
	if okUsed && okTotal {
		ds.Summary = &structs.StatValue{FloatNumeratorVal: &used, FloatDenominatorVal: &total, Unit: "MiB", Desc: "Memory in use"}
	} else if u, ok := s.Get(inventory.Utilization); ok {
		ds.Summary = &structs.StatValue{FloatNumeratorVal: &u, Unit: "%", Desc: "GPU utilization"}
	}
	return ds
}
