package pack

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

// The textbook case where decreasing greedy orders lose a node: providers of 10 GHz and three
// lots of instances of 5, 4 and 3 GHz. Whole patterns of 10 GHz are {5, 5} and {4, 3, 3}, so
// the LP's solution is integral, and rounding it down packs every instance on as few providers
// as the LP says, before any greedy or local search; the greedy members open a provider more.
func TestPriceAndRoundPacksAnIntegralLPExactly(t *testing.T) {
	const k = 3 // copies of each lot: patterns are used k and 2k times
	p := Problem{}
	for i := range 4 * k {
		p.Nodes = append(p.Nodes, Node{ID: fmt.Sprintf("n%d", i), CPUMHz: 10000, MemoryMB: 65536, DiskMB: 10000})
	}
	p.Groups = []Group{
		{ID: "five", Count: 2 * k, CPUMHz: 5000, MemoryMB: 1024, DiskMB: 100},
		{ID: "four", Count: 2 * k, CPUMHz: 4000, MemoryMB: 1024, DiskMB: 100},
		{ID: "three", Count: 4 * k, CPUMHz: 3000, MemoryMB: 1024, DiskMB: 100},
	}
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	m := newModel(&p)
	all := []int{2 * k, 2 * k, 4 * k}
	cm, res, sol, ok := m.solveClassLP(all, nil, colgenLimits{deadline: time.Now().Add(time.Minute), prove: true}, true)
	if !ok || !res.converged {
		t.Fatalf("class LP: model %v, %+v", ok, res)
	}
	lpNodes := 0.0
	for _, q := range sol {
		if q.x != math.Floor(q.x+1e-9) {
			t.Fatalf("LP solution %+v is not integral", sol)
		}
		lpNodes += q.x
	}
	if lpNodes != 3*k {
		t.Fatalf("LP uses %g nodes, want %d", lpNodes, 3*k)
	}
	s := newState(m)
	s.roundPatterns(cm, sol, nil, 0)
	checkPacking(t, s, all, 3*k)

	s = newState(m)
	priceAndRound(s, rand.New(rand.NewPCG(1, 1)), 0, time.Now().Add(time.Minute))
	checkPacking(t, s, all, 3*k)
	g := newState(m)
	binCentric(l2Norm, false, true)(g, nil, 0, time.Time{})
	if g.opened <= s.opened {
		t.Fatalf("the greedy alone used %d nodes, price-and-round %d: the test no longer shows rounding at work", g.opened, s.opened)
	}
}

// TestPriceAndRoundKeepsRules runs the member, rounding down and rounding randomly, on small
// random problems (GPU models, distinct_hosts, region constraints, spread limits, nodes in
// use): every placement fits when replayed, and no packing beats the exhaustive optimum.
func TestPriceAndRoundKeepsRules(t *testing.T) {
	rng := rand.New(rand.NewPCG(20, 20))
	solved, rounded := 0, 0
	for trial := 0; trial < 300; trial++ {
		_, m, e, ok := tinyOptimum(rng)
		if !ok {
			continue
		}
		for _, noise := range []float64{0, restartNoise} {
			s := newState(m)
			priceAndRound(s, rand.New(rand.NewPCG(uint64(trial), 1)), noise, time.Now().Add(time.Second))
			checkPacking(t, s, s.placedPerGroup(), s.opened)
			if e.lb >= 0 && s.placed() == m.instances && s.opened < e.best {
				t.Fatalf("trial %d noise %g: %d nodes, below the optimum %d", trial, noise, s.opened, e.best)
			}
			if m.lp.lp != nil {
				rounded++
			}
		}
		if e.lb >= 0 {
			solved++
		}
	}
	if solved < 100 || rounded == 0 {
		t.Fatalf("%d problems solved exhaustively, %d runs had a class LP to round", solved, rounded)
	}
}
