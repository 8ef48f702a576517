package instances_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/hashicorp/nomad/api"

	"github.com/dec2-cloud/dec2/instances"
	"github.com/dec2-cloud/dec2/pricing"
)

func ptr[T any](v T) *T { return &v }

// job is "web" at version 2, split by the allocator into two groups of 1 and 2 copies.
func job() *api.Job {
	return &api.Job{ID: ptr("web"), Version: ptr(uint64(2)), TaskGroups: []*api.TaskGroup{
		{Name: ptr("instance"), Count: ptr(1)}, {Name: ptr("instance#2"), Count: ptr(2)}}}
}

func stub(name string, version uint64, desired, client string) *api.AllocationListStub {
	return &api.AllocationListStub{ID: name + "-id", Name: name, NodeName: "p1", JobVersion: version, DesiredStatus: desired, ClientStatus: client}
}

func TestRunningPredicate(t *testing.T) {
	all := func() []*api.AllocationListStub {
		return []*api.AllocationListStub{
			stub("web.instance[0]", 2, "run", "running"),
			stub("web.instance#2[0]", 2, "run", "running"),
			stub("web.instance#2[1]", 2, "run", "running"),
			// A rolling update's old copy, and one being stopped: neither counts.
			stub("web.instance[0]-old", 1, "run", "failed"),
			stub("web.instance#2[9]", 2, "stop", "failed"),
		}
	}
	dep := func(version uint64, status string) *api.Deployment {
		return &api.Deployment{JobVersion: version, Status: status, StatusDescription: "why"}
	}
	for _, c := range []struct {
		name   string
		change func([]*api.AllocationListStub) []*api.AllocationListStub
		dep    *api.Deployment
		done   bool
		err    string
		msg    string
	}{
		{name: "all running, no deployment", done: true},
		{name: "all running, deployment successful", dep: dep(2, "successful"), done: true},
		{name: "all running, an older version's deployment failed", dep: dep(1, "failed"), done: true},
		{name: "all running, not yet healthy", dep: dep(2, "running"), msg: "web: 3/3 running, 0 starting, deployment running"},
		{name: "deployment failed", dep: dep(2, "failed"), err: "deployment of web version 2 failed: why"},
		{name: "one starting", change: func(a []*api.AllocationListStub) []*api.AllocationListStub {
			a[1].ClientStatus = "pending"
			return a
		}, dep: dep(2, "successful"), msg: "web: 2/3 running, 1 starting"},
		{name: "one missing", change: func(a []*api.AllocationListStub) []*api.AllocationListStub { return a[1:] }, msg: "web: 2/3 running, 0 starting"},
		{name: "one failed", change: func(a []*api.AllocationListStub) []*api.AllocationListStub {
			a[2].ClientStatus = "failed"
			a[2].TaskStates = map[string]*api.TaskState{"instance": {Events: []*api.TaskEvent{{Type: "Driver Failure", DisplayMessage: "no such image", Time: 1}}}}
			return a
		}, err: "instance web failed on node p1: Driver Failure: no such image"},
		{name: "one failed and replaced", change: func(a []*api.AllocationListStub) []*api.AllocationListStub {
			a[2].ClientStatus, a[2].NextAllocation = "failed", "next"
			return append(a, stub("web.instance#2[1]-next", 2, "run", "running"))
		}, dep: dep(2, "successful"), done: true},
	} {
		allocs := all()
		if c.change != nil {
			allocs = c.change(allocs)
		}
		st, err := instances.Running(job(), allocs, c.dep)
		switch {
		case c.err != "":
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%s: err = %v, want %q", c.name, err, c.err)
			}
		case err != nil:
			t.Errorf("%s: %v", c.name, err)
		case st.Done != c.done:
			t.Errorf("%s: done = %t, want %t (%s)", c.name, st.Done, c.done, st.Detail())
		case c.msg != "" && st.String() != c.msg:
			t.Errorf("%s: progress %q, want %q", c.name, st.String(), c.msg)
		}
	}
	var failed *instances.FailedError
	allocs := all()
	allocs[0].ClientStatus = "failed"
	if _, err := instances.Running(job(), allocs, nil); !errors.As(err, &failed) || failed.Why != "no task events" || failed.Alloc != allocs[0].ID {
		t.Errorf("a failed copy without events: %#v", err)
	}
	stopped := job()
	stopped.Stop = ptr(true)
	if _, err := instances.Running(stopped, all(), nil); err == nil || !strings.Contains(err.Error(), "stopped") {
		t.Errorf("a stopped job: err = %v", err)
	}
}

