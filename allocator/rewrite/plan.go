// Package rewrite turns a Nomad job into packing groups and, once the packer has chosen nodes,
// pins the job's task groups to them so that Nomad has no choice left. It is pure: api.Job in,
// api.Job out, with the placement recorded in the job's dec2.plan meta.
package rewrite

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/hashicorp/nomad/api"

	"github.com/dec2-cloud/dec2/conventions"
)

// Job meta keys (CONVENTIONS.md).
const (
	MetaPack     = conventions.MetaPack
	MetaPlan     = conventions.MetaPlan
	MetaMaxPrice = conventions.MetaMaxPriceHour
)

// nodeIDTarget is the attribute the pins constrain.
const nodeIDTarget = "${node.unique.id}"

// partSep joins a group's name and a part number: part 1 keeps the user's name, part k is
// "<group>#<k>" (Nomad accepts any group name without NUL; '#' keeps them apart from users').
const partSep = "#"

// Plan is the placement the allocator chose for a job, kept in its dec2.plan meta.
type Plan struct {
	Version int         `json:"v"`
	Groups  []GroupPlan `json:"groups"`
}

// GroupPlan is where the instances of one of the user's task groups go.
type GroupPlan struct {
	Group string `json:"group"`
	Count int    `json:"count"`
	// Hash identifies what the group's placement depends on (GroupHash): an update with the
	// same hash keeps the placement.
	Hash  string `json:"hash"`
	Parts []Part `json:"parts"`
	// Scaling is the group's scaling block, taken off the parts (whose counts would break its
	// bounds) and put back by Original.
	Scaling *api.ScalingPolicy `json:"scaling,omitempty"`
}

// Part is one task group Nomad sees: Count instances, PerNode on each of Nodes.
type Part struct {
	Name    string   `json:"name"`
	Count   int      `json:"count"`
	PerNode int      `json:"per_node"`
	Nodes   []string `json:"nodes"`
}

// Placement maps node id → instances there, for one group.
type Placement map[string]int

// Total counts the instances of a placement.
func (p Placement) Total() int {
	n := 0
	for _, c := range p {
		n += c
	}
	return n
}

// Placement returns where a group plan puts its instances.
func (g *GroupPlan) Placement() Placement {
	out := Placement{}
	for _, p := range g.Parts {
		for _, n := range p.Nodes {
			out[n] += p.PerNode
		}
	}
	return out
}

// Group finds a group's plan by the user's group name.
func (p *Plan) Group(name string) *GroupPlan {
	if p == nil {
		return nil
	}
	for i := range p.Groups {
		if p.Groups[i].Group == name {
			return &p.Groups[i]
		}
	}
	return nil
}

// Owner names the user's group a Nomad task group belongs to.
func (p *Plan) Owner(taskGroup string) (string, bool) {
	if p == nil {
		return "", false
	}
	for _, g := range p.Groups {
		for _, part := range g.Parts {
			if part.Name == taskGroup {
				return g.Group, true
			}
		}
	}
	return "", false
}

// ReadPlan decodes a job's dec2.plan meta; nil when there is none.
func ReadPlan(job *api.Job) (*Plan, error) {
	if job == nil || job.Meta[MetaPlan] == "" {
		return nil, nil
	}
	var p Plan
	if err := json.Unmarshal([]byte(job.Meta[MetaPlan]), &p); err != nil {
		return nil, fmt.Errorf("job meta %s is not a dec2 plan: %w", MetaPlan, err)
	}
	return &p, nil
}

// GroupHash identifies what placing a task group of job depends on: its tasks' drivers,
// resources, devices and constraints, its own constraints, networks, volumes and disk, and the
// job's datacenters, node pool, constraints, namespace and price limit. An update that changes
// anything else (image, arguments, env, meta, count) keeps the group's placement: Nomad updates
// its instances in place, or replaces them on the same nodes, instead of the allocator moving
// them to other providers.
func GroupHash(job *api.Job, tg *api.TaskGroup) string {
	type task struct {
		Driver      string
		Constraints []*api.Constraint
		Resources   *api.Resources
	}
	what := struct {
		Datacenters      []string
		NodePool         *string
		JobConstraints   []*api.Constraint
		Namespace        string
		MaxPrice         string
		GroupConstraints []*api.Constraint
		Networks         []*api.NetworkResource
		Volumes          map[string]*api.VolumeRequest
		EphemeralDisk    *api.EphemeralDisk
		Tasks            []task
	}{job.Datacenters, job.NodePool, job.Constraints, namespace(job), job.Meta[MetaMaxPrice],
		tg.Constraints, tg.Networks, tg.Volumes, tg.EphemeralDisk, nil}
	for _, t := range tg.Tasks {
		if t != nil {
			what.Tasks = append(what.Tasks, task{t.Driver, t.Constraints, t.Resources})
		}
	}
	b, err := json.Marshal(&what)
	if err != nil {
		// These are plain data; only a NaN float could fail, and then nothing matches.
		return "unhashable"
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:12])
}

