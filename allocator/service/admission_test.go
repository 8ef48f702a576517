package service

import (
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/nomad/api"

	"github.com/dec2-cloud/dec2/allocator/pack"
	"github.com/dec2-cloud/dec2/e2e"
)

func allocIDs(allocs []*api.AllocationListStub) []string {
	var ids []string
	for _, a := range allocs {
		ids = append(ids, a.ID)
	}
	slices.Sort(ids)
	return ids
}

// Refusals come back in Nomad's form and the nomad CLI prints them; updates keep what did not
// change; scaling packs only the new instances.
func TestRefusalsUpdatesAndScaling(t *testing.T) {
	e2e.RequireIntegration(t)
	region := e2e.StartRegion(t, e2e.Options{Clients: []e2e.Client{
		{Name: "a", CPUMHz: 4000, MemoryMB: 2048, RawExec: true},
		{Name: "b", CPUMHz: 4000, MemoryMB: 2048, RawExec: true},
	}})
	al := startAllocator(t, region, nil)

	out, err := nomadVia(t, al.Addr, "", "job", "run", "-detach", writeJob(t, "huge", rawJob("huge", 1, 100, 100000, true)))
	if err == nil || !strings.Contains(out, "dec2-allocator") || !strings.Contains(out, `"g"`) || !strings.Contains(out, "409") {
		t.Errorf("an impossible job: err %v, CLI printed:\n%s", err, out)
	}
	t.Logf("impossible job, as the CLI prints it:\n%s", out)
	// Two instances of 1200 MiB fit (one per node), three do not.
	out, err = nomadVia(t, al.Addr, "", "job", "run", "-detach", writeJob(t, "wide", rawJob("wide", 3, 100, 1200, true)))
	if err == nil || !strings.Contains(out, "1 of 3 instances unplaced") {
		t.Errorf("a job one instance too big for the region: err %v, CLI printed:\n%s", err, out)
	}
	t.Logf("too big by one, as the CLI prints it:\n%s", out)

	for _, body := range []string{`{`, `{"Job": {"ID": 5}}`, `{"Job": null}`, `{"Job": {"ID": "x", "Meta": {"dec2.pack": "true"}, "TaskGroups": [{"Count": 1}]}, "X": 1}`} {
		resp, err := http.Post(al.Addr+"/v1/jobs", "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("POST /v1/jobs %s: status %d, want 400", body, resp.StatusCode)
		}
	}

	file := writeJob(t, "ticker", rawJob("ticker", 2, 500, 256, true))
	if _, err := nomadVia(t, al.Addr, "", "job", "run", "-detach", file); err != nil {
		t.Fatal(err)
	}
	first := waitRunning(t, region.API, "ticker", 2)
	checkPlan(t, region.API, "ticker", first)

	// The same spec again: nothing is packed, nothing moves.
	if _, err := nomadVia(t, al.Addr, "", "job", "run", "-detach", file); err != nil {
		t.Fatal(err)
	}
	again := waitRunning(t, region.API, "ticker", 2)
	if !slices.Equal(allocIDs(first), allocIDs(again)) {
		t.Errorf("resubmitting the same job replaced its allocations: %v → %v", allocIDs(first), allocIDs(again))
	}

	// The CLI checks the group itself; the API call gets the allocator's answer.
	resp, err := http.Post(al.Addr+"/v1/job/ticker/scale", "application/json", strings.NewReader(`{"Count": 3, "Target": {"Group": "nosuch"}}`))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), `has no task group "nosuch"`) {
		t.Errorf("scaling an unknown group: %d %s", resp.StatusCode, body)
	}
	if out, err := nomadVia(t, al.Addr, "", "job", "scale", "-detach", "ticker", "g", "5"); err != nil {
		t.Fatalf("scaling to 5: %v\n%s", err, out)
	}
	scaled := waitRunning(t, region.API, "ticker", 5)
	checkPlan(t, region.API, "ticker", scaled)
	// The running instances stay: updated in place, not restarted.
	if kept := allocIDs(scaled); !slices.Contains(kept, first[0].ID) || !slices.Contains(kept, first[1].ID) {
		t.Errorf("scaling 2 → 5 replaced running instances: %v → %v", allocIDs(first), kept)
	}
	for _, a := range scaled {
		for task, st := range a.TaskStates {
			if st.Restarts > 0 {
				t.Errorf("scaling restarted task %s of %s %d times", task, a.Name, st.Restarts)
			}
		}
	}
	// A new command (and a faster rollout) changes nothing the placement depends on: Nomad
	// replaces the instances, on the nodes they ran on.
	perNode := func(allocs []*api.AllocationListStub) map[string]int {
		m := map[string]int{}
		for _, a := range allocs {
			m[a.NodeID]++
		}
		return m
	}
	retell := strings.NewReplacer("echo tick", "echo tock", `group "g" {`, `group "g" {
    update {
      max_parallel     = 5
      min_healthy_time = "1s"
    }`).Replace(rawJob("ticker", 5, 500, 256, true))
	if out, err := nomadVia(t, al.Addr, "", "job", "run", "-detach", writeJob(t, "ticker", retell)); err != nil {
		t.Fatalf("changing the command: %v\n%s", err, out)
	}
	retold := waitRunning(t, region.API, "ticker", 5)
	checkPlan(t, region.API, "ticker", retold)
	if before, after := perNode(scaled), perNode(retold); !maps.Equal(before, after) {
		t.Errorf("changing only the command moved instances: %v → %v", before, after)
	}
	if out, err := nomadVia(t, al.Addr, "", "job", "scale", "-detach", "ticker", "g", "1"); err != nil {
		t.Fatalf("scaling to 1: %v\n%s", err, out)
	}
	// Scaling down stops instances and moves none: the one left is one that ran.
	one := waitRunning(t, region.API, "ticker", 1)
	checkPlan(t, region.API, "ticker", one)
	if !slices.Contains(allocIDs(retold), one[0].ID) {
		t.Errorf("scaling 5 → 1 left allocation %s, none of the 5 that ran: %v", one[0].ID, allocIDs(retold))
	}

	// A changed group is packed afresh: every instance lands where the new plan says.
	if _, err := nomadVia(t, al.Addr, "", "job", "run", "-detach", writeJob(t, "ticker", rawJob("ticker", 1, 400, 300, true))); err != nil {
		t.Fatal(err)
	}
	checkPlan(t, region.API, "ticker", waitRunning(t, region.API, "ticker", 1))
	if _, err := nomadVia(t, al.Addr, "", "job", "stop", "-purge", "ticker"); err != nil {
		t.Fatal(err)
	}

	// Two instances too big to share a node: one part over both nodes, set_contains_any with
	// distinct_hosts, and Nomad puts one on each.
	if out, err := nomadVia(t, al.Addr, "", "job", "run", "-detach", writeJob(t, "pair", rawJob("pair", 2, 100, 1200, true))); err != nil {
		t.Fatalf("pair: %v\n%s", err, out)
	}
	pair := waitRunning(t, region.API, "pair", 2)
	checkPlan(t, region.API, "pair", pair)
	if pair[0].NodeID == pair[1].NodeID {
		t.Errorf("both instances of pair on node %s", pair[0].NodeID)
	}
	if job, _, err := region.API.Jobs().Info("pair", nil); err != nil || !strings.Contains(job.Meta["dec2.plan"], `"per_node":1`) {
		t.Errorf("pair's plan is not one part of one instance per node: %v %v", err, job.Meta)
	}

	// plan: Nomad's dry run of the pinned job; nothing is held.
	if out, err := nomadVia(t, al.Addr, "", "job", "plan", writeJob(t, "planned", rawJob("planned", 2, 100, 100, true))); !strings.Contains(out, "planned") {
		t.Errorf("nomad job plan through the allocator: %v\n%s", err, out)
	}
	al.fleet.mu.Lock()
	held := al.fleet.ledger.Instances()
	al.fleet.mu.Unlock()
	if held != 0 {
		t.Errorf("%d instances still held after a plan and settled registrations", held)
	}
}

