package provider

import (
	"context"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/nomad/api"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/dec2-cloud/dec2/instances"
)

func alloc(name, node string, cpu, mem, disk int64, port int, gpus map[string]int) *api.Allocation {
	task := &api.AllocatedTaskResources{Cpu: api.AllocatedCpuResources{CpuShares: cpu}, Memory: api.AllocatedMemoryResources{MemoryMB: mem}}
	for model, n := range gpus {
		ids := make([]string, n)
		task.Devices = append(task.Devices, &api.AllocatedDeviceResource{Vendor: "nvidia", Type: "gpu", Name: model, DeviceIDs: ids})
	}
	return &api.Allocation{ID: name + "-id", Name: name, NodeID: node + "-id", NodeName: node, AllocatedResources: &api.AllocatedResources{
		Tasks:  map[string]*api.AllocatedTaskResources{"instance": task},
		Shared: api.AllocatedSharedResources{DiskMB: disk, Ports: []api.PortMapping{{Label: "p8080", Value: port, To: 8080, HostIP: "10.0.0.7"}}},
	}}
}

// running is an instance whose allocations all run, on nodes with the given dec2.price.* meta.
func running(allocs []*api.Allocation, prices map[string]map[string]string) instances.Instance {
	in := instances.Instance{Job: &api.Job{ID: ptr("web")}, Full: map[string]*api.Allocation{}, Nodes: map[string]*api.Node{}}
	for _, a := range allocs {
		in.Allocs = append(in.Allocs, &api.AllocationListStub{ID: a.ID, Name: a.Name, NodeID: a.NodeID, NodeName: a.NodeName,
			DesiredStatus: "run", ClientStatus: "running"})
		in.Full[a.ID] = a
		in.Nodes[a.NodeID] = &api.Node{ID: a.NodeID, Name: a.NodeName, Meta: prices[a.NodeID]}
	}
	return in
}

// Each instance is priced at its own node's prices, as dec2-billing streams it.
func TestObservePricesEachInstanceAtItsNode(t *testing.T) {
	prices := map[string]map[string]string{
		"cheap-id": {"dec2.price.cpu_ghz_hour": "0.01", "dec2.price.mem_gb_hour": "0.01", "dec2.price.disk_gb_hour": "0"},
		"rig-id": {"dec2.price.cpu_ghz_hour": "0.02", "dec2.price.mem_gb_hour": "0.02", "dec2.price.disk_gb_hour": "0.001",
			"dec2.price.gpu_hour.A100-80GB": "1.5"},
	}
	allocs := []*api.Allocation{
		alloc("web.instance#2[0]", "rig", 2000, 2048, 1024, 21001, map[string]int{"A100-80GB": 2}),
		alloc("web.instance[0]", "cheap", 1000, 1024, 1024, 21000, nil),
	}
	o, err := observe(running(allocs, prices), []int{8080})
	if err != nil {
		t.Fatal(err)
	}
	// cheap: 1 GHz × 0.01 + 1 GiB × 0.01 = 0.02; rig: 2 × 0.02 + 2 × 0.02 + 1 × 0.001 + 2 × 1.5 = 3.081.
	if o.CostPerHour != "3.101" {
		t.Errorf("cost per hour = %s, want 3.101", o.CostPerHour)
	}
	// In allocation-name order: "web.instance#2[0]" < "web.instance[0]".
	if !slices.Equal(o.Nodes, []string{"rig", "cheap"}) || !slices.Equal(o.Addresses, []string{"10.0.0.7:21001", "10.0.0.7:21000"}) {
		t.Errorf("nodes %v, addresses %v", o.Nodes, o.Addresses)
	}
	if o, _ := observe(running(allocs, prices), nil); len(o.Addresses) != 0 {
		t.Errorf("addresses without ports = %v, want none", o.Addresses)
	}
	delete(prices["rig-id"], "dec2.price.gpu_hour.A100-80GB")
	if _, err := observe(running(allocs, prices), nil); err == nil || !strings.Contains(err.Error(), "A100-80GB") {
		t.Errorf("a GPU without a price: err = %v, want one naming A100-80GB", err)
	}
}

func ptr[T any](v T) *T { return &v }

func instanceJob(groups map[string]int, cpu, mem, disk int, device *api.RequestedDevice) *api.Job {
	job := &api.Job{ID: ptr("web"), Datacenters: []string{"*"}, Meta: map[string]string{"dec2.wallet": "0xabc"}}
	for _, name := range slices.Sorted(maps.Keys(groups)) {
		task := &api.Task{Name: "instance", Config: map[string]any{"image": "img:1", "args": []any{"-http", ":8080"}},
			Resources: &api.Resources{CPU: ptr(cpu), MemoryMB: ptr(mem)}}
		if device != nil {
			task.Resources.Devices = []*api.RequestedDevice{device}
		}
		job.TaskGroups = append(job.TaskGroups, &api.TaskGroup{Name: ptr(name), Count: ptr(groups[name]),
			Networks:      []*api.NetworkResource{{DynamicPorts: []api.Port{{Label: "p8080", To: 8080}, {Label: "p9090", To: 9090}}}},
			EphemeralDisk: &api.EphemeralDisk{SizeMB: ptr(disk)}, Tasks: []*api.Task{task}})
	}
	return job
}

