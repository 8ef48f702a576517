package pack

import "slices"

// PlaceDistinct places the Count instances of g one per node on a fleet whose nodes are all in
// use already — storage nodes holding pieces, say — and returns every node that can take an
// instance: the placement first, then the others in the order they would have been taken.
// placed is less than g.Count when the fleet or g's spread limits do not allow them all.
//
// Every placement is on distinct hosts, whatever g.DistinctHosts says. Pack's objective
// cannot tell such placements apart by providers in use (every node is open) or stranded
// capacity (the same instances leave the same total free), so only cost remains, and cost
// alone would send every instance to the same cheapest nodes until they are full. Nodes are
// ranked instead by balancedKey, and the placement is the best g.Count within g's spread
// limits that cover as many of their attributes' values as they can (spreadFirst).
//
// It is Pack's feasibility (NodeFilter, the scalar dimensions) without Pack's search: one
// sort of the fleet, so that a call per placement stays cheap on thousands of nodes. Groups
// asking for GPUs are refused: GPU devices are not handed out here.
func PlaceDistinct(nodes []Node, g *Group) (order []int, placed int, err error) {
	if g.gpuCount() > 0 {
		return nil, 0, &InputError{Field: "groups.gpu", ID: g.ID, Msg: "PlaceDistinct places no GPU work"}
	}
	for _, s := range g.Spread {
		if s.Max < 1 {
			return nil, 0, &InputError{Field: "groups.spread.max", ID: g.ID, Msg: "must be 1 or more"}
		}
	}
	keep, err := NodeFilter(g)
	if err != nil {
		return nil, 0, err
	}
	dem := vec{g.CPUMHz, g.MemoryMB, g.DiskMB}
	// ranked holds each node's instance price until it becomes its rank key.
	ranked := make([]rankedNode, 0, len(nodes))
	var largest vec
	total := 0.0
	for i := range nodes {
		n := &nodes[i]
		f := freeOf(n)
		if !f.holds(dem) || !keep(n) {
			continue
		}
		for d := range f {
			largest[d] = max(largest[d], f[d])
		}
		price := instancePrice(n, g)
		ranked = append(ranked, rankedNode{key: price, node: i})
		total += price
	}
	if len(ranked) == 0 {
		return nil, 0, nil
	}
	mean := total / float64(len(ranked))
	for k := range ranked {
		r := &ranked[k]
		r.key = balancedKey(r.key, mean, nodes[r.node].Reputation, room(freeOf(&nodes[r.node]), dem, largest))
	}
	slices.SortFunc(ranked, func(a, b rankedNode) int {
		switch {
		case a.key < b.key:
			return -1
		case a.key > b.key:
			return 1
		}
		return a.node - b.node
	})
	order, placed = spreadFirst(nodes, ranked, g.Spread, g.Count)
	return order, placed, nil
}

// rankedNode is a node and its rank key, lower first; equal keys go to the lower index, so
// that the order is the same for the same fleet.
type rankedNode struct {
	key  float64
	node int
}

// balancedKey ranks a node for one more instance, lower first: its price against the fleet's
// mean, divided by its room and by its reputation.
//
//   - Price counts as itself plus the fleet's mean, so that cheaper is better by a bounded
//     factor: a node that charges nothing ranks level with one at the mean price that has
//     twice its room, where the bare price would put it first whatever else holds.
//   - Dividing by room (what is left after the instance, in units of the largest free space)
//     keeps nodes filling evenly: a node's effective price doubles as its room halves, so
//     cheap nodes take more but stop coming first well before they are full. Without it the
//     same few nodes would take everything — one set of hosts carrying all the traffic and
//     all the risk, and no headroom left where the price is best.
//   - Reputation (0 unknown, 1 best) counts up to a factor of two: a provider known to keep
//     what it holds is worth paying more than an unknown one, which still gets work and so
//     a chance to earn a reputation.
func balancedKey(price, mean, reputation, room float64) float64 {
	if mean == 0 {
		// Nobody charges: prices cannot tell nodes apart.
		price, mean = 0, 1
	}
	return (price + mean) / (max(room, 1e-12) * (1 + min(max(reputation, 0), 1)))
}

