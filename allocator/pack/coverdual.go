package pack

import (
	"math"
	"sort"
	"time"

	"gonum.org/v1/gonum/mat"
)

// coverDual is a lower bound on the same LP as lpBound's, for fleets too large for the dense
// simplex: the LP's Lagrangian dual. With a_kn closed node n's share of cover k's need (capped at
// 1, see lpBound), any y with 0 ≤ y ≤ 1 that meets every cover (Σ_n a_kn y_n ≥ 1) has, for every
// u ≥ 0,
//
//	Σ_n y_n ≥ Σ_n y_n − Σ_k u_k (Σ_n a_kn y_n − 1) = Σ_k u_k + Σ_n y_n (1 − Σ_k u_k a_kn) ≥ Σ_k u_k − Σ_n (Σ_k u_k a_kn − 1)⁺
//
// so every u gives a bound (weak duality) and the best u the LP's value. The bound is concave and
// piecewise linear in u. Coordinate ascent (an exact line search on one multiplier at a time,
// strongest cover first) finds the pairs and mixes the surrogate tries and more — every cover at
// once, such as GPU work of several kinds beside the CPU work the racks take — but stops on
// kinks where only moving several multipliers together gains; Newton steps on a smoothed bound,
// until deadline, move on from there. Whatever u they reach, the bound is valid.
func (m *model) coverDual(covers []cover, deadline time.Time) float64 {
	d := m.newDualCovers(covers)
	if d == nil {
		return 0
	}
	best := d.ascend()
	if !deadline.IsZero() {
		best = max(best, d.smooth(deadline))
	}
	// No packing opens more than every closed node, whatever rounding did to u.
	return min(best, float64(len(d.load)))
}

// dualCovers holds the multipliers u and, for each closed node, Σ_k u_k a_kn.
type dualCovers struct {
	shares   [][]share // by cover: the closed nodes it counts and their shares of its need
	strength []int     // nodes each cover needs alone
	u        []float64
	load     []float64
}

type share struct {
	j int
	a float64
}

func (m *model) newDualCovers(covers []cover) *dualCovers {
	var closed []int
	for n := range m.nodes {
		if !m.nodes[n].preOpen {
			closed = append(closed, n)
		}
	}
	if len(covers) == 0 || len(closed) == 0 {
		return nil
	}
	d := &dualCovers{shares: make([][]share, len(covers)), strength: make([]int, len(covers)),
		u: make([]float64, len(covers)), load: make([]float64, len(closed))}
	for k, c := range covers {
		for j, n := range closed {
			if c.sig == nil || c.sig.isFeas[n] {
				if v := min(1, m.capacity(c.sig, n, c.dim, false)/c.need); v > 0 {
					d.shares[k] = append(d.shares[k], share{j, v})
				}
			}
		}
		d.strength[k] = m.nodesToCover(c)
		total := 0.0
		for _, s := range d.shares[k] {
			total += s.a
		}
		if total < 1-1e-9 {
			// Not even every closed node together meets it: nothing placing these instances
			// exists, and its multiplier would grow without end. The other covers still bound.
			d.shares[k] = nil
		}
	}
	return d
}

// value is the bound at u.
func (d *dualCovers) value() float64 {
	v := 0.0
	for _, x := range d.u {
		v += x
	}
	for _, r := range d.load {
		v -= max(0, r-1)
	}
	return v
}

func (d *dualCovers) set(k int, x float64) {
	for _, s := range d.shares[k] {
		d.load[s.j] += (x - d.u[k]) * s.a
	}
	d.u[k] = x
}

// coverDualSweeps caps the coordinate ascent's passes over the covers; it stops earlier when
// one adds nothing.
const coverDualSweeps = 8

// ascend is coordinate ascent from u = 0, strongest cover first; it returns the bound reached.
func (d *dualCovers) ascend() float64 {
	order := make([]int, len(d.u))
	for k := range order {
		order[k] = k
	}
	sort.SliceStable(order, func(x, y int) bool { return d.strength[order[x]] > d.strength[order[y]] })
	type kink struct{ x, a float64 }
	var kinks []kink
	best := 0.0
	for sweep := 0; sweep < coverDualSweeps; sweep++ {
		for _, k := range order {
			// Along u_k the bound rises at slope 1 less the shares of the nodes past 1; node n
			// passes 1 at u_k = (1 − its load without k) / a_kn.
			kinks = kinks[:0]
			for _, s := range d.shares[k] {
				kinks = append(kinks, kink{max(0, (1-(d.load[s.j]-d.u[k]*s.a))/s.a), s.a})
			}
			sort.Slice(kinks, func(x, y int) bool { return kinks[x].x < kinks[y].x })
			x, slope := d.u[k], 1.0
			for _, kk := range kinks {
				x = kk.x
				if slope -= kk.a; slope <= 0 {
					break
				}
			}
			if slope <= 0 {
				d.set(k, x)
			}
		}
		v := d.value()
		if v <= best*(1+1e-9) {
			return max(best, v)
		}
		best = v
	}
	return best
}

