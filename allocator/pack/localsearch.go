package pack

import (
	"sort"
	"time"
)

// move records one relocation so a failed attempt can be undone.
type move struct {
	inst     int32
	g        int
	from, to int
}

// localSearch tries to empty nodes this assignment opened, emptiest first: every instance
// on the node moves to another open node, directly or after one instance there moves on to
// a third node to make room (a swap-like ejection). A node that cannot be emptied is left
// as it was. Unplaced instances are retried on open nodes first. It stops at the deadline
// (zero: no deadline) or when a whole pass closes no node.
func localSearch(s *state, deadline time.Time) {
	s.placeUnplacedOnOpen()
	for pass := 0; pass < 4; pass++ {
		closed := false
		for _, n := range s.closable() {
			if !deadline.IsZero() && time.Now().After(deadline) {
				return
			}
			if s.count[n] > 0 && s.emptyNode(n) {
				closed = true
			}
		}
		if !closed {
			return
		}
	}
}

// closable lists the nodes this assignment opened, least filled first.
func (s *state) closable() []int {
	var out []int
	fill := make(map[int]float64)
	for n := range s.m.nodes {
		if s.count[n] > 0 && !s.m.nodes[n].preOpen {
			out = append(out, n)
			fill[n] = s.fill(n)
		}
	}
	sort.SliceStable(out, func(a, b int) bool { return fill[out[a]] < fill[out[b]] })
	return out
}

func (s *state) openNodes() []int {
	var out []int
	for n := range s.m.nodes {
		if s.isOpen(n) {
			out = append(out, n)
		}
	}
	return out
}

// placeUnplacedOnOpen puts instances that found no node onto open nodes where they fit now.
func (s *state) placeUnplacedOnOpen() {
	open := s.openNodes()
	for inst := range s.node {
		if s.node[inst] >= 0 {
			continue
		}
		g := s.groupOf(int32(inst))
		if t := s.bestOpen(g, open, -1); t >= 0 {
			s.place(int32(inst), g, t)
		}
	}
}

// bestOpen is the open node other than skip that g fits on with least left over, or -1.
func (s *state) bestOpen(g int, open []int, skip ...int) int {
	sig := s.m.groups[g].sig
	best, bestScore := -1, 0.0
outer:
	for _, t := range open {
		for _, x := range skip {
			if t == x {
				continue outer
			}
		}
		if sig.isFeas[t] && s.fits(g, t) {
			if sc := s.leftover(g, t); best < 0 || sc < bestScore {
				best, bestScore = t, sc
			}
		}
	}
	return best
}

// emptyNode moves everything off n onto other open nodes, or changes nothing and says false.
func (s *state) emptyNode(n int) bool {
	open := s.openNodes()
	var log []move
	undo := func() {
		for i := len(log) - 1; i >= 0; i-- {
			mv := log[i]
			s.remove(mv.inst, mv.g)
			s.place(mv.inst, mv.g, mv.from)
		}
	}
	relocate := func(inst int32, g, from, to int) {
		s.remove(inst, g)
		s.place(inst, g, to)
		log = append(log, move{inst, g, from, to})
	}
	insts := append([]int32(nil), s.onNode[n]...)
	// Largest first: they have the fewest places to go.
	sort.SliceStable(insts, func(a, b int) bool {
		return s.m.groups[s.groupOf(insts[a])].size > s.m.groups[s.groupOf(insts[b])].size
	})
	for _, inst := range insts {
		g := s.groupOf(inst)
		if t := s.bestOpen(g, open, n); t >= 0 {
			relocate(inst, g, n, t)
			continue
		}
		if !s.eject(inst, g, n, open, relocate) {
			undo()
			return false
		}
	}
	return true
}

// ejectTries bounds the nodes eject tries per instance: each try scans every open node
// for a third place, so an unbounded search is quadratic in the fleet.
const ejectTries = 4

// eject makes room for inst (group g, on node from) on some open node t by moving one
// instance j from t to a third open node u, then moves inst to t.
func (s *state) eject(inst int32, g, from int, open []int, relocate func(int32, int, int, int)) bool {
	sig := s.m.groups[g].sig
	tries := 0
	for _, t := range open {
		if t == from || !sig.isFeas[t] {
			continue
		}
		if tries++; tries > ejectTries {
			return false
		}
		for _, j := range append([]int32(nil), s.onNode[t]...) {
			gj := s.groupOf(j)
			if gj == g {
				// Where j could go, inst could go directly.
				continue
			}
			s.remove(j, gj)
			if !s.fits(g, t) {
				s.place(j, gj, t)
				continue
			}
			u := s.bestOpen(gj, open, from, t)
			s.place(j, gj, t)
			if u < 0 {
				continue
			}
			relocate(j, gj, t, u)
			relocate(inst, g, from, t)
			return true
		}
	}
	return false
}

// replaceNodes moves the whole load of a node this assignment opened onto a closed node that
// holds it with less left over — fewer idle GPUs first, then less spare capacity — so the
// node count stays and stranded capacity shrinks. It stops at the deadline (zero: none).
func replaceNodes(s *state, deadline time.Time) {
	m := s.m
	for _, n := range s.closable() {
		if !deadline.IsZero() && time.Now().After(deadline) {
			return
		}
		insts := append([]int32(nil), s.onNode[n]...)
		var load vec
		gpus := 0
		for _, i := range insts {
			cg := &m.groups[s.groupOf(i)]
			for d := 0; d < nScalar; d++ {
				load[d] += cg.dem[d]
			}
			gpus += cg.gpus
		}
		best, bestWaste := -1, s.waste(n, load, gpus)
	nodes:
		for c := range m.nodes {
			if s.isOpen(c) || popcount(s.gpuFree[c]) < gpus {
				continue
			}
			for d := 0; d < nScalar; d++ {
				if s.free[c][d] < load[d] {
					continue nodes
				}
			}
			for _, i := range insts {
				if !m.groups[s.groupOf(i)].sig.isFeas[c] {
					continue nodes
				}
			}
			if w := s.waste(c, load, gpus); w < bestWaste {
				best, bestWaste = c, w
			}
		}
		if best < 0 {
			continue
		}
		s.moveAll(n, best, insts)
	}
}

// waste scores what n would leave idle holding load: idle GPUs dominate, then the spare
// capacity of the other dimensions in node-sized units.
func (s *state) waste(n int, load vec, gpus int) float64 {
	w := 0.0
	c := &s.m.nodes[n]
	for d := 0; d < nScalar; d++ {
		w += float64(c.cap[d]-load[d]) / s.m.norm[d]
	}
	return w + 10*float64(c.gpuCap-gpus)
}

// moveAll moves insts from n to c, or moves them back if one does not fit there (GPU
// eligibility, spread limits).
func (s *state) moveAll(n, c int, insts []int32) {
	for k, i := range insts {
		g := s.groupOf(i)
		s.remove(i, g)
		if !s.fits(g, c) {
			s.place(i, g, n)
			for _, j := range insts[:k] {
				gj := s.groupOf(j)
				s.remove(j, gj)
				s.place(j, gj, n)
			}
			return
		}
		s.place(i, g, c)
	}
}
