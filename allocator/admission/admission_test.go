package admission

import (
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/nomad/api"

	"github.com/dec2-cloud/dec2/allocator/nomadstate"
	"github.com/dec2-cloud/dec2/allocator/pack"
	"github.com/dec2-cloud/dec2/allocator/reserve"
	"github.com/dec2-cloud/dec2/allocator/rewrite"
)

// testJob is job "j" in namespace "ns" with groups of 500 MHz / 256 MiB instances; the map
// gives each group's count.
func testJob(counts map[string]int) *api.Job {
	job := api.NewServiceJob("j", "j", "global", 50)
	ns := "ns"
	job.Namespace = &ns
	for _, name := range slices.Sorted(maps.Keys(counts)) {
		tg := api.NewTaskGroup(name, counts[name])
		task := api.NewTask("t", "docker")
		cpu, mem := 500, 256
		task.Resources = &api.Resources{CPU: &cpu, MemoryMB: &mem}
		tg.Tasks = []*api.Task{task}
		job.TaskGroups = append(job.TaskGroups, tg)
	}
	return job
}

// pinned is the plan of job placed as pl.
func pinned(t *testing.T, job *api.Job, pl map[string]rewrite.Placement) *rewrite.Plan {
	t.Helper()
	_, plan, err := rewrite.Pin(job, pl, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	return plan
}

// running is the allocations Nomad makes for a plan, named as Nomad names them.
func running(plan *rewrite.Plan) []*nomadstate.Alloc {
	rng := rand.New(rand.NewPCG(1, 1))
	var out []*nomadstate.Alloc
	for i := range plan.Groups {
		out = append(out, nomadAllocs(rng, &plan.Groups[i])...)
	}
	return out
}

func withCount(job *api.Job, group string, n int) *api.Job {
	for _, tg := range job.TaskGroups {
		if *tg.Name == group {
			tg.Count = &n
		}
	}
	return job
}

func everyNode(string) bool { return true }

func TestDiff(t *testing.T) {
	twoOnAB := map[string]rewrite.Placement{"web": {"a": 2, "b": 1}}
	plan := pinned(t, testJob(map[string]int{"web": 3}), twoOnAB)
	live := running(plan)
	bigger := testJob(map[string]int{"web": 3})
	mem := 512
	bigger.TaskGroups[0].Tasks[0].Resources.MemoryMB = &mem
	type todo struct {
		kept  rewrite.Placement
		delta int
	}
	for _, tc := range []struct {
		name     string
		in       Input
		final    map[string]rewrite.Placement
		todo     map[string]todo
		repacked []string
		hashes   []string
		freed    int
	}{{
		name:     "new job: every group packed whole",
		in:       Input{Job: testJob(map[string]int{"web": 2, "db": 1}), Usable: everyNode},
		final:    map[string]rewrite.Placement{},
		todo:     map[string]todo{"web": {rewrite.Placement{}, 2}, "db": {rewrite.Placement{}, 1}},
		repacked: []string{"db", "web"},
	}, {
		name: "a job once run unpacked: its allocations are freed",
		in: Input{Job: testJob(map[string]int{"web": 1}), Usable: everyNode,
			Live: []*nomadstate.Alloc{{ID: "x", Name: "j.web[0]", TaskGroup: "web", NodeID: "a"}}},
		final:    map[string]rewrite.Placement{},
		todo:     map[string]todo{"web": {rewrite.Placement{}, 1}},
		repacked: []string{"web"},
		freed:    1,
	}, {
		name:  "unchanged group: kept where it runs",
		in:    Input{Job: testJob(map[string]int{"web": 3}), Prev: plan, Live: live, Usable: everyNode},
		final: twoOnAB,
		todo:  map[string]todo{},
	}, {
		name:  "new group next to an unchanged one",
		in:    Input{Job: testJob(map[string]int{"web": 3, "db": 2}), Prev: plan, Live: live, Usable: everyNode},
		final: twoOnAB, todo: map[string]todo{"db": {rewrite.Placement{}, 2}},
		repacked: []string{"db"},
	}, {
		name:  "scale up: the running instances stay, the new ones are packed",
		in:    Input{Job: testJob(map[string]int{"web": 5}), Prev: plan, Live: live, Usable: everyNode},
		final: map[string]rewrite.Placement{},
		todo:  map[string]todo{"web": {rewrite.Placement{"a": 2, "b": 1}, 2}},
	}, {
		name:  "only instances Nomad runs stay put",
		in:    Input{Job: testJob(map[string]int{"web": 3}), Prev: plan, Live: live[:1], Usable: everyNode},
		final: map[string]rewrite.Placement{},
		todo:  map[string]todo{"web": {rewrite.Placement{live[0].NodeID: 1}, 2}},
	}, {
		name:  "an unusable node's instances are packed again",
		in:    Input{Job: testJob(map[string]int{"web": 3}), Prev: plan, Live: live, Usable: func(n string) bool { return n != "a" }},
		final: map[string]rewrite.Placement{},
		todo:  map[string]todo{"web": {rewrite.Placement{"b": 1}, 2}},
	}, {
		name:  "scale down: Nomad's highest indexes go (dropLikeNomad)",
		in:    Input{Job: testJob(map[string]int{"web": 2}), Prev: plan, Live: live, Usable: everyNode},
		final: map[string]rewrite.Placement{"web": {"a": 2}},
		todo:  map[string]todo{},
	}, {
		name: "scale down, allocations not as planned: shrink empties the smallest nodes",
		in: Input{Job: testJob(map[string]int{"web": 1}), Prev: plan, Usable: everyNode, Live: []*nomadstate.Alloc{
			{ID: "1", Name: "j.web[0]", TaskGroup: "web", NodeID: "a"}, {ID: "2", Name: "j.web[0]", TaskGroup: "web", NodeID: "a"},
			{ID: "3", Name: "j.web[1]", TaskGroup: "web", NodeID: "b"}}},
		final: map[string]rewrite.Placement{"web": {"a": 1}},
		todo:  map[string]todo{},
	}, {
		name:     "changed spec (hash): repacked whole, its allocations freed",
		in:       Input{Job: bigger, Prev: plan, Live: live, Usable: everyNode},
		final:    map[string]rewrite.Placement{},
		todo:     map[string]todo{"web": {rewrite.Placement{}, 3}},
		repacked: []string{"web"},
		freed:    3,
	}, {
		name:   "same spec whatever the hash says (a scale): kept, its hash recorded",
		in:     Input{Job: withCount(bigger, "web", 3), Prev: plan, Live: live, Usable: everyNode, SameSpec: map[string]bool{"web": true}},
		final:  twoOnAB,
		todo:   map[string]todo{},
		hashes: []string{"web"},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Diff(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if !maps.EqualFunc(c.Final, tc.final, maps.Equal) {
				t.Errorf("final %v, want %v", c.Final, tc.final)
			}
			got := map[string]todo{}
			for _, w := range c.Todo {
				got[*w.Group.Name] = todo{w.Kept, w.Delta}
			}
			if !maps.EqualFunc(got, tc.todo, func(a, b todo) bool { return maps.Equal(a.kept, b.kept) && a.delta == b.delta }) {
				t.Errorf("to pack %v, want %v", got, tc.todo)
			}
			if r := slices.Sorted(maps.Keys(c.Repacked)); !slices.Equal(r, tc.repacked) {
				t.Errorf("repacked %v, want %v", r, tc.repacked)
			}
			if h := slices.Sorted(maps.Keys(c.Hashes)); !slices.Equal(h, tc.hashes) {
				t.Errorf("hashes kept for %v, want %v", h, tc.hashes)
			}
			for _, g := range tc.hashes {
				if c.Hashes[g] != tc.in.Prev.Group(g).Hash {
					t.Errorf("group %s: hash %q, want the recorded %q", g, c.Hashes[g], tc.in.Prev.Group(g).Hash)
				}
			}
			if len(c.Freed) != tc.freed {
				t.Errorf("%d allocations freed, want %d", len(c.Freed), tc.freed)
			}
		})
	}
}

func TestDiffRefusesNegativeCounts(t *testing.T) {
	_, err := Diff(Input{Job: testJob(map[string]int{"web": -1}), Usable: everyNode})
	var rf *Refusal
	if !errors.As(err, &rf) || rf.Kind != BadInput || !strings.Contains(rf.Msg, "count -1") {
		t.Fatalf("got %v, want a bad-input refusal naming the count", err)
	}
}

func TestProblemKeepsDistinctHostsOffKeptNodes(t *testing.T) {
	job := testJob(map[string]int{"web": 3})
	job.TaskGroups[0].Constraints = []*api.Constraint{{Operand: "distinct_hosts", RTarget: "true"}}
	nodes := []pack.Node{{ID: "a"}, {ID: "b"}, {ID: "c"}}
	c := &Changes{Todo: []Work{{Group: job.TaskGroups[0], Kept: rewrite.Placement{"a": 1}, Delta: 2}}}
	prob, err := c.Problem(job, nodes)
	if err != nil {
		t.Fatal(err)
	}
	g := prob.Groups[0]
	if g.Count != 2 || !g.DistinctHosts {
		t.Fatalf("group %+v: want 2 instances, distinct hosts", g)
	}
	want := pack.Constraint{Attribute: "${node.unique.id}", Operator: "set_contains_any", Value: "(none),b,c"}
	if !slices.Contains(g.Constraints, want) {
		t.Errorf("constraints %+v lack %+v", g.Constraints, want)
	}
	// Without kept instances nothing is excluded.
	c.Todo[0].Kept = rewrite.Placement{}
	prob, _ = c.Problem(job, nodes)
	if slices.ContainsFunc(prob.Groups[0].Constraints, func(c pack.Constraint) bool { return c.Operator == "set_contains_any" }) {
		t.Errorf("a group keeping nothing is kept off nodes: %+v", prob.Groups[0].Constraints)
	}
	job.TaskGroups[0].Tasks = nil
	if _, err := c.Problem(job, nodes); kindOf(err) != BadInput {
		t.Errorf("a group without tasks: %v, want bad input", err)
	}
}

func kindOf(err error) Kind {
	var rf *Refusal
	if errors.As(err, &rf) {
		return rf.Kind
	}
	return -1
}

func TestPlace(t *testing.T) {
	job := testJob(map[string]int{"web": 3, "db": 1})
	c := &Changes{Final: map[string]rewrite.Placement{"db": {"c": 1}},
		Todo: []Work{{Group: job.TaskGroups[1], Kept: rewrite.Placement{"a": 1}, Delta: 2}}}
	for _, tc := range []struct {
		name  string
		res   pack.Result
		err   error
		kind  Kind
		msg   string
		final map[string]rewrite.Placement
	}{
		{name: "placed", res: pack.Result{Placements: []pack.Placement{{Group: "web", Node: "a"}, {Group: "web", Node: "b"}}},
			kind: -1, final: map[string]rewrite.Placement{"db": {"c": 1}, "web": {"a": 2, "b": 1}}},
		{name: "unplaced", res: pack.Result{Unplaced: []pack.Unplaced{{Group: "web", Count: 1, Reason: "no room"}}},
			kind: Unplaceable, msg: `cannot place job "j" in namespace "ns" on the 7 node(s) it may use: group "web": no room`},
		{name: "fits nowhere", err: &pack.InputError{Field: "groups", ID: "web", Msg: "too big"}, kind: Unplaceable, msg: "cannot place job"},
		{name: "malformed", err: errors.Join(&pack.InputError{Field: "groups", ID: "web", Msg: "too big"}, &pack.InputError{Field: "groups.constraints", ID: "web", Msg: "bad regexp"}),
			kind: BadInput, msg: `job "j": `},
		{name: "the packer failed", err: errors.New("boom"), kind: Internal, msg: `packing job "j": boom`},
		{name: "a group nobody asked for", res: pack.Result{Placements: []pack.Placement{{Group: "cache", Node: "a"}}}, kind: Internal, msg: `group "cache"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			final, err := c.Place(job, 7, tc.res, tc.err)
			if k := kindOf(err); k != tc.kind || (err != nil && !strings.Contains(err.Error(), tc.msg)) {
				t.Fatalf("got %v (kind %v), want kind %v with %q", err, k, tc.kind, tc.msg)
			}
			if err == nil && !maps.EqualFunc(final, tc.final, maps.Equal) {
				t.Errorf("final %v, want %v", final, tc.final)
			}
		})
	}
	if !maps.Equal(c.Final["db"], rewrite.Placement{"c": 1}) || !maps.Equal(c.Todo[0].Kept, rewrite.Placement{"a": 1}) {
		t.Errorf("Place changed the diff: %v, %v", c.Final, c.Todo[0].Kept)
	}
}

func TestHolds(t *testing.T) {
	key := func(part, node string) reserve.Key {
		return reserve.Key{Namespace: "ns", Job: "j", Group: part, Node: node}
	}
	per := pack.Resources{CPUMHz: 500, MemoryMB: 256, DiskMB: 300}
	job := testJob(map[string]int{"web": 3})
	prev := pinned(t, testJob(map[string]int{"web": 1}), map[string]rewrite.Placement{"web": {"a": 1}})
	for _, tc := range []struct {
		name   string
		live   []*nomadstate.Alloc
		prev   *rewrite.Plan
		final  rewrite.Placement
		placed []pack.Placement
		want   []Hold
		err    string
	}{{
		name:   "new instances: one hold each, with their GPUs",
		final:  rewrite.Placement{"a": 2, "b": 1},
		placed: []pack.Placement{{Group: "web", Node: "a", GPUs: []string{"g0"}}, {Group: "web", Node: "b"}, {Group: "web", Node: "a", GPUs: []string{"g1"}}},
		// Two a node make one part, one on b another.
		want: []Hold{{key("web", "a"), per, []string{"g0"}, 1}, {key("web#2", "b"), per, nil, 1},
			{key("web", "a"), per, []string{"g1"}, 1}},
	}, {
		name:   "kept instances with a live allocation are not held",
		prev:   prev,
		live:   running(prev),
		final:  rewrite.Placement{"a": 1, "b": 2},
		placed: []pack.Placement{{Group: "web", Node: "b"}, {Group: "web", Node: "b"}},
		want:   []Hold{{key("web#2", "b"), per, nil, 1}, {key("web#2", "b"), per, nil, 1}},
	}, {
		name:   "kept instances without a live allocation are held",
		prev:   prev,
		final:  rewrite.Placement{"a": 1, "b": 2},
		placed: []pack.Placement{{Group: "web", Node: "b"}, {Group: "web", Node: "b"}},
		want:   []Hold{{key("web#2", "b"), per, nil, 1}, {key("web#2", "b"), per, nil, 1}, {key("web", "a"), per, nil, 1}},
	}, {
		name:   "a placement the plan has no room for",
		final:  rewrite.Placement{"a": 1},
		placed: []pack.Placement{{Group: "web", Node: "a"}, {Group: "web", Node: "b"}},
		err:    `no room on node b for an instance of group "web"`,
	}} {
		t.Run(tc.name, func(t *testing.T) {
			withCount(job, "web", tc.final.Total())
			c, err := Diff(Input{Job: job, Prev: tc.prev, Live: tc.live, Usable: everyNode})
			if err != nil {
				t.Fatal(err)
			}
			_, plan, err := rewrite.Pin(job, map[string]rewrite.Placement{"web": tc.final}, nil, tc.prev)
			if err != nil {
				t.Fatal(err)
			}
			holds, err := c.Holds(job, plan, tc.live, tc.placed)
			if tc.err != "" {
				if kindOf(err) != Internal || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("got %v, want an internal error with %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(holds) != fmt.Sprint(tc.want) {
				t.Errorf("holds\n%v\nwant\n%v\n(plan %+v)", holds, tc.want, plan.Groups)
			}
		})
	}
}

func TestRefusalKinds(t *testing.T) {
	r := Refuse(Unplaceable, "job %q", "j")
	if r.Error() != `dec2-allocator: job "j"` || r.Msg != `job "j"` || r.Kind.String() != "unplaceable" {
		t.Errorf("refusal %+v reads %q", r, r.Error())
	}
	for k := Internal; k <= Upstream; k++ {
		if strings.HasPrefix(k.String(), "Kind(") {
			t.Errorf("kind %d has no name", k)
		}
	}
}

func TestScale(t *testing.T) {
	lo, hi := int64(1), int64(4)
	job := testJob(map[string]int{"web": 2, "db": 1})
	plan := pinned(t, job, map[string]rewrite.Placement{"web": {"a": 2}, "db": {"b": 1}})
	plan.Group("web").Scaling = &api.ScalingPolicy{Min: &lo, Max: &hi}
	same, err := Scale(job, plan, "web", 4)
	if err != nil || !maps.Equal(same, map[string]bool{"web": true, "db": true}) || *job.TaskGroups[1].Count != 4 {
		t.Fatalf("scale to 4: %v, %v, count %d", same, err, *job.TaskGroups[1].Count)
	}
	for _, tc := range []struct {
		group string
		n     int
		msg   string
	}{{"web", 5, "outside its scaling bounds [1, 4]"}, {"web", 0, "outside"}, {"cache", 1, `has no task group "cache"; its groups are db, web`}} {
		if _, err := Scale(job, plan, tc.group, tc.n); kindOf(err) != BadInput || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("scale %s to %d: %v, want bad input with %q", tc.group, tc.n, err, tc.msg)
		}
	}
	if _, err := Scale(job, plan, "db", 9); err != nil {
		t.Errorf("a group without bounds: %v", err)
	}
}
