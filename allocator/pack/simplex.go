package pack

import (
	"errors"
	"math"

	"gonum.org/v1/gonum/mat"
)

// master is the restricted master LP of column generation, solved by a dense revised simplex
// that keeps the basis inverse and takes columns as they are priced:
//
//	min Σ cost_j x_j  s.t.  Σ a_ij x_j ≥ demand_i (cover rows),  Σ_{j of class k} x_j ≤ avail_k
//
// gonum's lp.Simplex (tried first) refactors the basis three times a pivot, cannot be
// warm-started after a column is added and returns no duals; with a few hundred rows one
// solve took longer than the whole packing budget. Nothing here decides validity: the bound
// is computed from the duals by weak duality (see lagrangian), so a dual vector that is off
// only makes the bound looser.
type master struct {
	rows   int // cover rows first, then one row per class
	covers int
	cols   []lpColumn
	basis  []int     // column in each basic position
	binv   []float64 // rows×rows basis inverse, row-major
	xb     []float64
	b      []float64 // right-hand side: demands, then availabilities
	pivots int
}

// lpColumn is a sparse column: the rows it has entries in, their values, and its cost.
type lpColumn struct {
	rows []int32
	vals []float64
	cost float64
	// class is the node class of a pattern column, -1 for slack and artificial columns.
	class int
	// counts holds a pattern's instances per cover row (the same as vals on cover rows).
	counts []int32
}

// artificialCost prices the columns that cover one instance out of thin air; it stays above
// any number of nodes a pattern column can stand for, so they leave the basis when real
// patterns can cover the demand.
const artificialCost = 1e6

const (
	simplexTol        = 1e-9
	simplexRefactorAt = 64 // pivots between recomputing the basis inverse from scratch
	// blandAfter is how many pivots in a row that leave the objective where it was switch the
	// entering and leaving choice to Bland's rule.
	blandAfter = 50
)

var errSimplexStalled = errors.New("pack: simplex made no progress")

// newMaster starts from the basis of artificial columns (one per cover row) and slacks.
func newMaster(demand []float64, avail []float64) *master {
	nc, nk := len(demand), len(avail)
	lp := &master{rows: nc + nk, covers: nc}
	r := lp.rows
	lp.binv = make([]float64, r*r)
	lp.xb = make([]float64, r)
	lp.b = append(append([]float64{}, demand...), avail...)
	for i := 0; i < r; i++ {
		lp.binv[i*r+i] = 1
	}
	for i, d := range demand {
		lp.cols = append(lp.cols, lpColumn{rows: []int32{int32(i)}, vals: []float64{1}, cost: artificialCost, class: -1})
		lp.basis = append(lp.basis, len(lp.cols)-1)
		lp.xb[i] = d
		// Surplus: covering more than asked costs nothing.
		lp.cols = append(lp.cols, lpColumn{rows: []int32{int32(i)}, vals: []float64{-1}, class: -1})
	}
	for k, a := range avail {
		lp.cols = append(lp.cols, lpColumn{rows: []int32{int32(nc + k)}, vals: []float64{1}, class: -1})
		lp.basis = append(lp.basis, len(lp.cols)-1)
		lp.xb[nc+k] = a
	}
	return lp
}

// addPattern adds the column of a pattern on class k holding counts[i] instances of cover row
// rows[i].
func (lp *master) addPattern(k int, cost float64, rows []int32, counts []int32) {
	c := lpColumn{cost: cost, class: k, counts: counts}
	for i, r := range rows {
		c.rows = append(c.rows, r)
		c.vals = append(c.vals, float64(counts[i]))
	}
	c.rows = append(c.rows, int32(lp.covers+k))
	c.vals = append(c.vals, 1)
	lp.cols = append(lp.cols, c)
}

// duals are y = c_Bᵀ B⁻¹: cover rows get π ≥ 0 at the optimum, class rows −μ ≤ 0.
func (lp *master) duals() []float64 {
	r := lp.rows
	y := make([]float64, r)
	for p, j := range lp.basis {
		cb := lp.cols[j].cost
		if cb == 0 {
			continue
		}
		row := lp.binv[p*r : (p+1)*r]
		for i, v := range row {
			y[i] += cb * v
		}
	}
	return y
}

func (lp *master) value() float64 {
	z := 0.0
	for p, j := range lp.basis {
		z += lp.cols[j].cost * lp.xb[p]
	}
	return z
}

