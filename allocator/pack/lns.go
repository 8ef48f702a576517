package pack

import "time"

const (
	// hoodNodes is the size of one neighbourhood: the node to empty and the open nodes with
	// the most room for its load. Small enough that the exact search mostly finishes.
	hoodNodes = 8
	// hoodVisits bounds the exact search of one neighbourhood; a search cut short changes
	// nothing unless it already found fewer nodes.
	hoodVisits = 4000
	// hoodPartners is how many of the neighbourhood's nodes are other nodes to empty.
	hoodPartners = 3
)

// repack is a large-neighbourhood search over the nodes this assignment opened, least filled
// first: it takes every instance off a node and off the open nodes with the most room for its
// load, and places them back by the exact search on those nodes alone, which either finds a
// packing on fewer of them or shows there is none. Where localSearch moves instances one at a
// time by rule, this tries every packing of a neighbourhood. Nodes hosting groups with spread
// limits are left out: a limit counts instances on every node, not only the neighbourhood's.
// It makes passes until one closes nothing or the deadline.
func repack(s *state, deadline time.Time) {
	for before := s.opened + 1; s.opened < before && time.Now().Before(deadline); {
		before = s.opened
		s.repackPass(deadline)
	}
}

func (s *state) repackPass(deadline time.Time) {
	order := s.closable()
	for k, n := range order {
		if time.Now().After(deadline) {
			return
		}
		if s.count[n] == 0 {
			continue
		}
		if hood := s.neighbourhood(n, order[k+1:]); hood != nil {
			s.repackHood(hood, deadline)
		}
	}
}

// spreadFree says whether no instance on n belongs to a group with spread limits.
func (s *state) spreadFree(n int) bool {
	for _, i := range s.onNode[n] {
		if len(s.m.groups[s.groupOf(i)].spreads) > 0 {
			return false
		}
	}
	return true
}

// neighbourhood is n, up to hoodPartners of the next least filled nodes (two half-empty nodes
// may fit on one), and the open nodes whose free capacity covers most of n's load in the
// dimensions that load uses, all among those that may host n's largest group; nil when n hosts
// a spread-limited group or no other node qualifies.
func (s *state) neighbourhood(n int, next []int) []int {
	m := s.m
	if !s.spreadFree(n) {
		return nil
	}
	var load [nScalar + 1]int64
	largest := -1
	for _, i := range s.onNode[n] {
		g := s.groupOf(i)
		cg := &m.groups[g]
		for d := 0; d < nScalar; d++ {
			load[d] += cg.dem[d]
		}
		load[nScalar] += int64(cg.gpus)
		if largest < 0 || cg.size > m.groups[largest].size {
			largest = g
		}
	}
	// hosts keeps the hoodNodes best, most cover first, by insertion: the feasible lists run
	// to thousands of nodes, and sorting them all cost more than the exact searches.
	type host struct {
		node  int
		cover float64
	}
	hosts := make([]host, 0, hoodNodes+1)
	for _, t := range m.groups[largest].sig.feasible {
		if int(t) == n || !s.isOpen(int(t)) || !s.spreadFree(int(t)) {
			continue
		}
		free := [nScalar + 1]int64{s.free[t][dimCPU], s.free[t][dimMem], s.free[t][dimDisk], int64(popcount(s.gpuFree[t]))}
		cover := 0.0
		for d := range load {
			if load[d] > 0 {
				cover += float64(min(free[d], load[d])) / float64(load[d])
			}
		}
		if len(hosts) == hoodNodes && cover <= hosts[hoodNodes-1].cover {
			continue
		}
		at := len(hosts)
		for at > 0 && hosts[at-1].cover < cover {
			at--
		}
		hosts = append(hosts, host{})
		copy(hosts[at+1:], hosts[at:])
		hosts[at] = host{int(t), cover}
		hosts = hosts[:min(len(hosts), hoodNodes)]
	}
	if len(hosts) == 0 {
		return nil
	}
	hood := []int{n}
	in := map[int]bool{n: true}
	for _, t := range next {
		if len(hood) == hoodPartners+1 {
			break
		}
		if s.count[t] > 0 && m.groups[largest].sig.isFeas[t] && s.spreadFree(t) {
			hood = append(hood, t)
			in[t] = true
		}
	}
	for _, h := range hosts {
		if len(hood) == hoodNodes {
			break
		}
		if !in[h.node] {
			hood = append(hood, h.node)
		}
	}
	return hood
}

// repackHood solves the neighbourhood as a problem of its own: its nodes as the input has them
// (what ran there before packing stays), the instances this assignment put there. A packing on
// fewer of its nodes replaces theirs.
func (s *state) repackHood(hood []int, deadline time.Time) {
	m := s.m
	sub := Problem{Nodes: make([]Node, len(hood))}
	open := 0
	taken := map[int][]int32{} // instances by group, taken off the neighbourhood
	var groups []int
	for k, n := range hood {
		sub.Nodes[k] = m.p.Nodes[n]
		if s.isOpen(n) {
			open++
		}
		for _, i := range s.onNode[n] {
			g := s.groupOf(i)
			if taken[g] == nil {
				groups = append(groups, g)
			}
			taken[g] = append(taken[g], i)
		}
	}
	counts := make([]int, len(groups))
	for j, g := range groups {
		grp := *m.groups[g].g
		grp.Count = len(taken[g])
		sub.Groups = append(sub.Groups, grp)
		counts[j] = grp.Count
	}
	// One node fewer is enough: the next neighbourhoods may close more.
	r := solveExact(newModel(&sub), counts, exactLimits{beat: open, floor: open - 1, deadline: deadline, visits: hoodVisits})
	if r.s == nil {
		return
	}
	for _, g := range groups {
		for _, i := range taken[g] {
			s.remove(i, g)
		}
	}
	for i, n := range r.s.node {
		j := r.s.groupOf(int32(i))
		g := groups[j]
		inst := taken[g][0]
		taken[g] = taken[g][1:]
		// The neighbourhood's nodes keep their GPUs in the input's order, so masks carry over.
		s.placeWith(inst, g, hood[n], r.s.gpus[i])
	}
}