// room is the free space an instance of dem leaves on a node with free f, in the tightest of
// the dimensions it asks for, scaled by the fleet's largest free space in that dimension:
// near 1 on the emptiest node, 0 on one the instance fills. An instance that asks for
// nothing leaves every node its whole room.
func room(f, dem, largest vec) float64 {
	r := 1.0
	for d := range f {
		if dem[d] > 0 && largest[d] > 0 {
			r = min(r, float64(f[d]-dem[d])/float64(largest[d]))
		}
	}
	return r
}

// spreadFirst takes up to count nodes from ranked (best first) within the spread limits, in
// two passes: the first takes only nodes that bring a value of a limited attribute not taken
// yet, so that the instances cover as many values as they can — a limit alone caps how many
// share a value, not how many values there are —; the second takes the rest in rank order.
// The nodes not taken follow, in ranked order, as spares.
func spreadFirst(nodes []Node, ranked []rankedNode, limits []Spread, count int) ([]int, int) {
	vals, values := spreadValues(nodes, ranked, limits)
	used := make([]int, values)
	within := func(k int) bool {
		for j, s := range limits {
			if v := vals[k*len(limits)+j]; v >= 0 && used[v] >= s.Max {
				return false
			}
		}
		return true
	}
	bringsValue := func(k int) bool {
		for j := range limits {
			if v := vals[k*len(limits)+j]; v >= 0 && used[v] == 0 {
				return true
			}
		}
		return false
	}
	taken := make([]bool, len(ranked))
	placed := 0
	for _, cover := range []bool{true, false} {
		for k := range ranked {
			if placed == count {
				break
			}
			if taken[k] || !within(k) || (cover && !bringsValue(k)) {
				continue
			}
			for j := range limits {
				if v := vals[k*len(limits)+j]; v >= 0 {
					used[v]++
				}
			}
			taken[k] = true
			placed++
		}
	}
	// The placement keeps the rank order too: callers that treat instances unequally (a
	// segment's data pieces are read first) give the best nodes the first ones.
	order := make([]int, 0, len(ranked))
	for _, want := range []bool{true, false} {
		for k, r := range ranked {
			if taken[k] == want {
				order = append(order, r.node)
			}
		}
	}
	return order, placed
}

// spreadValues numbers the values the ranked nodes have of each limited attribute, once per
// node rather than once per look in spreadFirst's passes: vals[k*len(limits)+j] is the number
// of ranked[k]'s value of limits[j]'s attribute, -1 when the node has none (it is not
// limited, as in Pack), and values is how many numbers were given.
func spreadValues(nodes []Node, ranked []rankedNode, limits []Spread) (vals []int, values int) {
	vals = make([]int, len(ranked)*len(limits))
	for j, s := range limits {
		key := attributeKey(s.Attribute)
		ids := map[string]int{}
		for k, r := range ranked {
			v, ok := nodes[r.node].lookup(key)
			if !ok {
				vals[k*len(limits)+j] = -1
				continue
			}
			id, seen := ids[v]
			if !seen {
				id = values
				ids[v] = id
				values++
			}
			vals[k*len(limits)+j] = id
		}
	}
	return vals, values
}

// EvenSpread is the tightest limit on instances per value of attribute that still lets count
// instances go one per node onto nodes — those that can host one: the smallest Max such that
// the nodes without the attribute plus, for each value, min(its nodes, Max) reach count. With
// it PlaceDistinct puts the instances on as many values as the nodes have, as evenly as they
// allow; if the nodes cannot take count instances at all, Max is count (no limit that matters).
func EvenSpread(nodes []Node, attribute string, count int) Spread {
	key := attributeKey(attribute)
	per := map[string]int{}
	unset := 0
	for i := range nodes {
		if v, ok := nodes[i].lookup(key); ok {
			per[v]++
		} else {
			unset++
		}
	}
	for m := 1; m < count; m++ {
		total := unset
		for _, c := range per {
			total += min(c, m)
		}
		if total >= count {
			return Spread{Attribute: attribute, Max: m}
		}
	}
	return Spread{Attribute: attribute, Max: max(count, 1)}
}

// freeOf is what a node has left in each scalar dimension.
func freeOf(n *Node) vec {
	return vec{n.CPUMHz - n.Used.CPUMHz, n.MemoryMB - n.Used.MemoryMB, n.DiskMB - n.Used.DiskMB}
}

// holds says whether f covers dem in every dimension.
func (f vec) holds(dem vec) bool {
	for d := range f {
		if f[d] < dem[d] {
			return false
		}
	}
	return true
}
