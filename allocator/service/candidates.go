package service

import (
	"context"
	"slices"

	"github.com/dec2-cloud/dec2/allocator/pack"
)

// narrowFrom is the fleet size from which a registration's groups are offered a short list
// of nodes rather than the whole region: the packer's work grows with the nodes it is given,
// and a job of a few instances needs few of them.
const narrowFrom = 128

// shortList is the nodes worth offering the packer for some groups, chosen by the packer's
// own objective (fewest providers in use, least stranded capacity, lowest cost).
type shortList struct {
	nodes []pack.Node
	at    []int // their indices in the whole fleet, ascending
}

// ranked keeps the k best nodes by key (smaller first; ties to the earlier node).
type ranked struct {
	k    int
	keys []rankKey
}

type rankKey struct {
	a, b float64
	node int
}

// takes says whether a node of key (a, b) would enter the list.
func (r *ranked) takes(a, b float64) bool {
	if len(r.keys) < r.k {
		return true
	}
	last := r.keys[r.k-1]
	return a < last.a || (a == last.a && b < last.b)
}

func (r *ranked) offer(a, b float64, node int) {
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

// narrow picks, for each group and separately among nodes with a free GPU and without one
// (pack keeps CPU work off GPU rigs when it can), the feasible nodes:
//   - in use already, where an instance fits: the cheapest for the instance first, then the
//     tightest fit — placing there opens no provider and strands nothing new;
//   - idle, where one instance fits, and idle, where the whole group fits: the smallest
//     first — if a provider must be opened, the one that strands least —; and the largest
//     idle ones, which the packer opens first as they take the most later work.
//
// Each list is bounded by the group's count. ok is false when narrowing would not pay (a
// small fleet, groups as large as the fleet) or cannot be done faithfully (spread limits,
// which depend on attribute values across the fleet). A short list can still leave
// instances unplaced that the whole fleet would take; the caller then packs the whole fleet.
func narrow(nodes []pack.Node, groups []pack.Group) (shortList, bool) {
	if len(nodes) < narrowFrom {
		return shortList{}, false
	}
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
	free := func(n *pack.Node) [3]int64 {
		return [3]int64{n.CPUMHz - n.Used.CPUMHz, n.MemoryMB - n.Used.MemoryMB, n.DiskMB - n.Used.DiskMB}
	}
	var picked []int
	for gi := range groups {
		g := &groups[gi]
		if len(g.Spread) > 0 || g.Count <= 0 {
			return shortList{}, false
		}
		keep, err := pack.NodeFilter(g)
		if err != nil {
			return shortList{}, false
		}
		gpus := 0
		if g.GPU != nil {
			gpus = g.GPU.Count
		}
		dem := [3]int64{g.CPUMHz, g.MemoryMB, g.DiskMB}
		kOpen, kIdle := 8+2*g.Count, 4+g.Count
		// [0]: nodes without a free GPU, [1]: rigs.
		var open, idleOne, idleAll, idleLarge [2]ranked
		for p := range 2 {
			open[p], idleOne[p], idleAll[p], idleLarge[p] = ranked{k: kOpen}, ranked{k: kIdle}, ranked{k: kIdle}, ranked{k: kIdle}
		}
		// The node filter runs only on nodes that would enter a list, once each.
		var n *pack.Node
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
			f := free(n)
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
			if n.Used != (pack.Resources{}) || len(n.UsedGPUs) > 0 {
				if price := pack.InstancePrice(n, g); open[p].takes(price, left) && feasible() {
					open[p].offer(price, left, i)
				}
				continue
			}
			size := float64(n.CPUMHz)/largest[0] + float64(n.MemoryMB)/largest[1] + float64(n.DiskMB)/largest[2] + float64(len(n.GPUs))
			for _, l := range []struct {
				r    *ranked
				a    float64
				fits bool
			}{{&idleOne[p], size, true}, {&idleLarge[p], -size, true}, {&idleAll[p], size, fitsAll}} {
				if l.fits && l.r.takes(l.a, n.PricePerHour) && feasible() {
					l.r.offer(l.a, n.PricePerHour, i)
				}
			}
		}
		for p := range 2 {
			for _, r := range []ranked{open[p], idleOne[p], idleAll[p], idleLarge[p]} {
				for _, k := range r.keys {
					picked = append(picked, k.node)
				}
			}
		}
	}
	slices.Sort(picked)
	picked = slices.Compact(picked)
	if len(picked) == 0 || len(picked) > len(nodes)/2 {
		return shortList{}, false
	}
	out := shortList{nodes: make([]pack.Node, len(picked)), at: picked}
	for j, i := range picked {
		out.nodes[j] = nodes[i]
	}
	return out, true
}

// countLeftOut adds to a result's figures the nodes of the fleet it was not offered
// (left(i)) that are in use: they stay providers in use, and their free capacity stays
// stranded, whatever is placed elsewhere.
func countLeftOut(st *pack.Stats, nodes []pack.Node, left func(i int) bool) {
	for i := range nodes {
		n := &nodes[i]
		if !left(i) || (n.Used == (pack.Resources{}) && len(n.UsedGPUs) == 0) {
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

// packNarrowed packs prob on a short list of its nodes when that places everything, and on
// all of them otherwise — so refusals and their reasons are the whole fleet's. The result's
// figures (nodes in use, stranded capacity) count the nodes left out.
func (s *Server) packNarrowed(ctx context.Context, prob pack.Problem) (pack.Result, error) {
	if short, ok := narrow(prob.Nodes, prob.Groups); ok {
		res, err := s.pack(ctx, pack.Problem{Nodes: short.nodes, Groups: prob.Groups})
		if err == nil && len(res.Unplaced) == 0 {
			countLeftOut(&res.Stats, prob.Nodes, func(i int) bool {
				_, in := slices.BinarySearch(short.at, i)
				return !in
			})
			return res, nil
		}
	}
	return s.pack(ctx, prob)
}
