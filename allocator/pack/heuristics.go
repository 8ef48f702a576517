package pack

import (
	"cmp"
	"container/heap"
	"math"
	"math/rand/v2"
	"sort"
)

// nodeOrder is the order constructive passes consider nodes in: nodes already in use first
// (they count as used whatever happens, so filling them is free), then the rest, larger
// first, since fewer large nodes cover the demand. noise > 0 perturbs sizes for restarts.
func nodeOrder(m *model, rng *rand.Rand, noise float64) []int32 {
	order := make([]int32, len(m.nodes))
	key := make([]float64, len(m.nodes))
	for i := range m.nodes {
		order[i] = int32(i)
		k := m.nodes[i].size + 1e-3*m.p.Nodes[i].Reputation
		if noise > 0 {
			k *= 1 + noise*rng.Float64()
		}
		if m.nodes[i].preOpen {
			k += 1e6
		}
		key[i] = k
	}
	sort.SliceStable(order, func(a, b int) bool { return key[order[a]] > key[order[b]] })
	return order
}

// groupKey is a sort key for item-centric passes (larger = earlier).
type groupKey func(*cgroup) float64

var (
	byDominant groupKey = func(g *cgroup) float64 { return g.size }
	bySum      groupKey = func(g *cgroup) float64 { return g.sum }
	byProduct  groupKey = func(g *cgroup) float64 { return g.prod }
)

// scarcity is ≥ 1 and larger for groups few nodes may host; constructive passes serve
// those first so unconstrained work does not take their only nodes.
func (m *model) scarcity(g int) float64 {
	if len(m.nodes) == 0 {
		return 1
	}
	return 2 - float64(len(m.groups[g].sig.feasible))/float64(len(m.nodes))
}

func groupOrder(m *model, key groupKey, rng *rand.Rand, noise float64) []int {
	order := make([]int, len(m.groups))
	k := make([]float64, len(m.groups))
	for g := range m.groups {
		order[g] = g
		k[g] = key(&m.groups[g]) * m.scarcity(g)
		if noise > 0 {
			k[g] *= 1 + noise*rng.Float64()
		}
	}
	sort.SliceStable(order, func(a, b int) bool { return k[order[a]] > k[order[b]] })
	return order
}

// ordered returns each signature's feasible nodes in the pass's node order, built lazily.
type orderedFeasible struct {
	rank  []int32
	lists map[*signature][]int32
}

func newOrderedFeasible(norder []int32) *orderedFeasible {
	o := &orderedFeasible{rank: make([]int32, len(norder)), lists: map[*signature][]int32{}}
	for p, n := range norder {
		o.rank[n] = int32(p)
	}
	return o
}

func (o *orderedFeasible) of(sig *signature) []int32 {
	if l, ok := o.lists[sig]; ok {
		return l
	}
	l := append([]int32(nil), sig.feasible...)
	sort.Slice(l, func(a, b int) bool { return o.rank[l[a]] < o.rank[l[b]] })
	o.lists[sig] = l
	return l
}

// firstFit places groups in gorder, each instance on the first open node (in the order they
// were opened) it fits, else on the first closed node in norder. A group's scans resume
// where its previous instance landed: capacity only shrinks during the pass and the open
// list only grows, so the nodes before still cannot take the group.
func firstFit(s *state, gorder []int, norder []int32) {
	of := newOrderedFeasible(norder)
	var open []int32
	for _, n := range norder {
		if s.isOpen(int(n)) {
			open = append(open, n)
		}
	}
	for _, g := range gorder {
		sig := s.m.groups[g].sig
		list := of.of(sig)
		curOpen, curClosed := 0, 0
		for inst := s.m.base[g]; inst < s.m.base[g+1]; inst++ {
			if s.node[inst] >= 0 {
				continue
			}
			for curOpen < len(open) && !(sig.isFeas[open[curOpen]] && s.fits(g, int(open[curOpen]))) {
				curOpen++
			}
			if curOpen < len(open) {
				s.place(int32(inst), g, int(open[curOpen]))
				continue
			}
			for curClosed < len(list) && (s.isOpen(int(list[curClosed])) || !s.fits(g, int(list[curClosed]))) {
				curClosed++
			}
			if curClosed == len(list) {
				break
			}
			n := list[curClosed]
			s.place(int32(inst), g, int(n))
			open = append(open, n)
		}
	}
}

