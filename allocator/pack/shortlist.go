package pack

import (
	"context"
	"slices"
)

// ShortListFrom is the fleet size from which ShortList offers a registration's groups a
// short list of nodes rather than the whole region: the packer's work grows with the nodes
// it is given, and a job of a few instances needs few of them.
const ShortListFrom = 128

// ShortList is the nodes worth offering the packer for some groups, chosen by the packer's
// own objective (fewest providers in use, least stranded capacity, lowest cost).
type ShortList struct {
	Nodes []Node
	At    []int // their indices in the whole fleet, ascending
}

// topK keeps the k best nodes by key (smaller first; ties to the earlier node).
type topK struct {
	k    int
	keys []rankKey
}

type rankKey struct {
	a, b float64
	node int
}

// takes says whether a node of key (a, b) would enter the list.
func (r *topK) takes(a, b float64) bool {
	if len(r.keys) < r.k {
		return true
	}
	last := r.keys[r.k-1]
	return a < last.a || (a == last.a && b < last.b)
}

func (r *topK) offer(a, b float64, node int) {
	if !r.takes(a, b) {
		return
	}
	if len(r.keys) == r.k {
		r.keys = r.keys[:r.k-1]
	}
	i, _ := slices.BinarySearchFunc(r.keys, rankKey{a, b, node}, func(x, y rankKey) int {
		switch {
		case x.a != y.a:
			return cmpFloat(x.a, y.a)
		case x.b != y.b:
			return cmpFloat(x.b, y.b)
		}
		return x.node - y.node
	})
	r.keys = slices.Insert(r.keys, i, rankKey{a, b, node})
}

func cmpFloat(x, y float64) int {
	if x < y {
		return -1
	}
	return 1
}

// ShortListOf picks, for each group and separately among nodes with a free GPU and without
// one (PackPreferringPlainNodes keeps CPU work off GPU rigs when it can), the feasible nodes:
//   - in use already, where an instance fits: the cheapest for the instance first, then the
//     tightest fit — placing there opens no provider and strands nothing new;
//   - idle, where one instance fits, and idle, where the whole group fits: the smallest
//     first — if a provider must be opened, the one that strands least —; and the largest
//     idle ones, which the packer opens first as they take the most later work.
//
// Each list is bounded by the group's count. ok is false when narrowing would not pay (a
// fleet under ShortListFrom nodes, groups as large as the fleet) or cannot be done
// faithfully (spread limits, which depend on attribute values across the fleet). A short
// list can still leave instances unplaced that the whole fleet would take; PackOnShortList
// then packs the whole fleet.
func ShortListOf(nodes []Node, groups []Group) (ShortList, bool) {
	if len(nodes) < ShortListFrom {
		return ShortList{}, false
	}
	largest := largestNode(nodes)
	var picked []int
	for gi := range groups {
		more, ok := shortListGroup(nodes, &groups[gi], largest)
		if !ok {
			return ShortList{}, false
		}
		picked = append(picked, more...)
	}
	slices.Sort(picked)
	picked = slices.Compact(picked)
	if len(picked) == 0 || len(picked) > len(nodes)/2 {
		return ShortList{}, false
	}
	out := ShortList{Nodes: make([]Node, len(picked)), At: picked}
	for j, i := range picked {
		out.Nodes[j] = nodes[i]
	}
	return out, true
}

// largestNode is the fleet's largest capacity in each scalar dimension (at least 1).
func largestNode(nodes []Node) [3]float64 {
	var largest [3]float64
	for i := range nodes {
		n := &nodes[i]
		largest[0] = max(largest[0], float64(n.CPUMHz))
		largest[1] = max(largest[1], float64(n.MemoryMB))
		largest[2] = max(largest[2], float64(n.DiskMB))
	}
	for d := range largest {
		largest[d] = max(largest[d], 1)
	}
	return largest
}

// shortListGroup is ShortListOf's pick for one group: the indices of the nodes it keeps.
func shortListGroup(nodes []Node, g *Group, largest [3]float64) ([]int, bool) {
	if len(g.Spread) > 0 || g.Count <= 0 {
		return nil, false
	}
	keep, err := NodeFilter(g)
	if err != nil {
		return nil, false
	}
	gpus := g.gpuCount()
	dem := [3]int64{g.CPUMHz, g.MemoryMB, g.DiskMB}
	kOpen, kIdle := 8+2*g.Count, 4+g.Count
	// [0]: nodes without a free GPU, [1]: rigs.
	var open, idleOne, idleAll, idleLarge [2]topK
	for p := range 2 {
		open[p], idleOne[p], idleAll[p], idleLarge[p] = topK{k: kOpen}, topK{k: kIdle}, topK{k: kIdle}, topK{k: kIdle}
	}
	// The node filter runs only on nodes that would enter a list, once each.
	var n *Node
	var verdict int8
	feasible := func() bool {
		if verdict == 0 {
			verdict = -1
			if keep(n) {
				verdict = 1
			}
		}
		return verdict > 0
	}
	for i := range nodes {
		n, verdict = &nodes[i], 0
		f := [3]int64{n.CPUMHz - n.Used.CPUMHz, n.MemoryMB - n.Used.MemoryMB, n.DiskMB - n.Used.DiskMB}
		rig := freeGPUs(n)
		fitsOne, fitsAll := rig >= gpus, rig >= gpus*g.Count
		var left float64
		for d := range f {
			fitsOne = fitsOne && f[d] >= dem[d]
			fitsAll = fitsAll && f[d] >= dem[d]*int64(g.Count)
			left += float64(f[d]-dem[d]) / largest[d]
		}
		if !fitsOne {
			continue
		}
		p := min(rig, 1)
		if n.Used != (Resources{}) || len(n.UsedGPUs) > 0 {
			if price := InstancePrice(n, g); open[p].takes(price, left) && feasible() {
				open[p].offer(price, left, i)
			}
			continue
		}
		size := float64(n.CPUMHz)/largest[0] + float64(n.MemoryMB)/largest[1] + float64(n.DiskMB)/largest[2] + float64(len(n.GPUs))
		for _, l := range []struct {
			r    *topK
			a    float64
			fits bool
		}{{&idleOne[p], size, true}, {&idleLarge[p], -size, true}, {&idleAll[p], size, fitsAll}} {
			if l.fits && l.r.takes(l.a, n.PricePerHour) && feasible() {
				l.r.offer(l.a, n.PricePerHour, i)
			}
		}
	}
	var picked []int
	for p := range 2 {
		for _, r := range []topK{open[p], idleOne[p], idleAll[p], idleLarge[p]} {
			for _, k := range r.keys {
				picked = append(picked, k.node)
			}
		}
	}
	return picked, true
}

