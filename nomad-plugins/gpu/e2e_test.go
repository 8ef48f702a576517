package gpu_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/nomad/api"

	"github.com/dec2-cloud/dec2/e2e"
	"github.com/dec2-cloud/dec2/nomad-plugins/gpu"
)

// gpuJob asks for NVIDIA GPUs exactly as a consumer's job does, on raw_exec: Docker would need
// the NVIDIA container runtime for a task with NVIDIA_VISIBLE_DEVICES, which no GPU-less test
// machine has. The task prints its environment and stays up.
const gpuJob = `
job %q {
  datacenters = ["*"]
  group "g" {
    task "gpu" {
      driver = "raw_exec"
      config {
        command = %q
        args    = ["-print-env"]
      }
      resources {
        cpu    = 50
        memory = 32
        device "nvidia/gpu" {
          count = %d
          constraint {
            attribute = "${device.attr.memory}"
            operator  = ">="
            value     = "40 GiB"
          }
        }
      }
    }
  }
}`

const (
	a100One = "GPU-5a1c4a1e-3c6f-4f4e-9b1a-a100a100a001"
	a100Two = "GPU-5a1c4a1e-3c6f-4f4e-9b1a-a100a100a002"
)

func TestNomadSchedulesFakeGPUs(t *testing.T) {
	e2e.RequireIntegration(t)
	root := e2e.RepoRoot()
	pluginDir := t.TempDir()
	if err := os.Symlink(e2e.BuildBinary(t, "./nomad-plugins/gpu/cmd/dec2-gpu"), filepath.Join(pluginDir, gpu.Name)); err != nil {
		t.Fatal(err)
	}
	workload := e2e.BuildBinary(t, "./e2e/workload")

	files := t.TempDir()
	copyFile := func(example string) string {
		data, err := os.ReadFile(filepath.Join(root, "nomad-plugins/gpu/examples", example))
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(files, example)
		writeFile(t, path, string(data))
		return path
	}
	a100File, rtxFile := copyFile("a100x2.json"), copyFile("rtx4090.json")
	pluginHCL := func(file string) string {
		cfg := gpu.DefaultConfig()
		cfg.Backends, cfg.FakeDevicesFile = []string{gpu.BackendFake}, file
		cfg.FingerprintPeriod, cfg.HealthRecovery = "1s", "0s"
		return cfg.AgentHCL()
	}
	r := e2e.StartRegion(t, e2e.Options{Clients: []e2e.Client{
		{Name: "a100", PluginDir: pluginDir, PluginHCL: pluginHCL(a100File), RawExec: true},
		{Name: "rtx", PluginDir: pluginDir, PluginHCL: pluginHCL(rtxFile), RawExec: true},
	}})
	a100Node, rtxNode := r.NodeID(t, "a100"), r.NodeID(t, "rtx")

	// The node API shows each node's GPUs with their attributes.
	devicesOf := func(nodeID string) map[string]*api.NodeDeviceResource {
		n, _, err := r.API.Nodes().Info(nodeID, nil)
		if err != nil || n.NodeResources == nil {
			return nil
		}
		out := map[string]*api.NodeDeviceResource{}
		for _, d := range n.NodeResources.Devices {
			out[d.Vendor+"/"+d.Type+"/"+d.Name] = d
		}
		return out
	}
	e2e.Poll(t, "both nodes to fingerprint their GPUs", 60*time.Second, 500*time.Millisecond, func() (bool, error) {
		return devicesOf(a100Node)["nvidia/gpu/A100-80GB"] != nil && devicesOf(rtxNode)["nvidia/gpu/GeForce-RTX-4090"] != nil, nil
	})
	a100 := devicesOf(a100Node)["nvidia/gpu/A100-80GB"]
	if len(a100.Instances) != 2 || !a100.Instances[0].Healthy || a100.Instances[0].Locality == nil {
		t.Fatalf("A100 instances %+v", a100.Instances)
	}
	if m := a100.Attributes["memory"]; m == nil || m.IntVal == nil || *m.IntVal != 81920 || m.Unit != "MiB" {
		t.Errorf("A100 memory attribute %+v", m)
	}
	for name, want := range map[string]string{"compute_capability": "8.0", "driver_version": "550.54.15", "dec2_model": "A100-80GB"} {
		if a := a100.Attributes[name]; a == nil || a.StringVal == nil || *a.StringVal != want {
			t.Errorf("A100 attribute %s = %+v, want %s", name, a, want)
		}
	}

	// Stats flow from the plugin to the node's stats.
	e2e.Poll(t, "GPU stats on the A100 node", 60*time.Second, time.Second, func() (bool, error) {
		st, err := r.API.Nodes().Stats(a100Node, nil)
		if err != nil {
			return false, nil
		}
		for _, g := range st.DeviceStats {
			if s := g.InstanceStats[a100One]; s != nil && s.Summary != nil && s.Summary.FloatDenominatorVal != nil && *s.Summary.FloatDenominatorVal == 81920 {
				return true, nil
			}
		}
		return false, nil
	})

	run := func(id string, count int) {
		t.Helper()
		job, err := r.API.Jobs().ParseHCL(fmt.Sprintf(gpuJob, id, workload, count), true)
		if err != nil {
			t.Fatalf("parsing job %s: %v", id, err)
		}
		if _, _, err := r.API.Jobs().Register(job, nil); err != nil {
			t.Fatalf("registering job %s: %v", id, err)
		}
	}
	running := func(jobID string) *api.Allocation {
		t.Helper()
		var alloc *api.Allocation
		e2e.Poll(t, jobID+" to run", 90*time.Second, 500*time.Millisecond, func() (bool, error) {
			allocs, _, err := r.API.Jobs().Allocations(jobID, false, nil)
			if err != nil {
				return false, nil
			}
			for _, a := range allocs {
				if a.ClientStatus == api.AllocClientStatusRunning {
					alloc, _, err = r.API.Allocations().Info(a.ID, nil)
					return err == nil, nil
				}
			}
			return false, nil
		})
		return alloc
	}
	// blocked waits for the job's placement failure and returns Nomad's metrics for it.
	blocked := func(jobID string) *api.AllocationMetric {
		t.Helper()
		var metric *api.AllocationMetric
		e2e.Poll(t, jobID+" to fail placement", 60*time.Second, 500*time.Millisecond, func() (bool, error) {
			evals, _, err := r.API.Jobs().Evaluations(jobID, nil)
			if err != nil {
				return false, nil
			}
			for _, ev := range evals {
				if m := ev.FailedTGAllocs["g"]; m != nil {
					metric = m
					return true, nil
				}
			}
			return false, nil
		})
		allocs, _, _ := r.API.Jobs().Allocations(jobID, false, nil)
		if len(allocs) != 0 {
			t.Fatalf("%s: want no allocation, got %d", jobID, len(allocs))
		}
		return metric
	}

	// ≥ 40 GiB: only the A100 node qualifies, and the task sees the GPU it was given.
	run("big-gpu", 1)
	alloc := running("big-gpu")
	if alloc.NodeID != a100Node {
		t.Fatalf("big-gpu landed on node %s, want the A100 node %s", alloc.NodeName, a100Node)
	}
	got := alloc.AllocatedResources.Tasks["gpu"].Devices
	if len(got) != 1 || got[0].Name != "A100-80GB" || len(got[0].DeviceIDs) != 1 {
		t.Fatalf("allocated devices %+v", got)
	}
	taken := got[0].DeviceIDs[0]
	e2e.Poll(t, "the task to print NVIDIA_VISIBLE_DEVICES", 30*time.Second, 500*time.Millisecond, func() (bool, error) {
		out, err := r.Nomad(t, "alloc", "logs", alloc.ID, "gpu")
		return err == nil && strings.Contains(out, "NVIDIA_VISIBLE_DEVICES="+taken+"\n"), nil
	})

	// The other A100 turns unhealthy: Nomad stops placing on it...
	free := a100One
	if taken == a100One {
		free = a100Two
	}
	healthy := readFile(t, a100File)
	faulty := strings.Replace(healthy, `"id": "`+free+`",`, `"id": "`+free+`", "faults": ["Xid 79: GPU has fallen off the bus"],`, 1)
	if faulty == healthy {
		t.Fatal("could not mark the free A100 faulty in the fake file")
	}
	writeFile(t, a100File, faulty)
	e2e.Poll(t, "Nomad to see the A100 unhealthy", 60*time.Second, 500*time.Millisecond, func() (bool, error) {
		for _, inst := range devicesOf(a100Node)["nvidia/gpu/A100-80GB"].Instances {
			if inst.ID == free {
				return !inst.Healthy && strings.Contains(inst.HealthDescription, "Xid 79"), nil
			}
		}
		return false, nil
	})
	run("second-gpu", 1)
	m := blocked("second-gpu")
	// The A100 node runs out of usable devices (its healthy one is taken), the RTX node lacks
	// a ≥ 40 GiB GPU.
	if m.DimensionExhausted["devices: no devices match request"] != 1 || m.ConstraintFiltered["missing devices"] != 1 {
		t.Errorf("second-gpu: exhausted %v, constraint filtered %v", m.DimensionExhausted, m.ConstraintFiltered)
	}

	// ...and places again once it recovers.
	writeFile(t, a100File, healthy)
	second := running("second-gpu")
	if second.NodeID != a100Node || second.AllocatedResources.Tasks["gpu"].Devices[0].DeviceIDs[0] != free {
		t.Errorf("second-gpu on %s with %+v, want the recovered %s", second.NodeName, second.AllocatedResources.Tasks["gpu"].Devices, free)
	}

	// More GPUs than any node has: pending, with Nomad's own reason.
	run("three-gpus", 3)
	m = blocked("three-gpus")
	if m.ConstraintFiltered["missing devices"] != 2 {
		t.Errorf("three-gpus: constraint filtered %v, want both nodes filtered for missing devices", m.ConstraintFiltered)
	}
	status, err := r.Nomad(t, "job", "status", "three-gpus")
	if err != nil || !strings.Contains(status, `Constraint "missing devices": 2 nodes excluded by filter`) {
		t.Errorf("nomad job status three-gpus (%v):\n%s", err, status)
	}
	if job, _, err := r.API.Jobs().Info("three-gpus", nil); err != nil || *job.Status != "pending" {
		t.Errorf("three-gpus status: %v, %v", job.Status, err)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