// A job the allocator split into parts reads back as one rental: counts summed, the type found
// from the reservation, the GPU memory floor kept only where it differs from the type's.
func TestSpecFromJobReadsTheRentalBack(t *testing.T) {
	s, err := specFromJob(instanceJob(map[string]int{"instance": 2, "instance#2": 1}, 500, 256, 1024, nil), "")
	if err != nil {
		t.Fatal(err)
	}
	if s.Name != "web" || s.Type != "d2.nano" || s.Count != 3 || s.Image != "img:1" || s.Wallet != "0xabc" ||
		!slices.Equal(s.Args, []string{"-http", ":8080"}) || !slices.Equal(s.Ports, []int{8080, 9090}) {
		t.Errorf("spec = %+v", s)
	}
	gpu := &api.RequestedDevice{Name: "nvidia/gpu/A100-80GB", Count: ptr(uint64(1)),
		Constraints: []*api.Constraint{{LTarget: "${device.attr.memory}", Operand: ">=", RTarget: "40960 MiB"}}}
	s, err = specFromJob(instanceJob(map[string]int{"instance": 1}, 8000, 32768, 131072, gpu), "")
	if err != nil {
		t.Fatal(err)
	}
	if s.Type != "g1.a100x1" || s.GPUMemoryMiB != 40960 {
		t.Errorf("GPU spec: type %s, gpu memory %d; want g1.a100x1 and 40960", s.Type, s.GPUMemoryMiB)
	}
	gpu.Constraints[0].RTarget = "81920 MiB" // the type's own floor
	if s, _ = specFromJob(instanceJob(map[string]int{"instance": 1}, 8000, 32768, 131072, gpu), ""); s.GPUMemoryMiB != 0 {
		t.Errorf("gpu memory at the type's floor = %d, want 0", s.GPUMemoryMiB)
	}
	if _, err := specFromJob(instanceJob(map[string]int{"instance": 1}, 123, 256, 1024, nil), ""); err == nil || !strings.Contains(err.Error(), "no instance type matches") {
		t.Errorf("odd reservation: err = %v, want no instance type matches", err)
	}
}

// The hint wins among types with the same reservation; a stale hint does not.
func TestReservationMatchPrefersTheHint(t *testing.T) {
	r := reservation{cpu: 500, mem: 256, disk: 1024}
	if got, ok := r.match("d2.small"); !ok || got.Name != "d2.nano" {
		t.Errorf("match with a stale hint = %s, %t; want d2.nano", got.Name, ok)
	}
	if got, ok := r.match("d2.nano"); !ok || got.Name != "d2.nano" {
		t.Errorf("match with the right hint = %s, %t", got.Name, ok)
	}
}

// Diagnostics carry the attribute's path, down to the list element at fault.
func TestValidatorsNameTheAttribute(t *testing.T) {
	ctx := context.Background()
	var sr validator.StringResponse
	instanceTypeValidator{}.ValidateString(ctx, validator.StringRequest{Path: path.Root("type"), ConfigValue: types.StringValue("t2.micro")}, &sr)
	if !sr.Diagnostics.HasError() || !sr.Diagnostics[0].(interface{ Path() path.Path }).Path().Equal(path.Root("type")) ||
		!strings.Contains(sr.Diagnostics[0].Detail(), "d2.nano") {
		t.Errorf("unknown type: %v", sr.Diagnostics)
	}
	ports := types.ListValueMust(types.Int64Type, []attr.Value{types.Int64Value(80), types.Int64Value(70000), types.Int64Value(80)})
	var lr validator.ListResponse
	portsValidator{}.ValidateList(ctx, validator.ListRequest{Path: path.Root("ports"), ConfigValue: ports}, &lr)
	if len(lr.Diagnostics) != 2 {
		t.Fatalf("ports [80 70000 80]: %v, want two errors", lr.Diagnostics)
	}
	for i, want := range []path.Path{path.Root("ports").AtListIndex(1), path.Root("ports").AtListIndex(2)} {
		if got := lr.Diagnostics[i].(interface{ Path() path.Path }).Path(); !got.Equal(want) {
			t.Errorf("diagnostic %d at %s, want %s", i, got, want)
		}
	}
	for _, c := range []struct {
		v  validator.String
		in string
		ok bool
	}{
		{amountValidator{positive: true}, "0", false},
		{amountValidator{}, "0", true},
		{amountValidator{}, "1e3", false},
		{durationValidator{}, "90s", true},
		{durationValidator{}, "-1m", false},
		{optionalAddress{}, "", true},
		{optionalAddress{}, "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", true},
		{addressValidator{}, "70997970C51812dc3A010C7d01b50e0d17dc79C8", false},
		{nodeIDValidator, "8d2b4a2e-5c3f-4a6e-9b1d-0f2e3d4c5b6a", true},
		{nodeIDValidator, "rig", false},
		{jobNameValidator, "web-1", true},
	} {
		var resp validator.StringResponse
		c.v.ValidateString(ctx, validator.StringRequest{Path: path.Root("x"), ConfigValue: types.StringValue(c.in)}, &resp)
		if resp.Diagnostics.HasError() == c.ok {
			t.Errorf("%T(%q): errors %v, want ok=%t", c.v, c.in, resp.Diagnostics, c.ok)
		}
	}
}
