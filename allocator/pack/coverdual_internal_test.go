package pack

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

// TestCoverDualNeverExceedsOptimum checks the cover LP's dual bound, by coordinate ascent alone
// and with the smoothed steps, against exhaustive optima of small random problems.
func TestCoverDualNeverExceedsOptimum(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 3))
	solved, tight := 0, 0
	for trial := 0; trial < 800; trial++ {
		p, m, e, ok := tinyOptimum(rng)
		if !ok {
			continue
		}
		if e.lb < 0 {
			continue
		}
		solved++
		placed := m.everyInstance()
		covers := m.covers(placed)
		for _, deadline := range []time.Time{{}, time.Now().Add(time.Second)} {
			v := m.coverDual(covers, deadline)
			if lb := m.openNodes() + ceilBound(v); lb > e.best {
				t.Fatalf("trial %d: cover dual %.6f gives %d nodes, above the optimum %d for %+v", trial, v, lb, e.best, p)
			} else if lb == e.best {
				tight++
			}
		}
	}
	if solved < 250 {
		t.Fatalf("only %d problems solved exactly", solved)
	}
	t.Logf("%d problems; the dual bound met the optimum %d times of %d", solved, tight, 2*solved)
}

// TestCoverDualApproachesLP compares the dual bound with the cover LP solved by gonum's simplex on
// random fleets of up to 120 providers: never above it (weak duality), and close to it.
func TestCoverDualApproachesLP(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 9))
	compared, equal := 0, 0
	worst := 0.0
	for trial := 0; trial < 150; trial++ {
		p := fleetProblem(rng, 10+rng.IntN(111))
		if p.Validate() != nil {
			continue
		}
		m := newModel(&p)
		placed := m.everyInstance()
		covers := m.covers(placed)
		z, ok := m.lpBound(covers)
		if !ok {
			continue
		}
		compared++
		v := m.coverDual(covers, time.Now().Add(time.Second))
		if v > z+1e-6*max(1, z) {
			t.Fatalf("trial %d: dual bound %.9f above the LP's value %.9f", trial, v, z)
		}
		if ceilBound(v) == ceilBound(z) {
			equal++
		}
		worst = max(worst, (z-v)/max(1, z))
	}
	if compared < 100 {
		t.Fatalf("only %d LPs solved", compared)
	}
	if float64(equal) < 0.95*float64(compared) || worst > 0.01 {
		t.Fatalf("the dual bound rounds to the LP's on %d of %d; worst shortfall %.1f %%", equal, compared, 100*worst)
	}
	t.Logf("%d LPs; the dual bound rounds to the same nodes on %d; worst shortfall %.2f %%", compared, equal, 100*worst)
}

// fleetProblem draws n providers of four shapes (some with GPUs of two models, in two regions,
// some in use) and 2–8 groups of 1–40 instances with GPU asks, distinct_hosts and region
// constraints, sized so that they fill a fraction of the fleet.
func fleetProblem(rng *rand.Rand, n int) Problem {
	var p Problem
	for i := range n {
		shape := rng.IntN(4)
		node := Node{
			ID:         fmt.Sprintf("n%d", i),
			CPUMHz:     int64(4<<shape+rng.IntN(4<<shape)) * 1000,
			MemoryMB:   int64(8<<shape+rng.IntN(8<<shape)) * 1024,
			DiskMB:     int64(100+rng.IntN(900)) * 1024,
			Attributes: map[string]string{"region": []string{"eu", "us"}[rng.IntN(2)]},
		}
		if shape == 2 {
			for j := range 1 + rng.IntN(4) {
				node.GPUs = append(node.GPUs, GPU{ID: fmt.Sprintf("n%d-g%d", i, j), Model: []string{"A", "B"}[rng.IntN(2)], MemoryMB: 1000, Healthy: true})
			}
		}
		if rng.IntN(10) == 0 {
			node.Used = Resources{CPUMHz: node.CPUMHz / 3, MemoryMB: node.MemoryMB / 4}
		}
		p.Nodes = append(p.Nodes, node)
	}
	for k := range 2 + rng.IntN(7) {
		g := Group{ID: fmt.Sprintf("g%d", k), Count: 1 + rng.IntN(min(40, n)), CPUMHz: int64(1+rng.IntN(16)) * 500,
			MemoryMB: int64(1+rng.IntN(16)) * 1024, DiskMB: 1024}
		if rng.IntN(5) == 0 {
			g.GPU = &GPUAsk{Count: 1 + rng.IntN(2)}
			if rng.IntN(2) == 0 {
				g.GPU.Model = "A"
			}
			g.Count = min(g.Count, 6)
		}
		g.DistinctHosts = rng.IntN(8) == 0
		if rng.IntN(4) == 0 {
			g.Constraints = []Constraint{{Attribute: "${node.region}", Operator: "=", Value: "eu"}}
		}
		p.Groups = append(p.Groups, g)
	}
	return p
}
