package pack

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

// One node of each kind covers CPU or GPUs alone, so each cover by itself asks for one node;
// together they need two, which only the LP (and the surrogate) see.
func TestLPBoundCombinesCovers(t *testing.T) {
	gpu := func(id string) GPU { return GPU{ID: id, Model: "L4", MemoryMB: 23034, Healthy: true} }
	p := Problem{Nodes: []Node{
		{ID: "x", CPUMHz: 6000, GPUs: []GPU{gpu("x0")}},
		{ID: "y", CPUMHz: 10000},
		{ID: "z", GPUs: []GPU{gpu("z0"), gpu("z1")}},
	}}
	m := newModel(&p)
	covers := []cover{{dim: dimCPU, need: 10000}, {dim: nScalar, need: 2}}
	for _, c := range covers {
		if k := m.nodesToCover(c); k != 1 {
			t.Fatalf("cover %+v alone needs %d nodes, want 1", c, k)
		}
	}
	if v, ok := m.lpBound(covers); !ok || ceilBound(v) != 2 {
		t.Fatalf("LP bound = %g (solved %v), want 2", v, ok)
	}
	if v := m.surrogateBound(covers); v != 2 {
		t.Fatalf("surrogate bound = %d, want 2", v)
	}
}

// TestLowerBoundNeverExceedsOptimum solves small random problems exactly (every node, and
// every choice of GPUs, for every instance) and checks that the bound for placing all of
// their instances is never above the fewest nodes any placement of them uses.
func TestLowerBoundNeverExceedsOptimum(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 2))
	solved, tight := 0, 0
	for trial := 0; trial < 1000; trial++ {
		p, _, e, ok := tinyOptimum(rng)
		if !ok {
			continue
		}
		if e.lb < 0 {
			continue // not every instance can be placed at once
		}
		solved++
		if e.lb > e.best {
			t.Fatalf("trial %d: lower bound %d above the optimum %d for %+v", trial, e.lb, e.best, p)
		}
		if e.lb == e.best {
			tight++
		}
	}
	if solved < 300 {
		t.Fatalf("only %d of 1000 problems could be solved; the generator needs retuning", solved)
	}
	t.Logf("%d problems solved exactly; the bound equals the optimum on %d", solved, tight)
}

func lowerBound(s *state) int {
	return bestBound(s, time.Now().Add(DefaultBudget*boundShare/100)).nodes
}

// exhaustive finds the fewest nodes in use over all placements of every instance.
type exhaustive struct {
	s    *state
	best int
	lb   int // lowerBound of the first complete placement (the same for all of them)
}

func (e *exhaustive) search(i int) {
	s, m := e.s, e.s.m
	if s.opened >= e.best {
		return
	}
	if i == m.instances {
		if e.lb < 0 {
			e.lb = lowerBound(s)
		}
		e.best = s.opened
		return
	}
	g := int(m.instGroup[i])
	cg := &m.groups[g]
	first := 0
	if i > m.base[g] {
		// Instances of a group are interchangeable: take nodes in non-decreasing order.
		first = int(s.node[i-1])
	}
	for n := first; n < len(m.nodes); n++ {
		if !cg.sig.isFeas[n] || !s.fits(g, n) {
			continue
		}
		if cg.gpus == 0 {
			s.placeWith(int32(i), g, n, 0)
			e.search(i + 1)
			s.remove(int32(i), g)
			continue
		}
		free := cg.sig.gpuElig[n] & s.gpuFree[n]
		for pick := free; pick > 0; pick = (pick - 1) & free {
			if popcount(pick) == cg.gpus {
				s.placeWith(int32(i), g, n, pick)
				e.search(i + 1)
				s.remove(int32(i), g)
			}
		}
	}
}

// tinyProblem draws 2–5 nodes (some in use, some with GPUs of two models, two regions and
// datacenters) and up to 7 instances in 1–3 groups with GPU asks, distinct_hosts, region
// constraints and spread limits.
// tinyOptimum draws a tiny problem and searches it exhaustively; ok is false for a draw that
// does not validate.
func tinyOptimum(rng *rand.Rand) (Problem, *model, exhaustive, bool) {
	p := tinyProblem(rng)
	if p.Validate() != nil {
		return p, nil, exhaustive{}, false
	}
	m := newModel(&p)
	e := exhaustive{s: newState(m), best: len(m.nodes) + 1, lb: -1}
	e.search(0)
	return p, m, e, true
}

