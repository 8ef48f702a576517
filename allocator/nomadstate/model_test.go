package nomadstate

import (
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/hashicorp/nomad/api"

	"github.com/dec2-cloud/dec2/allocator/pack"
)

func gpuNode() *api.Node {
	mem := int64(80)
	return &api.Node{
		ID: "n1", Name: "rig", Datacenter: "dc1", NodePool: "gpu", Status: api.NodeStatusReady,
		SchedulingEligibility: api.NodeSchedulingEligible,
		Attributes:            map[string]string{"kernel.name": "linux"},
		Meta: map[string]string{MetaDedicatedTenant: "acme", "dec2.price.cpu_ghz_hour": "0.01",
			"dec2.price.mem_gb_hour": "0.002", "dec2.price.gpu_hour.A100": "1.5"},
		NodeResources: &api.NodeResources{
			Cpu: api.NodeCpuResources{CpuShares: 8000}, Memory: api.NodeMemoryResources{MemoryMB: 16384}, Disk: api.NodeDiskResources{DiskMB: 10000},
			Devices: []*api.NodeDeviceResource{
				{Vendor: "nvidia", Type: "gpu", Name: "A100", Attributes: map[string]*api.Attribute{"memory": {IntVal: &mem, Unit: "GiB"}},
					Instances: []*api.NodeDevice{{ID: "g0", Healthy: true}, {ID: "g1", Healthy: false}}},
				{Vendor: "acme", Type: "fpga", Name: "x", Instances: []*api.NodeDevice{{ID: "f0", Healthy: true}}},
			},
		},
		ReservedResources: &api.NodeReservedResources{Cpu: api.NodeReservedCpuResources{CpuShares: 1000}, Memory: api.NodeReservedMemoryResources{MemoryMB: 384}},
	}
}

func TestNodeConversion(t *testing.T) {
	m := NewModel("global")
	m.SetNode(gpuNode())
	n, _ := m.Node("n1")
	if n.CPUMHz != 7000 || n.MemoryMB != 16000 || n.DiskMB != 10000 || !n.Schedulable {
		t.Errorf("capacity net of reserved = %d MHz %d MiB %d MiB, schedulable %v", n.CPUMHz, n.MemoryMB, n.DiskMB, n.Schedulable)
	}
	if len(n.GPUs) != 2 || n.GPUs[0] != (pack.GPU{ID: "g0", Model: "A100", MemoryMB: 80 * 1024, Healthy: true}) || n.GPUs[1].Healthy {
		t.Errorf("gpus = %+v (the fpga must not be one)", n.GPUs)
	}
	if n.DedicatedTenant != "acme" || n.Attributes["attr.kernel.name"] != "linux" || n.Attributes["node_pool"] != "gpu" || n.Attributes["meta.dec2.dedicated_tenant"] != "acme" {
		t.Errorf("attributes = %v", n.Attributes)
	}
	// 7 GHz × 0.01 + 16000/1024 GiB × 0.002 + 2 A100 × 1.5
	if want := 0.07 + 16000.0/1024*0.002 + 3; math.Abs(n.PricePerHour-want) > 1e-9 {
		t.Errorf("price = %v, want %v", n.PricePerHour, want)
	}
	d := gpuNode()
	d.Drain = true
	m.SetNode(d)
	if n, _ := m.Node("n1"); n.Schedulable || len(m.Nodes(nil, nil, nil, nil)) != 0 {
		t.Errorf("a draining node is offered to the packer")
	}
}

