package pack

import (
	"fmt"
	"time"
)

// InstancePrice is what one instance of g costs per hour on n: the node's price times the
// largest share of the node the instance takes.
func InstancePrice(n *Node, g *Group) float64 { return instancePrice(n, g) }

// Evaluate scores placements made by someone else (Nomad's scheduler, a stored plan) on the
// same terms as Pack: nodes used, stranded capacity, cost and the lower bound. It returns an
// error naming the placement if one breaks a capacity, a constraint or a GPU ask, so it is
// also a checker. Unplaced instances get Pack's reasons.
func Evaluate(p Problem, placements []Placement) (Result, error) {
	if err := p.Validate(); err != nil {
		return Result{}, err
	}
	m := newModel(&p)
	s := newState(m)
	nodeIdx := map[string]int{}
	for i, n := range p.Nodes {
		nodeIdx[n.ID] = i
	}
	groupIdx := map[string]int{}
	for i, g := range p.Groups {
		groupIdx[g.ID] = i
	}
	for _, pl := range placements {
		g, okg := groupIdx[pl.Group]
		n, okn := nodeIdx[pl.Node]
		if !okg || !okn || pl.Index < 0 || pl.Index >= p.Groups[g].Count {
			return Result{}, fmt.Errorf("placement %s[%d] on %q: unknown group, node or index", pl.Group, pl.Index, pl.Node)
		}
		inst := int32(m.base[g] + pl.Index)
		if s.node[inst] >= 0 {
			return Result{}, fmt.Errorf("placement %s[%d]: placed twice", pl.Group, pl.Index)
		}
		if !m.groups[g].sig.isFeas[n] {
			return Result{}, fmt.Errorf("placement %s[%d] on %q: the node is filtered by the group's constraints, tenant, price or GPU model", pl.Group, pl.Index, pl.Node)
		}
		if w := s.why(g, n); w != whyFits && w != nScalar {
			return Result{}, fmt.Errorf("placement %s[%d] on %q: does not fit (%s)", pl.Group, pl.Index, pl.Node, whyName(w))
		}
		var pick uint64
		for _, id := range pl.GPUs {
			j := -1
			for k, d := range p.Nodes[n].GPUs {
				if d.ID == id {
					j = k
				}
			}
			bit := uint64(1) << uint(j)
			if j < 0 || m.groups[g].sig.gpuElig[n]&s.gpuFree[n]&bit == 0 || pick&bit != 0 {
				return Result{}, fmt.Errorf("placement %s[%d] on %q: GPU %q is unknown, in use, unhealthy or not of the asked kind", pl.Group, pl.Index, pl.Node, id)
			}
			pick |= bit
		}
		if popcount(pick) != m.groups[g].gpus {
			return Result{}, fmt.Errorf("placement %s[%d] on %q: holds %d GPUs, the group asks for %d", pl.Group, pl.Index, pl.Node, popcount(pick), m.groups[g].gpus)
		}
		s.placeWith(inst, g, n, pick)
	}
	res := s.result()
	res.setBound(bestBound(s, time.Now().Add(DefaultBudget*boundShare/100)))
	return res, nil
}

func whyName(w int) string {
	switch {
	case w >= 0 && w <= nScalar:
		return dimNames[w] + " exhausted"
	case w == whyDistinct:
		return "distinct_hosts"
	case w == whySpread:
		return "spread limit"
	}
	return "fits"
}
