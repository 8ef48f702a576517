package pack_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/dec2-cloud/dec2/allocator/pack"
)

// The bounds know nothing of spread limits: for three small instances at most one per
// datacenter they say one node, while three are needed. On a fleet this small Pack's exact
// search proves it, and says so; without it the packing stays unproven.
func TestPackProvesOptimumOnSmallFleet(t *testing.T) {
	var p pack.Problem
	for i := range 4 {
		p.Nodes = append(p.Nodes, pack.Node{
			ID: fmt.Sprintf("n%d", i), CPUMHz: 8000, MemoryMB: 8192, DiskMB: 10000,
			Attributes: map[string]string{"datacenter": fmt.Sprintf("dc%d", i%3)},
		})
	}
	p.Groups = []pack.Group{{ID: "web", Count: 3, CPUMHz: 500, MemoryMB: 256, DiskMB: 100,
		Spread: []pack.Spread{{Attribute: "datacenter", Max: 1}}}}
	res, err := pack.Pack(context.Background(), p, pack.Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if err := check(p, res); err != nil {
		t.Fatal(err)
	}
	if st := res.Stats; st.NodesUsed != 3 || st.LowerBound != 3 || st.Bound != "exact" || !st.Optimal {
		t.Fatalf("stats %+v: want 3 nodes proven optimal by the exact search", st)
	}
	res, err = pack.Pack(context.Background(), p, pack.Options{Seed: 1, SkipExact: true})
	if err != nil {
		t.Fatal(err)
	}
	if st := res.Stats; st.NodesUsed != 3 || st.Optimal || st.Bound == "exact" {
		t.Fatalf("stats %+v without the exact search: want 3 nodes, not proven", st)
	}
}
