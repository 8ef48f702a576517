// Package nomadbase places a pack.Problem with Nomad's own scheduler, in process, so every
// benchmark compares dec2's packer with what stock Nomad would do on identical input.
//
// It runs the real service scheduler (github.com/hashicorp/nomad/scheduler) against a real
// state store, driven by the plan builder that scheduler/tests.Harness wraps. The harness
// itself needs a testing.TB (for its logger and state store), which a CLI does not have, so
// this package does what Harness.Process does — snapshot, build the scheduler, Process the
// evaluation — with a null logger instead.
package nomadbase

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/nomad/client/lib/numalib/hw"
	"github.com/hashicorp/nomad/nomad/mock"
	"github.com/hashicorp/nomad/nomad/state"
	"github.com/hashicorp/nomad/nomad/structs"
	psstructs "github.com/hashicorp/nomad/plugins/shared/structs"
	"github.com/hashicorp/nomad/scheduler"
	sstructs "github.com/hashicorp/nomad/scheduler/structs"

	"github.com/dec2-cloud/dec2/allocator/pack"
	"github.com/dec2-cloud/dec2/conventions"
)

const (
	jobID      = "pack"
	taskName   = "main"
	background = "background" // the job holding what already runs on a node
	gpuVendor  = "nvidia"
	gpuType    = "gpu"
	// tenantMeta carries Node.DedicatedTenant, as `dec2 provider join` sets it.
	tenantMeta = conventions.MetaDedicatedTenant
)

// Place runs Nomad's service scheduler on p and returns its placements scored by
// pack.Evaluate, with the reasons Nomad's own placement metrics give for what it left out.
// seed picks the evaluation id, which seeds Nomad's node shuffle.
func Place(p pack.Problem, seed uint64) (pack.Result, error) {
	start := time.Now()
	if err := p.Validate(); err != nil {
		return pack.Result{}, err
	}
	st, err := state.NewStateStore(&state.StateStoreConfig{
		Logger:             hclog.NewNullLogger(),
		Region:             "global",
		JobTrackedVersions: structs.JobDefaultTrackedVersions,
	})
	if err != nil {
		return pack.Result{}, fmt.Errorf("creating Nomad's state store: %w", err)
	}
	rng := rand.New(rand.NewPCG(seed, 0x6e6f6d6164))
	index := uint64(1000)
	next := func() uint64 { index++; return index }

	nodeName := map[string]string{} // Nomad node id → pack node id
	pools := map[string]bool{structs.NodePoolDefault: true, structs.NodePoolAll: true}
	var bgAllocs []*structs.Allocation
	bgJob := backgroundJob()
	for i := range p.Nodes {
		n := &p.Nodes[i]
		node := nomadNode(n, uuidFrom(uint64(i), 0))
		nodeName[node.ID] = n.ID
		if !pools[node.NodePool] {
			pools[node.NodePool] = true
			if err := st.UpsertNodePools(structs.MsgTypeTestSetup, next(), []*structs.NodePool{{Name: node.NodePool}}); err != nil {
				return pack.Result{}, fmt.Errorf("adding node pool %q: %w", node.NodePool, err)
			}
		}
		if err := st.UpsertNode(structs.MsgTypeTestSetup, next(), node); err != nil {
			return pack.Result{}, fmt.Errorf("adding node %q: %w", n.ID, err)
		}
		if a := backgroundAlloc(n, node, bgJob, uuidFrom(uint64(i), 1)); a != nil {
			bgAllocs = append(bgAllocs, a)
		}
	}
	if err := st.UpsertJob(structs.MsgTypeTestSetup, next(), nil, bgJob); err != nil {
		return pack.Result{}, fmt.Errorf("adding the background job: %w", err)
	}
	if err := st.UpsertAllocs(structs.MsgTypeTestSetup, next(), bgAllocs); err != nil {
		return pack.Result{}, fmt.Errorf("adding what already runs on nodes: %w", err)
	}
	job := nomadJob(p)
	if err := st.UpsertJob(structs.MsgTypeTestSetup, next(), nil, job); err != nil {
		return pack.Result{}, fmt.Errorf("adding the job: %w", err)
	}
	eval := &structs.Evaluation{
		Namespace:   structs.DefaultNamespace,
		ID:          uuidFrom(rng.Uint64(), rng.Uint64()),
		Priority:    job.Priority,
		TriggeredBy: structs.EvalTriggerJobRegister,
		JobID:       job.ID,
		Type:        job.Type,
		Status:      structs.EvalStatusPending,
	}
	if err := st.UpsertEvals(structs.MsgTypeTestSetup, next(), []*structs.Evaluation{eval}); err != nil {
		return pack.Result{}, fmt.Errorf("adding the evaluation: %w", err)
	}

	planner := sstructs.NewPlanWithStateAndIndex(st, next(), true)
	events := make(chan interface{})
	go func() {
		for range events {
		}
	}()
	snap, err := st.Snapshot()
	if err != nil {
		return pack.Result{}, fmt.Errorf("snapshotting Nomad's state: %w", err)
	}
	sched := scheduler.NewServiceScheduler(hclog.NewNullLogger(), events, snap, planner)
	err = sched.Process(eval)
	close(events)
	if err != nil {
		return pack.Result{}, fmt.Errorf("running Nomad's scheduler: %w", err)
	}

	var placements []pack.Placement
	for _, plan := range planner.Plans {
		for nodeID, allocs := range plan.NodeAllocation {
			for _, a := range allocs {
				if a.JobID != jobID {
					continue
				}
				pl := pack.Placement{Group: a.TaskGroup, Index: int(a.Index()), Node: nodeName[nodeID]}
				if tr := a.AllocatedResources.Tasks[taskName]; tr != nil {
					for _, d := range tr.Devices {
						pl.GPUs = append(pl.GPUs, d.DeviceIDs...)
					}
				}
				placements = append(placements, pl)
			}
		}
	}
	sort.Slice(placements, func(a, b int) bool {
		if placements[a].Group != placements[b].Group {
			return placements[a].Group < placements[b].Group
		}
		return placements[a].Index < placements[b].Index
	})
	res, err := pack.Evaluate(p, placements)
	if err != nil {
		return pack.Result{}, fmt.Errorf("checking Nomad's placements: %w", err)
	}
	var failed map[string]*structs.AllocMetric
	for _, e := range planner.Evals {
		if e.ID == eval.ID {
			failed = e.FailedTGAllocs
		}
	}
	for i := range res.Unplaced {
		if m := failed[res.Unplaced[i].Group]; m != nil {
			res.Unplaced[i].Reason = fmt.Sprintf("%d of %d instances unplaced; nomad: %s", res.Unplaced[i].Count, groupCount(p, res.Unplaced[i].Group), describeMetric(m, nodeName))
		}
	}
	res.Stats.Algorithm = "nomad-service-scheduler"
	res.Stats.ElapsedMS = float64(time.Since(start).Microseconds()) / 1000
	return res, nil
}

