package pack

import (
	"container/heap"
	"math"
	"sort"
	"time"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize/convex/lp"
)

// lpMaxNodes is the most closed nodes the LP bound is solved for: gonum's simplex is dense.
const lpMaxNodes = 300

// dimHosts is the cover dimension in which every node brings 1: a distinct_hosts group
// needs as many nodes as it has instances.
const dimHosts = nScalar + 1

// cover is one covering requirement every solution placing the same instances must meet:
// nodes newly opened among those in feasible must together bring at least need of
// dimension dim (GPUs when dim == nScalar, nodes when dim == dimHosts) beyond what the
// already-open ones have free.
type cover struct {
	sig  *signature // nil: every node
	dim  int
	need float64
}

// boundShare is the percentage of the packing budget that column generation gets on top of
// it for the class bound (the final pricing that proves it may run a little past).
const boundShare = 25

// boundResult is a lower bound on the nodes in use and the name of the argument that gave it.
type boundResult struct {
	nodes int
	name  string
}

// Names of the bounds, as Stats.Bound reports them.
const (
	boundOpen      = "open-nodes"        // only the nodes already in use
	boundCover     = "cover"             // one dimension's demand against the largest nodes
	boundSurrogate = "surrogate"         // two covers combined
	boundCoverLP   = "cover-lp"          // the LP over covers and single nodes, or its dual bound
	boundColumnLP  = "column-generation" // the covering LP over classes, solved to optimality
	boundFarley    = "lagrangian"        // the same LP's duals before it converged
	boundExact     = "exact"             // the exact search finished: no packing uses fewer
)

// setBound records b, and optimality when it is proven: every instance placed on as few
// nodes as the bound allows.
func (r *Result) setBound(b boundResult) {
	r.Stats.LowerBound, r.Stats.Bound = b.nodes, b.name
	r.Stats.Optimal = len(r.Unplaced) == 0 && r.Stats.NodesUsed == b.nodes
}

// bestBound is a bound on the nodes in use for any assignment that places the instances s
// placed: the nodes already open, plus the most of (a) per-dimension demand against the
// largest free capacities, overall and per feasibility class, (b) distinct_hosts groups'
// instance counts and the attribute values spread limits force, (c) the LP relaxation of the
// covering model over fractional nodes, solved by the simplex for fleets of up to lpMaxNodes
// closed nodes and bounded through its Lagrangian dual on larger ones (coverdual.go), and (d)
// the covering LP over classes by column generation (classes.go, colgen.go), which runs until
// deadline.
func bestBound(s *state, deadline time.Time) boundResult {
	return s.m.boundFor(s.placedPerGroup(), s, deadline)
}

// boundFor is bestBound for placing placed[g] instances of each group g; the loads of seed, a
// packing of exactly those (or nil), start the column generation, and a zero deadline leaves
// it out. Price-and-round may have solved the same LP already in this Pack; it is reused.
func (m *model) boundFor(placed []int, seed *state, deadline time.Time) boundResult {
	open := m.openNodes()
	covers := m.covers(placed)
	best := boundResult{open, boundOpen}
	raise := func(extra int, name string) {
		if open+extra > best.nodes {
			best = boundResult{open + extra, name}
		}
	}
	for _, c := range covers {
		raise(m.nodesToCover(c), boundCover)
	}
	for g, k := range placed {
		for l := range m.groups[g].spreads {
			raise(m.spreadNodes(g, l, k), boundCover)
		}
	}
	raise(m.surrogateBound(covers), boundSurrogate)
	if v, ok := m.lpBound(covers); ok {
		raise(ceilBound(v), boundCoverLP)
	} else {
		raise(ceilBound(m.coverDual(covers, deadline)), boundCoverLP)
	}
	if deadline.IsZero() {
		return best
	}
	if _, r, _, ok := m.solveClassLP(placed, seed, colgenLimits{deadline: deadline, prove: true}, true); ok {
		name := boundFarley
		if r.converged {
			name = boundColumnLP
		}
		raise(ceilBound(r.bound), name)
	}
	return best
}

// ceilBound is the fewest whole nodes a fractional bound v allows. The tolerance absorbs rounding
// in the dual arithmetic; a value a hair above an integer must not round up past it.
func ceilBound(v float64) int {
	return int(math.Ceil(v - 1e-6*max(1, v)))
}

// openNodes counts the nodes already in use.
func (m *model) openNodes() int {
	open := 0
	for n := range m.nodes {
		if m.nodes[n].preOpen {
			open++
		}
	}
	return open
}

