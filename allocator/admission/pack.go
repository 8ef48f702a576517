package admission

import (
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/nomad/api"

	"github.com/dec2-cloud/dec2/allocator/pack"
	"github.com/dec2-cloud/dec2/allocator/rewrite"
)

// Problem is the packing request for the groups to pack, on nodes: each group's missing
// instances, and — for a distinct_hosts group that keeps some — none on the nodes it keeps.
// A group the packer cannot be asked for (a malformed constraint, device or size) is bad input.
func (c *Changes) Problem(job *api.Job, nodes []pack.Node) (pack.Problem, error) {
	prob := pack.Problem{Nodes: nodes}
	for _, w := range c.Todo {
		g, err := rewrite.Group(job, w.Group, w.Delta, nodes)
		if err != nil {
			return pack.Problem{}, Refuse(BadInput, "job %q: %v", *job.ID, err)
		}
		if g.DistinctHosts && len(w.Kept) > 0 {
			g.Constraints = append(g.Constraints, pack.Constraint{Attribute: "${node.unique.id}", Operator: "set_contains_any",
				Value: strings.Join(othersThan(nodes, w.Kept), ",")})
		}
		prob.Groups = append(prob.Groups, g)
	}
	return prob, nil
}

// othersThan lists the nodes a group keeps no instance on ("(none)" first, so that the list
// is never empty).
func othersThan(nodes []pack.Node, kept rewrite.Placement) []string {
	out := []string{"(none)"}
	for _, n := range nodes {
		if kept[n.ID] == 0 {
			out = append(out, n.ID)
		}
	}
	return out
}

// Place reads the packer's answer (res, err) to Problem on nodes nodes: the placement of
// every group of the job — the settled ones, and the groups packed with their kept instances
// and the packer's — or why the job cannot be admitted: Unplaceable when an instance found no
// node (or the packer says a group fits nowhere), BadInput when the packer found the job
// malformed, Internal for any other failure of the packer.
func (c *Changes) Place(job *api.Job, nodes int, res pack.Result, err error) (map[string]rewrite.Placement, error) {
	id, ns := *job.ID, *job.Namespace
	if err != nil {
		switch inputErrors(err) {
		case onlyUnfit:
			return nil, Refuse(Unplaceable, "cannot place job %q in namespace %q: %s", id, ns, oneLine(err))
		case malformed:
			return nil, Refuse(BadInput, "job %q: %s", id, oneLine(err))
		}
		return nil, Refuse(Internal, "packing job %q: %v", id, err)
	}
	if len(res.Unplaced) > 0 {
		why := make([]string, 0, len(res.Unplaced))
		for _, u := range res.Unplaced {
			why = append(why, fmt.Sprintf("group %q: %s", u.Group, u.Reason))
		}
		return nil, Refuse(Unplaceable, "cannot place job %q in namespace %q on the %d node(s) it may use: %s",
			id, ns, nodes, strings.Join(why, "; "))
	}
	final := c.settled()
	for _, p := range res.Placements {
		if final[p.Group] == nil {
			return nil, Refuse(Internal, "packing job %q: the packer placed an instance of group %q, which it was not asked to place", id, p.Group)
		}
		final[p.Group][p.Node]++
	}
	return final, nil
}

func oneLine(err error) string { return strings.ReplaceAll(err.Error(), "\n", "; ") }

const (
	notInput  = iota
	onlyUnfit // every complaint is a group no node could ever host: a refusal
	malformed // something in the job itself is wrong (a constraint's regexp, a version): bad input
)

// inputErrors sorts the packer's error: its *InputError values (joined) with field "groups"
// say a group fits nowhere; any other field points at something malformed in the job.
func inputErrors(err error) int {
	var list []error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		list = j.Unwrap()
	} else {
		list = []error{err}
	}
	kind := onlyUnfit
	for _, e := range list {
		var ie *pack.InputError
		if !errors.As(e, &ie) {
			return notInput
		}
		if ie.Field != "groups" {
			kind = malformed
		}
	}
	return kind
}