func TestPlacing(t *testing.T) {
	if st, err := instances.Placing("web", &api.Evaluation{Status: "pending"}); err != nil || st.String() != "placing web (evaluation pending)" {
		t.Errorf("pending evaluation: %q, %v", st.String(), err)
	}
	if st, err := instances.Placing("web", &api.Evaluation{Status: "complete"}); err != nil || st.Eval != "" {
		t.Errorf("complete evaluation: %+v, %v", st, err)
	}
	ev := &api.Evaluation{Status: "complete", BlockedEval: "b", FailedTGAllocs: map[string]*api.AllocationMetric{
		"instance": {DimensionExhausted: map[string]int{"memory": 2}, ConstraintFiltered: map[string]int{"${meta.dec2.wallet}": 1}}}}
	var u *instances.UnplaceableError
	_, err := instances.Placing("web", ev)
	if !errors.As(err, &u) || err.Error() != "no provider can take instance web: instance: 1 nodes filtered by ${meta.dec2.wallet}, memory exhausted on 2 nodes" {
		t.Errorf("blocked evaluation: %v", err)
	}
}

// The cost is the running copies' reservations at their own nodes' prices; a copy that cannot
// be priced is named, the rest still summed.
func TestCostPerHour(t *testing.T) {
	res := func(gpu string) *api.AllocatedResources {
		task := &api.AllocatedTaskResources{Cpu: api.AllocatedCpuResources{CpuShares: 2000}, Memory: api.AllocatedMemoryResources{MemoryMB: 2048}}
		if gpu != "" {
			task.Devices = []*api.AllocatedDeviceResource{{Vendor: "nvidia", Type: "gpu", Name: gpu, DeviceIDs: []string{"GPU-1"}}}
		}
		return &api.AllocatedResources{Tasks: map[string]*api.AllocatedTaskResources{"instance": task}, Shared: api.AllocatedSharedResources{DiskMB: 1024}}
	}
	prices := func(extra ...string) map[string]string {
		m := map[string]string{"dec2.price.cpu_ghz_hour": "0.02", "dec2.price.mem_gb_hour": "0.01", "dec2.price.disk_gb_hour": "0.001"}
		for i := 0; i < len(extra); i += 2 {
			m[extra[i]] = extra[i+1]
		}
		return m
	}
	in := instances.Instance{
		Job: job(),
		Allocs: []*api.AllocationListStub{
			{ID: "a", Name: "web.instance[0]", NodeID: "n1", NodeName: "cheap", DesiredStatus: "run", ClientStatus: "running"},
			{ID: "b", Name: "web.instance#2[0]", NodeID: "n2", NodeName: "rig", DesiredStatus: "run", ClientStatus: "running"},
			{ID: "c", Name: "web.instance#2[1]", NodeID: "n2", NodeName: "rig", DesiredStatus: "run", ClientStatus: "pending"},
			{ID: "d", Name: "web.instance[0]", NodeID: "n1", NodeName: "cheap", DesiredStatus: "stop", ClientStatus: "running"},
		},
		Full:  map[string]*api.Allocation{"a": {ID: "a", AllocatedResources: res("")}, "b": {ID: "b", AllocatedResources: res("A100-80GB")}, "c": {ID: "c", AllocatedResources: res("")}},
		Nodes: map[string]*api.Node{"n1": {ID: "n1", Meta: prices()}, "n2": {ID: "n2", Meta: prices("dec2.price.gpu_hour.A100-80GB", "1.5")}},
	}
	// a: 2 × 0.02 + 2 × 0.01 + 1 × 0.001 = 0.061; b: the same plus 1.5. c is starting, d stopping.
	cost, err := in.CostPerHour()
	if err != nil || pricing.FormatAmount(cost) != "1.622" {
		t.Fatalf("cost = %v, %v; want 1.622", cost, err)
	}
	if got := in.Running(); len(got) != 2 || got[0].ID != "b" || got[1].ID != "a" {
		t.Errorf("running = %v, want b, a (by allocation name)", got)
	}
	delete(in.Nodes["n2"].Meta, "dec2.price.gpu_hour.A100-80GB")
	cost, err = in.CostPerHour()
	if err == nil || !strings.Contains(err.Error(), "web.instance#2[0] on rig") || !strings.Contains(err.Error(), "A100-80GB") || pricing.FormatAmount(cost) != "0.061" {
		t.Errorf("an unpriced GPU: cost %v, err %v; want 0.061 and an error naming the allocation and the model", cost, err)
	}
}