// countLeftOut adds to a result's figures the nodes of the fleet it was not offered
// (left(i)) that are in use: they stay providers in use, and their free capacity stays
// stranded, whatever is placed elsewhere.
func countLeftOut(st *Stats, nodes []Node, left func(i int) bool) {
	for i := range nodes {
		n := &nodes[i]
		if !left(i) || (n.Used == (Resources{}) && len(n.UsedGPUs) == 0) {
			continue
		}
		st.NodesUsed++
		st.LowerBound++
		st.Stranded.CPUMHz += n.CPUMHz - n.Used.CPUMHz
		st.Stranded.MemoryMB += n.MemoryMB - n.Used.MemoryMB
		st.Stranded.DiskMB += n.DiskMB - n.Used.DiskMB
		st.Stranded.GPUs += freeGPUs(n)
	}
}

// PackOnShortList packs prob with PackPreferringPlainNodes on a ShortListOf its nodes when
// that places everything, and on all of them otherwise — so refusals and their reasons are
// the whole fleet's. The result's figures (nodes in use, stranded capacity) count the nodes
// left out.
func PackOnShortList(ctx context.Context, prob Problem, opt Options) (Result, error) {
	if short, ok := ShortListOf(prob.Nodes, prob.Groups); ok {
		res, err := PackPreferringPlainNodes(ctx, Problem{Nodes: short.Nodes, Groups: prob.Groups}, opt)
		if err == nil && len(res.Unplaced) == 0 {
			countLeftOut(&res.Stats, prob.Nodes, func(i int) bool {
				_, in := slices.BinarySearch(short.At, i)
				return !in
			})
			return res, nil
		}
	}
	return PackPreferringPlainNodes(ctx, prob, opt)
}

// PackPreferringPlainNodes runs Pack. Work that asks for no GPU is first offered only the
// nodes without a free GPU, so that GPU rigs are not filled with CPU work that could go
// elsewhere while GPU jobs queue behind it; every node is offered when that leaves
// something unplaced or opens more providers than using the rigs would.
func PackPreferringPlainNodes(ctx context.Context, prob Problem, opt Options) (Result, error) {
	gpuWork := false
	for _, g := range prob.Groups {
		gpuWork = gpuWork || g.gpuCount() > 0
	}
	rigs := 0
	for i := range prob.Nodes {
		if freeGPUs(&prob.Nodes[i]) > 0 {
			rigs++
		}
	}
	if !gpuWork && rigs > 0 && rigs < len(prob.Nodes) {
		plain := make([]Node, 0, len(prob.Nodes)-rigs)
		for i := range prob.Nodes {
			if freeGPUs(&prob.Nodes[i]) == 0 {
				plain = append(plain, prob.Nodes[i])
			}
		}
		res, err := Pack(ctx, Problem{Nodes: plain, Groups: prob.Groups}, opt)
		if err == nil && len(res.Unplaced) == 0 {
			all, err := Pack(ctx, prob, opt)
			// Keeping off the rigs must not cost an extra provider.
			if err != nil || opened(res, plain) <= opened(all, prob.Nodes) {
				countLeftOut(&res.Stats, prob.Nodes, func(i int) bool { return freeGPUs(&prob.Nodes[i]) > 0 })
				return res, nil
			}
			return all, nil
		}
	}
	return Pack(ctx, prob, opt)
}

// opened counts the nodes a result starts using that ran nothing before.
func opened(res Result, nodes []Node) int {
	idle := map[string]bool{}
	for _, n := range nodes {
		idle[n.ID] = n.Used == (Resources{}) && len(n.UsedGPUs) == 0
	}
	seen := map[string]bool{}
	for _, p := range res.Placements {
		if idle[p.Node] {
			seen[p.Node] = true
		}
	}
	return len(seen)
}

// freeGPUs counts a node's healthy GPUs that nothing uses.
func freeGPUs(n *Node) int {
	free := 0
	for _, g := range n.GPUs {
		if g.Healthy && !slices.Contains(n.UsedGPUs, g.ID) {
			free++
		}
	}
	return free
}