func tinyProblem(rng *rand.Rand) Problem {
	var p Problem
	for i := range 2 + rng.IntN(4) {
		n := Node{
			ID:       fmt.Sprintf("n%d", i),
			CPUMHz:   int64(2+rng.IntN(7)) * 1000,
			MemoryMB: int64(2+rng.IntN(7)) * 1024,
			DiskMB:   1000,
			Attributes: map[string]string{
				"region":     []string{"eu", "us"}[rng.IntN(2)],
				"datacenter": []string{"d1", "d2"}[rng.IntN(2)],
			},
		}
		for j := range rng.IntN(4) {
			n.GPUs = append(n.GPUs, GPU{ID: fmt.Sprintf("n%d-g%d", i, j), Model: []string{"A", "B"}[rng.IntN(2)], MemoryMB: 1000, Healthy: true})
		}
		if rng.IntN(10) < 3 {
			n.Used = Resources{CPUMHz: n.CPUMHz / 4, MemoryMB: n.MemoryMB / 3}
			if len(n.GPUs) > 0 && rng.IntN(2) == 0 {
				n.UsedGPUs = []string{n.GPUs[0].ID}
			}
		}
		p.Nodes = append(p.Nodes, n)
	}
	left := 1 + rng.IntN(7)
	for k := 0; left > 0 && k < 3; k++ {
		g := Group{ID: fmt.Sprintf("g%d", k), Count: 1 + rng.IntN(min(left, 3)), CPUMHz: int64(1+rng.IntN(8)) * 500, MemoryMB: int64(1+rng.IntN(8)) * 512, DiskMB: 100}
		left -= g.Count
		if rng.IntN(4) == 0 {
			g.GPU = &GPUAsk{Count: 1 + rng.IntN(2)}
			if rng.IntN(2) == 0 {
				g.GPU.Model = "A"
			}
		}
		g.DistinctHosts = rng.IntN(10) < 3
		if rng.IntN(5) == 0 {
			g.Constraints = []Constraint{{Attribute: "${node.region}", Operator: "=", Value: "eu"}}
		}
		if rng.IntN(7) == 0 {
			g.Spread = []Spread{{Attribute: "datacenter", Max: 1}}
		}
		p.Groups = append(p.Groups, g)
	}
	return p
}

// Three small instances at most one per datacenter need three nodes, which no capacity cover
// sees; a datacenter with a node in use takes its one for free, and a node without the
// attribute lifts the limit.
func TestSpreadBoundCountsValues(t *testing.T) {
	fleet := func(used bool, unset bool) Problem {
		var p Problem
		for i := range 4 {
			n := Node{ID: fmt.Sprintf("n%d", i), CPUMHz: 8000, MemoryMB: 8192, DiskMB: 10000,
				Attributes: map[string]string{"datacenter": fmt.Sprintf("dc%d", i%3)}}
			if used && i == 0 {
				n.Used = Resources{CPUMHz: 1000}
			}
			if unset && i == 3 {
				n.Attributes = nil
			}
			p.Nodes = append(p.Nodes, n)
		}
		p.Groups = []Group{{ID: "web", Count: 3, CPUMHz: 500, MemoryMB: 256, DiskMB: 100,
			Spread: []Spread{{Attribute: "datacenter", Max: 1}}}}
		return p
	}
	for _, c := range []struct {
		used, unset bool
		want        int
	}{{false, false, 3}, {true, false, 3}, {false, true, 1}} {
		p := fleet(c.used, c.unset)
		m := newModel(&p)
		got := m.boundFor([]int{3}, nil, time.Time{})
		if got.nodes != c.want {
			t.Fatalf("in use %v, attribute unset on one %v: bound %+v, want %d", c.used, c.unset, got, c.want)
		}
	}
}