// covers lists the covering requirements of placing placed[g] instances of each group g: each
// dimension's demand beyond the free capacity of the open nodes, overall and per signature, and
// each distinct_hosts group's instances beyond its open nodes.
func (m *model) covers(placed []int) []cover {
	var covers []cover
	addCovers := func(sig *signature, groups []int) {
		var demand [nScalar + 1]float64
		for _, g := range groups {
			for d := 0; d < nScalar; d++ {
				demand[d] += float64(placed[g]) * float64(m.groups[g].dem[d])
			}
			demand[nScalar] += float64(placed[g] * m.groups[g].gpus)
		}
		for d := range demand {
			need := demand[d]
			for n := range m.nodes {
				if m.nodes[n].preOpen && (sig == nil || sig.isFeas[n]) {
					need -= m.capacity(sig, n, d, true)
				}
			}
			if need > 0 {
				covers = append(covers, cover{sig, d, need})
			}
		}
	}
	all := make([]int, len(m.groups))
	bySig := map[*signature][]int{}
	var sigs []*signature
	for g := range m.groups {
		all[g] = g
		sig := m.groups[g].sig
		if bySig[sig] == nil {
			sigs = append(sigs, sig)
		}
		bySig[sig] = append(bySig[sig], g)
	}
	addCovers(nil, all)
	for _, sig := range sigs {
		addCovers(sig, bySig[sig])
	}

	// A distinct_hosts group's placed instances each need their own node among those it
	// may use; open ones count once each. The LP and the surrogate combine this with the
	// capacity covers: a GPU group spread over hosts forces GPU rigs open beside the racks
	// the CPU work needs.
	for g := range m.groups {
		cg := &m.groups[g]
		if !cg.distinct {
			continue
		}
		need := placed[g]
		for _, n := range cg.sig.feasible {
			if m.nodes[n].preOpen {
				need--
			}
		}
		if need > 0 {
			covers = append(covers, cover{cg.sig, dimHosts, float64(need)})
		}
	}
	return covers
}

// spreadNodes is the fewest closed nodes that placing k instances of g needs for its spread
// limit l: each value of the attribute takes at most Max of them, values with an open node
// take theirs there, and every other value used costs a node. It bounds nothing (0) when a
// node g may use lacks the attribute, since such nodes are not limited.
func (m *model) spreadNodes(g, l, k int) int {
	cg := &m.groups[g]
	sp := cg.spreads[l]
	open := map[string]bool{}
	for _, n := range cg.sig.feasible {
		v, ok := m.p.Nodes[n].lookup(sp.key)
		if !ok {
			return 0
		}
		open[v] = open[v] || m.nodes[n].preOpen
	}
	closed := 0
	for _, o := range open {
		if o {
			k -= sp.max
		} else {
			closed++
		}
	}
	if k <= 0 {
		return 0
	}
	// A placement of them exists, so the values without an open node suffice.
	return min(closed, (k+sp.max-1)/sp.max)
}

// surrogateRows and surrogateWeights pick which pairs of covers surrogateBound combines.
const surrogateRows = 8

var surrogateWeights = []float64{0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9}

// surrogateBound combines pairs of the strongest covers: any solution meeting both covers
// meets λ·first + (1−λ)·second (each scaled to need 1), and the fewest closed nodes that
// can meet that single inequality are the largest contributors to it. This catches what
// one dimension alone misses, such as GPU work that must go to GPU rigs while CPU work
// fills racks, on fleets too large for the dense LP.
func (m *model) surrogateBound(covers []cover) int {
	type ranked struct {
		c     cover
		bound int
	}
	var rs []ranked
	for _, c := range covers {
		rs = append(rs, ranked{c, m.nodesToCover(c)})
	}
	sort.SliceStable(rs, func(a, b int) bool { return rs[a].bound > rs[b].bound })
	rs = rs[:min(len(rs), surrogateRows)]
	// share[i][n] is closed node n's share of cover i's need, capped at 1.
	share := make([][]float64, len(rs))
	for i, r := range rs {
		share[i] = make([]float64, len(m.nodes))
		for n := range m.nodes {
			if !m.nodes[n].preOpen && (r.c.sig == nil || r.c.sig.isFeas[n]) {
				share[i][n] = min(1, m.capacity(r.c.sig, n, r.c.dim, false)/r.c.need)
			}
		}
	}
	best := 0
	contrib := make([]float64, 0, len(m.nodes))
	for i := range rs {
		for j := i + 1; j < len(rs); j++ {
			for _, w := range surrogateWeights {
				contrib = contrib[:0]
				for n := range m.nodes {
					if v := w*share[i][n] + (1-w)*share[j][n]; v > 0 {
						contrib = append(contrib, v)
					}
				}
				best = max(best, fewestToReach(contrib))
			}
		}
	}
	return best
}