// smoothTemps are the smoothing widths, widest first: (r − 1)⁺ is replaced by
// τ·log(1 + e^((r−1)/τ)), which is smooth and at least as large, so the smoothed bound is below
// the bound, and it approaches it as τ shrinks.
var smoothTemps = []float64{0.03, 0.01, 0.003, 0.001}

const smoothSteps = 12

// smooth takes projected Newton steps on the smoothed bound from the current u (the covers it
// couples are few, so the Hessian is small), halving each until the smoothed bound rises, for
// each width in turn, until deadline. It returns the best bound met on the way (the true one,
// not the smoothed) and leaves u there.
func (d *dualCovers) smooth(deadline time.Time) float64 {
	best := d.value()
	bestU := append([]float64(nil), d.u...)
	k := len(d.u)
	// byNode lists each closed node's covers and shares, for the Hessian's outer products.
	byNode := make([][]coverShare, len(d.load))
	for c, list := range d.shares {
		for _, s := range list {
			byNode[s.j] = append(byNode[s.j], coverShare{c, s.a})
		}
	}
	grad, from := make([]float64, k), make([]float64, k)
	hess := mat.NewSymDense(k, nil)
	smoothed := func(tau float64) float64 {
		v := 0.0
		for _, x := range d.u {
			v += x
		}
		for _, r := range d.load {
			if z := (r - 1) / tau; z > 30 {
				v -= r - 1
			} else {
				v -= tau * math.Log1p(math.Exp(z))
			}
		}
		return v
	}
	for _, tau := range smoothTemps {
		for it := 0; it < smoothSteps; it++ {
			if time.Now().After(deadline) {
				break
			}
			for c := range grad {
				grad[c] = 1
			}
			hess.Zero()
			for j, list := range byNode {
				z := (d.load[j] - 1) / tau
				sig := 1 / (1 + math.Exp(-z))
				w := sig * (1 - sig) / tau
				for x, p := range list {
					grad[p.k] -= sig * p.a
					for _, q := range list[x:] {
						hess.SetSym(p.k, q.k, hess.At(p.k, q.k)+w*p.a*q.a)
					}
				}
			}
			step, ok := newtonStep(hess, grad, d.u, d.shares)
			if !ok {
				break
			}
			base := smoothed(tau)
			copy(from, d.u)
			moved := false
			for t := 1.0; t > 1e-9 && !moved; t /= 2 {
				for c := range d.u {
					d.set(c, max(0, from[c]+t*step[c]))
				}
				moved = smoothed(tau) > base
			}
			if !moved {
				for c := range d.u {
					d.set(c, from[c])
				}
				break
			}
			if v := d.value(); v > best {
				best = v
				copy(bestU, d.u)
			}
		}
	}
	for c := range d.u {
		d.set(c, bestU[c])
	}
	return best
}

type coverShare struct {
	k int
	a float64
}

// newtonStep solves H·step = grad (H the smoothed bound's negated Hessian) over the multipliers
// free to move: not those at 0 whose gradient pushes them below it, nor covers without shares.
// A ridge of a thousandth of H's largest diagonal entry keeps the step short where the
// smoothed bound is nearly flat (all nodes far from their kinks) and H positive definite where
// covers are nearly parallel.
func newtonStep(hess *mat.SymDense, grad, u []float64, shares [][]share) ([]float64, bool) {
	var free []int
	for c := range grad {
		if len(shares[c]) > 0 && (u[c] > 0 || grad[c] > 0) {
			free = append(free, c)
		}
	}
	step := make([]float64, len(grad))
	if len(free) == 0 {
		return step, false
	}
	h := mat.NewSymDense(len(free), nil)
	g := mat.NewVecDense(len(free), nil)
	ridge := 0.0
	for _, c := range free {
		ridge = max(ridge, hess.At(c, c))
	}
	ridge = max(ridge*1e-3, 1e-9)
	for x, c := range free {
		g.SetVec(x, grad[c])
		for y, e := range free[x:] {
			h.SetSym(x, x+y, hess.At(c, e))
		}
		h.SetSym(x, x, h.At(x, x)+ridge)
	}
	var chol mat.Cholesky
	if !chol.Factorize(h) {
		return step, false
	}
	var sol mat.VecDense
	if err := chol.SolveVecTo(&sol, g); err != nil {
		return step, false
	}
	for x, c := range free {
		step[c] = sol.AtVec(x)
	}
	return step, true
}
