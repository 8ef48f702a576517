package pack

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

// TestExactMatchesExhaustive solves small random problems by the exact search and by trying
// every placement, and checks that the two agree, that the result lies between the lower bound
// and a heuristic packing, and that the packing it returns is feasible and uses that many nodes.
func TestExactMatchesExhaustive(t *testing.T) {
	rng := rand.New(rand.NewPCG(30, 3))
	solved, improved := 0, 0
	for trial := 0; trial < 800; trial++ {
		p := tinyProblem(rng)
		if p.Validate() != nil {
			continue
		}
		m := newModel(&p)
		all := m.everyInstance()
		e := exhaustive{s: newState(m), best: len(m.nodes) + 1, lb: -1}
		e.search(0)
		feasible := e.lb >= 0
		// Without an incumbent or a floor the search must find the optimum by itself.
		r := solveExact(m, all, exactLimits{beat: len(m.nodes) + 1, deadline: time.Now().Add(time.Minute), visits: exactVisits, lp: true})
		if !r.proven {
			t.Fatalf("trial %d: exact search not finished after %d visits", trial, r.visits)
		}
		if !feasible {
			if r.s != nil {
				t.Fatalf("trial %d: exact search placed every instance where exhaustive search could not: %+v", trial, p)
			}
			continue
		}
		solved++
		if r.s == nil || r.nodes != e.best {
			t.Fatalf("trial %d: exact optimum %d (found %v), exhaustive %d for %+v", trial, r.nodes, r.s != nil, e.best, p)
		}
		checkPacking(t, r.s, all, r.nodes)
		if r.nodes < e.lb {
			t.Fatalf("trial %d: exact optimum %d below the lower bound %d", trial, r.nodes, e.lb)
		}
		// From a heuristic packing and the bound, as Pack calls it.
		packed := newState(m)
		firstFit(packed, groupOrder(m, byDominant, nil, 0), nodeOrder(m, nil, 0))
		if packed.placed() != m.instances {
			continue
		}
		r2 := solveExact(m, all, exactLimits{beat: packed.opened, floor: e.lb, deadline: time.Now().Add(time.Minute), visits: exactVisits, lp: trial%2 == 0})
		if !r2.proven || r2.nodes != e.best {
			t.Fatalf("trial %d: from first fit (%d nodes) and bound %d: %d (proven %v), want %d", trial, packed.opened, e.lb, r2.nodes, r2.proven, e.best)
		}
		if r2.nodes > packed.opened {
			t.Fatalf("trial %d: exact %d above the heuristic's %d", trial, r2.nodes, packed.opened)
		}
		if r2.nodes < packed.opened {
			improved++
			checkPacking(t, r2.s, all, r2.nodes)
		} else if r2.s != nil {
			t.Fatalf("trial %d: a packing returned that does not beat the incumbent", trial)
		}
	}
	if solved < 300 {
		t.Fatalf("only %d problems solved exhaustively", solved)
	}
	t.Logf("%d problems; the exact search beat first fit on %d", solved, improved)
}

// checkPacking replays s's placements on a fresh state, checking each fits, and checks the
// counts per group and the nodes in use.
func checkPacking(t *testing.T, s *state, placed []int, nodes int) {
	t.Helper()
	fresh := newState(s.m)
	got := make([]int, len(placed))
	for inst, n := range s.node {
		if n < 0 {
			continue
		}
		g := s.groupOf(int32(inst))
		if !s.m.groups[g].sig.isFeas[n] || !fresh.fits(g, int(n)) {
			t.Fatalf("instance %d of group %d does not fit node %d", inst, g, n)
		}
		if popcount(s.gpus[inst]) != s.m.groups[g].gpus || s.gpus[inst]&^(s.m.groups[g].sig.gpuEligOr(int(n))&fresh.gpuFree[n]) != 0 {
			t.Fatalf("instance %d of group %d holds GPUs %b on node %d", inst, g, s.gpus[inst], n)
		}
		fresh.placeWith(int32(inst), g, int(n), s.gpus[inst])
		got[g]++
	}
	for g := range placed {
		if got[g] != placed[g] {
			t.Fatalf("group %d: %d placed, want %d", g, got[g], placed[g])
		}
	}
	if fresh.opened != nodes {
		t.Fatalf("packing uses %d nodes, reported %d", fresh.opened, nodes)
	}
}