// parts splits a placement into task groups Nomad cannot place otherwise: one group on all
// single-instance nodes with distinct_hosts, one group per node that takes several.
func parts(group string, pl Placement) []Part {
	out := fresh(pl)
	// Larger parts first, so the user's own name goes to the biggest share.
	if len(out) > 1 && out[0].PerNode == 1 && out[1].Count > out[0].Count {
		out[0], out[1] = out[1], out[0]
	}
	name(group, out, map[string]bool{})
	return out
}

// fresh lays out a placement from nothing: the single-instance nodes in one part, then one part
// per node that takes several, largest first. Names are left to the caller.
func fresh(pl Placement) []Part {
	var singles []string
	var multi []Part
	for _, n := range slices.Sorted(maps.Keys(pl)) {
		switch c := pl[n]; {
		case c == 1:
			singles = append(singles, n)
		case c > 1:
			multi = append(multi, Part{Count: c, PerNode: c, Nodes: []string{n}})
		}
	}
	sort.SliceStable(multi, func(i, j int) bool { return multi[i].Count > multi[j].Count })
	if len(singles) == 0 {
		return multi
	}
	return append([]Part{{Count: len(singles), PerNode: 1, Nodes: singles}}, multi...)
}

// name names new parts: the group's name if no part has it yet, then "<group>#<k>" with the
// lowest k not in used.
func name(group string, ps []Part, used map[string]bool) {
	k := 2
	for i := range ps {
		if !used[group] {
			ps[i].Name, used[group] = group, true
			continue
		}
		for used[fmt.Sprintf("%s%s%d", group, partSep, k)] {
			k++
		}
		ps[i].Name = fmt.Sprintf("%s%s%d", group, partSep, k)
		used[ps[i].Name] = true
	}
}

// relayout lays out a placement keeping every instance that prev already runs in the part it
// runs in: Nomad updates an allocation in place only while its node still satisfies its own
// group's pins, so moving it to another part would restart it. New instances join a part
// where that keeps them pinned exactly (a node's several-instance part grows, a single joins
// the single-instance part), else get parts of their own. The user's group name stays on the
// first part, empty or not, as Original expects.
func relayout(group string, pl Placement, prev []Part) []Part {
	left := maps.Clone(pl)
	var out []Part
	for i, p := range prev {
		q := Part{Name: p.Name, PerNode: p.PerNode}
		switch {
		case p.PerNode == 1:
			for _, n := range p.Nodes {
				if left[n] > 0 {
					q.Nodes = append(q.Nodes, n)
					left[n]--
				}
			}
		case len(p.Nodes) == 1 && left[p.Nodes[0]] > 0:
			n := p.Nodes[0]
			// A grown node keeps its part growing; one alone stays too, as a part of one.
			q.PerNode, q.Nodes = left[n], []string{n}
			left[n] = 0
		}
		q.Count = len(q.Nodes) * q.PerNode
		if q.Count == 0 {
			if i > 0 {
				continue
			}
			q.PerNode = 1
		}
		out = append(out, q)
	}
	singles := -1
	for i, q := range out {
		if q.PerNode == 1 && len(q.Nodes) > 0 && singles < 0 {
			singles = i
		}
	}
	if singles < 0 && len(out) > 0 && out[0].Count == 0 {
		singles = 0 // the user's part, emptied, takes the singles
	}
	for _, n := range slices.Sorted(maps.Keys(left)) {
		if left[n] != 1 || singles < 0 || slices.Contains(out[singles].Nodes, n) {
			continue
		}
		out[singles].Nodes = append(out[singles].Nodes, n)
		out[singles].Count++
		left[n] = 0
	}
	if singles >= 0 {
		slices.Sort(out[singles].Nodes)
	}
	for n, c := range left {
		if c == 0 {
			delete(left, n)
		}
	}
	rest := fresh(left)
	used := map[string]bool{}
	for _, q := range out {
		used[q.Name] = true
	}
	name(group, rest, used)
	return append(out, rest...)
}

// pins are the constraints that hold a part to its nodes.
func (p Part) pins() []*api.Constraint {
	switch len(p.Nodes) {
	case 0:
		return nil
	case 1:
		return []*api.Constraint{api.NewConstraint(nodeIDTarget, "=", p.Nodes[0])}
	}
	return []*api.Constraint{
		api.NewConstraint(nodeIDTarget, "set_contains_any", strings.Join(p.Nodes, ",")),
		api.NewConstraint("", "distinct_hosts", "true"),
	}
}
