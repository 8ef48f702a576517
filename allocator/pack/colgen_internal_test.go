package pack

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize/convex/lp"
)

// TestColumnBoundNeverExceedsOptimum checks the class bound alone against exhaustive optima
// of small random problems, seeded with a heuristic packing's loads and without, on the exact
// classes and on the coarsest grid (where items are rounded down and nodes up).
func TestColumnBoundNeverExceedsOptimum(t *testing.T) {
	rng := rand.New(rand.NewPCG(20, 1))
	solved, converged, tight := 0, 0, 0
	for trial := 0; trial < 600; trial++ {
		p, m, e, ok := tinyOptimum(rng)
		if !ok {
			continue
		}
		if e.lb < 0 {
			continue
		}
		solved++
		placed := m.everyInstance()
		open := 0
		for n := range m.nodes {
			if m.nodes[n].preOpen {
				open++
			}
		}
		packed := newState(m)
		firstFit(packed, groupOrder(m, byDominant, nil, 0), nodeOrder(m, nil, 0))
		for _, grid := range []float64{1, classGrid[len(classGrid)-1]} {
			sigIdx := map[*signature]int{}
			cm := &classModel{}
			for g := range m.groups {
				if sig := m.groups[g].sig; sigIdx[sig] == 0 {
					cm.sigs = append(cm.sigs, sig)
					sigIdx[sig] = len(cm.sigs)
				}
			}
			cm.items, cm.itemOf = m.itemClasses(placed, sigIdx, grid)
			cm.nodes, cm.nodeOf = m.nodeClasses(cm.sigs, grid)
			var seed []pattern
			if packed.placed() == m.instances {
				seed = cm.loads(packed)
			}
			r := cm.columnGeneration(cm.master(), seed, colgenLimits{deadline: time.Now().Add(time.Second), prove: true})
			lb := open + int(math.Ceil(r.bound-1e-6*max(1, r.bound)))
			if lb > e.best {
				t.Fatalf("trial %d grid %g: class bound %d (LP %.6f, converged %v) above the optimum %d for %+v", trial, grid, lb, r.bound, r.converged, e.best, p)
			}
			if r.converged {
				converged++
			}
			if lb == e.best {
				tight++
			}
		}
	}
	if solved < 200 {
		t.Fatalf("only %d problems solved exactly", solved)
	}
	t.Logf("%d problems; column generation converged %d times of %d and met the optimum %d times", solved, converged, 2*solved, tight)
}

// TestMasterMatchesGonum solves random covering LPs with availability rows by the master's
// simplex and by gonum's, and compares the optima and the dual objective.
func TestMasterMatchesGonum(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	for trial := 0; trial < 200; trial++ {
		nc, nk, np := 1+rng.IntN(5), 1+rng.IntN(3), 1+rng.IntN(12)
		demand := make([]float64, nc)
		for i := range demand {
			demand[i] = float64(1 + rng.IntN(9))
		}
		avail := make([]float64, nk)
		for k := range avail {
			avail[k] = float64(1 + rng.IntN(6))
		}
		type col struct {
			k      int
			cost   float64
			counts []int32
		}
		var cols []col
		for j := 0; j < np; j++ {
			c := col{k: rng.IntN(nk), cost: float64(rng.IntN(2)), counts: make([]int32, nc)}
			for i := range c.counts {
				c.counts[i] = int32(rng.IntN(4))
			}
			cols = append(cols, c)
		}
		// A unit column per cover row on a class of its own keeps every problem feasible.
		m := newMaster(demand, append(avail, 1e3))
		for _, c := range cols {
			var rows, counts []int32
			for i, v := range c.counts {
				if v > 0 {
					rows, counts = append(rows, int32(i)), append(counts, v)
				}
			}
			m.addPattern(c.k, c.cost, rows, counts)
		}
		for i := 0; i < nc; i++ {
			m.addPattern(nk, 1, []int32{int32(i)}, []int32{1})
		}
		if err := m.solve(10000); err != nil {
			t.Fatalf("trial %d: %v", trial, err)
		}
		// gonum: [patterns | unit columns | surplus per cover | slack per class] in standard form.
		width := np + nc + nc + nk + 1
		a := mat.NewDense(nc+nk+1, width, nil)
		cost := make([]float64, width)
		for j, c := range cols {
			for i, v := range c.counts {
				a.Set(i, j, float64(v))
			}
			a.Set(nc+c.k, j, 1)
			cost[j] = c.cost
		}
		for i := 0; i < nc; i++ {
			a.Set(i, np+i, 1)
			a.Set(nc+nk, np+i, 1)
			cost[np+i] = 1
			a.Set(i, np+nc+i, -1)
		}
		for k := 0; k <= nk; k++ {
			a.Set(nc+k, np+2*nc+k, 1)
		}
		b := append(append(append([]float64{}, demand...), avail...), 1e3)
		want, _, err := lp.Simplex(cost, a, b, 1e-10, nil)
		if err != nil {
			t.Fatalf("trial %d: gonum: %v", trial, err)
		}
		if got := m.value(); math.Abs(got-want) > 1e-6*max(1, want) {
			t.Fatalf("trial %d: master optimum %.9f, gonum %.9f", trial, got, want)
		}
		y := m.duals()
		dual := 0.0
		for i := range m.b {
			dual += m.b[i] * y[i]
		}
		if math.Abs(dual-want) > 1e-6*max(1, want) {
			t.Fatalf("trial %d: dual objective %.9f, primal %.9f", trial, dual, want)
		}
	}
}
