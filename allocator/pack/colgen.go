package pack

import (
	"math"
	"slices"
	"sort"
	"time"
)

// pricer finds the pattern of one node class worth the most under item values π: a bounded
// multi-dimensional knapsack (CPU, memory, disk, GPUs in all and GPUs of each kind, at most
// perNode and at most the demand of each item class), by depth-first branch and bound. It
// reports the best pattern found and an upper bound on every pattern's value, which equals
// the best when the search finished within its visits.
type pricer struct {
	cm     *classModel
	items  []priceItem
	take   []int32
	best   []int32
	bestV  float64
	visits int
	limit  int
	// ratio[i][d] is the most value per unit of dimension d among items i.. (suffix maximum);
	// +Inf when one of them does not use d, so d bounds nothing.
	ratio  [][nScalar + 1]float64
	suffix []float64 // value of taking every item i.. at its most
	gpuUse []int64   // GPUs of each kind in use along the current branch
}

type priceItem struct {
	cls  int
	val  float64
	dem  [nScalar + 1]int64
	sig  int
	most int
}

// price returns the best pattern found (instances per item class, parallel to rows) and an
// upper bound on the value of any pattern of class k.
func (p *pricer) price(k int, pi []float64, limit int) (rows, counts []int32, value, upper float64) {
	nc := &p.cm.nodes[k]
	p.items = p.items[:0]
	for i := range p.cm.items {
		it := &p.cm.items[i]
		if pi[i] <= 1e-12 || !nc.feas[it.sig] {
			continue
		}
		most := it.demand
		if it.perNode > 0 {
			most = min(most, it.perNode)
		}
		for d := 0; d <= nScalar; d++ {
			if it.dem[d] > 0 {
				most = min(most, int(nc.cap[d]/it.dem[d]))
			}
		}
		if it.dem[nScalar] > 0 {
			most = min(most, int(nc.gpus[it.sig]/it.dem[nScalar]))
		}
		if most > 0 {
			p.items = append(p.items, priceItem{cls: i, val: pi[i], dem: it.dem, sig: it.sig, most: most})
		}
	}
	// Most value per share of the node first: good patterns are found early.
	density := func(it *priceItem) float64 {
		s := 0.0
		for d := 0; d <= nScalar; d++ {
			if nc.cap[d] > 0 {
				s += float64(it.dem[d]) / float64(nc.cap[d])
			}
		}
		return it.val / max(s, 1e-12)
	}
	sort.Slice(p.items, func(a, b int) bool {
		da, db := density(&p.items[a]), density(&p.items[b])
		if da != db {
			return da > db
		}
		return p.items[a].cls < p.items[b].cls
	})
	n := len(p.items)
	p.take = resize32(p.take, n)
	p.best = resize32(p.best, n)
	p.ratio = append(p.ratio[:0], make([][nScalar + 1]float64, n+1)...)
	p.suffix = append(p.suffix[:0], make([]float64, n+1)...)
	for i := n - 1; i >= 0; i-- {
		it := &p.items[i]
		p.suffix[i] = p.suffix[i+1] + float64(it.most)*it.val
		for d := 0; d <= nScalar; d++ {
			r := math.Inf(1)
			if it.dem[d] > 0 {
				r = it.val / float64(it.dem[d])
			}
			p.ratio[i][d] = max(p.ratio[i+1][d], r)
		}
	}
	for d := 0; d <= nScalar; d++ {
		p.ratio[n][d] = 0
	}
	p.gpuUse = append(p.gpuUse[:0], make([]int64, len(p.cm.sigs))...)
	p.bestV, p.visits, p.limit = 0, 0, limit
	p.search(0, nc.cap, nc, 0)
	upper = p.bestV
	if p.visits > p.limit {
		upper = max(upper, p.dantzig(nc.cap))
	}
	for i, it := range p.items {
		if p.best[i] > 0 {
			rows = append(rows, int32(it.cls))
			counts = append(counts, p.best[i])
		}
	}
	return rows, counts, p.bestV, upper
}

func resize32(b []int32, n int) []int32 {
	if cap(b) < n {
		return make([]int32, n)
	}
	b = b[:n]
	clear(b)
	return b
}

// bound is the most the items i.. can add with free capacity left: no more than all of them,
// and in each dimension no more than its free capacity at the best value per unit.
func (p *pricer) bound(i int, free [nScalar + 1]int64, val float64) float64 {
	b := p.suffix[i]
	for d := 0; d <= nScalar; d++ {
		if r := p.ratio[i][d]; !math.IsInf(r, 1) {
			b = min(b, float64(free[d])*r)
		}
	}
	return val + b
}

