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
	"github.com/dec2-cloud/dec2/nomad-plugins/gpu/gpuconfig"
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
        device %q {
          count = %d
          constraint {
            attribute = "${device.attr.memory}"
            operator  = ">="
            value     = %q
          }
        }
      }
    }
  }
}`

const (
	a100One = "GPU-5a1c4a1e-3c6f-4f4e-9b1a-a100a100a001"
	a100Two = "GPU-5a1c4a1e-3c6f-4f4e-9b1a-a100a100a002"
	rtxCard = "GPU-9e0b2f7c-1d2e-4a5b-8c6d-409040904090"
)

// fleet is a region whose clients load dec2-gpu from plugin_dir with fake GPUs, and the jobs
// a test runs on it.
type fleet struct {
	t        *testing.T
	r        *e2e.Region
	workload string
	files    map[string]string // client name -> its fake-devices file
}

// provider is a client with a copy of one of the example fake-devices files.
type provider struct {
	name, example string
	shares        int
}

func startFleet(t *testing.T, providers ...provider) *fleet {
	t.Helper()
	e2e.RequireIntegration(t)
	f := &fleet{t: t, workload: e2e.BuildBinary(t, "./e2e/workload"), files: map[string]string{}}
	dir := t.TempDir()
	var clients []e2e.Client
	for _, p := range providers {
		data, err := os.ReadFile(filepath.Join(e2e.RepoRoot(), "nomad-plugins/gpu/examples", p.example))
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, p.name+".json")
		writeFile(t, path, string(data))
		f.files[p.name] = path
		clients = append(clients, e2e.Client{Name: p.name, RawExec: true}.WithFakeGPUs(t, path, func(c *gpuconfig.Config) {
			c.SharesPerGPU, c.FingerprintPeriod, c.HealthRecovery = max(p.shares, 1), "1s", "0s"
		}))
	}
	f.r = e2e.StartRegion(t, e2e.Options{Clients: clients})
	return f
}

// devices are a node's device groups by vendor/type/name.
func (f *fleet) devices(nodeID string) map[string]*api.NodeDeviceResource {
	n, _, err := f.r.API.Nodes().Info(nodeID, nil)
	if err != nil || n.NodeResources == nil {
		return nil
	}
	out := map[string]*api.NodeDeviceResource{}
	for _, d := range n.NodeResources.Devices {
		out[d.Vendor+"/"+d.Type+"/"+d.Name] = d
	}
	return out
}

func (f *fleet) run(id, device string, count int, minMemory string) {
	f.t.Helper()
	job, err := f.r.API.Jobs().ParseHCL(fmt.Sprintf(gpuJob, id, f.workload, device, count, minMemory), true)
	if err != nil {
		f.t.Fatalf("parsing job %s: %v", id, err)
	}
	if _, _, err := f.r.API.Jobs().Register(job, nil); err != nil {
		f.t.Fatalf("registering job %s: %v", id, err)
	}
}

func (f *fleet) running(jobID string) *api.Allocation {
	f.t.Helper()
	var alloc *api.Allocation
	e2e.Poll(f.t, jobID+" to run", 90*time.Second, 500*time.Millisecond, func() (bool, error) {
		allocs, _, err := f.r.API.Jobs().Allocations(jobID, false, nil)
		if err != nil {
			return false, nil
		}
		for _, a := range allocs {
			if a.ClientStatus == api.AllocClientStatusRunning {
				alloc, _, err = f.r.API.Allocations().Info(a.ID, nil)
				return err == nil, nil
			}
		}
		return false, nil
	})
	return alloc
}

// blocked waits for the job's placement failure and returns Nomad's metrics for it.
func (f *fleet) blocked(jobID string) *api.AllocationMetric {
	f.t.Helper()
	var metric *api.AllocationMetric
	e2e.Poll(f.t, jobID+" to fail placement", 60*time.Second, 500*time.Millisecond, func() (bool, error) {
		evals, _, err := f.r.API.Jobs().Evaluations(jobID, nil)
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
	if allocs, _, _ := f.r.API.Jobs().Allocations(jobID, false, nil); len(allocs) != 0 {
		f.t.Fatalf("%s: want no allocation, got %d", jobID, len(allocs))
	}
	return metric
}

// sees waits until the task of alloc printed NVIDIA_VISIBLE_DEVICES=want.
func (f *fleet) sees(alloc *api.Allocation, want string) {
	f.t.Helper()
	e2e.Poll(f.t, alloc.JobID+"'s task to print NVIDIA_VISIBLE_DEVICES="+want, 30*time.Second, 500*time.Millisecond, func() (bool, error) {
		out, err := f.r.Nomad(f.t, "alloc", "logs", alloc.ID, "gpu")
		return err == nil && strings.Contains(out, "NVIDIA_VISIBLE_DEVICES="+want+"\n"), nil
	})
}

func TestNomadSchedulesFakeGPUs(t *testing.T) {
	f := startFleet(t, provider{name: "a100", example: "a100x2.json"}, provider{name: "rtx", example: "rtx4090.json"})
	r, a100File := f.r, f.files["a100"]
	a100Node, rtxNode := r.NodeID(t, "a100"), r.NodeID(t, "rtx")

	// The node API shows each node's GPUs with their attributes.
	e2e.Poll(t, "both nodes to fingerprint their GPUs", 60*time.Second, 500*time.Millisecond, func() (bool, error) {
		return f.devices(a100Node)["nvidia/gpu/A100-80GB"] != nil && f.devices(rtxNode)["nvidia/gpu/GeForce-RTX-4090"] != nil, nil
	})
	a100 := f.devices(a100Node)["nvidia/gpu/A100-80GB"]
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

	// ≥ 40 GiB: only the A100 node qualifies, and the task sees the GPU it was given.
	f.run("big-gpu", "nvidia/gpu", 1, "40 GiB")
	alloc := f.running("big-gpu")
	if alloc.NodeID != a100Node {
		t.Fatalf("big-gpu landed on node %s, want the A100 node %s", alloc.NodeName, a100Node)
	}
	got := alloc.AllocatedResources.Tasks["gpu"].Devices
	if len(got) != 1 || got[0].Name != "A100-80GB" || len(got[0].DeviceIDs) != 1 {
		t.Fatalf("allocated devices %+v", got)
	}
	taken := got[0].DeviceIDs[0]
	f.sees(alloc, taken)

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
		for _, inst := range f.devices(a100Node)["nvidia/gpu/A100-80GB"].Instances {
			if inst.ID == free {
				return !inst.Healthy && strings.Contains(inst.HealthDescription, "Xid 79"), nil
			}
		}
		return false, nil
	})
	f.run("second-gpu", "nvidia/gpu", 1, "40 GiB")
	m := f.blocked("second-gpu")
	// The A100 node runs out of usable devices (its healthy one is taken), the RTX node lacks
	// a ≥ 40 GiB GPU.
	if m.DimensionExhausted["devices: no devices match request"] != 1 || m.ConstraintFiltered["missing devices"] != 1 {
		t.Errorf("second-gpu: exhausted %v, constraint filtered %v", m.DimensionExhausted, m.ConstraintFiltered)
	}

	// ...and places again once it recovers.
	writeFile(t, a100File, healthy)
	second := f.running("second-gpu")
	if second.NodeID != a100Node || second.AllocatedResources.Tasks["gpu"].Devices[0].DeviceIDs[0] != free {
		t.Errorf("second-gpu on %s with %+v, want the recovered %s", second.NodeName, second.AllocatedResources.Tasks["gpu"].Devices, free)
	}

	// More GPUs than any node has: pending, with Nomad's own reason.
	f.run("three-gpus", "nvidia/gpu", 3, "40 GiB")
	m = f.blocked("three-gpus")
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

	// The RTX 4090 vanishes from its node's scan: Nomad keeps it listed, unhealthy, says why,
	// and places nothing on it until it is back.
	rtxFile := f.files["rtx"]
	withRTX := readFile(t, rtxFile)
	writeFile(t, rtxFile, `{"gpus": []}`)
	e2e.Poll(t, "Nomad to see the RTX 4090 vanished", 60*time.Second, 500*time.Millisecond, func() (bool, error) {
		g := f.devices(rtxNode)["nvidia/gpu/GeForce-RTX-4090"]
		return g != nil && len(g.Instances) == 1 && !g.Instances[0].Healthy &&
			strings.Contains(g.Instances[0].HealthDescription, "GPU "+rtxCard+" (0000:01:00.0) vanished from the fake scan at "), nil
	})
	f.run("rtx-gpu", "nvidia/gpu", 1, "20 GiB")
	m = f.blocked("rtx-gpu")
	// Both A100s are taken; the RTX node has no healthy GPU left.
	if m.DimensionExhausted["devices: no devices match request"] != 1 || m.ConstraintFiltered["missing devices"] != 1 {
		t.Errorf("rtx-gpu: exhausted %v, constraint filtered %v", m.DimensionExhausted, m.ConstraintFiltered)
	}
	writeFile(t, rtxFile, withRTX)
	e2e.Poll(t, "Nomad to see the RTX 4090 back", 60*time.Second, 500*time.Millisecond, func() (bool, error) {
		g := f.devices(rtxNode)["nvidia/gpu/GeForce-RTX-4090"]
		return g != nil && len(g.Instances) == 1 && g.Instances[0].Healthy, nil
	})
	// Nomad leaves device health out of a node's computed class, so the blocked evaluation,
	// which found that class without the device, is not retried when the GPU comes back
	// (README, known limits): the job is placed at its next evaluation.
	if _, _, err := r.API.Jobs().ForceEvaluate("rtx-gpu", nil); err != nil {
		t.Fatalf("evaluating rtx-gpu: %v", err)
	}
	if a := f.running("rtx-gpu"); a.NodeID != rtxNode {
		t.Errorf("rtx-gpu on %s, want the RTX node once its GPU is back", a.NodeName)
	}
}

// One RTX 4090 shared two ways: two jobs that each ask for a gpu-share land on the same card
// and both see it; a third share does not exist, so the third job waits.
func TestNomadSharesOneGPU(t *testing.T) {
	f := startFleet(t, provider{name: "shared", example: "rtx4090.json", shares: 2})
	node := f.r.NodeID(t, "shared")
	e2e.Poll(t, "the shares to be fingerprinted", 60*time.Second, 500*time.Millisecond, func() (bool, error) {
		g := f.devices(node)["nvidia/gpu-share/GeForce-RTX-4090"]
		return g != nil && len(g.Instances) == 2, nil
	})
	g := f.devices(node)["nvidia/gpu-share/GeForce-RTX-4090"]
	if m := g.Attributes["memory"]; m == nil || m.IntVal == nil || *m.IntVal != 24564/2 {
		t.Errorf("share memory %+v, want half of 24564 MiB", m)
	}
	if a := g.Attributes[gpu.AttrShares]; a == nil || a.IntVal == nil || *a.IntVal != 2 {
		t.Errorf("attribute %s = %+v, want 2 (billing prices a share at half the card)", gpu.AttrShares, a)
	}
	if f.devices(node)["nvidia/gpu/GeForce-RTX-4090"] != nil {
		t.Error("a shared card must not also be offered whole")
	}

	f.run("share-a", "nvidia/gpu-share", 1, "8 GiB")
	f.run("share-b", "nvidia/gpu-share", 1, "8 GiB")
	a, b := f.running("share-a"), f.running("share-b")
	ida, idb := a.AllocatedResources.Tasks["gpu"].Devices[0].DeviceIDs[0], b.AllocatedResources.Tasks["gpu"].Devices[0].DeviceIDs[0]
	if ida == idb {
		t.Fatalf("both jobs got share %s", ida)
	}
	f.sees(a, rtxCard)
	f.sees(b, rtxCard)

	f.run("share-c", "nvidia/gpu-share", 1, "8 GiB")
	if m := f.blocked("share-c"); m.DimensionExhausted["devices: no devices match request"] != 1 {
		t.Errorf("share-c: exhausted %v, constraint filtered %v", m.DimensionExhausted, m.ConstraintFiltered)
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
