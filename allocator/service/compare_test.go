package service

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/nomad/api"

	"github.com/dec2-cloud/dec2/e2e"
)

// compareFleet: eight providers, mixed sizes, two of them GPU rigs with fake GPUs from the
// dec2-gpu plugin.
func compareFleet(t *testing.T) []e2e.Client {
	rig := func(name, example string) e2e.Client {
		return e2e.Client{Name: name, CPUMHz: 8000, MemoryMB: 16384, RawExec: true}.WithFakeGPUs(t, example, nil)
	}
	return []e2e.Client{
		rig("rig-a100", "a100x2.json"),
		rig("rig-4090", "rtx4090.json"),
		{Name: "server1", CPUMHz: 8000, MemoryMB: 16384, RawExec: true},
		{Name: "server2", CPUMHz: 8000, MemoryMB: 16384, RawExec: true},
		{Name: "desktop1", CPUMHz: 4000, MemoryMB: 8192, RawExec: true},
		{Name: "desktop2", CPUMHz: 4000, MemoryMB: 8192, RawExec: true},
		{Name: "desktop3", CPUMHz: 4000, MemoryMB: 8192, RawExec: true},
		{Name: "laptop", CPUMHz: 2000, MemoryMB: 4096, RawExec: true},
	}
}

// compareJob is one job of the mix: instances of a sleeping process with a reservation.
type compareJob struct {
	id              string
	count, cpu, mem int
	gpus            int
}

func (j compareJob) hcl() string {
	dev := ""
	if j.gpus > 0 {
		dev = fmt.Sprintf("        device \"nvidia/gpu\" {\n          count = %d\n        }\n", j.gpus)
	}
	return fmt.Sprintf(`job %q {
  meta = { "dec2.pack" = "true" }
  group "g" {
    count = %d
    ephemeral_disk { size = 150 }
    task "t" {
      driver = "raw_exec"
      config {
        command = "/bin/sleep"
        args    = ["3600"]
      }
      resources {
        cpu    = %d
        memory = %d
%s      }
    }
  }
}
`, j.id, j.count, j.cpu, j.mem, dev)
}

// compareMix: a seeded mix shaped like small cloud tenants — many small services, some
// larger, one in twenty asking for a GPU — about a third of the fleet's memory in all.
func compareMix(n int) []compareJob {
	rng := rand.New(rand.NewPCG(5, 5))
	mems := []int{128, 256, 512, 512, 1024, 1536}
	cpus := []int{100, 200, 200, 400, 800}
	var out []compareJob
	for i := range n {
		j := compareJob{id: fmt.Sprintf("mix-%02d", i), count: 1 + rng.IntN(3)/2, cpu: cpus[rng.IntN(len(cpus))], mem: mems[rng.IntN(len(mems))]}
		if i%20 == 3 {
			j.gpus, j.count, j.cpu, j.mem = 1, 1, 1000, 2048
		}
		out = append(out, j)
	}
	return out
}

// usage is what a run left in Nomad, read from its allocations.
type usage struct {
	providers        int
	freeMemOnUsed    int64 // MiB free on providers that run something
	freeGPUsOnUsed   int
	placed, unplaced int
	refusedJobs      int
	seconds          float64
}

func measure(t *testing.T, c *api.Client) usage {
	t.Helper()
	allocs, _, err := c.Allocations().List(&api.QueryOptions{Params: map[string]string{"resources": "true"}})
	if err != nil {
		t.Fatalf("listing allocations: %v", err)
	}
	mem := map[string]int64{}
	gpus := map[string]int{}
	var u usage
	for _, a := range allocs {
		if a.DesiredStatus != api.AllocDesiredStatusRun || a.ClientStatus != api.AllocClientStatusRunning {
			continue
		}
		u.placed++
		for _, tr := range a.AllocatedResources.Tasks {
			mem[a.NodeID] += tr.Memory.MemoryMB
			for _, d := range tr.Devices {
				gpus[a.NodeID] += len(d.DeviceIDs)
			}
		}
	}
	u.providers = len(mem)
	for id, used := range mem {
		n, _, err := c.Nodes().Info(id, nil)
		if err != nil {
			t.Fatalf("reading node %s: %v", id, err)
		}
		u.freeMemOnUsed += n.NodeResources.Memory.MemoryMB - int64(n.ReservedResources.Memory.MemoryMB) - used
		healthy := 0
		for _, d := range n.NodeResources.Devices {
			for _, inst := range d.Instances {
				if d.Type == "gpu" && inst.Healthy {
					healthy++
				}
			}
		}
		u.freeGPUsOnUsed += healthy - gpus[id]
	}
	return u
}

// settle waits until Nomad has placed or given up on every instance of jobs; it returns how
// many instances wait in blocked evaluations.
func settle(t *testing.T, c *api.Client, jobs []compareJob) int {
	t.Helper()
	queued := 0
	e2e.Poll(t, "Nomad to place or queue every instance", 5*time.Minute, time.Second, func() (bool, error) {
		queued = 0
		for _, j := range jobs {
			s, _, err := c.Jobs().Summary(j.id, nil)
			if err != nil {
				return false, nil
			}
			g := s.Summary["g"]
			if g.Starting > 0 || g.Running+g.Queued < j.count {
				return false, nil
			}
			queued += g.Queued
		}
		return true, nil
	})
	return queued
}