// solve pivots (Dantzig's rule, the lowest index on ties) until no column prices out or
// maxPivots more pivots were made.
func (lp *master) solve(maxPivots int) error {
	r := lp.rows
	inBasis := make([]bool, len(lp.cols))
	for _, j := range lp.basis {
		inBasis[j] = true
	}
	w := make([]float64, r)
	y := lp.duals()
	degenerate := 0
	for it := 0; it < maxPivots; it++ {
		// Covering LPs have highly degenerate bases, on which Dantzig's rule can cycle (it did:
		// thousands of pivots without the objective moving); after a run of pivots that moved
		// nothing, Bland's rule (the first improving column, the lowest leaving index on ties)
		// takes over until one does, which cannot cycle.
		bland := degenerate >= blandAfter
		enter, best := -1, -simplexTol
		for j := range lp.cols {
			if inBasis[j] {
				continue
			}
			c := &lp.cols[j]
			rc := c.cost
			for t, row := range c.rows {
				rc -= y[row] * c.vals[t]
			}
			if rc < best*(1+1e-12) {
				enter, best = j, rc
				if bland {
					break
				}
			}
		}
		if enter < 0 {
			return nil
		}
		// w = B⁻¹ a_enter
		clear(w)
		c := &lp.cols[enter]
		for t, row := range c.rows {
			v := c.vals[t]
			for i := 0; i < r; i++ {
				w[i] += lp.binv[i*r+int(row)] * v
			}
		}
		leave, ratio := -1, math.Inf(1)
		for i := 0; i < r; i++ {
			if w[i] > simplexTol {
				q := lp.xb[i] / w[i]
				if q < ratio-1e-12 || (bland && q <= ratio+1e-12 && lp.basis[i] < lp.basis[leave]) {
					leave, ratio = i, q
				}
			}
		}
		if leave < 0 {
			// Unbounded cannot happen with costs ≥ 0; treat it as numerical trouble.
			return errSimplexStalled
		}
		if ratio*max(-best, 0) <= 1e-12 {
			degenerate++
		} else {
			degenerate = 0
		}
		lp.pivot(leave, w)
		// y' = y + d_enter · (row leave of the new B⁻¹): the entering column prices to 0.
		for k, v := range lp.binv[leave*r : (leave+1)*r] {
			y[k] += best * v
		}
		inBasis[lp.basis[leave]] = false
		inBasis = append(inBasis, make([]bool, len(lp.cols)-len(inBasis))...)
		inBasis[enter] = true
		lp.basis[leave] = enter
		if lp.pivots++; lp.pivots%simplexRefactorAt == 0 {
			if err := lp.refactor(); err != nil {
				return err
			}
			y = lp.duals()
		}
	}
	return nil
}

// pivot updates B⁻¹ and x_B for column enter replacing basic position leave.
func (lp *master) pivot(leave int, w []float64) {
	r := lp.rows
	pr := lp.binv[leave*r : (leave+1)*r]
	inv := 1 / w[leave]
	for k := range pr {
		pr[k] *= inv
	}
	lp.xb[leave] *= inv
	for i := 0; i < r; i++ {
		if i == leave || w[i] == 0 {
			continue
		}
		f := w[i]
		row := lp.binv[i*r : (i+1)*r]
		for k, v := range pr {
			if v != 0 {
				row[k] -= f * v
			}
		}
		lp.xb[i] -= f * lp.xb[leave]
		if lp.xb[i] < 0 && lp.xb[i] > -1e-9 {
			lp.xb[i] = 0
		}
	}
}

// refactor recomputes B⁻¹ and x_B from the basis columns, dropping the rounding error that
// rank-one updates pile up.
func (lp *master) refactor() error {
	r := lp.rows
	b := mat.NewDense(r, r, nil)
	for p, j := range lp.basis {
		c := &lp.cols[j]
		for t, row := range c.rows {
			b.Set(int(row), p, c.vals[t])
		}
	}
	var inv mat.Dense
	if err := inv.Inverse(b); err != nil {
		return errors.Join(errSimplexStalled, err)
	}
	for i := 0; i < r; i++ {
		s := 0.0
		for k := 0; k < r; k++ {
			v := inv.At(i, k)
			lp.binv[i*r+k] = v
			s += v * lp.b[k]
		}
		lp.xb[i] = max(s, 0)
	}
	return nil
}
