package pack_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/dec2-cloud/dec2/allocator/pack"
)

// dcNodes is one node of 1,000 MB disk per datacenter named, "" for a node without one.
func dcNodes(dcs ...string) []pack.Node {
	out := make([]pack.Node, len(dcs))
	for i, dc := range dcs {
		out[i] = pack.Node{ID: string(rune('a' + i)), DiskMB: 1000 - int64(i)}
		if dc != "" {
			out[i].Attributes = map[string]string{"datacenter": dc}
		}
	}
	return out
}

func TestEvenSpread(t *testing.T) {
	for _, tc := range []struct {
		name  string
		dcs   []string
		count int
		max   int
	}{
		{"one value", []string{"a", "a", "a"}, 3, 3},
		{"even", []string{"a", "a", "b", "b"}, 4, 2},
		{"a small value raises the limit", []string{"a", "a", "a", "a", "b"}, 4, 3},
		{"more values than instances", []string{"a", "b", "c", "d"}, 2, 1},
		{"nodes without the value are not limited", []string{"a", "a", "a", "", ""}, 4, 2},
		{"too few nodes", []string{"a", "b"}, 3, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := pack.EvenSpread(dcNodes(tc.dcs...), "${node.datacenter}", tc.count)
			if got.Max != tc.max || got.Attribute != "${node.datacenter}" {
				t.Errorf("EvenSpread = %+v, want max %d", got, tc.max)
			}
		})
	}
}

// TestPlaceDistinct: one instance per node, within the spread limit and over every value,
// the nodes too small or filtered left out, the rest after the placement as spares.
func TestPlaceDistinct(t *testing.T) {
	nodes := dcNodes("a", "a", "a", "b", "b", "c")
	nodes[1].DiskMB = 50 // too small
	nodes[2].DedicatedTenant = "other"
	g := pack.Group{ID: "g", Count: 3, DiskMB: 100, Spread: []pack.Spread{{Attribute: "datacenter", Max: 1}}}
	order, placed, err := pack.PlaceDistinct(nodes, &g)
	if err != nil || placed != 3 || !slices.Equal(order, []int{0, 3, 5, 4}) {
		t.Errorf("PlaceDistinct = %v, %d, %v; want [0 3 5 4], 3", order, placed, err)
	}
	g.Count = 4
	if _, placed, err := pack.PlaceDistinct(nodes, &g); err != nil || placed != 3 {
		t.Errorf("4 instances at most 1 per datacenter over 3: placed %d, %v; want 3", placed, err)
	}
	for _, bad := range []pack.Group{
		{ID: "gpu", Count: 1, GPU: &pack.GPUAsk{Count: 1}},
		{ID: "spread", Count: 1, Spread: []pack.Spread{{Attribute: "datacenter"}}},
		{ID: "constraint", Count: 1, Constraints: []pack.Constraint{{Attribute: "datacenter", Operator: "~", Value: "a"}}},
	} {
		var in *pack.InputError
		if _, _, err := pack.PlaceDistinct(nodes, &bad); !errors.As(err, &in) {
			t.Errorf("group %s: %v, want an InputError", bad.ID, err)
		}
	}
}
