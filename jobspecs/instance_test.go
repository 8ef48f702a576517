package jobspecs_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/filters"
	"github.com/hashicorp/nomad/api"

	"github.com/dec2-cloud/dec2/e2e"
)

// A mixed fleet: laptop, desktop and server-sized providers.
var fleet = []e2e.Client{
	{Name: "laptop", CPUMHz: 2000, MemoryMB: 2048},
	{Name: "desktop", CPUMHz: 4000, MemoryMB: 8192},
	{Name: "server", CPUMHz: 8000, MemoryMB: 16384},
}

func TestInstanceRunsWithLimits(t *testing.T) {
	e2e.RequireIntegration(t)
	image := e2e.WorkloadImage(t)
	region := e2e.StartRegion(t, e2e.Options{Clients: fleet})
	docker := e2e.Docker(t)

	const cpu, memory, memHeld = 300, 128, 16
	out, err := region.Nomad(t, "job", "run", "-detach",
		"-var", "image="+image,
		"-var", fmt.Sprintf(`args=["-http", ":8080", "-mem", "%d"]`, memHeld),
		"-var", "ports=[8080]",
		"-var", "cpu="+strconv.Itoa(cpu),
		"-var", "memory="+strconv.Itoa(memory),
		"-var", "readonly_rootfs=true",
		"jobspecs/instance.nomad.hcl")
	if err != nil {
		t.Fatalf("nomad job run: %v", err)
	}
	t.Logf("nomad job run:\n%s", out)

	alloc := waitRunning(t, region, "instance")
	waitCheckPassing(t, region, alloc, "instance")
	job, _, err := region.API.Jobs().Info("instance", nil)
	if err != nil {
		t.Fatalf("reading the job: %v", err)
	}
	if job.Meta["dec2.pack"] != "true" {
		t.Errorf("job meta %v, want dec2.pack = true so that the allocator packs it", job.Meta)
	}
	ctr := containerOf(t, docker, alloc.ID)
	info, err := docker.ContainerInspect(context.Background(), ctr.ID)
	if err != nil {
		t.Fatalf("inspecting container %s: %v", ctr.ID, err)
	}
	if got, want := info.HostConfig.Memory, int64(memory)<<20; got != want {
		t.Errorf("container memory limit = %d bytes, want %d (%d MiB)", got, want, memory)
	}
	if got := info.HostConfig.CPUShares; got != cpu {
		t.Errorf("container cpu shares = %d, want %d", got, cpu)
	}
	if !info.HostConfig.ReadonlyRootfs {
		t.Error("container root filesystem is writable, want read-only (readonly_rootfs = true)")
	}
	if !slices.ContainsFunc(info.HostConfig.CapDrop, func(c string) bool { return strings.EqualFold(c, "all") }) {
		t.Errorf("container cap_drop = %v, want ALL", info.HostConfig.CapDrop)
	}
	// What the kernel enforces: only CAP_NET_BIND_SERVICE (bit 10) is left effective.
	if got := effectiveCaps(t, info.State.Pid); got != 1<<10 {
		t.Errorf("task's effective capabilities = %#x, want %#x (net_bind_service only)", got, 1<<10)
	}

	port := hostPort(t, alloc, "p8080")
	var status struct {
		MemMB int `json:"mem_mb"`
	}
	e2e.Poll(t, "the instance's HTTP port", 30*time.Second, 250*time.Millisecond, func() (bool, error) {
		resp, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d/", port))
		if err != nil {
			return false, nil
		}
		defer resp.Body.Close()
		return true, json.NewDecoder(resp.Body).Decode(&status)
	})
	if status.MemMB != memHeld {
		t.Errorf("workload reports %d MiB held, want %d", status.MemMB, memHeld)
	}

	if out, err := region.Nomad(t, "job", "stop", "-detach", "instance"); err != nil {
		t.Fatalf("nomad job stop: %v\n%s", err, out)
	}
	e2e.Poll(t, "the container to be removed after job stop", 2*time.Minute, 500*time.Millisecond, func() (bool, error) {
		_, err := docker.ContainerInspect(context.Background(), ctr.ID)
		return err != nil, nil
	})
}

// waitRunning waits for the job's first allocation to run and returns it in full.
func waitRunning(t *testing.T, region *e2e.Region, job string) *api.Allocation {
	t.Helper()
	var id string
	e2e.Poll(t, "job "+job+" to run", 3*time.Minute, 500*time.Millisecond, func() (bool, error) {
		allocs, _, err := region.API.Jobs().Allocations(job, false, nil)
		if err != nil {
			return false, nil
		}
		for _, a := range allocs {
			switch a.ClientStatus {
			case api.AllocClientStatusRunning:
				id = a.ID
				return true, nil
			case api.AllocClientStatusFailed:
				return false, fmt.Errorf("allocation %s failed: %+v\n%s", a.ID, a.TaskStates, region.Logs(30))
			}
		}
		return false, nil
	})
	alloc, _, err := region.API.Allocations().Info(id, nil)
	if err != nil {
		t.Fatalf("reading allocation %s: %v", id, err)
	}
	return alloc
}

func containerOf(t *testing.T, docker interface {
	ContainerList(context.Context, container.ListOptions) ([]container.Summary, error)
}, allocID string) container.Summary {
	t.Helper()
	list, err := docker.ContainerList(context.Background(), container.ListOptions{
		Filters: filters.NewArgs(filters.Arg("label", "com.hashicorp.nomad.alloc_id="+allocID)),
	})
	if err != nil || len(list) != 1 {
		t.Fatalf("finding the container of allocation %s: %d found, err %v", allocID, len(list), err)
	}
	return list[0]
}

func hostPort(t *testing.T, alloc *api.Allocation, label string) int {
	t.Helper()
	for _, p := range alloc.AllocatedResources.Shared.Ports {
		if p.Label == label {
			return p.Value
		}
	}
	t.Fatalf("allocation %s has no port %q", alloc.ID, label)
	return 0
}

func effectiveCaps(t *testing.T, pid int) uint64 {
	t.Helper()
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatalf("reading the task's status: %v", err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "CapEff:"); ok {
			caps, err := strconv.ParseUint(strings.TrimSpace(v), 16, 64)
			if err != nil {
				t.Fatalf("parsing CapEff %q: %v", v, err)
			}
			return caps
		}
	}
	t.Fatalf("no CapEff in /proc/%d/status", pid)
	return 0
}