// leftover scores how much of n would remain free after one instance of g, in node-sized
// units; best fit takes the smallest.
func (s *state) leftover(g, n int) float64 {
	cg := &s.m.groups[g]
	r := 0.0
	for d := 0; d < nScalar; d++ {
		r += float64(s.free[n][d]-cg.dem[d]) / s.m.norm[d]
	}
	return r + float64(popcount(s.gpuFree[n])-cg.gpus)/s.m.norm[nScalar]
}

// bestFit places each instance on the open node it leaves least room on, opening the first
// node in norder that fits when no open node does.
func bestFit(s *state, gorder []int, norder []int32) {
	of := newOrderedFeasible(norder)
	var open []int32
	for _, n := range norder {
		if s.isOpen(int(n)) {
			open = append(open, n)
		}
	}
	for _, g := range gorder {
		sig := s.m.groups[g].sig
		list := of.of(sig)
		cur := 0
		for inst := s.m.base[g]; inst < s.m.base[g+1]; inst++ {
			if s.node[inst] >= 0 {
				continue
			}
			best, bestScore := -1, math.Inf(1)
			for _, n := range open {
				if sig.isFeas[n] && s.fits(g, int(n)) {
					if sc := s.leftover(g, int(n)); sc < bestScore {
						best, bestScore = int(n), sc
					}
				}
			}
			if best < 0 {
				for cur < len(list) && (s.isOpen(int(list[cur])) || !s.fits(g, int(list[cur]))) {
					cur++
				}
				if cur == len(list) {
					break
				}
				best = int(list[cur])
				open = append(open, list[cur])
			}
			s.place(int32(inst), g, best)
		}
	}
}

// alignment scores one more instance of g on n for bin-centric passes (higher is better).
type alignment func(s *state, g, n int) float64

// dotProduct is Tetris's alignment: demand · free, each scaled by the node's capacity, so
// the instance that uses what the node has most of goes first.
func dotProduct(s *state, g, n int) float64 {
	cg, c := &s.m.groups[g], &s.m.nodes[n]
	v := 0.0
	for d := 0; d < nScalar; d++ {
		if c.cap[d] > 0 {
			v += float64(cg.dem[d]) * float64(s.free[n][d]) / (float64(c.cap[d]) * float64(c.cap[d]))
		}
	}
	if c.gpuCap > 0 {
		v += float64(cg.gpus*popcount(s.gpuFree[n])) / float64(c.gpuCap*c.gpuCap)
	}
	return v
}

// l2Norm prefers the instance that leaves the free vector shortest (Panigrahy et al.'s
// L2 norm-based greedy).
func l2Norm(s *state, g, n int) float64 {
	cg, c := &s.m.groups[g], &s.m.nodes[n]
	v := 0.0
	for d := 0; d < nScalar; d++ {
		if c.cap[d] > 0 {
			x := float64(s.free[n][d]-cg.dem[d]) / float64(c.cap[d])
			v += x * x
		}
	}
	if c.gpuCap > 0 {
		x := float64(popcount(s.gpuFree[n])-cg.gpus) / float64(c.gpuCap)
		v += x * x
	}
	return -v
}

// nodePicker chooses the node binFill fills next: nodes already open first, in norder;
// then the closed node with the largest capacity weighted by what the remaining demand
// needs of each dimension against what the unvisited nodes still offer. GPU capacity
// counts (as much as the scarcest dimension) only while GPU work remains, so GPU nodes
// are opened for it early, filled with other work too, and not opened once it is placed.
type nodePicker struct {
	order   []int32 // norder: its position breaks ties and carries restart noise
	rank    []float64
	visited []bool
	pos     int // next pre-opened node in order
	supply  [nScalar + 1]float64
}

func newNodePicker(s *state, norder []int32) *nodePicker {
	p := &nodePicker{order: norder, rank: make([]float64, len(norder)), visited: make([]bool, len(norder))}
	for i, n := range norder {
		// Earlier in norder (larger, or favoured by restart noise) wins near-ties.
		p.rank[n] = 1 - 1e-3*float64(i)/float64(len(norder))
		c := &s.m.nodes[n]
		for d := 0; d < nScalar; d++ {
			p.supply[d] += float64(c.cap[d])
		}
		p.supply[nScalar] += float64(c.gpuCap)
	}
	return p
}

func (p *nodePicker) visit(s *state, n int) int {
	p.visited[n] = true
	c := &s.m.nodes[n]
	for d := 0; d < nScalar; d++ {
		p.supply[d] -= float64(c.cap[d])
	}
	p.supply[nScalar] -= float64(c.gpuCap)
	return n
}

