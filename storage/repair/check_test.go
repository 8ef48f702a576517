package repair

import (
	"slices"
	"testing"
	"time"

	"github.com/dec2-cloud/dec2/storage/meta"
)

func TestLost(t *testing.T) {
	now := time.Unix(1_000_000, 0)
	nodes := []NodeState{
		{ID: "up", Up: true, Since: now.Add(-time.Hour)},
		{ID: "down-long", Since: now.Add(-2 * time.Minute)},
		{ID: "down-short", Since: now.Add(-30 * time.Second)},
		{ID: "down-at-grace", Since: now.Add(-time.Minute)},
	}
	got := Lost(nodes, now, time.Minute)
	if len(got) != 1 || !got["down-long"] {
		t.Errorf("lost %v, want only down-long (down past the 1m grace)", got)
	}
	if got := Lost(nodes, now, 0); len(got) != 3 || got["up"] {
		t.Errorf("lost with no grace %v, want every down node", got)
	}
}

func TestCheck(t *testing.T) {
	seg := func(k, n int, nodes ...string) meta.Segment {
		g := meta.Segment{K: k, N: n}
		for i, nd := range nodes {
			if nd != "" {
				g.Pieces = append(g.Pieces, meta.Piece{Index: i, NodeID: nd})
			}
		}
		return g
	}
	lostNodes := map[string]bool{"x": true, "y": true, "z": true}
	lost := func(p meta.Piece) bool { return lostNodes[p.NodeID] }
	for _, tc := range []struct {
		name             string
		g                meta.Segment
		healthy, rebuild []int
		dataLost, needed bool
	}{
		{"healthy 2/4", seg(2, 4, "a", "b", "c", "d"), []int{0, 1, 2, 3}, nil, false, false},
		{"one lost of 2/4: repaired at once", seg(2, 4, "a", "x", "c", "d"), []int{0, 2, 3}, []int{1}, false, true},
		{"two lost of 2/4: k left", seg(2, 4, "x", "b", "y", "d"), []int{1, 3}, []int{0, 2}, false, true},
		{"three lost of 2/4: data lost", seg(2, 4, "x", "y", "c", "z"), []int{2}, []int{0, 1, 3}, true, false},
		{"a piece never placed", seg(2, 4, "a", "b", "", "d"), []int{0, 1, 3}, []int{2}, false, true},
		{"4/8 with two lost", seg(4, 8, "a", "b", "x", "d", "e", "f", "y", "h"), []int{0, 1, 3, 4, 5, 7}, []int{2, 6}, false, true},
		{"nothing healthy", seg(2, 4), nil, []int{0, 1, 2, 3}, true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := Check(tc.g, lost)
			if !slices.Equal(p.Healthy, tc.healthy) || !slices.Equal(p.Rebuild, tc.rebuild) || p.DataLost != tc.dataLost || p.Needed() != tc.needed {
				t.Errorf("Check = %+v (needed %v), want healthy %v rebuild %v data lost %v needed %v",
					p, p.Needed(), tc.healthy, tc.rebuild, tc.dataLost, tc.needed)
			}
		})
	}
	// A piece listed twice at one index or past n counts once, or not at all.
	g := meta.Segment{K: 2, N: 4, Pieces: []meta.Piece{{Index: 0, NodeID: "a"}, {Index: 0, NodeID: "b"}, {Index: 5, NodeID: "c"}, {Index: 1, NodeID: "d"}}}
	if p := Check(g, lost); !slices.Equal(p.Healthy, []int{0, 1}) || !slices.Equal(p.Rebuild, []int{2, 3}) {
		t.Errorf("duplicate and out-of-range indexes: %+v", p)
	}
}
