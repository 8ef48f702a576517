package admission

import (
	"github.com/hashicorp/nomad/api"

	"github.com/dec2-cloud/dec2/allocator/nomadstate"
	"github.com/dec2-cloud/dec2/allocator/pack"
	"github.com/dec2-cloud/dec2/allocator/reserve"
	"github.com/dec2-cloud/dec2/allocator/rewrite"
)

// Hold is capacity to promise a job until Nomad shows its instances: Count instances of
// Demand each on Key's node for Key's part (Nomad task group), with the GPUs the packer gave
// the instance (none when Count is more than one).
type Hold struct {
	Key    reserve.Key
	Demand pack.Resources
	GPUs   []string
	Count  int
}

// slot is a part's instances on a node that Nomad does not run yet.
type slot struct {
	group, part, node string
	missing           int
}

// Holds lists the holds a decided job needs: every instance of plan (the job pinned) that
// Nomad does not run yet — the new ones with the GPUs the packer gave them (placed), one hold
// each, then the kept ones with no live allocation (a stopped job resubmitted), so that their
// room stays promised until Nomad makes them. A repacked group's allocations are all replaced,
// so none of them counts as live. A placement the plan has no room for is an Internal error.
func (c *Changes) Holds(job *api.Job, plan *rewrite.Plan, live []*nomadstate.Alloc, placed []pack.Placement) ([]Hold, error) {
	ns, id := *job.Namespace, *job.ID
	demand := map[string]pack.Resources{}
	for _, tg := range job.TaskGroups {
		if g, err := rewrite.Group(job, tg, 1, nil); err == nil {
			demand[g.ID] = pack.Resources{CPUMHz: g.CPUMHz, MemoryMB: g.MemoryMB, DiskMB: g.DiskMB}
		}
	}
	running := map[[2]string]int{} // (part, node) → live allocations not replaced
	for _, al := range live {
		if !c.replaced(al) {
			running[[2]string{al.TaskGroup, al.NodeID}]++
		}
	}
	slots, open := missing(plan, running)
	holds := make([]Hold, 0, len(placed)+len(slots))
	for _, p := range placed {
		k := [2]string{p.Group, p.Node}
		for len(open[k]) > 0 && open[k][0].missing == 0 {
			open[k] = open[k][1:]
		}
		if len(open[k]) == 0 {
			return nil, Refuse(Internal, "job %q: the plan has no room on node %s for an instance of group %q the packer placed there", id, p.Node, p.Group)
		}
		sl := open[k][0]
		sl.missing--
		holds = append(holds, Hold{Key: reserve.Key{Namespace: ns, Job: id, Group: sl.part, Node: p.Node}, Demand: demand[p.Group], GPUs: p.GPUs, Count: 1})
	}
	for _, sl := range slots {
		if sl.missing > 0 {
			holds = append(holds, Hold{Key: reserve.Key{Namespace: ns, Job: id, Group: sl.part, Node: sl.node}, Demand: demand[sl.group], Count: sl.missing})
		}
	}
	return holds, nil
}

// missing lists, part by part and node by node, the instances of plan that running (part,
// node → live allocations) lacks; open indexes them by (the user's group, node).
func missing(plan *rewrite.Plan, running map[[2]string]int) ([]*slot, map[[2]string][]*slot) {
	var slots []*slot
	open := map[[2]string][]*slot{}
	for _, gp := range plan.Groups {
		for _, part := range gp.Parts {
			for _, n := range part.Nodes {
				k := [2]string{part.Name, n}
				if m := part.PerNode - running[k]; m > 0 {
					sl := &slot{group: gp.Group, part: part.Name, node: n, missing: m}
					slots = append(slots, sl)
					open[[2]string{gp.Group, n}] = append(open[[2]string{gp.Group, n}], sl)
				}
				running[k] = max(0, running[k]-part.PerNode)
			}
		}
	}
	return slots, open
}