func (p *nodePicker) next(s *state, remaining []int) int {
	for ; p.pos < len(p.order); p.pos++ {
		if n := int(p.order[p.pos]); !p.visited[n] && s.isOpen(n) {
			p.pos++
			return p.visit(s, n)
		}
	}
	var demand [nScalar + 1]float64
	for g, r := range remaining {
		if r == 0 {
			continue
		}
		cg := &s.m.groups[g]
		for d := 0; d < nScalar; d++ {
			demand[d] += float64(r) * float64(cg.dem[d])
		}
		demand[nScalar] += float64(r * cg.gpus)
	}
	var w [nScalar + 1]float64
	for d := range w {
		if p.supply[d] > 0 {
			w[d] = demand[d] / p.supply[d]
		}
	}
	if demand[nScalar] > 0 {
		w[nScalar] = max(w[nScalar], w[dimCPU], w[dimMem], w[dimDisk])
	}
	best, bestKey := -1, 0.0
	for _, n32 := range p.order {
		n := int(n32)
		if p.visited[n] {
			continue
		}
		c := &s.m.nodes[n]
		key := w[nScalar] * float64(c.gpuCap) / s.m.norm[nScalar]
		for d := 0; d < nScalar; d++ {
			key += w[d] * float64(c.cap[d]) / s.m.norm[d]
		}
		if key *= p.rank[n]; best < 0 || key > bestKey {
			best, bestKey = n, key
		}
	}
	if best < 0 {
		return -1
	}
	return p.visit(s, best)
}

// binFill is the bin-centric pass: take nodes as nodePicker offers them and fill each before the next,
// choosing by align among the groups that still fit, or by an exact knapsack when
// knapsack is set. Groups few nodes can host get a boost.
func binFill(s *state, norder []int32, align alignment, knapsack bool) {
	m := s.m
	remaining := make([]int, len(m.groups))
	next := make([]int, len(m.groups))
	var active []int
	for g := range m.groups {
		next[g] = m.base[g]
		for i := m.base[g]; i < m.base[g+1]; i++ {
			if s.node[i] < 0 {
				remaining[g]++
			}
		}
		if remaining[g] > 0 {
			active = append(active, g)
		}
	}
	placeNext := func(g, n int) {
		for s.node[next[g]] >= 0 {
			next[g]++
		}
		s.place(int32(next[g]), g, n)
		remaining[g]--
	}
	var cand []int
	var kn knapsackSolver
	pick := newNodePicker(s, norder)
	// cursor[g] indexes the first of g's feasible nodes that may still host it in this
	// pass. Only the node being filled changes, and spread counts only grow, so an
	// unvisited node that cannot take g now never will: the cursor only moves forward,
	// and a group whose cursor runs out is dropped (its instances stay unplaced) instead
	// of having the picker offer every remaining node for it.
	cursor := make([]int, len(m.groups))
	alive := func(g int) bool {
		feas := m.groups[g].sig.feasible
		for ; cursor[g] < len(feas); cursor[g]++ {
			if n := int(feas[cursor[g]]); !pick.visited[n] && s.fits(g, n) {
				return true
			}
		}
		remaining[g] = 0
		return false
	}
	for len(active) > 0 {
		n := pick.next(s, remaining)
		if n < 0 {
			break
		}
		cand = cand[:0]
		for _, g := range active {
			if m.groups[g].sig.isFeas[n] && s.fits(g, n) {
				cand = append(cand, g)
			}
		}
		if len(cand) == 0 {
			continue
		}
		if knapsack {
			for _, pick := range kn.solve(s, n, cand, remaining) {
				if remaining[pick] > 0 && s.fits(pick, n) {
					placeNext(pick, n)
				}
			}
		}
		fillNode(s, n, cand, remaining, align, placeNext)
		kept := active[:0]
		for _, g := range active {
			if remaining[g] > 0 && alive(g) {
				kept = append(kept, g)
			}
		}
		active = kept
	}
}

// fillWindow is how many of the best-aligned candidates binFill rescores after each
// placement; the rest wait until none of those fits any more. Without it every placement
// rescores every group, which dominates on fleets of thousands of nodes.
const fillWindow = 48

type scoredGroup struct {
	g     int
	score float64
}

