package jobspecs_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dec2-cloud/dec2/e2e"
)

// The GPU instance as a provider runs it: in Docker, from an image. Nomad's docker driver gives
// a task holding NVIDIA GPUs the GPU runtime; the fake rig names runc for it, so the container
// starts here and sees the reserved GPU's UUID.
func TestGPUInstanceRunsInDocker(t *testing.T) {
	e2e.RequireIntegration(t)
	rig := gpuClient(t, "rig", 4000, 4096)
	rig.RawExec, rig.GPURuntime = false, "runc"
	region := e2e.StartRegion(t, e2e.Options{Clients: []e2e.Client{rig}})
	if out, err := region.Nomad(t, "job", "run", "-detach",
		"-var", "name=train",
		"-var", "image="+e2e.WorkloadImage(t),
		"-var", `args=["-print-env", "-http", ":8080"]`,
		"-var", "ports=[8080]",
		"-var", "cpu=200",
		"-var", "memory=64",
		"-var", "gpu_count=2",
		"jobspecs/instance.nomad.hcl"); err != nil {
		t.Fatalf("nomad job run: %v\n%s", err, out)
	}
	alloc := waitRunning(t, region, "train")
	task := alloc.AllocatedResources.Tasks["instance"]
	if task == nil || len(task.Devices) != 1 || len(task.Devices[0].DeviceIDs) != 2 {
		t.Fatalf("allocation %s reserves devices %+v, want both A100s", alloc.ID, task)
	}
	ids := slices.Sorted(slices.Values(task.Devices[0].DeviceIDs))
	if ids[0] != a100One || ids[1] != a100Two {
		t.Fatalf("reserved %v, want the two fake A100s", ids)
	}
	want := "NVIDIA_VISIBLE_DEVICES=" + a100One + "," + a100Two
	e2e.Poll(t, "the container's environment in its log", 30*time.Second, 500*time.Millisecond, func() (bool, error) {
		out, err := region.Nomad(t, "alloc", "logs", alloc.ID, "instance")
		return err == nil && slices.ContainsFunc(strings.Split(out, "\n"), func(l string) bool {
			// The plugin lists the UUIDs in its own order.
			return l == want || l == "NVIDIA_VISIBLE_DEVICES="+a100Two+","+a100One
		}), nil
	})
	containerOf(t, e2e.Docker(t), alloc.ID) // a container, not a process
	waitCheckPassing(t, region, alloc, "train")
}
