package pack

import (
	"sort"
	"strconv"
	"strings"
	"time"
)

// exactMaxNodes is the largest fleet Pack hands to the exact search after the portfolio: the
// issue's "regions of up to a few dozen providers". Beyond it the proof of the last node
// rarely finishes within a packing budget.
const exactMaxNodes = 30

// exactVisits bounds the search nodes of one exact search besides its deadline; a search cut
// short keeps the best packing it found but proves nothing.
const exactVisits = 2_000_000

// exactResult is the outcome of an exact search: the fewest nodes found for the instances it
// was asked to place, the assignment that uses them (nil when nothing beat the incumbent), and
// whether the search ran to the end, so that no placement uses fewer (when its floor was a
// lower bound).
type exactResult struct {
	nodes  int
	s      *state
	proven bool
	visits int
}

// exactSearch is a depth-first branch and bound over instances: each instance, hardest group
// first, goes to an open node or opens one, and a branch is cut when the nodes it has open plus
// the nodes its remaining instances still need (the covers of bestBound, recomputed for what is
// left) reach the best packing found. It is exact where the rest of the package is not:
//
//   - every node the instance fits on is tried, not one by a rule;
//   - on GPU nodes, every distinct choice of devices: devices that every group in the problem
//     sees alike are interchangeable, so only how many of each kind are taken is branched on;
//   - instances of one group are interchangeable, so they take nodes in ascending index order
//     (strictly ascending for distinct_hosts), and nodes that nothing can tell apart (same
//     capacity, devices, feasibility and spread values, nothing running) are opened lowest index
//     first. With a group's instances consecutive in the search order, every packing can be
//     relabelled to meet both rules at once, so neither loses a solution.
type exactSearch struct {
	m     *model
	s     *state
	order []int32 // instances to place, each group's consecutive
	// sigs are the signatures of the groups to place; sigOf maps a group to its index there.
	sigs  []*signature
	sigOf []int
	// rem is the demand left that must go on the nodes of each signature (the last entry: any
	// node), in the dimensions of cover (CPU, memory, disk, GPUs): of its own groups and, but
	// for GPUs, whose kinds differ, of every signature whose nodes are all among its own.
	// Groups that only some nodes take must leave those nodes room: without the nesting, the
	// search fills them with groups that could go anywhere and finds out only when the
	// narrower groups come.
	rem [][nScalar + 1]int64
	// within[j] lists the signatures (j itself and the last entry included) whose nodes
	// include all of j's.
	within [][]int
	// remOf is the instances left to place per group, for the per-group covers.
	remOf []int
	// byCap[k][d] lists the nodes signature k (the last: any) may use, by what they bring to
	// dimension d when closed, largest first.
	byCap [][nScalar + 1][]int32
	// fitOf[g] lists the closed nodes g may use with how many of its instances each has room
	// for (key), most first.
	fitOf [][]nodeChoice
	// twin[n] is the next lower-index node that n cannot be told apart from, or -1.
	twin []int32
	// gpuKind[n][j] names what GPU j of n is to the groups asking for GPUs.
	gpuKind [][]uint64
	// spreads are the spread limits of the groups to place, for their covers in extra.
	spreads []spreadCover
	// openFree is scratch space for extra: free capacity on open nodes per signature.
	openFree [][nScalar + 1]int64
	cands    [][]nodeChoice
	subNodes []cnode // scratch for relaxed

	best     int
	bestNode []int32
	bestGPUs []uint64
	floor    int // reaching it ends the search
	visits   int
	limit    int
	deadline time.Time
	cut      bool // the limit or the deadline stopped the search
	lp       bool
	// banned are the nodes the search may not open (nil: none).
	banned []bool
}

type nodeChoice struct {
	node int32
	key  float64
}

