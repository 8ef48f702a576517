package nomadbase_test

import (
	"context"
	"strings"
	"testing"

	"github.com/dec2-cloud/dec2/allocator/pack"
	"github.com/dec2-cloud/dec2/allocator/pack/nomadbase"
	"github.com/dec2-cloud/dec2/allocator/pack/tracegen"
)

// Nomad's placements must pass pack.Evaluate's checks (capacity, constraints, GPUs), and
// an instance Nomad cannot place must come back with Nomad's own reason.
func TestNomadPlacesTheSameProblem(t *testing.T) {
	p := tracegen.Problem(tracegen.Spec{Seed: 2, Nodes: 60, Instances: 120})
	res, err := nomadbase.Place(p, 1)
	if err != nil {
		t.Fatal(err)
	}
	placed := len(res.Placements)
	for _, u := range res.Unplaced {
		placed += u.Count
	}
	total := 0
	for _, g := range p.Groups {
		total += g.Count
	}
	if placed != total || len(res.Placements) == 0 {
		t.Fatalf("placed %d + unplaced = %d, want %d", len(res.Placements), placed, total)
	}
	ours, err := pack.Pack(context.Background(), p, pack.Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("nomad: %d nodes, %d placed; ours: %d nodes, %d placed; bound %d",
		res.Stats.NodesUsed, len(res.Placements), ours.Stats.NodesUsed, len(ours.Placements), ours.Stats.LowerBound)
	if len(ours.Placements) < len(res.Placements) {
		t.Errorf("ours placed %d, fewer than Nomad's %d", len(ours.Placements), len(res.Placements))
	}
}

func TestNomadExplainsWhatItCannotPlace(t *testing.T) {
	p := pack.Problem{
		Nodes: []pack.Node{
			{ID: "a", CPUMHz: 4000, MemoryMB: 4096, DiskMB: 10000, Attributes: map[string]string{"region": "eu"}},
			{ID: "b", CPUMHz: 4000, MemoryMB: 4096, DiskMB: 10000, Attributes: map[string]string{"region": "us"},
				GPUs: []pack.GPU{{ID: "g0", Model: "L4", MemoryMB: 23034, Healthy: true}}},
		},
		Groups: []pack.Group{
			{ID: "web", Count: 3, CPUMHz: 1000, MemoryMB: 2048, DiskMB: 100, Constraints: []pack.Constraint{{Attribute: "region", Operator: "=", Value: "eu"}}},
			{ID: "infer", Count: 2, CPUMHz: 500, MemoryMB: 512, DiskMB: 100, GPU: &pack.GPUAsk{Count: 1, Model: "L4"}},
		},
	}
	res, err := nomadbase.Place(p, 1)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]pack.Unplaced{}
	for _, u := range res.Unplaced {
		got[u.Group] = u
	}
	if u := got["web"]; u.Count != 1 || !strings.Contains(u.Reason, "nomad:") || !strings.Contains(u.Reason, "memory") {
		t.Errorf("web: %+v", u)
	}
	if u := got["infer"]; u.Count != 1 || !strings.Contains(u.Reason, "nomad:") {
		t.Errorf("infer: %+v", u)
	}
	for _, pl := range res.Placements {
		if pl.Group == "infer" && (pl.Node != "b" || len(pl.GPUs) != 1 || pl.GPUs[0] != "g0") {
			t.Errorf("infer placed as %+v", pl)
		}
	}
}