// dantzig bounds every pattern's value by the fractional knapsack in each dimension alone
// (items by value per unit, the last one cut), taking the least over dimensions.
func (p *pricer) dantzig(capv [nScalar + 1]int64) float64 {
	b := p.suffix[0]
	order := make([]int, len(p.items))
	for d := 0; d <= nScalar; d++ {
		order = order[:0]
		free := 0.0
		for i := range p.items {
			if p.items[i].dem[d] > 0 {
				order = append(order, i)
			} else {
				free += float64(p.items[i].most) * p.items[i].val
			}
		}
		sort.Slice(order, func(a, c int) bool {
			x, y := &p.items[order[a]], &p.items[order[c]]
			return x.val*float64(y.dem[d]) > y.val*float64(x.dem[d])
		})
		room := float64(capv[d])
		for _, i := range order {
			it := &p.items[i]
			take := min(float64(it.most), room/float64(it.dem[d]))
			free += take * it.val
			if room -= take * float64(it.dem[d]); room <= 0 {
				break
			}
		}
		b = min(b, free)
	}
	return b
}

func (p *pricer) search(i int, free [nScalar + 1]int64, nc *nodeClass, val float64) {
	p.visits++
	if val > p.bestV {
		p.bestV = val
		copy(p.best, p.take)
		clear(p.best[i:])
	}
	if i == len(p.items) || p.visits > p.limit || p.bound(i, free, val) <= p.bestV+1e-12 {
		return
	}
	it := &p.items[i]
	most := it.most
	for d := 0; d <= nScalar; d++ {
		if it.dem[d] > 0 {
			most = min(most, int(free[d]/it.dem[d]))
		}
	}
	if g := it.dem[nScalar]; g > 0 {
		most = min(most, int((nc.gpus[it.sig]-p.gpuUse[it.sig])/g))
	}
	for c := most; c >= 0; c-- {
		next := free
		for d := range next {
			next[d] -= int64(c) * it.dem[d]
		}
		p.gpuUse[it.sig] += int64(c) * it.dem[nScalar]
		p.take[i] = int32(c)
		p.search(i+1, next, nc, val+float64(c)*it.val)
		p.gpuUse[it.sig] -= int64(c) * it.dem[nScalar]
		if p.visits > p.limit {
			break
		}
	}
	p.take[i] = 0
}

const (
	// priceVisits bounds one pricing search while columns are generated: a good column
	// need not be the best.
	priceVisits = 3000
	// proofVisits bounds the searches whose upper bounds make the final bound; a search cut
	// short falls back on the fractional bound (dantzig).
	proofVisits = 20000
	// masterPivots bounds one re-optimisation of the master.
	masterPivots = 5000
)

// colgenResult is the outcome of column generation: a valid lower bound on the nodes newly
// opened; whether it stopped because no column priced out under the longer pricing (done:
// going on would add nothing); and whether it is the LP optimum of the class model (converged:
// done, and every pricing search finished).
type colgenResult struct {
	bound     float64
	done      bool
	converged bool
	columns   int
}

// master is the class model's restricted master LP before any pattern: artificial and slack
// columns only.
func (cm *classModel) master() *master {
	demand := make([]float64, len(cm.items))
	for i, it := range cm.items {
		demand[i] = float64(it.demand)
	}
	avail := make([]float64, len(cm.nodes))
	for k, nc := range cm.nodes {
		avail[k] = float64(nc.avail)
	}
	return newMaster(demand, avail)
}

// colgenLimits bound one run of column generation.
type colgenLimits struct {
	deadline time.Time
	// rounds caps the pricing rounds (0: no cap). Unlike the deadline it stops every run at the
	// same point, so what price-and-round rounds does not depend on the machine when the budget
	// is generous.
	rounds int
	// prove redoes pricing that a limit cut short with more visits, for a tighter bound;
	// without, the bound stays valid but looser.
	prove bool
}

// columnGeneration solves the covering LP of the class model by Gilmore–Gomory column
// generation on lp within lim, then turns its duals into a bound by weak duality. It adds the
// seed patterns (the loads of a packing) first; lp may hold the columns of an earlier run,
// which it goes on from.
func (cm *classModel) columnGeneration(lp *master, seed []pattern, lim colgenLimits) colgenResult {
	for _, p := range seed {
		lp.addPattern(p.class, cm.nodes[p.class].cost, p.rows, p.counts)
	}
	pr := &pricer{cm: cm}
	pi := make([]float64, len(cm.items))
	mu := make([]float64, len(cm.nodes))
	upper := make([]float64, len(cm.nodes))
	res := colgenResult{}
	duals := func() {
		y := lp.duals()
		for i := range pi {
			pi[i] = max(0, y[i])
		}
		for k := range mu {
			mu[k] = max(0, -y[lp.covers+k])
		}
	}
	for exact, round := false, 1; ; round++ {
		if lp.solve(masterPivots) != nil {
			break
		}
		duals()
		limit := priceVisits
		if exact {
			limit = proofVisits
		}
		added, proven := 0, true
		for k := range cm.nodes {
			rows, counts, v, u := pr.price(k, pi, limit)
			upper[k] = u
			proven = proven && u <= v
			if cm.nodes[k].cost-v+mu[k] < -1e-9 {
				lp.addPattern(k, cm.nodes[k].cost, rows, counts)
				added++
			}
		}
		res.columns += added
		if added == 0 && exact {
			res.done, res.converged = true, proven
			break
		}
		if time.Now().After(lim.deadline) || round == lim.rounds {
			if !exact && lim.prove {
				// The upper bounds came from short searches; redo them in earnest.
				for k := range cm.nodes {
					_, _, _, upper[k] = pr.price(k, pi, proofVisits)
				}
			}
			break
		}
		exact = added == 0
	}
	res.bound = cm.lagrangian(pi, upper)
	return res
}