// exactLimits say what an exact search looks for and how long it may take.
type exactLimits struct {
	// beat is the incumbent's nodes (more than the fleet when there is none): only packings
	// on fewer are looked for.
	beat int
	// floor ends the search when reached: a valid lower bound for a proof of optimality,
	// or whatever the caller settles for.
	floor int
	// The search stops at deadline or after visits search nodes, unproven.
	deadline time.Time
	visits   int
	// lp asks for bestBound's LP bounds on partial packings too, each costing about a thousand
	// times the covers; worth it only when proofs, not improvements, are the point.
	lp bool
	// banned are nodes the search may not open (nil: none), for the question whether the
	// instances fit on the others (fitsWithin).
	banned []bool
}

// solveExact finds the fewest nodes that place placed[g] instances of every group g.
func solveExact(m *model, placed []int, lim exactLimits) exactResult {
	e := &exactSearch{m: m, s: newState(m), floor: lim.floor, deadline: lim.deadline, limit: lim.visits, best: lim.beat, lp: lim.lp, banned: lim.banned}
	e.prepare(placed)
	if e.best > e.floor {
		e.search(0)
	}
	res := exactResult{nodes: e.best, proven: !e.cut, visits: e.visits}
	if e.bestNode != nil {
		res.s = newState(m)
		for k, inst := range e.order {
			res.s.placeWith(inst, res.s.groupOf(inst), int(e.bestNode[k]), e.bestGPUs[k])
		}
	}
	return res
}

func (e *exactSearch) prepare(placed []int) {
	m := e.m
	sigIdx := map[*signature]int{}
	e.sigOf = make([]int, len(m.groups))
	e.remOf = make([]int, len(m.groups))
	// distinct_hosts groups first: each of their instances needs a node of its own, which
	// capacity covers do not see, and later groups must leave them room.
	order := groupOrder(m, byDominant, nil, 0)
	sort.SliceStable(order, func(a, b int) bool { return m.groups[order[a]].distinct && !m.groups[order[b]].distinct })
	for _, g := range order {
		if placed[g] == 0 {
			continue
		}
		sig := m.groups[g].sig
		k, ok := sigIdx[sig]
		if !ok {
			k = len(e.sigs)
			sigIdx[sig] = k
			e.sigs = append(e.sigs, sig)
		}
		e.sigOf[g] = k
		e.remOf[g] = placed[g]
		for i := m.base[g]; i < m.base[g]+placed[g]; i++ {
			e.order = append(e.order, int32(i))
		}
	}
	S := len(e.sigs)
	e.rem = make([][nScalar + 1]int64, S+1)
	e.within = make([][]int, S)
	for j, sj := range e.sigs {
		for k, sk := range e.sigs {
			if nested(m, sj, sk) {
				e.within[j] = append(e.within[j], k)
			}
		}
		e.within[j] = append(e.within[j], S)
	}
	for _, inst := range e.order {
		e.addDemand(int(m.instGroup[inst]), 1)
	}
	e.openFree = make([][nScalar + 1]int64, S+1)
	e.byCap = make([][nScalar + 1][]int32, S+1)
	for k := 0; k <= S; k++ {
		var sig *signature
		if k < S {
			sig = e.sigs[k]
		}
		for d := 0; d <= nScalar; d++ {
			var list []int32
			for n := range m.nodes {
				if !m.nodes[n].preOpen && !e.isBanned(n) && (sig == nil || sig.isFeas[n]) && m.capacity(sig, n, d, false) > 0 {
					list = append(list, int32(n))
				}
			}
			sort.SliceStable(list, func(a, b int) bool {
				return m.capacity(sig, int(list[a]), d, false) > m.capacity(sig, int(list[b]), d, false)
			})
			e.byCap[k][d] = list
		}
	}
	e.fitOf = make([][]nodeChoice, len(m.groups))
	for g, k := range placed {
		for _, n := range m.groups[g].sig.feasible {
			if fit := e.fitCount(g, int(n), k); fit > 0 && !m.nodes[n].preOpen && !e.isBanned(int(n)) {
				e.fitOf[g] = append(e.fitOf[g], nodeChoice{n, float64(fit)})
			}
		}
		sort.SliceStable(e.fitOf[g], func(a, b int) bool { return e.fitOf[g][a].key > e.fitOf[g][b].key })
	}
	e.kinds()
	e.twins(placed)
	e.prepareSpreads(placed)
	e.cands = make([][]nodeChoice, len(e.order))
	e.subNodes = make([]cnode, len(m.nodes))
}

