// Package instance is what the `dec2 instance` commands do with Nomad: run a rental through the
// allocator and wait for it, list, describe (where it runs, at what price), logs, exec, stop.
// The views in this file are pure: built from Nomad's objects, printed by package output.
package instance

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/hashicorp/nomad/api"

	"github.com/dec2-cloud/dec2/catalog"
	"github.com/dec2-cloud/dec2/conventions"
	"github.com/dec2-cloud/dec2/instances"
	"github.com/dec2-cloud/dec2/pricing"
)

// Types is the catalogue as printed by `dec2 instance types`.
type Types []catalog.Type

func (ts Types) Header() []string {
	return []string{"TYPE", "CPU", "MEMORY", "DISK", "GPUS", "DESCRIPTION"}
}

func (ts Types) Rows() [][]string {
	rows := make([][]string, len(ts))
	for i, t := range ts {
		gpus := "-"
		if t.GPUs > 0 {
			gpus = strconv.Itoa(t.GPUs)
			if t.GPUName != "" {
				gpus += " × " + t.GPUName
			} else if t.GPUMemoryMiB > 0 {
				gpus += " × ≥" + mib(int64(t.GPUMemoryMiB))
			}
		}
		rows[i] = []string{t.Name, ghz(int64(t.CPU)), mib(int64(t.MemoryMB)), mib(int64(t.DiskMB)), gpus, t.Description}
	}
	return rows
}

func ghz(mhz int64) string {
	return strconv.FormatFloat(float64(mhz)/1000, 'f', -1, 64) + " GHz"
}

func mib(n int64) string {
	if n >= 1024 && n%1024 == 0 {
		return strconv.FormatInt(n/1024, 10) + " GiB"
	}
	if n >= 1024 {
		return strconv.FormatFloat(float64(n)/1024, 'f', 1, 64) + " GiB"
	}
	return strconv.FormatInt(n, 10) + " MiB"
}

// Instance is one rental and where its copies run.
type Instance struct {
	Name   string `json:"name"`
	Status string `json:"status"` // the Nomad job's: pending, running, dead
	Image  string `json:"image,omitempty"`
	Wallet string `json:"wallet,omitempty"`
	// CostPerHour sums the running placements' prices, decimal tokens.
	CostPerHour string      `json:"cost_per_hour"`
	Placements  []Placement `json:"placements"`
}

// Placement is one allocation of the instance.
type Placement struct {
	AllocID string `json:"alloc_id"`
	NodeID  string `json:"node_id"`
	Node    string `json:"node"`
	Status  string `json:"status"` // the allocation's client status
	// Addresses map each port label to host:port on the provider.
	Addresses map[string]string `json:"addresses,omitempty"`
	Provider  string            `json:"provider,omitempty"` // the node's dec2.wallet
	// CostPerHour is the placement's reserved resources at the node's prices; empty when the
	// node's prices cannot price it (a malformed price, an unpriced GPU model).
	CostPerHour string `json:"cost_per_hour"`
	PriceError  string `json:"price_error,omitempty"`
}

func (in Instance) Header() []string {
	return []string{"NAME", "ALLOC", "NODE", "STATUS", "ADDRESSES", "COST/HOUR"}
}

func (in Instance) Rows() [][]string {
	var rows [][]string
	for _, p := range in.Placements {
		cost := p.CostPerHour
		if p.PriceError != "" {
			cost = "unpriced"
		}
		rows = append(rows, []string{in.Name, short(p.AllocID), p.Node, p.Status, addresses(p.Addresses), cost})
	}
	if len(rows) == 0 {
		rows = append(rows, []string{in.Name, "", "", in.Status, "", in.CostPerHour})
	} else if len(rows) > 1 {
		rows = append(rows, []string{in.Name, "total", "", in.Status, "", in.CostPerHour})
	}
	return rows
}

func short(id string) string { return id[:min(8, len(id))] }

func addresses(m map[string]string) string {
	parts := make([]string, 0, len(m))
	for _, l := range slices.Sorted(maps.Keys(m)) {
		parts = append(parts, l+"="+m[l])
	}
	return strings.Join(parts, " ")
}

// Build makes the view of job from its allocations and their nodes (by ID). Allocations that
// were replaced (desired stop) are left out unless nothing else is left.
func Build(job *api.Job, allocs []*api.AllocationListStub, full map[string]*api.Allocation, nodes map[string]*api.Node) Instance {
	in := Instance{Name: deref(job.ID), Status: deref(job.Status), Wallet: job.Meta[conventions.MetaWallet]}
	if len(job.TaskGroups) > 0 && len(job.TaskGroups[0].Tasks) > 0 {
		if img, ok := job.TaskGroups[0].Tasks[0].Config["image"].(string); ok {
			in.Image = img
		}
	}
	live := slices.DeleteFunc(slices.Clone(allocs), func(a *api.AllocationListStub) bool { return a.DesiredStatus != api.AllocDesiredStatusRun })
	if len(live) == 0 {
		live = allocs
	}
	sort.Slice(live, func(i, j int) bool {
		if live[i].NodeName != live[j].NodeName {
			return live[i].NodeName < live[j].NodeName
		}
		return live[i].ID < live[j].ID
	})
	for _, stub := range live {
		p := Placement{AllocID: stub.ID, NodeID: stub.NodeID, Node: stub.NodeName, Status: stub.ClientStatus}
		a := full[stub.ID]
		if a != nil && a.AllocatedResources != nil {
			for _, pm := range a.AllocatedResources.Shared.Ports {
				if p.Addresses == nil {
					p.Addresses = map[string]string{}
				}
				p.Addresses[pm.Label] = fmt.Sprintf("%s:%d", pm.HostIP, pm.Value)
			}
		}
		if n := nodes[stub.NodeID]; n != nil && a != nil {
			p.Provider = n.Meta[conventions.MetaWallet]
			cost, err := instances.HourlyCost(n, a)
			if err != nil {
				p.PriceError = err.Error()
			} else {
				p.CostPerHour = pricing.FormatAmount(cost)
			}
		}
		in.Placements = append(in.Placements, p)
	}
	// The running copies that can be priced; those that cannot show "unpriced" above.
	total, _ := instances.Instance{Job: job, Allocs: allocs, Full: full, Nodes: nodes}.CostPerHour()
	in.CostPerHour = pricing.FormatAmount(total)
	return in
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// List is `dec2 instance ls`.
type List []Summary

// Summary is one line of List.
type Summary struct {
	Name    string `json:"name"`
	Status  string `json:"status"`
	Running int    `json:"running"`
	Desired int    `json:"desired"`
	Wallet  string `json:"wallet,omitempty"`
}

func (l List) Header() []string { return []string{"NAME", "STATUS", "RUNNING", "WALLET"} }

func (l List) Rows() [][]string {
	rows := make([][]string, len(l))
	for i, s := range l {
		rows[i] = []string{s.Name, s.Status, fmt.Sprintf("%d/%d", s.Running, s.Desired), s.Wallet}
	}
	return rows
}
