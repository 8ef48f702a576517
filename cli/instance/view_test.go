package instance

import (
	"testing"

	"github.com/hashicorp/nomad/api"

	"github.com/dec2-cloud/dec2/catalog"
	"github.com/dec2-cloud/dec2/cli/golden"
	"github.com/dec2-cloud/dec2/cli/output"
)

func ptr[T any](v T) *T { return &v }

// fixture is a two-copy instance: one running on a priced node, one starting on a node whose
// GPU has no price.
func fixture() (*api.Job, []*api.AllocationListStub, map[string]*api.Allocation, map[string]*api.Node) {
	job := &api.Job{ID: ptr("web"), Status: ptr("running"), Meta: map[string]string{"dec2.wallet": "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"},
		TaskGroups: []*api.TaskGroup{{Tasks: []*api.Task{{Config: map[string]any{"image": "nginx:1.27-alpine"}}}}}}
	stubs := []*api.AllocationListStub{
		{ID: "b2c3d4e5-0000-0000-0000-000000000002", NodeID: "n2", NodeName: "rig", ClientStatus: "pending", DesiredStatus: "run"},
		{ID: "a1b2c3d4-0000-0000-0000-000000000001", NodeID: "n1", NodeName: "laptop", ClientStatus: "running", DesiredStatus: "run"},
		{ID: "c3d4e5f6-0000-0000-0000-000000000003", NodeID: "n1", NodeName: "laptop", ClientStatus: "complete", DesiredStatus: "stop"},
	}
	res := func(port int, gpus []*api.AllocatedDeviceResource) *api.AllocatedResources {
		return &api.AllocatedResources{
			Tasks: map[string]*api.AllocatedTaskResources{"instance": {
				Cpu: api.AllocatedCpuResources{CpuShares: 2000}, Memory: api.AllocatedMemoryResources{MemoryMB: 2048}, Devices: gpus}},
			Shared: api.AllocatedSharedResources{DiskMB: 8192, Ports: []api.PortMapping{{Label: "p80", Value: port, To: 80, HostIP: "10.0.0.7"}}},
		}
	}
	full := map[string]*api.Allocation{
		stubs[0].ID: {ID: stubs[0].ID, AllocatedResources: res(23001, []*api.AllocatedDeviceResource{{Vendor: "nvidia", Type: "gpu", Name: "H100", DeviceIDs: []string{"GPU-1"}}})},
		stubs[1].ID: {ID: stubs[1].ID, AllocatedResources: res(21345, nil)},
	}
	prices := map[string]string{"dec2.wallet": "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc", "dec2.price.cpu_ghz_hour": "0.02", "dec2.price.mem_gb_hour": "0.005", "dec2.price.disk_gb_hour": "0.0001"}
	nodes := map[string]*api.Node{"n1": {ID: "n1", Meta: prices}, "n2": {ID: "n2", Meta: prices}}
	return job, stubs, full, nodes
}

func TestViewsGolden(t *testing.T) {
	in := Build(fixture())
	// 2 GHz × 0.02 + 2 GiB × 0.005 + 8 GiB × 0.0001 on the running copy only.
	if in.CostPerHour != "0.0508" {
		t.Errorf("cost per hour = %s, want 0.0508", in.CostPerHour)
	}
	if len(in.Placements) != 2 || in.Placements[1].PriceError == "" {
		t.Errorf("want the stopped copy left out and the unpriced GPU reported: %+v", in.Placements)
	}
	views := map[string]output.Tabular{
		"instance": in,
		"list":     List{{Name: "web", Status: "running", Running: 1, Desired: 2, Wallet: "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"}},
		"types":    Types(catalog.Types()[:3]),
	}
	golden.CheckViews(t, views)
}

func TestBuildWithNothingRunning(t *testing.T) {
	job, stubs, full, nodes := fixture()
	in := Build(job, stubs[2:], full, nodes)
	if len(in.Placements) != 1 || in.CostPerHour != "0" {
		t.Errorf("a stopped instance shows its last allocation at no cost: %+v", in)
	}
}
