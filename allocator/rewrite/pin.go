package rewrite

import (
	"encoding/json"
	"fmt"
	"slices"

	"github.com/hashicorp/nomad/api"
)

// Pin returns a copy of job in which every group named in pl is split into parts pinned to
// the nodes pl gives it, and the plan it recorded in the job's dec2.plan meta. Groups not in
// pl stay as they are. job must be the user's form (see Original). hashes, where it names a
// group, gives the hash to record for it instead of the group's own (a job read back from
// Nomad is canonicalized, so its groups no longer hash as the user submitted them). prev, the
// plan the job runs under now (nil for a new job), keeps running instances of groups whose
// hash it shares in their parts.
func Pin(job *api.Job, pl map[string]Placement, hashes map[string]string, prev *Plan) (*api.Job, *Plan, error) {
	out, err := copyJob(job)
	if err != nil {
		return nil, nil, err
	}
	names := map[string]bool{}
	for _, tg := range job.TaskGroups {
		if tg != nil && tg.Name != nil {
			names[*tg.Name] = true
		}
	}
	plan := &Plan{Version: 1}
	out.TaskGroups = out.TaskGroups[:0]
	for _, tg := range job.TaskGroups {
		if tg == nil || tg.Name == nil {
			return nil, nil, fmt.Errorf("job %s has a task group without a name", jobName(job))
		}
		name := *tg.Name
		place, ok := pl[name]
		if !ok {
			c, err := copyGroup(tg)
			if err != nil {
				return nil, nil, err
			}
			out.TaskGroups = append(out.TaskGroups, shadowPlan(c))
			continue
		}
		want := groupCount(tg)
		if got := place.Total(); got != want {
			return nil, nil, fmt.Errorf("group %q asks for %d instances but the placement has %d", name, want, got)
		}
		hash := hashes[name]
		if hash == "" {
			hash = GroupHash(job, tg)
		}
		gp := GroupPlan{Group: name, Count: want, Hash: hash, Parts: parts(name, place), Scaling: tg.Scaling}
		if old := prev.Group(name); old != nil && old.Hash == hash {
			gp.Parts = relayout(name, place, old.Parts)
		}
		if len(gp.Parts) == 0 {
			gp.Parts = []Part{{Name: name}}
		}
		for _, p := range gp.Parts {
			if p.Name != name && names[p.Name] {
				return nil, nil, fmt.Errorf("group %q would be split into a part named %q, which the job already uses; rename that group", name, p.Name)
			}
			c, err := copyGroup(tg)
			if err != nil {
				return nil, nil, err
			}
			c.Name, c.Count, c.Scaling = &p.Name, &p.Count, nil
			c.Constraints = append(c.Constraints, p.pins()...)
			out.TaskGroups = append(out.TaskGroups, shadowPlan(c))
		}
		plan.Groups = append(plan.Groups, gp)
	}
	b, err := json.Marshal(plan)
	if err != nil {
		return nil, nil, fmt.Errorf("encoding the plan of job %s: %w", jobName(job), err)
	}
	if out.Meta == nil {
		out.Meta = map[string]string{}
	}
	out.Meta[MetaPlan] = string(b)
	return out, plan, nil
}

// Original undoes Pin: the job as the user wrote it, and the plan it carried (nil if none).
// It accepts a job read back from Nomad as well as one resubmitted from `nomad job inspect`.
func Original(job *api.Job) (*api.Job, *Plan, error) {
	plan, err := ReadPlan(job)
	if err != nil || plan == nil {
		return job, nil, err
	}
	out, err := copyJob(job)
	if err != nil {
		return nil, nil, err
	}
	delete(out.Meta, MetaPlan)
	if len(out.Meta) == 0 {
		out.Meta = nil
	}
	byName := map[string]*api.TaskGroup{}
	for _, tg := range out.TaskGroups {
		if tg != nil && tg.Name != nil {
			byName[*tg.Name] = tg
		}
	}
	for _, tg := range out.TaskGroups {
		if tg != nil && tg.Meta[MetaPlan] == planShadow {
			delete(tg.Meta, MetaPlan)
			if len(tg.Meta) == 0 {
				tg.Meta = nil
			}
		}
	}
	out.TaskGroups = out.TaskGroups[:0]
	for _, tg := range job.TaskGroups {
		if tg == nil || tg.Name == nil {
			continue
		}
		owner, isPart := plan.Owner(*tg.Name)
		if !isPart {
			out.TaskGroups = append(out.TaskGroups, byName[*tg.Name])
			continue
		}
		gp := plan.Group(owner)
		if *tg.Name != owner {
			if byName[owner] == nil {
				return nil, nil, fmt.Errorf("job %s: part %q of group %q is there but the group's first part is not; resubmit the job as written", jobName(job), *tg.Name, owner)
			}
			continue
		}
		c := byName[owner]
		c.Count, c.Scaling = &gp.Count, gp.Scaling
		c.Constraints = unpin(c.Constraints, gp.Parts[0].pins())
		if len(c.Constraints) == 0 {
			c.Constraints = nil
		}
		out.TaskGroups = append(out.TaskGroups, c)
	}
	return out, plan, nil
}

// planShadow is what a pinned job's tasks see as their dec2.plan meta. Nomad restarts a task
// whose meta changes, and a task's meta includes its job's (tasksUpdated compares
// Job.CombinedTaskMeta), so without this every change of the plan (a scale, another group
// repacked) would restart every instance of the job. A group's meta overrides the job's, so
// the plan can change in the job's meta while every task sees this constant.
const planShadow = "in job meta"

func shadowPlan(tg *api.TaskGroup) *api.TaskGroup {
	if tg.Meta == nil {
		tg.Meta = map[string]string{}
	}
	tg.Meta[MetaPlan] = planShadow
	return tg
}

// groupCount is a group's count as Nomad reads it: absent means 1.
func groupCount(tg *api.TaskGroup) int {
	if tg.Count == nil {
		return 1
	}
	return *tg.Count
}

func jobName(job *api.Job) string {
	if job.ID != nil {
		return fmt.Sprintf("%q", *job.ID)
	}
	if job.Name != nil {
		return fmt.Sprintf("%q", *job.Name)
	}
	return "(no id)"
}

func copyJob(job *api.Job) (*api.Job, error) {
	var c api.Job
	if err := deepCopy(job, &c); err != nil {
		return nil, fmt.Errorf("copying job %s: %w", jobName(job), err)
	}
	return &c, nil
}

func copyGroup(tg *api.TaskGroup) (*api.TaskGroup, error) {
	var c api.TaskGroup
	if err := deepCopy(tg, &c); err != nil {
		return nil, fmt.Errorf("copying task group: %w", err)
	}
	return &c, nil
}

// deepCopy goes through JSON, the form Nomad's API defines these values by.
func deepCopy(from, to any) error {
	b, err := json.Marshal(from)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, to)
}

// unpin removes the pins Pin appended: the last constraint equal to each, from the end.
func unpin(cs, pins []*api.Constraint) []*api.Constraint {
	for i := len(pins) - 1; i >= 0; i-- {
		pin := pins[i]
		for j := len(cs) - 1; j >= 0; j-- {
			if x := cs[j]; x != nil && x.LTarget == pin.LTarget && x.Operand == pin.Operand && x.RTarget == pin.RTarget {
				cs = slices.Delete(cs, j, j+1)
				break
			}
		}
	}
	return cs
}
