package jobspecs_test

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/nomad/api"

	"github.com/dec2-cloud/dec2/catalog"
	"github.com/dec2-cloud/dec2/conventions"
	"github.com/dec2-cloud/dec2/e2e"
	"github.com/dec2-cloud/dec2/instances"
)

// requiredVars are the variables a jobspec has no default for.
var requiredVars = map[string][]string{
	"billing":     {"escrow=0x5FbDB2315678afecb367f032d93F642f64180aa3"},
	"storagenode": {"node=rig", "capacity=1000000000"},
	"repair":      {"storage=http://127.0.0.1:4659"},
}

// Every jobspec in this directory is accepted by `nomad job validate` and, with its defaults,
// planned onto a region with room for it (fake GPUs included): `nomad job plan` exits 1 when
// it would create allocations, 255 on errors.
func TestEveryJobspecValidatesAndPlans(t *testing.T) {
	e2e.RequireIntegration(t)
	files, err := filepath.Glob("*.nomad.hcl")
	if err != nil || len(files) == 0 {
		t.Fatalf("listing jobspecs: %d found, err %v", len(files), err)
	}
	// The rig is dedicated to `default`, the tenant planning here: the batch frameworks share the
	// provider's network, which only a tenant's own providers allow.
	rig := gpuClient(t, "rig", 16000, 65536)
	rig.Meta = map[string]string{conventions.MetaDedicatedTenant: "default"}
	rig.HostVolumes = map[string]string{e2e.StorageVolume: t.TempDir()}
	region := e2e.StartRegion(t, e2e.Options{Clients: []e2e.Client{rig}})
	region.BindWallet(t, "default", e2e.TenantWallet)
	allocator := e2e.StartAllocator(t, region)
	for _, file := range files {
		name := strings.TrimSuffix(file, ".nomad.hcl")
		t.Run(name, func(t *testing.T) {
			var vars []string
			for _, v := range requiredVars[name] {
				vars = append(vars, "-var", v)
			}
			path := filepath.Join("jobspecs", file)
			if out, err := region.Nomad(t, slices.Concat([]string{"job", "validate"}, vars, []string{path})...); err != nil {
				t.Fatalf("nomad job validate: %v\n%s", err, out)
			}
			plan := slices.Concat([]string{"job", "plan"}, vars, []string{path})
			wantPlaced(t, "nomad job plan", region.Nomad, plan)
			// Consumers' jobs are packed: the allocator must take them as they are.
			if src, _ := os.ReadFile(file); packed.Match(src) {
				wantPlaced(t, "nomad job plan through the allocator", allocator.Nomad, plan)
			}
		})
	}
	// The CLI and the Terraform provider render the instance jobspecs with a catalogue type.
	for _, typ := range []string{"d2.small", "g1.a100x1"} {
		t.Run("instances.Job/"+typ, func(t *testing.T) {
			ty, err := catalog.Lookup(typ)
			if err != nil {
				t.Fatal(err)
			}
			job, err := instances.Job(region.API, instances.Spec{Name: "rent-" + strings.ReplaceAll(typ, ".", "-"), Type: typ, Image: "nginx:1.27-alpine", Ports: []int{80}})
			if err != nil {
				t.Fatalf("instances.Job: %v", err)
			}
			tg := job.TaskGroups[0]
			if len(tg.Services) != 1 || len(tg.Services[0].Checks) != 1 || tg.Services[0].PortLabel != "p80" {
				t.Errorf("services %+v, want one with a check on port p80", tg.Services)
			}
			devices := tg.Tasks[0].Resources.Devices
			if ty.GPUs == 0 && len(devices) != 0 {
				t.Errorf("a CPU type asks for devices %+v", devices)
			}
			if ty.GPUs > 0 {
				want := fmt.Sprintf("nvidia/gpu/%s count %d memory >= %d MiB", ty.GPUName, ty.GPUs, ty.GPUMemoryMiB)
				if len(devices) != 1 || len(devices[0].Constraints) != 1 ||
					fmt.Sprintf("%s count %d memory %s %s", devices[0].Name, *devices[0].Count, devices[0].Constraints[0].Operand, devices[0].Constraints[0].RTarget) != want {
					t.Errorf("devices %+v, want %s", devices, want)
				}
			}
			plan, _, err := region.API.Jobs().Plan(job, false, nil)
			if err != nil {
				t.Fatalf("planning %s: %v", *job.ID, err)
			}
			if len(plan.FailedTGAllocs) > 0 {
				t.Errorf("%s does not fit the rig: %+v", typ, plan.FailedTGAllocs["instance"])
			}
		})
	}
}

