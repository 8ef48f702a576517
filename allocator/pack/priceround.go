package pack

import (
	"math"
	"math/rand/v2"
	"sort"
	"time"
)

const priceAndRoundName = "price-and-round"

// priceRounds caps the pricing rounds of price-and-round's column generation. On a
// 1,000-provider fleet of standard shapes, randomized rounding did as well after 5 rounds as
// after the LP's end (60 rounds and 2 s), and 10 keep the member under half a second there
// when the budget is generous.
const priceRounds = 10

// priceAndRound packs from the column generation's own solution (price-and-round). It solves the
// class model's covering LP for the instances its greedy (GPU asks first, then L2-norm bin
// filling, the portfolio's best member) places, seeded with that packing's loads, until
// deadline or priceRounds pricing rounds (the model keeps the LP, and the bound goes on from
// it); gives each pattern of the solution ⌊x⌋ concrete nodes of its class; and leaves what the
// fractional parts held, and whatever did not fit where the classes rounded sizes, to the same
// greedy, which fills the nodes already open before it opens any. Restarts (noise > 0) round
// randomly instead: one node more with probability x − ⌊x⌋; where classes hold a node or two
// each, rounding down leaves most of the LP to the greedy, and the random rounding is what
// beats the other members. Without a class model within the LP's limits only the greedy runs.
func priceAndRound(s *state, rng *rand.Rand, noise float64, deadline time.Time) {
	m := s.m
	if m.hasClassModel() {
		seed := newState(m)
		gpuFirst(seed, groupOrder(m, byDominant, nil, 0), false)
		binFill(seed, nodeOrder(m, nil, 0), l2Norm, false)
		if cm, _, sol, ok := m.solveClassLP(seed.placedPerGroup(), seed, colgenLimits{deadline: deadline, rounds: priceRounds}, false); ok {
			s.roundPatterns(cm, sol, rng, noise)
		}
	}
	gorder := groupOrder(m, byDominant, rng, noise)
	gpuFirst(s, gorder, false)
	binFill(s, nodeOrder(m, rng, noise), l2Norm, false)
}

// roundPatterns gives the patterns of sol their rounded node counts, the most used pattern
// first, each on the next unused node of its class (largest first: a class offers the most any
// member offers, rounded up, so its larger members are likelier to hold the whole pattern, and
// what a pattern leaves free the greedy fills). The item classes of the pattern are filled from
// their groups, largest first, with instances that fit the node: s.fits, not the class model,
// decides, so capacity, distinct_hosts, spread limits and GPU devices hold whatever the
// rounding did.
func (s *state) roundPatterns(cm *classModel, sol []lpPattern, rng *rand.Rand, noise float64) {
	m := s.m
	members := make([][]int, len(cm.nodes))
	for n, k := range cm.nodeOf {
		if k >= 0 {
			members[k] = append(members[k], n)
		}
	}
	for _, list := range members {
		sort.SliceStable(list, func(a, b int) bool { return m.nodes[list[a]].size > m.nodes[list[b]].size })
	}
	groups := make([][]int, len(cm.items))
	for g, i := range cm.itemOf {
		if i >= 0 {
			groups[i] = append(groups[i], g)
		}
	}
	for _, list := range groups {
		sort.SliceStable(list, func(a, b int) bool { return m.groups[list[a]].size > m.groups[list[b]].size })
	}
	order := make([]int, len(sol))
	for j := range order {
		order[j] = j
	}
	sort.SliceStable(order, func(a, b int) bool { return sol[order[a]].x > sol[order[b]].x })
	used := make([]int, len(cm.nodes))
	// next[g] is g's first instance that may still be unplaced: instances are placed in order.
	next := append([]int(nil), m.base[:len(m.groups)]...)
	for _, j := range order {
		p := &sol[j]
		copies := int(math.Floor(p.x + 1e-6))
		if noise > 0 && rng.Float64() < p.x-float64(copies) {
			copies++
		}
		for ; copies > 0 && used[p.class] < len(members[p.class]); copies-- {
			n := members[p.class][used[p.class]]
			used[p.class]++
			for t, i := range p.rows {
				want := p.counts[t]
				for _, g := range groups[i] {
					if !m.groups[g].sig.isFeas[n] {
						continue
					}
					for ; want > 0 && next[g] < m.base[g+1] && s.fits(g, n); want-- {
						s.place(int32(next[g]), g, n)
						next[g]++
					}
				}
			}
		}
	}
}

// hasClassModel says whether the class model of placing every instance fits the LP's limits.
// Then so does the class model of any part of them: fewer groups make no more classes.
func (m *model) hasClassModel() bool {
	return m.classes(m.everyInstance()) != nil
}

// everyInstance is, by group, all of its instances: the placement the bounds and the exact
// search are asked about when everything is placed.
func (m *model) everyInstance() []int {
	all := make([]int, len(m.groups))
	for g := range m.groups {
		all[g] = m.groups[g].g.Count
	}
	return all
}
