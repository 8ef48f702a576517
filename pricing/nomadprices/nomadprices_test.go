package nomadprices

import (
	"errors"
	"math/big"
	"strings"
	"testing"

	"github.com/hashicorp/nomad/api"

	"github.com/dec2-cloud/dec2/pricing"
)

func TestReserved(t *testing.T) {
	a := &api.Allocation{AllocatedResources: &api.AllocatedResources{
		Tasks: map[string]*api.AllocatedTaskResources{
			"web": {Cpu: api.AllocatedCpuResources{CpuShares: 500}, Memory: api.AllocatedMemoryResources{MemoryMB: 256},
				Devices: []*api.AllocatedDeviceResource{{Vendor: "nvidia", Type: "gpu", Name: "A100-80GB", DeviceIDs: []string{"g0", "g1"}}, {Name: "none"},
					{Vendor: "nvidia", Type: "gpu-share", Name: "A100-80GB", DeviceIDs: []string{"g2/share-1"}}}},
			"ml":   {Devices: []*api.AllocatedDeviceResource{{Vendor: "nvidia", Type: "gpu-share", Name: "A100-80GB", DeviceIDs: []string{"g2/share-3", "g3/share-1"}}}},
			"side": {Cpu: api.AllocatedCpuResources{CpuShares: 100}, Memory: api.AllocatedMemoryResources{MemoryMB: 64}},
			"nil":  nil,
		},
		Shared: api.AllocatedSharedResources{DiskMB: 300},
	}}
	r := Reserved(a)
	if r.CPUMHz != 600 || r.MemMB != 320 || r.DiskMB != 300 || len(r.GPUs) != 1 || r.GPUs["A100-80GB"] != 2 ||
		len(r.GPUShares) != 1 || r.GPUShares["A100-80GB"] != 3 {
		t.Fatalf("Reserved = %+v", r)
	}
	if r := Reserved(&api.Allocation{}); r.CPUMHz != 0 || r.GPUs != nil {
		t.Fatalf("Reserved of nothing = %+v", r)
	}
}

func TestPricesReadShareCounts(t *testing.T) {
	attr := func(a api.Attribute) map[string]*api.Attribute {
		return map[string]*api.Attribute{pricing.AttrShares: &a}
	}
	four, half, word := int64(4), 0.5, "four"
	n := &api.Node{Name: "gpu-1", Meta: map[string]string{pricing.MetaGPUPrefix + "A100-80GB": "8", pricing.MetaGPUPrefix + "T4": "1"},
		NodeResources: &api.NodeResources{Devices: []*api.NodeDeviceResource{
			{Vendor: "nvidia", Type: "gpu-share", Name: "A100-80GB", Attributes: attr(api.Attribute{IntVal: &four})},
			{Vendor: "nvidia", Type: "gpu", Name: "T4", Attributes: attr(api.Attribute{IntVal: &four})}, // whole GPUs have no share count
			{Vendor: "nvidia", Type: "gpu-share", Name: "L4"},                                           // a plugin too old to say
		}}}
	if got := Shares(n); len(got) != 2 || got["A100-80GB"] != "4" || got["L4"] != "" {
		t.Fatalf("Shares = %v", got)
	}
	p, err := Prices(n)
	if err != nil {
		t.Fatal(err)
	}
	// The CLI's and Terraform's displays: one share of four is a quarter of 8 an hour.
	res := Reserved(&api.Allocation{AllocatedResources: &api.AllocatedResources{Tasks: map[string]*api.AllocatedTaskResources{
		"t": {Devices: []*api.AllocatedDeviceResource{{Type: "gpu-share", Name: "A100-80GB", DeviceIDs: []string{"s1"}}, {Type: "gpu", Name: "T4", DeviceIDs: []string{"t1"}}}}}}})
	if cost, err := pricing.HourlyCost(p, res); err != nil || pricing.FormatAmount(cost) != "3" {
		t.Fatalf("pricing.HourlyCost = %v, %v; want 2 + 1", cost, err)
	}
	// A share of the node's L4 has no count: refused, not charged as a whole L4.
	p.GPUHour["L4"] = big.NewInt(1)
	if _, err := pricing.HourlyCost(p, pricing.Reserved{GPUShares: map[string]int64{"L4": 1}}); !errors.Is(err, pricing.ErrUnknownShares) {
		t.Fatalf("share with no count: %v, want pricing.ErrUnknownShares", err)
	}
	for _, bad := range []api.Attribute{{FloatVal: &half}, {StringVal: &word}, {IntVal: &four, Unit: "MiB"}, {}} {
		n.NodeResources.Devices[0].Attributes = attr(bad)
		if _, err := Prices(n); err == nil || !strings.Contains(err.Error(), pricing.AttrShares) || !strings.Contains(err.Error(), "A100-80GB") {
			t.Errorf("shares attribute %s: error %v, want one naming the attribute and device", bad.String(), err)
		}
	}
}

// MIG instances are read with their model and full-precision fraction, and priced from them.
func TestPricesReadMIGSlices(t *testing.T) {
	profile, model, fraction := "1g.10gb", "A100-80GB", 0.12345678
	n := &api.Node{Name: "gpu-1", Meta: map[string]string{pricing.MetaGPUPrefix + "A100-80GB": "7"},
		NodeResources: &api.NodeResources{Devices: []*api.NodeDeviceResource{
			{Vendor: "nvidia", Type: "gpu", Name: "A100-80GB-MIG-1g.10gb", Attributes: map[string]*api.Attribute{
				pricing.AttrMIGProfile: {StringVal: &profile}, pricing.AttrModel: {StringVal: &model}, pricing.AttrFraction: {FloatVal: &fraction}}},
			{Vendor: "nvidia", Type: "gpu", Name: "A100-80GB", Attributes: map[string]*api.Attribute{pricing.AttrModel: {StringVal: &model}}},
		}}}
	if got := Slices(n); len(got) != 1 || got["A100-80GB-MIG-1g.10gb"] != (pricing.SliceAttrs{Model: model, Fraction: "0.12345678"}) {
		t.Fatalf("Slices = %v", got)
	}
	p, err := Prices(n)
	if err != nil {
		t.Fatal(err)
	}
	if cost, err := pricing.HourlyCost(p, pricing.Reserved{GPUs: map[string]int64{"A100-80GB-MIG-1g.10gb": 2}}); err != nil || pricing.FormatAmount(cost) != "1.72839492" {
		t.Fatalf("two 1g slices: pricing.HourlyCost = %v, %v; want 2 × 0.12345678 × 7", cost, err)
	}
}
