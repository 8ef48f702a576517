// Package nomadstate keeps the allocator's live picture of a Nomad region: every node's
// schedulable capacity and attributes, and the resources that its live allocations hold.
// Model is pure data fed with Nomad's API values; Watch (watch.go) feeds it from a region.
package nomadstate

import (
	"maps"
	"strconv"
	"strings"

	"github.com/hashicorp/nomad/api"

	"github.com/dec2-cloud/dec2/allocator/pack"
	"github.com/dec2-cloud/dec2/conventions"
)

// Meta keys a provider sets on its node (CONVENTIONS.md).
const (
	MetaDedicatedTenant = conventions.MetaDedicatedTenant
	metaPricePrefix     = "dec2.price."
)

// Alloc is what the model keeps of one allocation.
type Alloc struct {
	ID, Namespace, JobID, TaskGroup, NodeID string
	// Name is Nomad's "<job>.<group>[<index>]"; a group whose count falls stops its highest indexes.
	Name        string
	Res         pack.Resources
	GPUs        []string
	CreateIndex uint64
}

// Node is one schedulable node as the packer sees it, plus whether Nomad would place on it now.
type Node struct {
	pack.Node
	Name string
	// Schedulable: ready, eligible and not draining.
	Schedulable bool
}

// Model is the region's capacity. It is not safe for concurrent use; its owner locks.
type Model struct {
	nodes  map[string]*Node
	allocs map[string]*Alloc
	// byJob indexes the live allocations by namespace and job.
	byJob map[[2]string]map[string]*Alloc
	// used sums the live allocations per node.
	used    map[string]pack.Resources
	usedGPU map[string]map[string]int
	// view is every known node as the packer sees it with its live allocations counted, and
	// at[id] its index there: kept in step with each change, so that a registration copies it
	// rather than rebuilding it.
	view []viewed
	at   map[string]int
	// Index is the highest Raft index applied.
	Index uint64
	// Region is written into every node's "region" attribute.
	Region string
}

type viewed struct {
	pack.Node
	schedulable bool
}

// NewModel returns an empty model for the named region.
func NewModel(region string) *Model {
	return &Model{nodes: map[string]*Node{}, allocs: map[string]*Alloc{}, byJob: map[[2]string]map[string]*Alloc{},
		used: map[string]pack.Resources{}, usedGPU: map[string]map[string]int{}, at: map[string]int{}, Region: region}
}

// SetNode adds or replaces a node.
func (m *Model) SetNode(n *api.Node) {
	if n == nil || n.ID == "" {
		return
	}
	m.nodes[n.ID] = convertNode(n, m.Region)
	if _, ok := m.at[n.ID]; !ok {
		m.at[n.ID] = len(m.view)
		m.view = append(m.view, viewed{})
	}
	m.refresh(n.ID)
	m.bump(n.ModifyIndex)
}

// DeleteNode forgets a node; its allocations stay until Nomad reports them terminal.
func (m *Model) DeleteNode(id string) {
	delete(m.nodes, id)
	i, ok := m.at[id]
	if !ok {
		return
	}
	last := len(m.view) - 1
	m.view[i] = m.view[last]
	m.at[m.view[i].ID] = i
	m.view[last] = viewed{}
	m.view = m.view[:last]
	delete(m.at, id)
}

// refresh recomputes a node's entry in the view; its slices are new, never changed in place,
// so views handed out earlier stay as they were.
func (m *Model) refresh(id string) {
	i, ok := m.at[id]
	if !ok {
		return
	}
	n := m.nodes[id]
	pn := n.Node
	pn.Used = m.used[id]
	pn.UsedGPUs = knownGPUs(mapKeys(m.usedGPU[id]), pn.GPUs)
	clampUse(&pn)
	m.view[i] = viewed{Node: pn, schedulable: n.Schedulable}
}

// SetAlloc applies an allocation's latest state and reports whether it is live and was not
// known as live before (a new allocation the reservations wait for).
func (m *Model) SetAlloc(a *Alloc, terminal bool, index uint64) (appeared bool) {
	m.bump(index)
	old, had := m.allocs[a.ID]
	if had {
		m.account(old, -1)
		delete(m.allocs, a.ID)
		k := [2]string{old.Namespace, old.JobID}
		if delete(m.byJob[k], a.ID); len(m.byJob[k]) == 0 {
			delete(m.byJob, k)
		}
	}
	if terminal || a.NodeID == "" {
		return false
	}
	m.allocs[a.ID] = a
	k := [2]string{a.Namespace, a.JobID}
	if m.byJob[k] == nil {
		m.byJob[k] = map[string]*Alloc{}
	}
	m.byJob[k][a.ID] = a
	m.account(a, +1)
	return !had
}