// gpuEligOr is the GPUs of n this signature may use (none for a signature without GPUs).
func (sig *signature) gpuEligOr(n int) uint64 {
	if sig.gpuElig == nil {
		return 0
	}
	return sig.gpuElig[n]
}

// A group that takes any GPU must leave node ab's model-A device to the group that needs one, or
// a second node opens (each node has one model-A device): the exact search branches on which kind of device it takes.
func TestExactChoosesGPUKinds(t *testing.T) {
	dev := func(id, model string) GPU { return GPU{ID: id, Model: model, MemoryMB: 1000, Healthy: true} }
	p := Problem{
		Nodes: []Node{
			{ID: "ab", CPUMHz: 8000, MemoryMB: 8192, DiskMB: 1000, GPUs: []GPU{dev("ab0", "A"), dev("ab1", "B")}},
			{ID: "a", CPUMHz: 8000, MemoryMB: 8192, DiskMB: 1000, GPUs: []GPU{dev("a0", "A")}},
		},
		Groups: []Group{
			// Larger, so the search places it first and has to choose its device.
			{ID: "any", Count: 1, CPUMHz: 4000, MemoryMB: 1024, DiskMB: 100, GPU: &GPUAsk{Count: 1}},
			{ID: "a", Count: 1, CPUMHz: 1000, MemoryMB: 1024, DiskMB: 100, GPU: &GPUAsk{Count: 1, Model: "A"}},
		},
	}
	m := newModel(&p)
	if order := groupOrder(m, byDominant, nil, 0); order[0] != 0 {
		t.Fatalf("group order %v: the test needs %q first", order, "any")
	}
	r := solveExact(m, []int{1, 1}, exactLimits{beat: len(m.nodes) + 1, deadline: time.Now().Add(time.Minute), visits: exactVisits})
	if !r.proven || r.nodes != 1 {
		t.Fatalf("exact search: %d nodes (proven %v), want 1", r.nodes, r.proven)
	}
	checkPacking(t, r.s, []int{1, 1}, 1)
}

// TestExactMatchesExhaustiveCrowded is TestExactMatchesExhaustive on problems where groups
// compete for the same few nodes (crowdedProblem), for the covers that depend on it: nested
// signatures, room per group and per spread value. Both ways of proving, the search over
// instances and the one over node sets, must find the exhaustive optimum and claim no other.
func TestExactMatchesExhaustiveCrowded(t *testing.T) {
	rng := rand.New(rand.NewPCG(20, 30))
	solved, infeasible := 0, 0
	for trial := 0; trial < 1000; trial++ {
		p := crowdedProblem(rng)
		if p.Validate() != nil {
			continue
		}
		m := newModel(&p)
		all := m.everyInstance()
		e := exhaustive{s: newState(m), best: len(m.nodes) + 1, lb: -1}
		e.search(0)
		packed := newState(m)
		firstFit(packed, groupOrder(m, byDominant, nil, 0), nodeOrder(m, nil, 0))
		beats := []int{len(m.nodes) + 1}
		if packed.placed() == m.instances {
			beats = append(beats, packed.opened)
		}
		for _, beat := range beats {
			floor := max(e.lb, 0)
			lims := []exactLimits{
				{beat: beat, floor: floor, lp: true},
				{beat: beat, floor: 0},
			}
			for i, lim := range lims {
				lim.deadline, lim.visits = time.Now().Add(time.Minute), exactVisits
				for name, solve := range map[string]func(*model, []int, exactLimits) exactResult{"instances": solveExact, "node sets": proveBySubsets} {
					r := solve(m, all, lim)
					if !r.proven {
						t.Fatalf("trial %d, %s, limits %d: not finished after %d visits", trial, name, i, r.visits)
					}
					want := min(e.best, beat)
					if r.nodes != want {
						t.Fatalf("trial %d, %s, limits %d (beat %d, floor %d): %d nodes, exhaustive %d for %+v", trial, name, i, beat, lim.floor, r.nodes, e.best, p)
					}
					if (r.s != nil) != (want < beat) {
						t.Fatalf("trial %d, %s: packing returned %v, want one only below %d", trial, name, r.s != nil, beat)
					}
					if r.s != nil {
						checkPacking(t, r.s, all, r.nodes)
					}
				}
			}
		}
		if e.lb >= 0 {
			solved++
		} else {
			infeasible++
		}
	}
	if solved < 300 || infeasible < 30 {
		t.Fatalf("%d problems solved exhaustively, %d with no packing: too few to tell", solved, infeasible)
	}
	t.Logf("%d problems solved, %d with no packing", solved, infeasible)
}