func TestAllocAccounting(t *testing.T) {
	m := NewModel("global")
	m.SetNode(gpuNode())
	res := func(cpu, mem int64, gpus ...string) *api.AllocatedResources {
		return &api.AllocatedResources{Tasks: map[string]*api.AllocatedTaskResources{"t": {
			Cpu: api.AllocatedCpuResources{CpuShares: cpu}, Memory: api.AllocatedMemoryResources{MemoryMB: mem},
			Devices: []*api.AllocatedDeviceResource{{Type: "gpu", DeviceIDs: gpus}}}}, Shared: api.AllocatedSharedResources{DiskMB: 300}}
	}
	a1, term := AllocFrom(&api.Allocation{ID: "a1", Namespace: "default", JobID: "j", TaskGroup: "g", NodeID: "n1",
		DesiredStatus: "run", ClientStatus: "running", AllocatedResources: res(500, 1024, "g0"), CreateIndex: 5})
	if term || !m.SetAlloc(a1, term, 5) || m.SetAlloc(a1, term, 6) {
		t.Fatalf("a running allocation must appear once")
	}
	a2, _ := AllocFrom(&api.Allocation{ID: "a2", Namespace: "default", JobID: "k", TaskGroup: "g", NodeID: "n1",
		DesiredStatus: "run", ClientStatus: "pending", AllocatedResources: res(1000, 2048)})
	m.SetAlloc(a2, false, 7)
	if u := m.Used("n1"); u != (pack.Resources{CPUMHz: 1500, MemoryMB: 3072, DiskMB: 600}) {
		t.Errorf("used = %+v", u)
	}
	var freed []*Alloc
	m.JobAllocs("default", "k", func(a *Alloc) { freed = append(freed, a) })
	nodes := m.Nodes(nil, nil, freed, map[string]Extra{"n1": {Resources: pack.Resources{MemoryMB: 100}}})
	if len(nodes) != 1 || nodes[0].Used != (pack.Resources{CPUMHz: 500, MemoryMB: 1124, DiskMB: 300}) || len(nodes[0].UsedGPUs) != 1 {
		t.Errorf("packer's view = %+v", nodes)
	}
	// Told to stop: Nomad's scheduler counts it free at once.
	a1s, term := AllocFrom(&api.Allocation{ID: "a1", NodeID: "n1", DesiredStatus: "stop", ClientStatus: "running", AllocatedResources: res(500, 1024, "g0")})
	m.SetAlloc(a1s, term, 8)
	if u := m.Used("n1"); u.MemoryMB != 2048 || len(m.UsedGPUs("n1")) != 0 || m.Index != 8 {
		t.Errorf("after stop used = %+v gpus %v index %d", u, m.UsedGPUs("n1"), m.Index)
	}
}

// TestViewFollowsChanges: the view kept in step with every change is what working it out
// from scratch gives, through nodes joining, leaving, draining and coming back, and
// allocations arriving before their node, moving and stopping.
func TestViewFollowsChanges(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	m := NewModel("global")
	ids := []string{"n0", "n1", "n2", "n3", "n4", "n5"}
	for step := range 3000 {
		id := ids[rng.IntN(len(ids))]
		switch op := rng.IntN(10); {
		case op < 2:
			n := gpuNode()
			n.ID = id
			n.NodeResources.Memory.MemoryMB = int64(1024 * (1 + rng.IntN(8)))
			if rng.IntN(4) == 0 {
				n.Drain = true
			}
			m.SetNode(n)
		case op < 3:
			m.DeleteNode(id)
		default:
			a := &Alloc{ID: fmt.Sprintf("a%d", rng.IntN(40)), Namespace: "default", JobID: fmt.Sprintf("j%d", rng.IntN(3)), NodeID: id,
				Res: pack.Resources{CPUMHz: int64(100 * rng.IntN(20)), MemoryMB: int64(256 * rng.IntN(8)), DiskMB: 300}}
			if rng.IntN(3) == 0 {
				a.GPUs = []string{"g0"}
			}
			m.SetAlloc(a, rng.IntN(4) == 0, uint64(step))
		}
		got := map[string]pack.Node{}
		for _, n := range m.Nodes(nil, nil, nil, nil) {
			got[n.ID] = n
		}
		want := map[string]pack.Node{}
		for _, id := range ids {
			n, ok := m.Node(id)
			if !ok || !n.Schedulable {
				continue
			}
			pn := n.Node
			pn.Used = m.Used(id)
			pn.UsedGPUs = knownGPUs(m.UsedGPUs(id), pn.GPUs)
			clampUse(&pn)
			want[id] = pn
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("step %d: view\n%+v\nworked out afresh\n%+v", step, got, want)
		}
		byJob := 0
		for j := range 3 {
			m.JobAllocs("default", fmt.Sprintf("j%d", j), func(*Alloc) { byJob++ })
		}
		all := 0
		m.Allocs(func(*Alloc) { all++ })
		if byJob != all {
			t.Fatalf("step %d: %d allocations by job, %d in all", step, byJob, all)
		}
	}
}