func (m *Model) account(a *Alloc, sign int64) {
	u := m.used[a.NodeID]
	u.CPUMHz += sign * a.Res.CPUMHz
	u.MemoryMB += sign * a.Res.MemoryMB
	u.DiskMB += sign * a.Res.DiskMB
	if u == (pack.Resources{}) {
		delete(m.used, a.NodeID)
	} else {
		m.used[a.NodeID] = u
	}
	defer m.refresh(a.NodeID)
	if len(a.GPUs) == 0 {
		return
	}
	g := m.usedGPU[a.NodeID]
	if g == nil {
		g = map[string]int{}
		m.usedGPU[a.NodeID] = g
	}
	for _, id := range a.GPUs {
		g[id] += int(sign)
		if g[id] <= 0 {
			delete(g, id)
		}
	}
	if len(g) == 0 {
		delete(m.usedGPU, a.NodeID)
	}
}

func (m *Model) bump(index uint64) {
	if index > m.Index {
		m.Index = index
	}
}

// Node returns a node by id.
func (m *Model) Node(id string) (*Node, bool) {
	n, ok := m.nodes[id]
	return n, ok
}

// NodeCount is the number of nodes known.
func (m *Model) NodeCount() int { return len(m.nodes) }

// Allocs calls f for every live allocation.
func (m *Model) Allocs(f func(*Alloc)) {
	for _, a := range m.allocs {
		f(a)
	}
}

// JobAllocs calls f for every live allocation of a job.
func (m *Model) JobAllocs(namespace, job string, f func(*Alloc)) {
	for _, a := range m.byJob[[2]string{namespace, job}] {
		f(a)
	}
}

// Used is what live allocations hold on a node.
func (m *Model) Used(node string) pack.Resources { return m.used[node] }

// UsedGPUs lists the device ids live allocations hold on a node.
func (m *Model) UsedGPUs(node string) []string {
	return mapKeys(m.usedGPU[node])
}

// Extra is use beyond a node's live allocations (reservations).
type Extra struct {
	pack.Resources
	GPUs []string
}

// Nodes appends to dst[:0] the schedulable nodes that keep(id) accepts, with their use filled
// in: live allocations, less freed (e.g. ones an update replaces), plus extra per node.
// Reusing dst spares a fleet-sized allocation per registration; only nodes that freed or
// extra touch are worked out anew, the rest are copied from the view kept up to date.
func (m *Model) Nodes(dst []pack.Node, keep func(id string) bool, freed []*Alloc, extra map[string]Extra) []pack.Node {
	out := dst[:0]
	for i := range m.view {
		v := &m.view[i]
		if !v.schedulable || (keep != nil && !keep(v.ID)) {
			continue
		}
		out = append(out, v.Node)
	}
	if len(freed) == 0 && len(extra) == 0 {
		return out
	}
	touched := make(map[string]bool, len(freed)+len(extra))
	for _, a := range freed {
		touched[a.NodeID] = true
	}
	for id := range extra {
		touched[id] = true
	}
	for i := range out {
		pn := &out[i]
		if !touched[pn.ID] {
			continue
		}
		pn.Used = m.used[pn.ID]
		gpus := maps.Clone(m.usedGPU[pn.ID])
		for _, a := range freed {
			if a.NodeID != pn.ID {
				continue
			}
			pn.Used.CPUMHz -= a.Res.CPUMHz
			pn.Used.MemoryMB -= a.Res.MemoryMB
			pn.Used.DiskMB -= a.Res.DiskMB
			for _, g := range a.GPUs {
				if gpus[g]--; gpus[g] <= 0 {
					delete(gpus, g)
				}
			}
		}
		if e, ok := extra[pn.ID]; ok {
			pn.Used.CPUMHz += e.CPUMHz
			pn.Used.MemoryMB += e.MemoryMB
			pn.Used.DiskMB += e.DiskMB
			for _, g := range e.GPUs {
				if gpus == nil {
					gpus = map[string]int{}
				}
				gpus[g]++
			}
		}
		pn.UsedGPUs = knownGPUs(mapKeys(gpus), pn.GPUs)
		clampUse(pn)
	}
	return out
}

// clampUse keeps use within capacity: a node shrunk under its allocations (or reserved
// by Nomad after they were placed) is simply full.
func clampUse(n *pack.Node) {
	n.Used.CPUMHz = min(max(n.Used.CPUMHz, 0), n.CPUMHz)
	n.Used.MemoryMB = min(max(n.Used.MemoryMB, 0), n.MemoryMB)
	n.Used.DiskMB = min(max(n.Used.DiskMB, 0), n.DiskMB)
}

// knownGPUs drops device ids the node no longer reports (the packer refuses unknown ones).
func knownGPUs(ids []string, gpus []pack.GPU) []string {
	if len(ids) == 0 {
		return nil
	}
	have := map[string]bool{}
	for _, g := range gpus {
		have[g.ID] = true
	}
	out := ids[:0]
	for _, id := range ids {
		if have[id] {
			out = append(out, id)
		}
	}
	return out
}

