package admission

import (
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/dec2-cloud/dec2/allocator/nomadstate"
	"github.com/dec2-cloud/dec2/allocator/rewrite"
)

// dropLikeNomad chooses which running instances of a group a scale-down stops so that they
// are the ones Nomad stops: a task group whose count falls stops its allocations with the
// highest indexes, and Pin's layout takes a node away from the last of the group's parts that
// has it. So each instance dropped is a part's highest-indexed allocation on a node no later
// part holds, picked from the nodes with the fewest instances first; the others stay in place.
// It reports false when Nomad's allocations do not match the plan part for part, or no
// instance can be dropped that way; shrink decides then, and Nomad may move some instances.
func dropLikeNomad(gp *rewrite.GroupPlan, allocs []*nomadstate.Alloc, need int) (rewrite.Placement, bool) {
	byPart := map[string][]*nomadstate.Alloc{}
	for _, al := range allocs {
		byPart[al.TaskGroup] = append(byPart[al.TaskGroup], al)
	}
	type slot struct{ part, node string }
	held := map[slot]int{}
	total := 0
	for _, p := range gp.Parts {
		want := map[string]int{}
		for _, n := range p.Nodes {
			want[n] += p.PerNode
			held[slot{p.Name, n}] += p.PerNode
		}
		got := map[string]int{}
		seen := map[int]bool{}
		for _, al := range byPart[p.Name] {
			got[al.NodeID]++
			i, ok := allocIndex(al.Name)
			if !ok || seen[i] {
				return nil, false
			}
			seen[i] = true
		}
		if !maps.Equal(want, got) {
			return nil, false
		}
		// Highest index first: the order Nomad stops them in.
		sort.Slice(byPart[p.Name], func(a, b int) bool {
			x, _ := allocIndex(byPart[p.Name][a].Name)
			y, _ := allocIndex(byPart[p.Name][b].Name)
			return x > y
		})
		total += len(byPart[p.Name])
	}
	left := gp.Placement()
	for ; total > need; total-- {
		best := -1
		for i, p := range gp.Parts {
			if len(byPart[p.Name]) == 0 {
				continue
			}
			n := byPart[p.Name][0].NodeID
			later := false
			for _, q := range gp.Parts[i+1:] {
				later = later || held[slot{q.Name, n}] > 0
			}
			if later {
				continue
			}
			if best < 0 {
				best = i
				continue
			}
			b := byPart[gp.Parts[best].Name][0].NodeID
			if left[n] < left[b] || left[n] == left[b] && n < b {
				best = i
			}
		}
		if best < 0 {
			return nil, false
		}
		p := gp.Parts[best].Name
		n := byPart[p][0].NodeID
		byPart[p] = byPart[p][1:]
		held[slot{p, n}]--
		if left[n]--; left[n] == 0 {
			delete(left, n)
		}
	}
	return left, true
}

// allocIndex reads the index from an allocation name, "<job>.<group>[<index>]".
func allocIndex(name string) (int, bool) {
	open := strings.LastIndexByte(name, '[')
	if open < 0 || !strings.HasSuffix(name, "]") {
		return 0, false
	}
	i, err := strconv.Atoi(name[open+1 : len(name)-1])
	return i, err == nil
}

// shrink keeps need instances of a placement, emptying the nodes with the fewest first.
func shrink(pl rewrite.Placement, need int) rewrite.Placement {
	out := maps.Clone(pl)
	ids := slices.Collect(maps.Keys(out))
	sort.Slice(ids, func(i, j int) bool {
		if out[ids[i]] != out[ids[j]] {
			return out[ids[i]] < out[ids[j]]
		}
		return ids[i] < ids[j]
	})
	extra := out.Total() - need
	for _, id := range ids {
		if extra == 0 {
			break
		}
		k := min(extra, out[id])
		out[id] -= k
		extra -= k
		if out[id] == 0 {
			delete(out, id)
		}
	}
	return out
}
