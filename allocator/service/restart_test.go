package service

import (
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/nomad/api"
	"github.com/prometheus/client_golang/prometheus/testutil"

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

// tcpRelay forwards connections to a target and can cut every open one, as a network blip does.
type tcpRelay struct {
	ln    net.Listener
	mu    sync.Mutex
	conns []net.Conn
}

func startRelay(t *testing.T, target string) *tcpRelay {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	r := &tcpRelay{ln: ln}
	t.Cleanup(func() { ln.Close(); r.cut() })
	go func() {
		for {
			in, err := ln.Accept()
			if err != nil {
				return
			}
			out, err := net.Dial("tcp", target)
			if err != nil {
				in.Close()
				continue
			}
			r.mu.Lock()
			r.conns = append(r.conns, in, out)
			r.mu.Unlock()
			go func() { _, _ = io.Copy(out, in); out.Close() }()
			go func() { _, _ = io.Copy(in, out); in.Close() }()
		}
	}()
	return r
}

func (r *tcpRelay) cut() {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, c := range r.conns {
		c.Close()
	}
	r.conns = nil
}

// A lost connection to Nomad (the event stream with it) makes the allocator rebuild its model
// from scratch and follow the stream again: allocations made afterwards still fill its holds.
func TestEventStreamLossRebuilds(t *testing.T) {
	e2e.RequireIntegration(t)
	region := e2e.StartRegion(t, e2e.Options{Clients: []e2e.Client{{Name: "a", CPUMHz: 4000, MemoryMB: 2048, RawExec: true}}})
	relay := startRelay(t, strings.TrimPrefix(region.Addr, "http://"))
	al := startAllocator(t, region, func(c *Config) { c.NomadAddr = "http://" + relay.ln.Addr().String() })
	rebuilds := func() float64 { return testutil.ToFloat64(al.m.rebuilds) }
	if rebuilds() != 1 {
		t.Fatalf("rebuilds after start = %v, want 1", rebuilds())
	}
	// The stream may still be connecting when the first cut comes: cut until a rebuild shows.
	e2e.Poll(t, "the model to be rebuilt after a cut", time.Minute, time.Second, func() (bool, error) {
		relay.cut()
		return rebuilds() >= 2, nil
	})
	if out, err := nomadVia(t, al.Addr, "", "job", "run", "-detach", writeJob(t, "after", rawJob("after", 2, 100, 256, true))); err != nil {
		t.Fatalf("registering after the rebuild: %v\n%s", err, out)
	}
	checkPlan(t, region.API, "after", waitRunning(t, region.API, "after", 2))
	e2e.Poll(t, "the new allocations to fill the holds, seen on the resumed stream", time.Minute, 200*time.Millisecond, func() (bool, error) {
		al.fleet.mu.Lock()
		defer al.fleet.mu.Unlock()
		return al.fleet.ledger.Instances() == 0, nil
	})
}