// addDemand adds (sign 1) or takes away (sign −1) one instance of g from the demand left.
func (e *exactSearch) addDemand(g int, sign int64) {
	cg := &e.m.groups[g]
	j := e.sigOf[g]
	for _, k := range e.within[j] {
		for d := 0; d < nScalar; d++ {
			e.rem[k][d] += sign * cg.dem[d]
		}
		if k == j || k == len(e.sigs) {
			e.rem[k][nScalar] += sign * int64(cg.gpus)
		}
	}
}

// nested says whether every node sig a may use, b may use too.
func nested(m *model, a, b *signature) bool {
	for _, n := range a.feasible {
		if !b.isFeas[n] {
			return false
		}
	}
	return true
}

// spreadCover is one spread limit of a group whose every feasible node has the attribute: the
// instances left need values with room, and a value with no open node costs a node to use.
type spreadCover struct {
	g, limit int
	values   []string // the attribute's values on the group's feasible nodes
	valueOf  []int    // by position in the group's feasible list: index into values
	hasOpen  []bool   // scratch: by value, whether one of its feasible nodes is open
	fit      []int    // scratch: by value, how many more instances its nodes have room for
	rooms    []int    // scratch
}

func (e *exactSearch) prepareSpreads(placed []int) {
	m := e.m
	for g, k := range placed {
		cg := &m.groups[g]
		if k == 0 {
			continue
		}
	limits:
		for l, sp := range cg.spreads {
			c := spreadCover{g: g, limit: l}
			index := map[string]int{}
			for _, n := range cg.sig.feasible {
				v, ok := m.p.Nodes[n].lookup(sp.key)
				if !ok {
					// Instances on this node are not limited: the cover bounds nothing.
					continue limits
				}
				i, seen := index[v]
				if !seen {
					i = len(c.values)
					index[v] = i
					c.values = append(c.values, v)
				}
				c.valueOf = append(c.valueOf, i)
			}
			c.hasOpen = make([]bool, len(c.values))
			c.fit = make([]int, len(c.values))
			e.spreads = append(e.spreads, c)
		}
	}
}

// nodes is the fewest nodes to open for the instances of the group left: those the values
// with an open node have room for go there free, the rest need values without one, the
// roomiest first, a new node each. A value's room is what its limit leaves, and no more than
// its nodes still have capacity for: a value whose only node is nearly full takes fewer than
// its limit. It exceeds the fleet when the values lack room.
func (c *spreadCover) nodes(e *exactSearch) int {
	s := e.s
	cg := &e.m.groups[c.g]
	left := e.remOf[c.g]
	if left == 0 {
		return 0
	}
	clear(c.hasOpen)
	clear(c.fit)
	for i, n := range cg.sig.feasible {
		if s.isOpen(int(n)) {
			c.hasOpen[c.valueOf[i]] = true
		}
		if !e.isBanned(int(n)) {
			c.fit[c.valueOf[i]] += e.fitCount(c.g, int(n), left)
		}
	}
	most, count := cg.spreads[c.limit].max, s.spread[c.g][c.limit]
	c.rooms = c.rooms[:0]
	for i, v := range c.values {
		room := min(most-count[v], c.fit[i])
		if c.hasOpen[i] {
			left -= room
		} else if room > 0 {
			c.rooms = append(c.rooms, room)
		}
	}
	if left <= 0 {
		return 0
	}
	sort.Sort(sort.Reverse(sort.IntSlice(c.rooms)))
	for k, room := range c.rooms {
		if left -= room; left <= 0 {
			return k + 1
		}
	}
	return len(e.m.nodes) + 1
}

