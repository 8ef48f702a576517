package service

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/nomad/api"

	"github.com/dec2-cloud/dec2/allocator/leadership"
	"github.com/dec2-cloud/dec2/e2e"
	"github.com/dec2-cloud/dec2/instances"
)

// sleeper is a packed batch job of one raw_exec instance that reserves cpu MHz and mem MiB.
func sleeper(name string, cpu, mem int) *api.Job {
	job := api.NewBatchJob(name, name, "global", 50)
	job.Meta = map[string]string{"dec2.pack": "true"}
	tg := api.NewTaskGroup("g", 1)
	disk := 10
	tg.EphemeralDisk = &api.EphemeralDisk{SizeMB: &disk}
	task := api.NewTask("t", "raw_exec").SetConfig("command", "/bin/sleep").SetConfig("args", []string{"3600"})
	task.Require(&api.Resources{CPU: &cpu, MemoryMB: &mem})
	one := 1
	task.LogConfig = &api.LogConfig{MaxFiles: &one, MaxFileSizeMB: &one}
	tg.AddTask(task)
	job.AddTaskGroup(tg)
	return job
}

func connect(t *testing.T, addr, token string) *api.Client {
	t.Helper()
	c, err := api.NewClient(&api.Config{Address: addr, SecretID: token})
	if err != nil {
		t.Fatalf("api client for %s: %v", addr, err)
	}
	return c
}

// Two allocators front a region through Nomad's variable lock. The leader is crashed while
// 100 registrations are in flight, through either allocator: the standby leads within
// seconds, every registration is answered (the CLI's client sending it again through the
// failover), all 100 run, and no node holds more than it has — the fleet is sized so that
// one double-booked instance would leave a job unplaced.
func TestFailoverUnderLoad(t *testing.T) {
	e2e.RequireIntegration(t)
	var clients []e2e.Client
	for _, n := range []string{"a", "b", "c"} {
		clients = append(clients, e2e.Client{Name: n, CPUMHz: 3000, MemoryMB: 2048, DiskMB: 4000, RawExec: true})
	}
	region := e2e.StartRegion(t, e2e.Options{Clients: clients})
	region.BindWallet(t, "default", e2e.TenantWallet)
	// 34 instances fit a node: 102 places for 100 jobs.
	const jobs, cpu, mem = 100, 88, 50
	ha := []string{"--leader-lock", leadership.DefaultPath, "--lock-ttl", "10s"}
	first := e2e.StartAllocator(t, region, ha...)
	e2e.Poll(t, "the first allocator to lead", 30*time.Second, 100*time.Millisecond, func() (bool, error) {
		v, _ := first.Metric("dec2_allocator_leading")
		return v == 1, nil
	})
	second := e2e.StartAllocator(t, region, ha...)
	if v, ok := second.Metric("dec2_allocator_leading"); !ok || v != 0 {
		t.Fatalf("second allocator: dec2_allocator_leading = %v (ok %v), want 0 while the first leads", v, ok)
	}

	// A call to the follower is admitted by the leader: the first of the 100 jobs.
	via := connect(t, second.Addr, region.Token)
	if _, _, err := via.Jobs().Register(sleeper("through-follower", cpu, mem), nil); err != nil {
		t.Fatalf("registering through the follower: %v", err)
	}

	var answered atomic.Int64
	errs := make([]error, jobs)
	var wg sync.WaitGroup
	sem := make(chan struct{}, 8)
	for i := range jobs - 1 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			// Half the callers know the first allocator first, half the second.
			a, b := first, second
			if i%2 == 1 {
				a, b = second, first
			}
			ic := instances.New(region.API, connect(t, a.Addr, region.Token), connect(t, b.Addr, region.Token))
			// Past Nomad's lock expiry (twice the TTL) with room for a loaded machine.
			ic.RetryFor = 90 * time.Second
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			_, errs[i] = ic.Register(ctx, sleeper(fmt.Sprintf("j%03d", i), cpu, mem))
			answered.Add(1)
		}()
	}
	e2e.Poll(t, "30 registrations to be answered", time.Minute, 10*time.Millisecond, func() (bool, error) {
		return answered.Load() >= 30, nil
	})
	first.Kill()
	killedAt := time.Now()
	e2e.Poll(t, "the standby to lead", 60*time.Second, 100*time.Millisecond, func() (bool, error) {
		v, _ := second.Metric("dec2_allocator_leading")
		return v == 1, nil
	})
	failover := time.Since(killedAt)
	t.Logf("failover: the standby led %.1fs after the leader was killed (lock TTL 10s, lock delay 1s)", failover.Seconds())
	wg.Wait()
	for i, err := range errs[:jobs-1] {
		if err != nil {
			t.Errorf("registration j%03d was not answered through the failover: %v", i, err)
		}
	}

	// Every job runs, and no node is over its capacity.
	e2e.Poll(t, "all 100 jobs to run", 3*time.Minute, time.Second, func() (bool, error) {
		allocs, _, err := region.API.Allocations().List(nil)
		if err != nil {
			return false, nil
		}
		running := 0
		for _, a := range allocs {
			if a.ClientStatus == api.AllocClientStatusRunning {
				running++
			}
		}
		return running >= jobs, nil
	})
	evals, _, err := region.API.Evaluations().List(nil)
	if err != nil {
		t.Fatalf("listing evaluations: %v", err)
	}
	for _, e := range evals {
		if e.Status == api.EvalStatusBlocked {
			t.Errorf("job %s has a blocked evaluation: a node was promised twice (%v)", e.JobID, e.FailedTGAllocs)
		}
	}
	nodes, _, err := region.API.Nodes().List(nil)
	if err != nil {
		t.Fatalf("listing nodes: %v", err)
	}
	for _, stub := range nodes {
		n, _, err := region.API.Nodes().Info(stub.ID, nil)
		if err != nil {
			t.Fatalf("reading node %s: %v", stub.Name, err)
		}
		allocs, _, err := region.API.Nodes().Allocations(stub.ID, nil)
		if err != nil {
			t.Fatalf("listing node %s's allocations: %v", stub.Name, err)
		}
		var cpuUsed, memUsed int64
		for _, a := range allocs {
			if a.ClientTerminalStatus() || a.AllocatedResources == nil {
				continue
			}
			for _, tr := range a.AllocatedResources.Tasks {
				cpuUsed += tr.Cpu.CpuShares
				memUsed += tr.Memory.MemoryMB
			}
		}
		capCPU := n.NodeResources.Cpu.CpuShares - int64(n.ReservedResources.Cpu.CpuShares)
		capMem := n.NodeResources.Memory.MemoryMB - int64(n.ReservedResources.Memory.MemoryMB)
		if cpuUsed > capCPU || memUsed > capMem {
			t.Errorf("node %s holds %d MHz and %d MiB, over its %d MHz and %d MiB", stub.Name, cpuUsed, memUsed, capCPU, capMem)
		}
	}
	if out, err := region.Nomad(t, "var", "get", leadership.DefaultPath); err != nil || !strings.Contains(out, second.Addr) {
		t.Errorf("the lock variable does not name the new leader %s: %v\n%s", second.Addr, err, out)
	}
}