func groupCount(p pack.Problem, id string) int {
	for _, g := range p.Groups {
		if g.ID == id {
			return g.Count
		}
	}
	return 0
}

// describeMetric renders Nomad's placement metrics the way `nomad job status` does.
func describeMetric(m *structs.AllocMetric, nodeName map[string]string) string {
	parts := []string{fmt.Sprintf("%d nodes evaluated", m.NodesEvaluated)}
	if m.NodesFiltered > 0 {
		parts = append(parts, fmt.Sprintf("%d filtered", m.NodesFiltered))
	}
	for _, kv := range sortedCounts(m.ConstraintFiltered) {
		parts = append(parts, fmt.Sprintf("constraint %q filtered %d nodes", kv.k, kv.v))
	}
	for _, kv := range sortedCounts(m.DimensionExhausted) {
		parts = append(parts, fmt.Sprintf("%s exhausted on %d nodes", kv.k, kv.v))
	}
	if m.NodesExhausted > 0 {
		parts = append(parts, fmt.Sprintf("%d nodes exhausted", m.NodesExhausted))
	}
	return strings.Join(parts, "; ")
}

type count struct {
	k string
	v int
}

func sortedCounts(m map[string]int) []count {
	var out []count
	for k, v := range m {
		out = append(out, count{k, v})
	}
	sort.Slice(out, func(a, b int) bool { return out[a].k < out[b].k })
	return out
}

// uuidFrom makes a UUID-shaped id; the scheduler seeds its shuffle from an eval id's tail.
func uuidFrom(a, b uint64) string {
	return fmt.Sprintf("%08x-%04x-%04x-%04x-%012x", a>>32, (a>>16)&0xffff, a&0xffff, b>>48, b&0xffffffffffff)
}