// lagrangian is the weak-duality bound of the class model for item values π ≥ 0, given upper
// bounds on each class's best pattern value: any dual point (tπ, μ) with
// μ_k = max(0, t·upper_k − cost_k) is feasible, so t·Σ demand·π − Σ avail_k·μ_k is a lower bound
// for every t ≥ 0. It is concave and piecewise linear in t; the best t is at a breakpoint.
// With exact pricing at the LP optimum it is the LP value at t = 1; with columns still to
// generate it is Farley's bound.
func (cm *classModel) lagrangian(pi, upper []float64) float64 {
	total := 0.0
	for i, it := range cm.items {
		total += float64(it.demand) * pi[i]
	}
	at := func(t float64) float64 {
		v := t * total
		for k, nc := range cm.nodes {
			v -= float64(nc.avail) * max(0, t*upper[k]-nc.cost)
		}
		return v
	}
	best := max(0, at(1))
	for k, nc := range cm.nodes {
		if upper[k] > 0 && nc.cost > 0 {
			best = max(best, at(nc.cost/upper[k]))
		}
	}
	return best
}

// classLP is the class model's covering LP as column generation last left it. The model keeps
// it so that price-and-round and the bound solve the LP once between them in a Pack: the
// member solves it for the instances its seed packing placed, and the bound, asked about the
// same instances, goes on from there (or takes it as it is, once done).
type classLP struct {
	placed []int
	cm     *classModel
	lp     *master
	res    colgenResult
}

// lpPattern is a pattern in the LP's solution and the nodes of its class it takes, fractional.
type lpPattern struct {
	pattern
	x float64
}

// solveClassLP solves the class model's covering LP for placing placed[g] instances of each
// group g, by column generation within lim with seed's loads among the first columns (seed may
// be nil). With an LP for the same instances in hand, it goes on from it when goOn and the LP
// is not done yet, and otherwise returns it as it is: price-and-round's restarts round the LP
// its first run solved, whichever of them gets here first, so that they do not depend on the
// order the workers take them in. It returns the class model, the result and the LP's
// solution, the pattern columns in the master's basis; ok is false when no class model fits
// the limits. Safe for concurrent use: portfolio members run in parallel.
func (m *model) solveClassLP(placed []int, seed *state, lim colgenLimits, goOn bool) (cm *classModel, res colgenResult, sol []lpPattern, ok bool) {
	m.lp.mu.Lock()
	defer m.lp.mu.Unlock()
	c := m.lp.lp
	if c == nil || !slices.Equal(c.placed, placed) {
		cm := m.classes(placed)
		if cm == nil {
			return nil, colgenResult{}, nil, false
		}
		c = &classLP{placed: slices.Clone(placed), cm: cm, lp: cm.master()}
		m.lp.lp = c
		goOn = true
	}
	if goOn && !c.res.done {
		var loads []pattern
		if seed != nil {
			loads = c.cm.loads(seed)
		}
		c.res = c.cm.columnGeneration(c.lp, loads, lim)
	}
	return c.cm, c.res, c.lp.solution(), true
}

// solution lists the pattern columns in the basis with their values. The basis is primal
// feasible after any number of pivots, so this is a solution of the LP whether or not it is
// optimal; demand still on artificial columns is left out.
func (lp *master) solution() []lpPattern {
	var out []lpPattern
	for p, j := range lp.basis {
		c := &lp.cols[j]
		if x := lp.xb[p]; c.class >= 0 && x > 1e-9 && !math.IsInf(x, 0) {
			// The cover rows come first in a pattern column, one per count; the class row last.
			rows := c.rows[:len(c.counts):len(c.counts)]
			out = append(out, lpPattern{pattern{class: c.class, rows: rows, counts: c.counts}, x})
		}
	}
	return out
}
