package repair

import (
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/dec2-cloud/dec2/storage/meta"
)

func TestJudge(t *testing.T) {
	now := time.Unix(1_000_000, 0)
	nodes := []NodeState{
		{ID: "up", Up: true, Since: now.Add(-time.Hour)},
		{ID: "down-long", Since: now.Add(-2 * time.Minute)},
		{ID: "down-short", Since: now.Add(-30 * time.Second)},
		{ID: "down-at-grace", Since: now.Add(-time.Minute)},
		{ID: "up-disqualified", Up: true, Since: now.Add(-time.Hour), Disqualified: true},
		{ID: "down-short-disqualified", Since: now.Add(-30 * time.Second), Disqualified: true},
		{ID: "down-long-disqualified", Since: now.Add(-2 * time.Minute), Disqualified: true},
	}
	got := Judge(nodes, now, time.Minute)
	want := map[string]Standing{"down-long": Lost, "down-long-disqualified": Lost,
		"up-disqualified": Condemned, "down-short-disqualified": Condemned}
	if !maps.Equal(got, want) {
		t.Errorf("Judge = %v, want %v: lost past the 1m grace, condemned when disqualified (up or not)", got, want)
	}
	if got := Judge(nodes, now, 0); got["down-short"] != Lost || got["down-at-grace"] != Lost || got["up"] != Sound || got["up-disqualified"] != Condemned {
		t.Errorf("Judge with no grace = %v, want every down node lost", got)
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
	standings := map[string]Standing{"x": Lost, "y": Lost, "z": Lost, "q": Condemned, "r": Condemned, "s": Condemned}
	standing := func(p meta.Piece) Standing { return standings[p.NodeID] }
	for _, tc := range []struct {
		name                        string
		g                           meta.Segment
		healthy, condemned, rebuild []int
		dataLost, needed            bool
	}{
		{"healthy 2/4", seg(2, 4, "a", "b", "c", "d"), []int{0, 1, 2, 3}, nil, nil, false, false},
		{"one lost of 2/4: repaired at once", seg(2, 4, "a", "x", "c", "d"), []int{0, 2, 3}, nil, []int{1}, false, true},
		{"two lost of 2/4: k left", seg(2, 4, "x", "b", "y", "d"), []int{1, 3}, nil, []int{0, 2}, false, true},
		{"three lost of 2/4: data lost", seg(2, 4, "x", "y", "c", "z"), []int{2}, nil, []int{0, 1, 3}, true, false},
		{"a piece never placed", seg(2, 4, "a", "b", "", "d"), []int{0, 1, 3}, nil, []int{2}, false, true},
		{"4/8 with two lost", seg(4, 8, "a", "b", "x", "d", "e", "f", "y", "h"), []int{0, 1, 3, 4, 5, 7}, nil, []int{2, 6}, false, true},
		{"nothing healthy", seg(2, 4), nil, nil, []int{0, 1, 2, 3}, true, false},
		{"one condemned of 2/4", seg(2, 4, "a", "b", "q", "d"), []int{0, 1, 3}, []int{2}, []int{2}, false, true},
		// Condemned pieces are still sources: one sound and one condemned make the k = 2 a
		// rebuild reads, where counting them lost would give the segment up.
		{"one sound, two lost, one condemned", seg(2, 4, "x", "b", "y", "q"), []int{1}, []int{3}, []int{0, 2, 3}, false, true},
		{"all condemned", seg(2, 4, "q", "r", "s", "q"), nil, []int{0, 1, 2, 3}, []int{0, 1, 2, 3}, false, true},
		{"one condemned, three lost", seg(2, 4, "x", "y", "q", "z"), nil, []int{2}, []int{0, 1, 2, 3}, true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := Check(tc.g, standing)
			if !slices.Equal(p.Healthy, tc.healthy) || !slices.Equal(p.Condemned, tc.condemned) || !slices.Equal(p.Rebuild, tc.rebuild) ||
				p.DataLost != tc.dataLost || p.Needed() != tc.needed {
				t.Errorf("Check = %+v (needed %v), want healthy %v condemned %v rebuild %v data lost %v needed %v",
					p, p.Needed(), tc.healthy, tc.condemned, tc.rebuild, tc.dataLost, tc.needed)
			}
			if want := slices.Concat(tc.healthy, tc.condemned); !slices.Equal(p.Sources(), want) {
				t.Errorf("Sources = %v, want %v: sound pieces first", p.Sources(), want)
			}
		})
	}
	// A piece listed twice at one index or past n counts once, or not at all.
	g := meta.Segment{K: 2, N: 4, Pieces: []meta.Piece{{Index: 0, NodeID: "a"}, {Index: 0, NodeID: "b"}, {Index: 5, NodeID: "c"}, {Index: 1, NodeID: "d"}}}
	if p := Check(g, standing); !slices.Equal(p.Healthy, []int{0, 1}) || !slices.Equal(p.Rebuild, []int{2, 3}) {
		t.Errorf("duplicate and out-of-range indexes: %+v", p)
	}
}