// packed finds a jobspec's dec2.pack meta (not a comment's).
var packed = regexp.MustCompile(`(?m)^\s*"dec2\.pack"\s*=\s*"true"`)

// wantPlaced runs a `nomad job plan` and wants it to exit 1 (allocations to create) with every
// task placed.
func wantPlaced(t *testing.T, what string, nomad func(e2e.TB, ...string) (string, error), args []string) {
	t.Helper()
	out, err := nomad(t, args...)
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 1 {
		t.Fatalf("%s: want exit code 1 (allocations to create), got %v\n%s", what, err, out)
	}
	if !strings.Contains(out, "All tasks successfully allocated") {
		t.Errorf("%s: not every task could be placed:\n%s", what, out)
	}
}

// gpuClient is a provider with two fake A100-80GB (the plugin's examples/a100x2.json) and
// raw_exec: Docker would run a task holding NVIDIA GPUs with the NVIDIA runtime this machine lacks.
func gpuClient(t *testing.T, name string, cpuMHz, memoryMB int) e2e.Client {
	t.Helper()
	return e2e.Client{Name: name, CPUMHz: cpuMHz, MemoryMB: memoryMB, RawExec: true}.WithFakeGPUs(t, "a100x2.json", nil)
}

const (
	a100One = "GPU-5a1c4a1e-3c6f-4f4e-9b1a-a100a100a001"
	a100Two = "GPU-5a1c4a1e-3c6f-4f4e-9b1a-a100a100a002"
)

// A GPU instance reserves a fake A100 that meets its memory floor and model, gets its UUID in
// NVIDIA_VISIBLE_DEVICES from the plugin, and passes its health check.
func TestGPUInstanceReservesAGPU(t *testing.T) {
	e2e.RequireIntegration(t)
	region := e2e.StartRegion(t, e2e.Options{Clients: []e2e.Client{gpuClient(t, "rig", 4000, 4096)}})
	workload := e2e.BuildBinary(t, "./e2e/workload")
	if out, err := region.Nomad(t, "job", "run", "-detach",
		"-var", "name=train",
		"-var", "driver=raw_exec",
		"-var", "image="+workload,
		"-var", `args=["-print-env", "-http", "127.0.0.1:$${NOMAD_HOST_PORT_p8080}"]`,
		"-var", "ports=[8080]",
		"-var", "cpu=200",
		"-var", "memory=64",
		"-var", "gpu_memory_mib=40960",
		"-var", "gpu_name=A100-80GB",
		"-var", "gpu_count=1",
		"jobspecs/instance.nomad.hcl"); err != nil {
		t.Fatalf("nomad job run: %v\n%s", err, out)
	}
	alloc := waitRunning(t, region, "train")

	task := alloc.AllocatedResources.Tasks["instance"]
	if task == nil || len(task.Devices) != 1 {
		t.Fatalf("allocation %s reserves devices %+v, want one device request", alloc.ID, task)
	}
	dev := task.Devices[0]
	if dev.Vendor != "nvidia" || dev.Type != "gpu" || dev.Name != "A100-80GB" || len(dev.DeviceIDs) != 1 {
		t.Fatalf("reserved %s/%s/%s %v, want one nvidia/gpu/A100-80GB", dev.Vendor, dev.Type, dev.Name, dev.DeviceIDs)
	}
	id := dev.DeviceIDs[0]
	if id != a100One && id != a100Two {
		t.Fatalf("reserved GPU %s is not one of the fake A100s", id)
	}
	e2e.Poll(t, "the task's environment in its log", 30*time.Second, 500*time.Millisecond, func() (bool, error) {
		out, err := region.Nomad(t, "alloc", "logs", alloc.ID, "instance")
		return err == nil && slices.Contains(strings.Split(out, "\n"), "NVIDIA_VISIBLE_DEVICES="+id), nil
	})
	waitCheckPassing(t, region, alloc, "train")
}