// fitCount is how many more instances of g node n has room for, at most most.
func (e *exactSearch) fitCount(g, n, most int) int {
	s, cg := e.s, &e.m.groups[g]
	if cg.distinct {
		if s.hosted[[2]int32{int32(g), int32(n)}] > 0 {
			return 0
		}
		most = 1
	}
	for d := 0; d < nScalar; d++ {
		if cg.dem[d] > 0 {
			most = min(most, int(s.free[n][d]/cg.dem[d]))
		}
	}
	if cg.gpus > 0 {
		most = min(most, popcount(s.gpuFree[n]&cg.sig.gpuElig[n])/cg.gpus)
	}
	return max(most, 0)
}

// kinds names each GPU by the GPU signatures it is eligible for: two free GPUs of one node
// with the same kind are interchangeable for every group. With more GPU signatures than bits,
// every GPU is a kind of its own (correct, only slower).
func (e *exactSearch) kinds() {
	var gsigs []*signature
	for _, sig := range e.sigs {
		if sig.gpuElig != nil {
			gsigs = append(gsigs, sig)
		}
	}
	e.gpuKind = make([][]uint64, len(e.m.nodes))
	for n := range e.m.nodes {
		gpus := len(e.m.p.Nodes[n].GPUs)
		e.gpuKind[n] = make([]uint64, gpus)
		for j := 0; j < gpus; j++ {
			if len(gsigs) >= 64 {
				e.gpuKind[n][j] = uint64(j)
				continue
			}
			for b, sig := range gsigs {
				if sig.gpuElig[n]&(1<<uint(j)) != 0 {
					e.gpuKind[n][j] |= 1 << uint(b)
				}
			}
		}
	}
}

// twins links each closed node to the previous closed node that no group to place can tell
// apart from it: same capacities, same kinds of free GPUs, same feasibility for every
// signature and the same values of every spread attribute.
func (e *exactSearch) twins(placed []int) {
	m := e.m
	var spreadKeys []string
	for g, k := range placed {
		for _, sp := range m.groups[g].spreads {
			if k > 0 {
				spreadKeys = append(spreadKeys, sp.key)
			}
		}
	}
	e.twin = make([]int32, len(m.nodes))
	last := map[string]int32{}
	for n := range m.nodes {
		e.twin[n] = -1
		c := &m.nodes[n]
		if c.preOpen {
			continue
		}
		var b strings.Builder
		for d := 0; d < nScalar; d++ {
			b.WriteString(strconv.FormatInt(c.cap[d], 10) + "/")
		}
		var kinds []uint64
		for j, kind := range e.gpuKind[n] {
			if c.gpuFree0&(1<<uint(j)) != 0 {
				kinds = append(kinds, kind)
			}
		}
		sort.Slice(kinds, func(a, b int) bool { return kinds[a] < kinds[b] })
		for _, kind := range kinds {
			b.WriteString("g" + strconv.FormatUint(kind, 16))
		}
		for _, sig := range e.sigs {
			b.WriteString("/" + strconv.FormatBool(sig.isFeas[n]))
		}
		for _, key := range spreadKeys {
			v, ok := m.p.Nodes[n].lookup(key)
			b.WriteString("/" + strconv.FormatBool(ok) + strconv.Quote(v))
		}
		b.WriteString("/" + strconv.FormatBool(e.isBanned(n)))
		key := b.String()
		if prev, ok := last[key]; ok {
			e.twin[n] = prev
		}
		last[key] = int32(n)
	}
}

