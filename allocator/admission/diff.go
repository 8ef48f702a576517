package admission

import (
	"maps"

	"github.com/hashicorp/nomad/api"

	"github.com/dec2-cloud/dec2/allocator/nomadstate"
	"github.com/dec2-cloud/dec2/allocator/rewrite"
)

// Input is what is known of a submitted job when it is decided on.
type Input struct {
	Job  *api.Job      // as the user wrote it, namespace filled in
	Prev *rewrite.Plan // the plan of the version Nomad runs; nil for a new (or unpacked) job
	// SameSpec lists groups known unchanged whatever their hash says (a scale of a job read
	// back from Nomad); their recorded hash is kept.
	SameSpec map[string]bool
	// Live are the job's allocations Nomad runs now.
	Live []*nomadstate.Alloc
	// Usable says whether a node may keep the instances it runs (schedulable, and visible
	// to the caller).
	Usable func(node string) bool
}

// Work is a group with instances to pack.
type Work struct {
	Group *api.TaskGroup
	Kept  rewrite.Placement // the instances that stay where they run (nil: none)
	Delta int               // the instances to pack
}

// Changes is what a submission changes, group by group.
type Changes struct {
	// Final is the placement of the groups settled without packing: unchanged groups whose
	// running instances cover their count (shrunk where it fell). Like Hashes and Repacked,
	// nil when empty.
	Final map[string]rewrite.Placement
	// Hashes are the recorded hashes kept for SameSpec groups.
	Hashes map[string]string
	// Repacked are the user's groups whose running instances will all be replaced.
	Repacked map[string]bool
	// Todo are the groups with instances to pack, in the job's order.
	Todo []Work
	// Freed are the live allocations of repacked groups: their room is the packer's.
	Freed []*nomadstate.Alloc
	// owner names the user's group of a Nomad task group.
	owner func(string) (string, bool)
}

// Diff decides, group by group, what a submission keeps and what must be packed: a new group,
// or one whose placement depends on something that changed (its hash), is packed anew whole;
// an unchanged one keeps the instances Nomad runs on usable nodes and packs only the ones it
// lacks, or — when its count fell — keeps the instances Nomad would keep (dropLikeNomad, else
// shrink). Only instances Nomad runs now stay put; the rest (a stopped job resubmitted, a
// lost node) are packed again.
func Diff(in Input) (*Changes, error) {
	job := in.Job
	c := &Changes{owner: owner(in.Prev)}
	running := map[[2]string]int{} // (the user's group, node) → live allocations of this job
	groupAllocs := map[string][]*nomadstate.Alloc{}
	for _, al := range in.Live {
		if g, ok := in.Prev.Owner(al.TaskGroup); ok {
			running[[2]string{g, al.NodeID}]++
			groupAllocs[g] = append(groupAllocs[g], al)
		}
	}
	for _, tg := range job.TaskGroups {
		name := *tg.Name
		need := 1
		if tg.Count != nil {
			need = *tg.Count
		}
		if need < 0 {
			return nil, Refuse(BadInput, "group %q of job %q has count %d; counts are zero or more", name, *job.ID, need)
		}
		gp := in.Prev.Group(name)
		if gp == nil || (gp.Hash != rewrite.GroupHash(job, tg) && !in.SameSpec[name]) {
			put(&c.Repacked, name, true)
			c.Todo = append(c.Todo, Work{Group: tg, Delta: need})
			continue
		}
		if in.SameSpec[name] {
			put(&c.Hashes, name, gp.Hash)
		}
		kept := rewrite.Placement{}
		for n, k := range gp.Placement() {
			if k = min(k, running[[2]string{name, n}]); k > 0 && in.Usable(n) {
				kept[n] = k
			}
		}
		if kept.Total() < need {
			c.Todo = append(c.Todo, Work{Group: tg, Kept: kept, Delta: need - kept.Total()})
		} else if pl, ok := dropLikeNomad(gp, groupAllocs[name], need); ok {
			put(&c.Final, name, pl)
		} else {
			put(&c.Final, name, shrink(kept, need))
		}
	}
	for _, al := range in.Live {
		if c.replaced(al) {
			c.Freed = append(c.Freed, al)
		}
	}
	return c, nil
}

// owner names the user's group a Nomad task group belongs to: by the plan, or, for a job
// without one, the task group itself.
func owner(prev *rewrite.Plan) func(string) (string, bool) {
	if prev != nil {
		return prev.Owner
	}
	return func(tg string) (string, bool) { return tg, true }
}

// replaced says whether a live allocation belongs to a repacked group.
func (c *Changes) replaced(al *nomadstate.Alloc) bool {
	g, ok := c.owner(al.TaskGroup)
	return ok && c.Repacked[g]
}

// settled is Final with the kept instances of the groups to pack: what the plan holds
// before the packer's placements are added.
func (c *Changes) settled() map[string]rewrite.Placement {
	out := make(map[string]rewrite.Placement, len(c.Final)+len(c.Todo))
	maps.Copy(out, c.Final)
	for _, w := range c.Todo {
		pl := make(rewrite.Placement, len(w.Kept)+1)
		maps.Copy(pl, w.Kept)
		out[*w.Group.Name] = pl
	}
	return out
}

// put sets m[k] = v, making m first if it is nil (most submissions leave some maps of
// Changes empty).
func put[K comparable, V any](m *map[K]V, k K, v V) {
	if *m == nil {
		*m = map[K]V{}
	}
	(*m)[k] = v
}