// 50 registrations at once, room for 20: exactly 20 are accepted, each lands where its plan
// says, none waits for capacity promised twice; an allocator restarted afterwards sees the
// same region and refuses the 51st.
func TestConcurrentRegistrationsNeverOversubscribe(t *testing.T) {
	e2e.RequireIntegration(t)
	var clients []e2e.Client
	for i := range 4 {
		clients = append(clients, e2e.Client{Name: fmt.Sprintf("c%d", i), CPUMHz: 4000, MemoryMB: 1024, RawExec: true})
	}
	region := e2e.StartRegion(t, e2e.Options{Clients: clients})
	al := startAllocator(t, region, nil)
	c := al.api(t, "")

	const jobs, mem = 50, 200 // 5 per node fit in 1024 MiB
	var mu sync.Mutex
	var accepted []string
	refused := 0
	var wg sync.WaitGroup
	for i := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			id := fmt.Sprintf("burst-%02d", i)
			job, err := c.Jobs().ParseHCL(rawJob(id, 1, 100, mem, true), true)
			if err != nil {
				t.Errorf("parsing %s: %v", id, err)
				return
			}
			_, _, err = c.Jobs().Register(job, nil)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				accepted = append(accepted, id)
			case strings.Contains(err.Error(), "409"):
				refused++
			default:
				t.Errorf("registering %s: %v", id, err)
			}
		}()
	}
	wg.Wait()
	if len(accepted) != 20 || refused != 30 {
		t.Errorf("accepted %d, refused %d; the region has room for exactly 20", len(accepted), refused)
	}
	perNode := map[string]int64{}
	for _, id := range accepted {
		live := waitRunning(t, region.API, id, 1)
		checkPlan(t, region.API, id, live)
		perNode[live[0].NodeID] += mem
	}
	for n, used := range perNode {
		if used > 1024 {
			t.Errorf("node %s holds %d MiB of 1024", n, used)
		}
	}

	before := snapshot(al.Server)
	al.stop()
	al2 := startAllocator(t, region, nil)
	after := snapshot(al2.Server)
	for id, u := range before {
		if after[id] != u {
			t.Errorf("after a restart node %s uses %+v, before %+v", id, after[id], u)
		}
	}
	if _, err := nomadVia(t, al2.Addr, "", "job", "run", "-detach", writeJob(t, "late", rawJob("late", 1, 100, mem, true))); err == nil {
		t.Errorf("a restarted allocator accepted a job into a full region")
	}
}

func snapshot(s *Server) map[string]pack.Resources {
	s.fleet.mu.Lock()
	defer s.fleet.mu.Unlock()
	out := map[string]pack.Resources{}
	for _, n := range s.fleet.nodesLocked(nil, nil, nil) {
		out[n.ID] = n.Used
	}
	return out
}