// fillNode fills n greedily by align from cand (groups that fit n), best first. The
// candidates come off a heap a window at a time; after each window those that no longer
// fit are dropped, so a node that is nearly full is not ranked against every group.
func fillNode(s *state, n int, cand, remaining []int, align alignment, placeNext func(g, n int)) {
	m := s.m
	ranked := make(rankedGroups, len(cand))
	for i, g := range cand {
		ranked[i] = scoredGroup{g, align(s, g, n) * m.scarcity(g)}
	}
	heap.Init(&ranked)
	window := make([]scoredGroup, 0, fillWindow)
	for ranked.Len() > 0 {
		window = window[:0]
		for len(window) < fillWindow && ranked.Len() > 0 {
			window = append(window, heap.Pop(&ranked).(scoredGroup))
		}
		for {
			best, bestScore := -1, math.Inf(-1)
			for _, c := range window {
				if remaining[c.g] == 0 || !s.fits(c.g, n) {
					continue
				}
				if sc := align(s, c.g, n) * m.scarcity(c.g); sc > bestScore {
					best, bestScore = c.g, sc
				}
			}
			if best < 0 {
				break
			}
			placeNext(best, n)
		}
		kept := ranked[:0]
		for _, c := range ranked {
			if remaining[c.g] > 0 && s.fits(c.g, n) {
				kept = append(kept, c)
			}
		}
		ranked = kept
		heap.Init(&ranked)
	}
}

// rankedGroups is a heap of candidates, best score first, then lowest group id.
type rankedGroups []scoredGroup

func (h rankedGroups) Len() int { return len(h) }
func (h rankedGroups) Less(i, j int) bool {
	if c := cmp.Compare(h[j].score, h[i].score); c != 0 {
		return c < 0
	}
	return h[i].g < h[j].g
}
func (h rankedGroups) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *rankedGroups) Push(x any)   { *h = append(*h, x.(scoredGroup)) }
func (h *rankedGroups) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// gpuFirst places GPU instances before anything else, packing GPU asks tightly: each goes to
// the open node where the fewest matching GPUs would be left free, else opens the node with
// the most matching free GPUs, so few GPU nodes host all GPU work and the passes that follow
// fill those nodes with other work. With snug, it opens instead the node with the fewest
// matching free GPUs that still hold the group's remaining instances (one, for
// distinct_hosts), so no GPU is left idle where a smaller rig would have done.
func gpuFirst(s *state, gorder []int, snug bool) {
	m := s.m
	var open []int
	for n := range m.nodes {
		if s.isOpen(n) {
			open = append(open, n)
		}
	}
	for _, g := range gorder {
		cg := &m.groups[g]
		if cg.gpus == 0 {
			continue
		}
		for inst := m.base[g]; inst < m.base[g+1]; inst++ {
			if s.node[inst] >= 0 {
				continue
			}
			best, bestLeft := -1, 0
			for _, n := range open {
				if cg.sig.isFeas[n] && s.fits(g, n) {
					if left := popcount(cg.sig.gpuElig[n] & s.gpuFree[n]); best < 0 || left < bestLeft {
						best, bestLeft = n, left
					}
				}
			}
			if best < 0 {
				need := cg.gpus * (m.base[g+1] - inst)
				if cg.distinct {
					need = cg.gpus
				}
				for _, n32 := range cg.sig.feasible {
					n := int(n32)
					if s.isOpen(n) || !s.fits(g, n) {
						continue
					}
					left := popcount(cg.sig.gpuElig[n] & s.gpuFree[n])
					if best < 0 || better(snug, left, bestLeft, need) || (left == bestLeft && m.nodes[n].size > m.nodes[best].size) {
						best, bestLeft = n, left
					}
				}
				if best < 0 {
					break
				}
				open = append(open, best)
			}
			s.place(int32(inst), g, best)
		}
	}
}

// better says whether a node with left matching free GPUs is a better one to open than
// one with bestLeft: more GPUs, or with snug the fewest that cover need.
func better(snug bool, left, bestLeft, need int) bool {
	if !snug {
		return left > bestLeft
	}
	if (left >= need) != (bestLeft >= need) {
		return left >= need
	}
	if left >= need {
		return left < bestLeft
	}
	return left > bestLeft
}

// gpuLast is norder with the closed nodes that have free GPUs moved to the end, so work
// asking for none opens plain nodes before GPU rigs.
func gpuLast(s *state, norder []int32) []int32 {
	out := make([]int32, 0, len(norder))
	var rigs []int32
	for _, n := range norder {
		if !s.isOpen(int(n)) && s.gpuFree[n] != 0 {
			rigs = append(rigs, n)
			continue
		}
		out = append(out, n)
	}
	return append(out, rigs...)
}