// waitCheckPassing waits for the allocation's service to be registered in Nomad at its first
// port's host address and for its TCP check to pass.
func waitCheckPassing(t *testing.T, region *e2e.Region, alloc *api.Allocation, service string) {
	t.Helper()
	var seen string
	defer func() {
		if t.Failed() {
			t.Logf("last seen: %s", seen)
		}
	}()
	e2e.Poll(t, "service "+service+" registered and its check passing", 60*time.Second, 500*time.Millisecond, func() (bool, error) {
		regs, _, err := region.API.Services().Get(service, nil)
		checks, cerr := region.API.Allocations().Checks(alloc.ID, nil)
		seen = fmt.Sprintf("registrations %+v (err %v), checks %+v (err %v)", regs, err, checks, cerr)
		registered := false
		for _, r := range regs {
			if r.AllocID != alloc.ID {
				continue
			}
			if port := alloc.AllocatedResources.Shared.Ports[0]; r.Address != port.HostIP || r.Port != port.Value {
				return false, fmt.Errorf("service %s registered at %s:%d, want the allocation's port %+v", service, r.Address, r.Port, port)
			}
			registered = true
		}
		passing := false
		for _, c := range checks {
			passing = passing || c.Service == service && c.Status == "success"
		}
		return registered && passing, nil
	})
}

// waitRunningGroup waits for an allocation of the job's group to run and returns it in full.
func waitRunningGroup(t *testing.T, region *e2e.Region, job, group string) *api.Allocation {
	t.Helper()
	var alloc *api.Allocation
	e2e.Poll(t, "group "+group+" of "+job+" to run", 2*time.Minute, 500*time.Millisecond, func() (bool, error) {
		allocs, _, err := region.API.Jobs().Allocations(job, false, nil)
		if err != nil {
			return false, nil
		}
		for _, a := range allocs {
			if a.TaskGroup == group && a.ClientStatus == api.AllocClientStatusRunning {
				alloc, _, err = region.API.Allocations().Info(a.ID, nil)
				return err == nil, nil
			}
		}
		return false, nil
	})
	return alloc
}

// waitComplete waits for the job's n allocations to complete; a failed one fails the test.
func waitComplete(t *testing.T, region *e2e.Region, job string, n int) []*api.AllocationListStub {
	t.Helper()
	var allocs []*api.AllocationListStub
	e2e.Poll(t, "the "+job+" allocations to complete", 2*time.Minute, 500*time.Millisecond, func() (bool, error) {
		var err error
		allocs, _, err = region.API.Jobs().Allocations(job, false, nil)
		if err != nil {
			return false, nil
		}
		complete := 0
		for _, a := range allocs {
			switch a.ClientStatus {
			case api.AllocClientStatusComplete:
				complete++
			case api.AllocClientStatusFailed, api.AllocClientStatusLost:
				return false, fmt.Errorf("allocation %s is %s: %+v", a.Name, a.ClientStatus, a.TaskStates)
			}
		}
		return len(allocs) == n && complete == n, nil
	})
	return allocs
}

// exitCode is the code of the task's last termination, -1 if it never terminated.
func exitCode(ts *api.TaskState) int {
	code := -1
	for _, ev := range ts.Events {
		if ev.Type == api.TaskTerminated {
			code = ev.ExitCode
		}
	}
	return code
}
