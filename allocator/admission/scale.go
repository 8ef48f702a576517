package admission

import (
	"fmt"
	"strings"

	"github.com/hashicorp/nomad/api"

	"github.com/dec2-cloud/dec2/allocator/rewrite"
)

// Scale sets group's count to n in user (a packed job as its user wrote it, read back from
// Nomad with its plan), within the scaling bounds the plan recorded for the group. It returns
// the groups to pass as Input.SameSpec — all of them: a scale changes nothing but a count.
// A group the job lacks, or a count out of bounds, is bad input.
func Scale(user *api.Job, plan *rewrite.Plan, group string, n int) (map[string]bool, error) {
	same := map[string]bool{}
	var names []string
	var tg *api.TaskGroup
	for _, g := range user.TaskGroups {
		names = append(names, *g.Name)
		same[*g.Name] = true
		if *g.Name == group {
			tg = g
		}
	}
	if tg == nil {
		return nil, Refuse(BadInput, "job %q has no task group %q; its groups are %s", *user.ID, group, strings.Join(names, ", "))
	}
	if gp := plan.Group(group); gp != nil && gp.Scaling != nil {
		sp := gp.Scaling
		if (sp.Min != nil && int64(n) < *sp.Min) || (sp.Max != nil && int64(n) > *sp.Max) {
			return nil, Refuse(BadInput, "group %q count %d is outside its scaling bounds [%s, %s]", group, n, bound(sp.Min), bound(sp.Max))
		}
	}
	tg.Count = &n
	return same, nil
}

func bound(v *int64) string {
	if v == nil {
		return "-"
	}
	return fmt.Sprint(*v)
}