// fewestToReach is how many of the largest values it takes to add up to 1 (0 if they
// never do, which bounds nothing). A max-heap finds them without sorting the long tail of small ones.
func fewestToReach(vals []float64) int {
	h := maxHeap(vals)
	heap.Init(&h)
	sum := 0.0
	for k := 1; h.Len() > 0; k++ {
		// The tolerance keeps rounding from adding a node.
		if sum += heap.Pop(&h).(float64); sum >= 1-1e-9 {
			return k
		}
	}
	return 0
}

type maxHeap []float64

func (h maxHeap) Len() int           { return len(h) }
func (h maxHeap) Less(i, j int) bool { return h[i] > h[j] }
func (h maxHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *maxHeap) Push(x any)        { *h = append(*h, x.(float64)) }
func (h *maxHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// capacity is what node n brings to dimension d for groups of sig: free capacity at the
// start on open nodes, all of it on closed ones; GPUs count only where they match; one
// host per node.
func (m *model) capacity(sig *signature, n, d int, start bool) float64 {
	c := &m.nodes[n]
	if d == dimHosts {
		return 1
	}
	if d < nScalar {
		if start {
			return float64(c.free0[d])
		}
		return float64(c.cap[d])
	}
	mask := c.gpuFree0
	if sig != nil && sig.gpuElig != nil {
		// Instances take gpuAsk matching GPUs each; a remainder serves none of them.
		k := popcount(mask & sig.gpuElig[n])
		return float64(k - k%sig.gpuAsk)
	}
	return float64(popcount(mask))
}

// nodesToCover is the fewest closed nodes whose capacities can add up to c.need.
func (m *model) nodesToCover(c cover) int {
	if c.dim == dimHosts {
		// Every node brings one: no need to sort.
		return int(math.Ceil(c.need - 1e-9))
	}
	var caps []float64
	for n := range m.nodes {
		if !m.nodes[n].preOpen && (c.sig == nil || c.sig.isFeas[n]) {
			caps = append(caps, m.capacity(c.sig, n, c.dim, false))
		}
	}
	sort.Sort(sort.Reverse(sort.Float64Slice(caps)))
	sum := 0.0
	for k, v := range caps {
		sum += v
		if sum >= c.need {
			return k + 1
		}
	}
	return len(caps)
}

// lpBound solves min Σ y_n, 0 ≤ y_n ≤ 1 over closed nodes, subject to every cover, in
// standard form: [y | slack | surplus] with y_n + slack_n = 1 and
// Σ min(1, cap/need)·y_n − surplus_k = 1. A node's share of a cover is capped at 1: whole nodes
// that meet the cover still do (one of them meets it alone, or none is capped), and fractional
// ones can no longer meet it with a sliver of one large node.
func (m *model) lpBound(covers []cover) (float64, bool) {
	if len(covers) == 0 {
		return 0, false
	}
	var cols []int
	for n := range m.nodes {
		if m.nodes[n].preOpen {
			continue
		}
		for _, c := range covers {
			if (c.sig == nil || c.sig.isFeas[n]) && m.capacity(c.sig, n, c.dim, false) > 0 {
				cols = append(cols, n)
				break
			}
		}
	}
	if len(cols) == 0 || len(cols) > lpMaxNodes {
		return 0, false
	}
	J, K := len(cols), len(covers)
	rows, width := J+K, 2*J+K
	a := mat.NewDense(rows, width, nil)
	b := make([]float64, rows)
	cost := make([]float64, width)
	for j := range cols {
		a.Set(j, j, 1)
		a.Set(j, J+j, 1)
		b[j] = 1
		cost[j] = 1
	}
	for k, c := range covers {
		for j, n := range cols {
			if c.sig == nil || c.sig.isFeas[n] {
				a.Set(J+k, j, min(1, m.capacity(c.sig, n, c.dim, false)/c.need))
			}
		}
		a.Set(J+k, 2*J+k, -1)
		b[J+k] = 1
	}
	z, _, err := lp.Simplex(cost, a, b, 1e-10, nil)
	if err != nil {
		return 0, false
	}
	return z, true
}
