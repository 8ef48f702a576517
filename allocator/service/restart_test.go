package service

import (
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/nomad/api"

	"github.com/dec2-cloud/dec2/e2e"
)

func pauseScheduling(t *testing.T, c *api.Client, pause bool) {
	t.Helper()
	cfg, _, err := c.Operator().SchedulerGetConfiguration(nil)
	if err != nil {
		t.Fatalf("reading the scheduler configuration: %v", err)
	}
	cfg.SchedulerConfig.PauseEvalBroker = pause
	if _, _, err := c.Operator().SchedulerSetConfiguration(cfg.SchedulerConfig, nil); err != nil {
		t.Fatalf("setting PauseEvalBroker=%v: %v", pause, err)
	}
}

// Capacity promised to a job that Nomad has not placed yet survives an allocator restart:
// the new allocator takes it again from the job's dec2.plan, refuses what would double-book
// it, and lets it go once Nomad's allocations appear where the plan said.
func TestRestartRestoresReservations(t *testing.T) {
	e2e.RequireIntegration(t)
	region := e2e.StartRegion(t, e2e.Options{Clients: []e2e.Client{
		{Name: "a", CPUMHz: 4000, MemoryMB: 1024, RawExec: true},
		{Name: "b", CPUMHz: 4000, MemoryMB: 1024, RawExec: true},
	}})
	first := startAllocator(t, region, nil)
	// With the eval broker paused Nomad takes registrations but places nothing: the window
	// between a registration and its allocations, held open.
	pauseScheduling(t, region.API, true)
	if out, err := nomadVia(t, first.Addr, "", "job", "run", "-detach", writeJob(t, "first", rawJob("first", 2, 100, 700, true))); err != nil {
		t.Fatalf("registering first: %v\n%s", err, out)
	}
	first.stop()

	second := startAllocator(t, region, nil)
	e2e.Poll(t, "the restarted allocator to hold first's 2 instances", time.Minute, 200*time.Millisecond, func() (bool, error) {
		second.fleet.mu.Lock()
		defer second.fleet.mu.Unlock()
		return second.fleet.ledger.Instances() == 2, nil
	})
	out, err := nomadVia(t, second.Addr, "", "job", "run", "-detach", writeJob(t, "late", rawJob("late", 1, 100, 700, true)))
	if err == nil || !strings.Contains(out, "409") {
		t.Errorf("the restarted allocator double-booked first's capacity: %v\n%s", err, out)
	}

	pauseScheduling(t, region.API, false)
	checkPlan(t, region.API, "first", waitRunning(t, region.API, "first", 2))
	e2e.Poll(t, "the holds to be filled by first's allocations", time.Minute, 200*time.Millisecond, func() (bool, error) {
		second.fleet.mu.Lock()
		defer second.fleet.mu.Unlock()
		return second.fleet.ledger.Instances() == 0, nil
	})
}