// nomadNode is n as a Nomad client would fingerprint it: the Docker driver, its capacity
// with nothing reserved, attributes and meta by their keys, and its GPUs as one device group
// per model named as the dec2-gpu plugin names them.
func nomadNode(n *pack.Node, id string) *structs.Node {
	node := mock.Node()
	node.ID = id
	node.Name = n.ID
	node.Datacenter = "dc1"
	node.NodeClass = ""
	node.Drivers = map[string]*structs.DriverInfo{"docker": {Detected: true, Healthy: true}}
	node.Attributes = map[string]string{"kernel.name": "linux", "driver.docker": "1"}
	node.Meta = map[string]string{tenantMeta: n.DedicatedTenant}
	for k, v := range n.Attributes {
		switch {
		case k == "datacenter":
			node.Datacenter = v
		case k == "node_pool":
			node.NodePool = v
		case strings.HasPrefix(k, "attr."):
			node.Attributes[strings.TrimPrefix(k, "attr.")] = v
		default:
			node.Meta[strings.TrimPrefix(k, "meta.")] = v
		}
	}
	// Nomad reads CPU capacity from the NUMA topology; the override sets its total.
	topo := structs.MockBasicTopology()
	topo.OverrideTotalCompute = hw.MHz(n.CPUMHz)
	node.NodeResources.Processors.Topology = topo
	node.NodeResources.Memory.MemoryMB = n.MemoryMB
	node.NodeResources.Disk.DiskMB = n.DiskMB
	node.ReservedResources = &structs.NodeReservedResources{}
	byModel := map[string]*structs.NodeDeviceResource{}
	var models []string
	for _, g := range n.GPUs {
		d := byModel[g.Model]
		if d == nil {
			d = &structs.NodeDeviceResource{Vendor: gpuVendor, Type: gpuType, Name: g.Model,
				Attributes: map[string]*psstructs.Attribute{"memory": psstructs.NewIntAttribute(g.MemoryMB, psstructs.UnitMiB)}}
			byModel[g.Model] = d
			models = append(models, g.Model)
		}
		d.Instances = append(d.Instances, &structs.NodeDevice{ID: g.ID, Healthy: g.Healthy})
	}
	node.NodeResources.Devices = nil
	for _, m := range models {
		node.NodeResources.Devices = append(node.NodeResources.Devices, byModel[m])
	}
	node.NodeResources.Compatibility()
	node.ComputeClass()
	return node
}

func backgroundJob() *structs.Job {
	j := mock.Job()
	j.ID, j.Name = background, background
	j.TaskGroups[0].Name = background
	j.TaskGroups[0].Tasks[0].Name = background
	j.Canonicalize()
	return j
}

// backgroundAlloc stands for what already runs on a node: an allocation holding the node's
// used resources and GPUs, so Nomad's fit and bin-packing score see them as it would.
func backgroundAlloc(n *pack.Node, node *structs.Node, job *structs.Job, id string) *structs.Allocation {
	if n.Used == (pack.Resources{}) && len(n.UsedGPUs) == 0 {
		return nil
	}
	tr := &structs.AllocatedTaskResources{
		Cpu:    structs.AllocatedCpuResources{CpuShares: n.Used.CPUMHz},
		Memory: structs.AllocatedMemoryResources{MemoryMB: n.Used.MemoryMB},
	}
	for _, d := range node.NodeResources.Devices {
		var ids []string
		for _, inst := range d.Instances {
			for _, u := range n.UsedGPUs {
				if u == inst.ID {
					ids = append(ids, u)
				}
			}
		}
		if len(ids) > 0 {
			tr.Devices = append(tr.Devices, &structs.AllocatedDeviceResource{Vendor: d.Vendor, Type: d.Type, Name: d.Name, DeviceIDs: ids})
		}
	}
	return &structs.Allocation{
		ID:            id,
		Namespace:     structs.DefaultNamespace,
		EvalID:        id,
		NodeID:        node.ID,
		Name:          background + "." + background + "[0]",
		Job:           job,
		JobID:         job.ID,
		TaskGroup:     background,
		DesiredStatus: structs.AllocDesiredStatusRun,
		ClientStatus:  structs.AllocClientStatusRunning,
		AllocatedResources: &structs.AllocatedResources{
			Tasks:  map[string]*structs.AllocatedTaskResources{background: tr},
			Shared: structs.AllocatedSharedResources{DiskMB: n.Used.DiskMB},
		},
	}
}

