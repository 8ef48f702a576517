package pack

import (
	"sort"
	"time"
)

// proveBySubsets is solveExact asked the other way round: from the floor (a lower bound) up,
// whether the instances fit on that many nodes, until one does or the incumbent's count is
// reached. On dense problems the incumbent is usually one node above the bound and no packing
// on fewer exists; solveExact then meets the shortage of capacity anew in every branch over
// instances, while here it rules out most sets of nodes at once, before any instance is placed.
func proveBySubsets(m *model, placed []int, lim exactLimits) exactResult {
	res := exactResult{nodes: lim.beat}
	for t := lim.floor; t < lim.beat; t++ {
		step := lim
		step.visits = lim.visits - res.visits
		r := fitsWithin(m, placed, t, step)
		res.visits += r.visits
		if r.s != nil {
			// Every count from the floor to t−1 was refuted.
			return exactResult{nodes: r.nodes, s: r.s, proven: true, visits: res.visits}
		}
		if !r.proven {
			return res
		}
	}
	res.proven = true
	return res
}

// fitsWithin says whether the instances placed fit on t nodes in all: it goes through the sets
// of closed nodes that make t with the open ones, largest nodes first, skips every set some
// cover of the lower bound rules out (what the set brings to it against its need), and searches
// the rest with exactSearch, the other nodes banned. It returns a packing on at most t nodes,
// or none and proven when there is none.
func fitsWithin(m *model, placed []int, t int, lim exactLimits) exactResult {
	res := exactResult{nodes: lim.beat, proven: true}
	r := t - m.openNodes()
	if r < 0 {
		return res
	}
	proto := &exactSearch{m: m, s: newState(m)}
	proto.prepare(placed)
	f := newSubsets(m, proto, m.covers(placed), r)
	f.try = func() bool {
		step := lim
		step.beat, step.floor, step.lp, step.banned = t+1, t, true, f.banned
		step.visits = lim.visits - res.visits
		x := solveExact(m, placed, step)
		res.visits += x.visits
		if x.s != nil {
			res.nodes, res.s = x.nodes, x.s
			return false
		}
		if !x.proven {
			res.proven = false
			return false
		}
		return true
	}
	f.visit = func() bool {
		res.visits++
		if res.visits > lim.visits || (res.visits%256 == 0 && time.Now().After(lim.deadline)) {
			res.proven = false
			return false
		}
		return true
	}
	f.search(0, f.size)
	return res
}

// subsets enumerates sets of size closed nodes by branch and bound against covers.
type subsets struct {
	nodes  []int32 // closed nodes some instance may use, largest first
	twin   []int32
	covers []cover
	// top[c][i][j] is the most that j of nodes[i:] bring to cover c.
	top    [][][]float64
	caps   [][]float64 // caps[c][i]: what nodes[i] brings to cover c
	acc    []float64   // what the chosen nodes bring, per cover
	size   int
	banned []bool // every closed node not chosen
	chosen []bool
	try    func() bool // searches the chosen set; false ends the enumeration
	visit  func() bool // counts a step; false ends the enumeration
}

func newSubsets(m *model, proto *exactSearch, covers []cover, size int) *subsets {
	var nodes []int32
	for n := range m.nodes {
		if m.nodes[n].preOpen {
			continue
		}
		for _, sig := range proto.sigs {
			if sig.isFeas[n] {
				nodes = append(nodes, int32(n))
				break
			}
		}
	}
	// Twins have equal size: the stable sort keeps the lower index, the one to open first, first.
	sort.SliceStable(nodes, func(a, b int) bool { return m.nodes[nodes[a]].size > m.nodes[nodes[b]].size })
	f := &subsets{nodes: nodes, twin: proto.twin, covers: covers, size: min(size, len(nodes)),
		acc: make([]float64, len(covers)), banned: make([]bool, len(m.nodes)), chosen: make([]bool, len(m.nodes))}
	for n := range m.nodes {
		f.banned[n] = !m.nodes[n].preOpen
	}
	f.caps = make([][]float64, len(covers))
	f.top = make([][][]float64, len(covers))
	for c, cv := range covers {
		f.caps[c] = make([]float64, len(nodes))
		for i, n := range nodes {
			if cv.sig == nil || cv.sig.isFeas[n] {
				f.caps[c][i] = m.capacity(cv.sig, int(n), cv.dim, false)
			}
		}
		f.top[c] = make([][]float64, len(nodes)+1)
		for i := range f.top[c] {
			rest := append([]float64(nil), f.caps[c][i:]...)
			sort.Sort(sort.Reverse(sort.Float64Slice(rest)))
			sums := make([]float64, f.size+1)
			for j := 1; j <= f.size; j++ {
				sums[j] = sums[j-1]
				if j <= len(rest) {
					sums[j] += rest[j-1]
				}
			}
			f.top[c][i] = sums
		}
	}
	return f
}

// search chooses left more nodes from nodes[i:]; false ends the enumeration.
func (f *subsets) search(i, left int) bool {
	if !f.visit() {
		return false
	}
	for c, cv := range f.covers {
		if f.acc[c]+f.top[c][i][left] < cv.need {
			return true
		}
	}
	if left == 0 {
		return f.try()
	}
	if len(f.nodes)-i < left {
		return true
	}
	n := f.nodes[i]
	// Of nodes nothing tells apart, the lowest index is chosen first.
	if tw := f.twin[n]; tw < 0 || f.chosen[tw] {
		f.choose(i, true)
		ok := f.search(i+1, left-1)
		f.choose(i, false)
		if !ok {
			return false
		}
	}
	return f.search(i+1, left)
}

func (f *subsets) choose(i int, in bool) {
	n := f.nodes[i]
	f.chosen[n], f.banned[n] = in, !in
	sign := 1.0
	if !in {
		sign = -1
	}
	for c := range f.covers {
		f.acc[c] += sign * f.caps[c][i]
	}
}
