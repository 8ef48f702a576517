package admission

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"

	"github.com/hashicorp/nomad/api"

	"github.com/dec2-cloud/dec2/allocator/nomadstate"
	"github.com/dec2-cloud/dec2/allocator/rewrite"
)

// Random scale-ups build plans of several parts (nodes shared between them included), each
// part's allocations get indexes as Nomad would name them; then a scale-down: whatever
// dropLikeNomad keeps, Nomad, stopping each part's highest indexes down to its new count,
// leaves exactly the allocations the new plan pins, so none is moved or restarted.
func TestScaleDownStopsWhatNomadStops(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 1))
	nodes := []string{"a", "b", "c", "d", "e"}
	job := api.NewServiceJob("j", "j", "global", 50)
	tg := api.NewTaskGroup("g", 1)
	tg.Tasks = []*api.Task{api.NewTask("t", "docker")}
	job.TaskGroups = []*api.TaskGroup{tg}
	agreed := 0
	for trial := 0; trial < 500; trial++ {
		var plan *rewrite.Plan
		pl := rewrite.Placement{}
		for step := 0; step < 1+rng.IntN(3); step++ {
			for k := 1 + rng.IntN(4); k > 0; k-- {
				pl[nodes[rng.IntN(len(nodes))]]++
			}
			*tg.Count = pl.Total()
			var err error
			if _, plan, err = rewrite.Pin(job, map[string]rewrite.Placement{"g": maps.Clone(pl)}, nil, plan); err != nil {
				t.Fatal(err)
			}
		}
		gp := plan.Group("g")
		allocs := nomadAllocs(rng, gp)
		need := rng.IntN(pl.Total())
		kept, ok := dropLikeNomad(gp, allocs, need)
		if !ok {
			continue
		}
		agreed++
		if kept.Total() != need {
			t.Fatalf("trial %d: kept %v, want %d instances", trial, kept, need)
		}
		*tg.Count = need
		_, next, err := rewrite.Pin(job, map[string]rewrite.Placement{"g": kept}, nil, plan)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range next.Group("g").Parts {
			var left []*nomadstate.Alloc
			for _, al := range allocs {
				if al.TaskGroup == p.Name {
					left = append(left, al)
				}
			}
			sort.Slice(left, func(i, j int) bool { x, _ := allocIndex(left[i].Name); y, _ := allocIndex(left[j].Name); return x < y })
			left = left[:min(len(left), p.Count)] // Nomad stops the highest indexes
			var on, want []string
			for _, al := range left {
				on = append(on, al.NodeID)
			}
			for _, n := range p.Nodes {
				for k := 0; k < p.PerNode; k++ {
					want = append(want, n)
				}
			}
			slices.Sort(on)
			slices.Sort(want)
			if !slices.Equal(on, want) {
				t.Fatalf("trial %d: part %s pins %v but Nomad keeps its allocations on %v\nbefore %+v\nafter %+v", trial, p.Name, want, on, gp.Parts, next.Group("g").Parts)
			}
		}
	}
	// Most scale-downs can be done without a move; the rest fall back to shrink.
	if agreed < 400 {
		t.Errorf("only %d of 500 scale-downs kept every remaining instance in place", agreed)
	}
}

// nomadAllocs names a plan's instances as Nomad does: indexes 0..count-1 per part, in an
// order unrelated to the nodes.
func nomadAllocs(rng *rand.Rand, gp *rewrite.GroupPlan) []*nomadstate.Alloc {
	var out []*nomadstate.Alloc
	for _, p := range gp.Parts {
		var on []string
		for _, n := range p.Nodes {
			for k := 0; k < p.PerNode; k++ {
				on = append(on, n)
			}
		}
		rng.Shuffle(len(on), func(i, j int) { on[i], on[j] = on[j], on[i] })
		for i, n := range on {
			out = append(out, &nomadstate.Alloc{ID: fmt.Sprintf("%s-%d", p.Name, i), Name: fmt.Sprintf("j.%s[%d]", p.Name, i), TaskGroup: p.Name, NodeID: n})
		}
	}
	return out
}

func TestAllocIndex(t *testing.T) {
	for name, want := range map[string]int{"web.front[0]": 0, "a.b.c[12]": 12, "j.g#2[3]": 3} {
		if got, ok := allocIndex(name); !ok || got != want {
			t.Errorf("allocIndex(%q) = %d, %t; want %d", name, got, ok, want)
		}
	}
	for _, name := range []string{"", "web.front", "web.front[x]", "web.front[1"} {
		if _, ok := allocIndex(name); ok {
			t.Errorf("allocIndex(%q) read an index", name)
		}
	}
}