// nomadJob is the problem's groups as one service job: one task group per group.
func nomadJob(p pack.Problem) *structs.Job {
	job := &structs.Job{
		Region:      "global",
		Namespace:   structs.DefaultNamespace,
		ID:          jobID,
		Name:        jobID,
		Type:        structs.JobTypeService,
		Priority:    structs.JobDefaultPriority,
		Datacenters: []string{"*"},
		NodePool:    structs.NodePoolAll,
		Status:      structs.JobStatusPending,
	}
	for i := range p.Groups {
		g := &p.Groups[i]
		res := &structs.Resources{CPU: int(g.CPUMHz), MemoryMB: int(g.MemoryMB)}
		if g.GPU != nil && g.GPU.Count > 0 {
			name := gpuType
			if g.GPU.Model != "" {
				name = gpuVendor + "/" + gpuType + "/" + g.GPU.Model
			}
			dev := &structs.RequestedDevice{Name: name, Count: uint64(g.GPU.Count)}
			if g.GPU.MinMemoryMB > 0 {
				dev.Constraints = structs.Constraints{{LTarget: "${device.attr.memory}", RTarget: fmt.Sprintf("%d MiB", g.GPU.MinMemoryMB), Operand: ">="}}
			}
			res.Devices = []*structs.RequestedDevice{dev}
		}
		tg := &structs.TaskGroup{
			Name:          g.ID,
			Count:         g.Count,
			EphemeralDisk: &structs.EphemeralDisk{SizeMB: int(g.DiskMB)},
			Tasks:         []*structs.Task{{Name: taskName, Driver: "docker", Config: map[string]interface{}{"image": "scratch"}, Resources: res}},
		}
		for _, c := range g.Constraints {
			tg.Constraints = append(tg.Constraints, &structs.Constraint{LTarget: target(c.Attribute), RTarget: c.Value, Operand: c.Operator})
		}
		// Nomad has no tenants; dec2 keeps them in node meta and says so in a constraint.
		tg.Constraints = append(tg.Constraints, &structs.Constraint{LTarget: "${meta." + tenantMeta + "}", RTarget: "^(" + regexp.QuoteMeta(g.Tenant) + ")?$", Operand: structs.ConstraintRegex})
		if g.DistinctHosts {
			tg.Constraints = append(tg.Constraints, &structs.Constraint{Operand: structs.ConstraintDistinctHosts})
		}
		for _, s := range g.Spread {
			tg.Constraints = append(tg.Constraints, &structs.Constraint{LTarget: target(s.Attribute), RTarget: strconv.Itoa(s.Max), Operand: structs.ConstraintDistinctProperty})
		}
		// Nomad cannot price a node; the nodes within the group's price are listed instead.
		if g.MaxPricePerHour > 0 {
			var ok []string
			for j := range p.Nodes {
				if pack.InstancePrice(&p.Nodes[j], g) <= g.MaxPricePerHour {
					ok = append(ok, p.Nodes[j].ID)
				}
			}
			tg.Constraints = append(tg.Constraints, &structs.Constraint{LTarget: "${node.unique.name}", RTarget: strings.Join(ok, ","), Operand: structs.ConstraintSetContainsAny})
		}
		job.TaskGroups = append(job.TaskGroups, tg)
	}
	job.Canonicalize()
	return job
}

// target maps a pack attribute to Nomad's interpolation: datacenter and node pool are node
// fields, attr.* are attributes, everything else is node meta (as nomadNode stores it).
func target(attr string) string {
	k := strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(attr), "${"), "}")
	switch k {
	case "datacenter", "node.datacenter":
		return "${node.datacenter}"
	case "node_pool", "node.pool":
		return "${node.pool}"
	case "node.unique.id", "node.unique.name":
		return "${node.unique.name}"
	case "node.region":
		return "${meta.region}"
	}
	if strings.HasPrefix(k, "attr.") {
		return "${" + k + "}"
	}
	return "${meta." + strings.TrimPrefix(k, "meta.") + "}"
}