// crowdedProblem draws 3–5 nodes in two regions and two datacenters (some in use, some with
// GPUs) and up to 8 instances in 2–5 groups, each constrained to a region, a datacenter or
// nothing, so that the groups' nodes nest and overlap, with GPU asks, distinct_hosts and spread
// limits of one or two per value; sizes are large against the nodes, so room runs short.
func crowdedProblem(rng *rand.Rand) Problem {
	var p Problem
	for i := range 3 + rng.IntN(3) {
		n := Node{
			ID:       fmt.Sprintf("n%d", i),
			CPUMHz:   int64(3+rng.IntN(6)) * 1000,
			MemoryMB: int64(3+rng.IntN(6)) * 1024,
			DiskMB:   1000,
			Attributes: map[string]string{
				"region":     []string{"eu", "us"}[rng.IntN(2)],
				"datacenter": []string{"d1", "d2", "d3"}[rng.IntN(3)],
			},
		}
		for j := range rng.IntN(3) {
			n.GPUs = append(n.GPUs, GPU{ID: fmt.Sprintf("n%d-g%d", i, j), Model: []string{"A", "B"}[rng.IntN(2)], MemoryMB: 1000, Healthy: true})
		}
		if rng.IntN(4) == 0 {
			n.Used = Resources{CPUMHz: n.CPUMHz / 3, MemoryMB: n.MemoryMB / 4}
		}
		p.Nodes = append(p.Nodes, n)
	}
	left := 2 + rng.IntN(7)
	for k := 0; left > 0 && k < 5; k++ {
		g := Group{ID: fmt.Sprintf("g%d", k), Count: 1 + rng.IntN(min(left, 4)), CPUMHz: int64(1+rng.IntN(6)) * 500, MemoryMB: int64(1+rng.IntN(6)) * 512, DiskMB: 100}
		left -= g.Count
		if rng.IntN(5) == 0 {
			g.GPU = &GPUAsk{Count: 1}
			if rng.IntN(2) == 0 {
				g.GPU.Model = "A"
			}
		}
		g.DistinctHosts = rng.IntN(4) == 0
		switch rng.IntN(3) {
		case 0:
			g.Constraints = []Constraint{{Attribute: "${node.region}", Operator: "=", Value: "eu"}}
		case 1:
			g.Constraints = []Constraint{{Attribute: "${node.datacenter}", Operator: "=", Value: []string{"d1", "d2"}[rng.IntN(2)]}}
		}
		if rng.IntN(4) == 0 {
			g.Spread = []Spread{{Attribute: []string{"datacenter", "region"}[rng.IntN(2)], Max: 1 + rng.IntN(2)}}
		}
		p.Groups = append(p.Groups, g)
	}
	return p
}
