// Package nomadprices reads prices and reservations from Nomad's API types: a node's prices as
// billing charges them, what an allocation reserved. Pure: it reads values, never calls Nomad.
package nomadprices

import (
	"strconv"

	"github.com/hashicorp/nomad/api"

	"github.com/dec2-cloud/dec2/pricing"
)

// TypeShare is the device type of the dec2-gpu plugin's GPU shares (CONVENTIONS).
const TypeShare = "gpu-share"

// Reserved sums what an allocation reserved: CPU MHz, memory MiB, shared disk, whole devices
// and gpu-share devices by model name. What a share costs depends on its node (Prices).
func Reserved(a *api.Allocation) pricing.Reserved {
	r := pricing.Reserved{}
	if a.AllocatedResources == nil {
		return r
	}
	for _, t := range a.AllocatedResources.Tasks {
		if t == nil {
			continue
		}
		r.CPUMHz += t.Cpu.CpuShares
		r.MemMB += t.Memory.MemoryMB
		for _, d := range t.Devices {
			if d == nil || len(d.DeviceIDs) == 0 {
				continue
			}
			if d.Type == TypeShare {
				r.GPUShares = count(r.GPUShares, d)
			} else {
				r.GPUs = count(r.GPUs, d)
			}
		}
	}
	r.DiskMB = a.AllocatedResources.Shared.DiskMB
	return r
}

// count adds d's devices to m under its model name.
func count(m map[string]int64, d *api.AllocatedDeviceResource) map[string]int64 {
	if m == nil {
		m = map[string]int64{}
	}
	m[d.Name] += int64(len(d.DeviceIDs))
	return m
}

// Shares is, per gpu-share model on n, its pricing.AttrShares attribute as Nomad shows it ("" where
// the group has none), for pricing.ParseShares.
func Shares(n *api.Node) map[string]string {
	out := map[string]string{}
	if n.NodeResources == nil {
		return out
	}
	for _, d := range n.NodeResources.Devices {
		if d == nil || d.Type != TypeShare {
			continue
		}
		out[d.Name] = ""
		if a := d.Attributes[pricing.AttrShares]; a != nil {
			out[d.Name] = a.String()
		}
	}
	return out
}

// Slices is, per MIG device group on n (one with a pricing.AttrMIGProfile), its model and
// fraction attributes as Nomad shows them, for pricing.ParseSlices.
func Slices(n *api.Node) map[string]pricing.SliceAttrs {
	out := map[string]pricing.SliceAttrs{}
	if n.NodeResources == nil {
		return out
	}
	for _, d := range n.NodeResources.Devices {
		if d == nil || d.Attributes[pricing.AttrMIGProfile] == nil {
			continue
		}
		var a pricing.SliceAttrs
		if v := d.Attributes[pricing.AttrModel]; v != nil {
			a.Model = v.String()
		}
		if v := d.Attributes[pricing.AttrFraction]; v != nil && v.FloatVal != nil && v.Unit == "" {
			// Not v.String(): it keeps three decimals.
			a.Fraction = strconv.FormatFloat(*v.FloatVal, 'g', -1, 64)
		} else if v != nil {
			a.Fraction = v.String()
		}
		out[d.Name] = a
	}
	return out
}

// Prices are n's prices as billing charges them: its meta prices, share counts and MIG
// slices, the counterpart of Reserved for HourlyCost (the CLI's and Terraform's cost displays).
func Prices(n *api.Node) (pricing.Prices, error) {
	p, err := pricing.ParsePrices(n.Meta)
	if err != nil {
		return p, err
	}
	if p.GPUShares, err = pricing.ParseShares(Shares(n)); err != nil {
		return p, err
	}
	p.Slices, err = pricing.ParseSlices(Slices(n))
	return p, err
}
