package pack

// state is one assignment of instances to nodes, changed in place by the algorithms.
type state struct {
	m       *model
	free    []vec
	gpuFree []uint64
	// count[n] is how many instances this assignment put on n.
	count []int32
	// onNode[n] lists the instances on n; pos[i] is instance i's index in its node's list.
	onNode [][]int32
	pos    []int32
	// hosted counts instances of distinct_hosts groups per (group, node).
	hosted map[[2]int32]int32
	// node[i] and gpus[i] are where instance i runs (-1: unplaced) and the GPUs it holds.
	node   []int32
	gpus   []uint64
	spread [][]map[string]int // per group, per spread limit: instances per attribute value
	opened int                // nodes in use: pre-opened plus those that got an instance
}

func newState(m *model) *state {
	s := &state{
		m:       m,
		free:    make([]vec, len(m.nodes)),
		gpuFree: make([]uint64, len(m.nodes)),
		count:   make([]int32, len(m.nodes)),
		onNode:  make([][]int32, len(m.nodes)),
		node:    make([]int32, m.instances),
		pos:     make([]int32, m.instances),
		hosted:  map[[2]int32]int32{},
		gpus:    make([]uint64, m.instances),
		spread:  make([][]map[string]int, len(m.groups)),
	}
	for i := range m.nodes {
		s.free[i] = m.nodes[i].free0
		s.gpuFree[i] = m.nodes[i].gpuFree0
		if m.nodes[i].preOpen {
			s.opened++
		}
	}
	for i := range s.node {
		s.node[i] = -1
	}
	for g := range m.groups {
		for range m.groups[g].spreads {
			s.spread[g] = append(s.spread[g], map[string]int{})
		}
	}
	return s
}

func (s *state) groupOf(inst int32) int { return int(s.m.instGroup[inst]) }

func (s *state) isOpen(n int) bool { return s.count[n] > 0 || s.m.nodes[n].preOpen }

// why is the first reason group g cannot go on node n now: -1 if it can, a dimension index
// for exhausted capacity, or one of the codes below.
const (
	whyFits     = -1
	whyDistinct = nScalar + 1
	whySpread   = nScalar + 2
)

func (s *state) why(g, n int) int {
	cg := &s.m.groups[g]
	f := &s.free[n]
	for d := 0; d < nScalar; d++ {
		if f[d] < cg.dem[d] {
			return d
		}
	}
	if cg.gpus > 0 && popcount(cg.sig.gpuElig[n]&s.gpuFree[n]) < cg.gpus {
		return nScalar
	}
	if cg.distinct && s.hosted[[2]int32{int32(g), int32(n)}] > 0 {
		return whyDistinct
	}
	for k, sp := range cg.spreads {
		if v, ok := s.m.p.Nodes[n].lookup(sp.key); ok && s.spread[g][k][v] >= sp.max {
			return whySpread
		}
	}
	return whyFits
}

// fits says whether one more instance of g can go on n; n must be in g's feasible set.
func (s *state) fits(g, n int) bool { return s.why(g, n) == whyFits }

// place puts instance inst of group g on n; the caller checked fits.
func (s *state) place(inst int32, g, n int) {
	var pick uint64
	if cg := &s.m.groups[g]; cg.gpus > 0 {
		pick = s.m.nodes[n].pickGPUs(cg.sig.gpuElig[n]&s.gpuFree[n], cg.gpus)
	}
	s.placeWith(inst, g, n, pick)
}

// placeWith places inst holding the GPUs in pick.
func (s *state) placeWith(inst int32, g, n int, pick uint64) {
	cg := &s.m.groups[g]
	for d := 0; d < nScalar; d++ {
		s.free[n][d] -= cg.dem[d]
	}
	s.gpuFree[n] &^= pick
	s.gpus[inst] = pick
	if s.count[n] == 0 && !s.m.nodes[n].preOpen {
		s.opened++
	}
	s.count[n]++
	s.pos[inst] = int32(len(s.onNode[n]))
	s.onNode[n] = append(s.onNode[n], inst)
	if cg.distinct {
		s.hosted[[2]int32{int32(g), int32(n)}]++
	}
	s.node[inst] = int32(n)
	for k, sp := range cg.spreads {
		if v, ok := s.m.p.Nodes[n].lookup(sp.key); ok {
			s.spread[g][k][v]++
		}
	}
}

// remove takes instance inst of group g off its node.
func (s *state) remove(inst int32, g int) {
	n := int(s.node[inst])
	cg := &s.m.groups[g]
	for d := 0; d < nScalar; d++ {
		s.free[n][d] += cg.dem[d]
	}
	s.gpuFree[n] |= s.gpus[inst]
	s.gpus[inst] = 0
	s.count[n]--
	if s.count[n] == 0 && !s.m.nodes[n].preOpen {
		s.opened--
	}
	list := s.onNode[n]
	last := list[len(list)-1]
	list[s.pos[inst]] = last
	s.pos[last] = s.pos[inst]
	s.onNode[n] = list[:len(list)-1]
	if cg.distinct {
		s.hosted[[2]int32{int32(g), int32(n)}]--
	}
	s.node[inst] = -1
	for k, sp := range cg.spreads {
		if v, ok := s.m.p.Nodes[n].lookup(sp.key); ok {
			s.spread[g][k][v]--
		}
	}
}

func (s *state) placed() int {
	c := 0
	for _, n := range s.node {
		if n >= 0 {
			c++
		}
	}
	return c
}

// placedPerGroup counts the instances of each group this assignment placed.
func (s *state) placedPerGroup() []int {
	out := make([]int, len(s.m.groups))
	for i, n := range s.node {
		if n >= 0 {
			out[s.m.instGroup[i]]++
		}
	}
	return out
}

// fill is how full n is after its current load, averaged over the dimensions it has.
func (s *state) fill(n int) float64 {
	c := &s.m.nodes[n]
	sum, dims := 0.0, 0
	for d := 0; d < nScalar; d++ {
		if c.cap[d] > 0 {
			sum += float64(c.cap[d]-s.free[n][d]) / float64(c.cap[d])
			dims++
		}
	}
	if c.gpuCap > 0 {
		sum += float64(c.gpuCap-popcount(s.gpuFree[n])) / float64(c.gpuCap)
		dims++
	}
	if dims == 0 {
		return 1
	}
	return sum / float64(dims)
}