func mapKeys(m map[string]int) []string {
	if len(m) == 0 {
		return nil
	}
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// convertNode turns a Nomad node into the packer's: capacity net of what the operator
// reserved, GPUs from device groups of type gpu or gpu-share, attributes for constraints,
// the node's hourly price from its dec2.price.* meta.
func convertNode(n *api.Node, region string) *Node {
	out := &Node{Name: n.Name, Schedulable: n.Status == api.NodeStatusReady && !n.Drain &&
		n.SchedulingEligibility != api.NodeSchedulingIneligible}
	pn := &out.Node
	pn.ID = n.ID
	if r := n.NodeResources; r != nil {
		pn.CPUMHz, pn.MemoryMB, pn.DiskMB = r.Cpu.CpuShares, r.Memory.MemoryMB, r.Disk.DiskMB
		for _, d := range r.Devices {
			if d == nil || (d.Type != "gpu" && d.Type != "gpu-share") {
				continue
			}
			mem := deviceMemoryMB(d.Attributes["memory"])
			for _, inst := range d.Instances {
				if inst != nil {
					pn.GPUs = append(pn.GPUs, pack.GPU{ID: inst.ID, Model: d.Name, MemoryMB: mem, Healthy: inst.Healthy})
				}
			}
		}
	}
	if r := n.ReservedResources; r != nil {
		pn.CPUMHz = max(pn.CPUMHz-int64(r.Cpu.CpuShares), 0)
		pn.MemoryMB = max(pn.MemoryMB-int64(r.Memory.MemoryMB), 0)
		pn.DiskMB = max(pn.DiskMB-int64(r.Disk.DiskMB), 0)
	}
	attrs := make(map[string]string, len(n.Attributes)+len(n.Meta)+6)
	for k, v := range n.Attributes {
		attrs["attr."+k] = v
	}
	for k, v := range n.Meta {
		attrs["meta."+k] = v
	}
	attrs["datacenter"] = n.Datacenter
	attrs["node_pool"] = n.NodePool
	attrs["region"] = region
	attrs["node.unique.name"] = n.Name
	attrs["node.class"] = n.NodeClass
	pn.Attributes = attrs
	pn.DedicatedTenant = n.Meta[MetaDedicatedTenant]
	pn.PricePerHour = nodePrice(n.Meta, pn)
	return out
}

// nodePrice is the price of the whole node for an hour from its per-unit prices.
func nodePrice(meta map[string]string, n *pack.Node) float64 {
	price := func(key string) float64 {
		v, err := strconv.ParseFloat(meta[metaPricePrefix+key], 64)
		if err != nil || v < 0 {
			return 0
		}
		return v
	}
	p := price("cpu_ghz_hour")*float64(n.CPUMHz)/1000 +
		price("mem_gb_hour")*float64(n.MemoryMB)/1024 +
		price("disk_gb_hour")*float64(n.DiskMB)/1024
	for _, g := range n.GPUs {
		p += price("gpu_hour." + g.Model)
	}
	return p
}

// deviceMemoryMB reads a device's memory attribute in MiB (the plugin reports MiB).
func deviceMemoryMB(a *api.Attribute) int64 {
	if a == nil {
		return 0
	}
	var v int64
	switch {
	case a.IntVal != nil:
		v = *a.IntVal
	case a.FloatVal != nil:
		v = int64(*a.FloatVal)
	default:
		return 0
	}
	switch strings.ToLower(a.Unit) {
	case "gib", "gb":
		return v * 1024
	case "kib", "kb":
		return v / 1024
	}
	return v
}

// AllocFrom converts an allocation as events and Info return it.
func AllocFrom(a *api.Allocation) (*Alloc, bool) {
	return convertAlloc(a.ID, a.Name, a.Namespace, a.JobID, a.TaskGroup, a.NodeID, a.AllocatedResources, a.CreateIndex),
		terminal(a.DesiredStatus, a.ClientStatus)
}

// AllocFromStub converts an allocation as /v1/allocations?resources=true lists it.
func AllocFromStub(a *api.AllocationListStub) (*Alloc, bool) {
	return convertAlloc(a.ID, a.Name, a.Namespace, a.JobID, a.TaskGroup, a.NodeID, a.AllocatedResources, a.CreateIndex),
		terminal(a.DesiredStatus, a.ClientStatus)
}

// terminal follows Nomad's scheduler: an allocation told to stop frees its resources at once.
func terminal(desired, client string) bool {
	switch desired {
	case api.AllocDesiredStatusStop, api.AllocDesiredStatusEvict:
		return true
	}
	switch client {
	case api.AllocClientStatusComplete, api.AllocClientStatusFailed, api.AllocClientStatusLost:
		return true
	}
	return false
}

func convertAlloc(id, name, ns, job, tg, node string, r *api.AllocatedResources, index uint64) *Alloc {
	a := &Alloc{ID: id, Name: name, Namespace: ns, JobID: job, TaskGroup: tg, NodeID: node, CreateIndex: index}
	if r == nil {
		return a
	}
	for _, t := range r.Tasks {
		if t == nil {
			continue
		}
		a.Res.CPUMHz += t.Cpu.CpuShares
		a.Res.MemoryMB += t.Memory.MemoryMB
		for _, d := range t.Devices {
			if d != nil && (d.Type == "gpu" || d.Type == "gpu-share") {
				a.GPUs = append(a.GPUs, d.DeviceIDs...)
			}
		}
	}
	a.Res.DiskMB = r.Shared.DiskMB
	return a
}