func purge(t *testing.T, c *api.Client, jobs []compareJob) {
	t.Helper()
	for _, j := range jobs {
		_, _, _ = c.Jobs().Deregister(j.id, true, nil)
	}
	e2e.Poll(t, "every allocation to stop", 3*time.Minute, time.Second, func() (bool, error) {
		allocs, _, err := c.Allocations().List(nil)
		if err != nil {
			return false, nil
		}
		for _, a := range allocs {
			if a.ClientStatus == api.AllocClientStatusRunning || a.ClientStatus == api.AllocClientStatusPending {
				return false, nil
			}
		}
		return true, nil
	})
}

// The same 40 jobs, submitted one after another, first straight to Nomad and then through
// the allocator, on the same eight providers: fewer providers in use, less memory and fewer
// GPUs stranded on them, and every allocation where the plan put it.
func TestSideBySideWithNomad(t *testing.T) {
	e2e.RequireIntegration(t)
	region := e2e.StartRegion(t, e2e.Options{Clients: compareFleet(t), ReadyTimeout: 3 * time.Minute})
	jobs := compareMix(40)
	total := 0
	for _, j := range jobs {
		total += j.count
	}

	parse := func(c *api.Client, j compareJob) *api.Job {
		job, err := c.Jobs().ParseHCL(j.hcl(), true)
		if err != nil {
			t.Fatalf("parsing %s: %v", j.id, err)
		}
		return job
	}
	start := time.Now()
	for _, j := range jobs {
		if _, _, err := region.API.Jobs().Register(parse(region.API, j), nil); err != nil {
			t.Fatalf("registering %s with Nomad: %v", j.id, err)
		}
	}
	queued := settle(t, region.API, jobs)
	nomad := measure(t, region.API)
	nomad.unplaced = queued
	nomad.seconds = time.Since(start).Seconds()
	for _, j := range jobs {
		if s, _, _ := region.API.Jobs().Summary(j.id, nil); s != nil && s.Summary["g"].Queued > 0 {
			nomad.refusedJobs++
		}
	}
	purge(t, region.API, jobs)

	al := startAllocator(t, region, nil)
	c := al.api(t, "")
	var accepted []compareJob
	ours := usage{}
	start = time.Now()
	for _, j := range jobs {
		_, _, err := c.Jobs().Register(parse(c, j), nil)
		var ue api.UnexpectedResponseError
		switch {
		case err == nil:
			accepted = append(accepted, j)
		case errors.As(err, &ue) && ue.StatusCode() == 409:
			ours.refusedJobs++
			ours.unplaced += j.count
			t.Logf("refused %s: %s", j.id, ue.Body())
		default:
			t.Fatalf("registering %s through the allocator: %v", j.id, err)
		}
	}
	if q := settle(t, region.API, accepted); q > 0 {
		t.Errorf("%d instances the allocator accepted wait in Nomad's queue: it promised capacity that was not there", q)
	}
	m := measure(t, region.API)
	m.unplaced, m.refusedJobs, m.seconds = ours.unplaced, ours.refusedJobs, time.Since(start).Seconds()
	ours = m
	for _, j := range accepted {
		checkPlan(t, region.API, j.id, liveAllocs(t, region.API, j.id))
	}

	table := sideBySide(len(region.Clients), len(jobs), total, nomad, ours)
	t.Logf("\n%s", table)
	if p := os.Getenv("DEC2_COMPARE_OUT"); p != "" {
		if err := os.WriteFile(p, []byte(table), 0o644); err != nil {
			t.Errorf("writing %s: %v", p, err)
		}
	}
	if ours.placed+ours.unplaced != total || nomad.placed+nomad.unplaced != total {
		t.Errorf("instances don't add up to %d: Nomad %d placed + %d queued, allocator %d + %d refused", total, nomad.placed, nomad.unplaced, ours.placed, ours.unplaced)
	}
	if ours.unplaced > nomad.unplaced {
		t.Errorf("the allocator left %d instances unplaced, Nomad alone %d", ours.unplaced, nomad.unplaced)
	}
	if ours.placed >= nomad.placed && ours.providers > nomad.providers {
		t.Errorf("the allocator used %d providers for %d instances, Nomad alone %d for %d", ours.providers, ours.placed, nomad.providers, nomad.placed)
	}
}

func sideBySide(nodes, jobs, instances int, nomad, ours usage) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d providers (2 GPU rigs with 3 fake GPUs), %d jobs / %d instances submitted one by one\n\n", nodes, jobs, instances)
	b.WriteString("| | Nomad alone | through dec2-allocator |\n|---|---|---|\n")
	row := func(name string, f func(usage) string) {
		fmt.Fprintf(&b, "| %s | %s | %s |\n", name, f(nomad), f(ours))
	}
	row("providers in use", func(u usage) string { return fmt.Sprint(u.providers) })
	row("instances placed", func(u usage) string { return fmt.Sprint(u.placed) })
	row("instances unplaced (queued / refused)", func(u usage) string { return fmt.Sprint(u.unplaced) })
	row("jobs not fully placed", func(u usage) string { return fmt.Sprint(u.refusedJobs) })
	row("memory free on providers in use (MiB)", func(u usage) string { return fmt.Sprint(u.freeMemOnUsed) })
	row("GPUs free on providers in use", func(u usage) string { return fmt.Sprint(u.freeGPUsOnUsed) })
	row("submit-to-settled (s)", func(u usage) string { return fmt.Sprintf("%.1f", u.seconds) })
	return b.String()
}