func (e *exactSearch) search(k int) {
	s := e.s
	if e.best <= e.floor || e.cut {
		return
	}
	// A visit takes microseconds: checking the clock every 16 keeps a 2 ms budget.
	if e.visits++; e.visits > e.limit || (e.visits%16 == 0 && time.Now().After(e.deadline)) {
		e.cut = true
		return
	}
	if k == len(e.order) {
		if s.opened >= e.best {
			return
		}
		e.best = s.opened
		if e.bestNode == nil {
			e.bestNode = make([]int32, len(e.order))
			e.bestGPUs = make([]uint64, len(e.order))
		}
		for j, inst := range e.order {
			e.bestNode[j], e.bestGPUs[j] = s.node[inst], s.gpus[inst]
		}
		return
	}
	if s.opened+e.extra() >= e.best {
		return
	}
	// The LP bounds cost a thousand times more than the covers: they are asked only when the
	// fleet changed, after an instance opened a node, and at the root of a search with banned
	// nodes, whose fleet differs from the one bestBound saw.
	if e.lp && ((k == 0 && e.banned != nil) || (k > 0 && e.justOpened(k-1))) {
		if e.relaxed() >= e.best {
			return
		}
		if time.Now().After(e.deadline) {
			e.cut = true
			return
		}
	}
	inst := e.order[k]
	g := s.groupOf(inst)
	cg := &e.m.groups[g]
	lo := int32(0)
	if k > 0 && s.groupOf(e.order[k-1]) == g {
		lo = s.node[e.order[k-1]]
		if cg.distinct {
			lo++
		}
	}
	cands := e.candidates(k, g, lo)
	e.addDemand(g, -1)
	e.remOf[g]--
	for _, c := range cands {
		n := int(c.node)
		if cg.gpus == 0 {
			s.placeWith(inst, g, n, 0)
			e.search(k + 1)
			s.remove(inst, g)
		} else {
			e.picks(n, cg.sig.gpuElig[n]&s.gpuFree[n], cg.gpus, func(pick uint64) {
				s.placeWith(inst, g, n, pick)
				e.search(k + 1)
				s.remove(inst, g)
			})
		}
		if e.best <= e.floor || e.cut {
			break
		}
	}
	e.remOf[g]++
	e.addDemand(g, 1)
}

// isBanned says whether the search may not open n.
func (e *exactSearch) isBanned(n int) bool { return e.banned != nil && e.banned[n] }

// justOpened says whether instance k opened its node.
func (e *exactSearch) justOpened(k int) bool {
	n := e.s.node[e.order[k]]
	return e.s.count[n] == 1 && !e.m.nodes[n].preOpen
}

// relaxed is bestBound's bound, without the column generation, for the instances left on the fleet as this branch leaves it:
// the nodes it opened count as in use, with what they have free. It forgets which groups run
// on those nodes (distinct_hosts, spread limits), a relaxation, so it bounds every completion.
func (e *exactSearch) relaxed() int {
	s := e.s
	sub := *e.m
	sub.nodes = e.subNodes
	// Its fleet is not e.m's: the class LP kept for e.m is not its own (none is solved here).
	sub.lp = nil
	for n := range sub.nodes {
		c := &sub.nodes[n]
		*c = e.m.nodes[n]
		if s.isOpen(n) {
			c.preOpen, c.free0, c.gpuFree0 = true, s.free[n], s.gpuFree[n]
		} else if e.isBanned(n) {
			// A node that brings nothing: only distinct_hosts covers still count it, which
			// weakens the bound without making it wrong.
			c.cap, c.free0, c.gpuFree0, c.gpuCap = vec{}, vec{}, 0, 0
		}
	}
	return sub.boundFor(e.remOf, nil, time.Time{}).nodes
}

// candidates lists the nodes from lo on that instance k (of group g) may go to: open ones first,
// tightest fit first, then closed ones that are the lowest-index of their twins, largest first.
func (e *exactSearch) candidates(k, g int, lo int32) []nodeChoice {
	s := e.s
	out := e.cands[k][:0]
	for _, n := range e.m.groups[g].sig.feasible {
		if n < lo || e.isBanned(int(n)) || !s.fits(g, int(n)) {
			continue
		}
		if s.isOpen(int(n)) {
			out = append(out, nodeChoice{n, s.leftover(g, int(n))})
			continue
		}
		if t := e.twin[n]; t >= 0 && !s.isOpen(int(t)) {
			continue
		}
		// Closed nodes sort after every open one, larger first.
		out = append(out, nodeChoice{n, 1e9 - e.m.nodes[n].size})
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].key < out[b].key })
	e.cands[k] = out
	return out
}

