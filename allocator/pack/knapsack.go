package pack

import "sort"

// knapsackSolver fills one node as exactly as it can: a bounded multi-dimensional 0/1
// knapsack over the instances that still fit it, solved by depth-first branch and bound.
// The value of an instance is the share of the node it would fill, summed over dimensions,
// so the best packing leaves the least capacity over. Buffers are reused between nodes.
type knapsackSolver struct {
	items   []knapItem
	take    []int
	best    []int
	bestVal float64
	visits  int
	suffix  []float64
}

type knapItem struct {
	g     int
	dem   [nScalar + 1]int64
	max   int
	value float64
}

const (
	// knapsackItems keeps the search to the groups worth the most per instance.
	knapsackItems = 24
	// knapsackVisits bounds the search per node; the best packing found so far is used.
	knapsackVisits = 4000
)

// solve returns group ids to place on n, one entry per instance.
func (k *knapsackSolver) solve(s *state, n int, cand []int, remaining []int) []int {
	c := &s.m.nodes[n]
	var capv, free [nScalar + 1]int64
	for d := 0; d < nScalar; d++ {
		capv[d], free[d] = c.cap[d], s.free[n][d]
	}
	capv[nScalar], free[nScalar] = int64(c.gpuCap), int64(popcount(s.gpuFree[n]))
	k.items = k.items[:0]
	for _, g := range cand {
		cg := &s.m.groups[g]
		it := knapItem{g: g, max: remaining[g]}
		for d := 0; d < nScalar; d++ {
			it.dem[d] = cg.dem[d]
		}
		it.dem[nScalar] = int64(cg.gpus)
		if cg.gpus > 0 {
			// Only the GPUs this group may use count against it.
			it.max = min(it.max, popcount(cg.sig.gpuElig[n]&s.gpuFree[n])/cg.gpus)
		}
		if cg.distinct {
			it.max = min(it.max, 1)
		}
		for i, sp := range cg.spreads {
			if v, ok := s.m.p.Nodes[n].lookup(sp.key); ok {
				it.max = min(it.max, sp.max-s.spread[g][i][v])
			}
		}
		for d := 0; d <= nScalar; d++ {
			if it.dem[d] > 0 {
				it.max = min(it.max, int(free[d]/it.dem[d]))
				it.value += float64(it.dem[d]) / float64(capv[d])
			}
		}
		if it.max > 0 && it.value > 0 {
			k.items = append(k.items, it)
		}
	}
	sort.Slice(k.items, func(a, b int) bool {
		if k.items[a].value != k.items[b].value {
			return k.items[a].value > k.items[b].value
		}
		return k.items[a].g < k.items[b].g
	})
	if len(k.items) > knapsackItems {
		k.items = k.items[:knapsackItems]
	}
	m := len(k.items)
	k.take = resize(k.take, m)
	k.best = resize(k.best, m)
	k.suffix = k.suffix[:0]
	for i := 0; i <= m; i++ {
		k.suffix = append(k.suffix, 0)
	}
	for i := m - 1; i >= 0; i-- {
		k.suffix[i] = k.suffix[i+1] + float64(k.items[i].max)*k.items[i].value
	}
	k.bestVal, k.visits = -1, 0
	k.search(0, free, capv, 0)
	var out []int
	for i, it := range k.items {
		for j := 0; j < k.best[i]; j++ {
			out = append(out, it.g)
		}
	}
	return out
}

func resize(b []int, n int) []int {
	if cap(b) < n {
		return make([]int, n)
	}
	b = b[:n]
	clear(b)
	return b
}

func (k *knapsackSolver) search(i int, free, capv [nScalar + 1]int64, val float64) {
	k.visits++
	if val > k.bestVal {
		k.bestVal = val
		copy(k.best, k.take)
		clear(k.best[i:])
	}
	if i == len(k.items) || k.visits > knapsackVisits {
		return
	}
	room := 0.0
	for d := range free {
		if capv[d] > 0 {
			room += float64(free[d]) / float64(capv[d])
		}
	}
	if val+min(k.suffix[i], room) <= k.bestVal+1e-12 {
		return
	}
	it := &k.items[i]
	most := it.max
	for d := range free {
		if it.dem[d] > 0 {
			most = min(most, int(free[d]/it.dem[d]))
		}
	}
	for c := most; c >= 0; c-- {
		next := free
		for d := range next {
			next[d] -= int64(c) * it.dem[d]
		}
		k.take[i] = c
		k.search(i+1, next, capv, val+float64(c)*it.value)
		if k.visits > knapsackVisits {
			break
		}
	}
	k.take[i] = 0
}