// picks calls try with every choice of k GPUs out of free on n that differs in how many of each
// kind it takes, the lowest-index GPUs of each kind.
func (e *exactSearch) picks(n int, free uint64, k int, try func(uint64)) {
	var kinds []uint64
	byKind := map[uint64][]int{}
	for j := 0; j < len(e.gpuKind[n]); j++ {
		if free&(1<<uint(j)) == 0 {
			continue
		}
		kind := e.gpuKind[n][j]
		if _, ok := byKind[kind]; !ok {
			kinds = append(kinds, kind)
		}
		byKind[kind] = append(byKind[kind], j)
	}
	var rec func(i, left int, pick uint64)
	rec = func(i, left int, pick uint64) {
		if left == 0 {
			try(pick)
			return
		}
		if i == len(kinds) {
			return
		}
		gpus := byKind[kinds[i]]
		for c := min(left, len(gpus)); c >= 0; c-- {
			p := pick
			for _, j := range gpus[:c] {
				p |= 1 << uint(j)
			}
			rec(i+1, left-c, p)
			if e.best <= e.floor || e.cut {
				return
			}
		}
	}
	rec(0, k, 0)
}

// extra is a lower bound on the nodes still to open for the instances left: per signature and
// for all of them, per dimension, the demand left beyond what open nodes have free, against the
// largest closed nodes; per group, its instances left beyond what open nodes have room for,
// against the closed nodes with room for most (one each for distinct_hosts); and per spread
// limit, the values it must still use. It exceeds the fleet when the instances left cannot be
// placed.
func (e *exactSearch) extra() int {
	m, s := e.m, e.s
	S := len(e.sigs)
	clear(e.openFree)
	for n := range m.nodes {
		if !s.isOpen(n) {
			continue
		}
		f := &s.free[n]
		all := &e.openFree[S]
		for d := 0; d < nScalar; d++ {
			all[d] += f[d]
		}
		all[nScalar] += int64(popcount(s.gpuFree[n]))
		for k, sig := range e.sigs {
			if !sig.isFeas[n] {
				continue
			}
			o := &e.openFree[k]
			for d := 0; d < nScalar; d++ {
				o[d] += f[d]
			}
			if sig.gpuElig != nil {
				c := popcount(s.gpuFree[n] & sig.gpuElig[n])
				o[nScalar] += int64(c - c%sig.gpuAsk)
			}
		}
	}
	need := 0
	for k := 0; k <= S; k++ {
		var sig *signature
		if k < S {
			sig = e.sigs[k]
		}
		for d := 0; d <= nScalar; d++ {
			left := e.rem[k][d] - e.openFree[k][d]
			if left <= 0 {
				continue
			}
			count := 0
			for _, n := range e.byCap[k][d] {
				if s.isOpen(int(n)) {
					continue
				}
				count++
				if left -= int64(m.capacity(sig, int(n), d, false)); left <= 0 {
					break
				}
			}
			if left > 0 {
				return len(m.nodes) + 1
			}
			need = max(need, count)
		}
	}
	for g, left := range e.remOf {
		if left == 0 {
			continue
		}
		for _, n := range m.groups[g].sig.feasible {
			if s.isOpen(int(n)) {
				left -= e.fitCount(g, int(n), left)
			}
		}
		count := 0
		for _, c := range e.fitOf[g] {
			if left <= 0 {
				break
			}
			if !s.isOpen(int(c.node)) {
				count++
				left -= int(c.key)
			}
		}
		if left > 0 {
			return len(m.nodes) + 1
		}
		need = max(need, count)
	}
	for i := range e.spreads {
		need = max(need, e.spreads[i].nodes(e))
	}
	return need
}
