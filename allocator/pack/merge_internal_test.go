package pack

import (
	"maps"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// snapshot is what a state's placements and counters are, to check that a move that fails
// leaves them as they were.
type snapshot struct {
	node          []int32
	free          []vec
	gpuFree       []uint64
	count         []int32
	opened        int
	hosted        map[[2]int32]int32
	spreadEntries []map[string]int
}

func snap(s *state) snapshot {
	out := snapshot{
		node: slices.Clone(s.node), free: slices.Clone(s.free), gpuFree: slices.Clone(s.gpuFree),
		count: slices.Clone(s.count), opened: s.opened, hosted: maps.Clone(s.hosted),
	}
	for _, perGroup := range s.spread {
		for _, byValue := range perGroup {
			out.spreadEntries = append(out.spreadEntries, maps.Clone(byValue))
		}
	}
	return out
}

func (a snapshot) equal(b snapshot) bool {
	if !slices.Equal(a.node, b.node) || !slices.Equal(a.free, b.free) || !slices.Equal(a.gpuFree, b.gpuFree) ||
		!slices.Equal(a.count, b.count) || a.opened != b.opened || len(a.spreadEntries) != len(b.spreadEntries) {
		return false
	}
	// A count that went up and back down leaves a zero entry; that is the same state.
	nonZero := func(m map[[2]int32]int32) map[[2]int32]int32 {
		return maps.Collect(func(yield func([2]int32, int32) bool) {
			for k, v := range m {
				if v != 0 && !yield(k, v) {
					return
				}
			}
		})
	}
	if !maps.Equal(nonZero(a.hosted), nonZero(b.hosted)) {
		return false
	}
	for i := range a.spreadEntries {
		for k, v := range a.spreadEntries[i] {
			if b.spreadEntries[i][k] != v {
				return false
			}
		}
		for k, v := range b.spreadEntries[i] {
			if a.spreadEntries[i][k] != v {
				return false
			}
		}
	}
	return true
}

// placeOn puts the groups' instances, in order, on the nodes named, one node per instance.
func placeOn(t *testing.T, p *Problem, nodes ...string) *state {
	t.Helper()
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	s := newState(newModel(p))
	for inst, id := range nodes {
		n := slices.IndexFunc(p.Nodes, func(x Node) bool { return x.ID == id })
		g := s.groupOf(int32(inst))
		if !s.m.groups[g].sig.isFeas[n] || !s.fits(g, n) {
			t.Fatalf("instance %d does not fit %s", inst, id)
		}
		s.place(int32(inst), g, n)
	}
	return s
}

// Two nodes each 60 % full cannot take each other's load, and a closed node twice their size
// holds both: growing one onto it makes room for the other, and one node is left.
func TestGrowNodesMergesTwoLoadsOntoALargerNode(t *testing.T) {
	p := Problem{
		Nodes: []Node{
			{ID: "a", CPUMHz: 10000, MemoryMB: 10240, DiskMB: 1000},
			{ID: "b", CPUMHz: 10000, MemoryMB: 10240, DiskMB: 1000},
			{ID: "big", CPUMHz: 20000, MemoryMB: 20480, DiskMB: 2000},
		},
		Groups: []Group{{ID: "w", Count: 2, CPUMHz: 6000, MemoryMB: 1024, DiskMB: 100}},
	}
	s := placeOn(t, &p, "a", "b")
	localSearch(s, time.Time{})
	if s.opened != 2 {
		t.Fatalf("local search alone left %d nodes, want 2 (it cannot merge these)", s.opened)
	}
	growNodes(s, time.Time{})
	checkPacking(t, s, []int{2}, 1)
	if s.count[2] != 2 {
		t.Fatalf("instances on %v, want both on big", s.node)
	}
}

// A larger closed node that some instance of the load may not use (a constraint, a GPU of
// another model, distinct_hosts against an instance already there) takes nothing.
func TestGrowNodesKeepsConstraintsGPUsAndDistinctHosts(t *testing.T) {
	gpu := func(id, model string) []GPU { return []GPU{{ID: id, Model: model, MemoryMB: 1000, Healthy: true}} }
	for _, tc := range []struct {
		name   string
		big    Node
		groups []Group
	}{
		{"constraint", Node{ID: "big", CPUMHz: 20000, MemoryMB: 20480, DiskMB: 2000, Attributes: map[string]string{"region": "us"}},
			[]Group{{ID: "w", Count: 2, CPUMHz: 6000, MemoryMB: 1024, DiskMB: 100, Constraints: []Constraint{{Attribute: "${node.region}", Operator: "=", Value: "eu"}}}}},
		{"gpu-model", Node{ID: "big", CPUMHz: 20000, MemoryMB: 20480, DiskMB: 2000, GPUs: append(gpu("x", "B"), gpu("y", "B")...)},
			[]Group{{ID: "w", Count: 2, CPUMHz: 6000, MemoryMB: 1024, DiskMB: 100, GPU: &GPUAsk{Count: 1, Model: "A"}}}},
		{"distinct-hosts", Node{ID: "big", CPUMHz: 20000, MemoryMB: 20480, DiskMB: 2000},
			[]Group{{ID: "w", Count: 2, CPUMHz: 6000, MemoryMB: 1024, DiskMB: 100, DistinctHosts: true}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			small := func(id string) Node {
				n := Node{ID: id, CPUMHz: 10000, MemoryMB: 10240, DiskMB: 1000, Attributes: map[string]string{"region": "eu"}}
				if tc.groups[0].GPU != nil {
					n.GPUs = gpu(id+"-0", "A")
				}
				return n
			}
			p := Problem{Nodes: []Node{small("a"), small("b"), tc.big}, Groups: tc.groups}
			s := placeOn(t, &p, "a", "b")
			growNodes(s, time.Time{})
			checkPacking(t, s, []int{2}, 2)
			if s.count[2] > 1 {
				t.Fatalf("big took %d instances", s.count[2])
			}
		})
	}
}

// A load that cannot all move (the second instance would break a spread limit on the larger
// node) moves back: the state is as it was, placements, capacity, GPUs and counts alike.
func TestGrowUndoesAFailedMove(t *testing.T) {
	dc := func(id string, cpu int64, d string) Node {
		return Node{ID: id, CPUMHz: cpu, MemoryMB: 10240, DiskMB: 1000, Attributes: map[string]string{"datacenter": d},
			GPUs: []GPU{{ID: id + "-0", Model: "A", MemoryMB: 1000, Healthy: true}}}
	}
	p := Problem{
		Nodes: []Node{dc("a", 10000, "d1"), dc("b", 10000, "d2"), dc("big", 20000, "d2")},
		Groups: []Group{
			{ID: "gpu", Count: 1, CPUMHz: 2000, MemoryMB: 1024, DiskMB: 100, GPU: &GPUAsk{Count: 1}},
			{ID: "spread", Count: 2, CPUMHz: 4000, MemoryMB: 1024, DiskMB: 100, Spread: []Spread{{Attribute: "datacenter", Max: 1}}},
		},
	}
	s := placeOn(t, &p, "a", "a", "b")
	before := snap(s)
	w := s.bottleneck()
	if s.grow(0, w, s.largestClosed(w)) {
		t.Fatalf("grow moved a's load onto big, breaking the spread limit: %v", s.node)
	}
	if !snap(s).equal(before) {
		t.Fatalf("a failed grow changed the state")
	}
	checkPacking(t, s, []int{1, 2}, 2)

	// Without the limit the same load moves: the failure above was the spread limit's.
	p.Groups[1].Spread = nil
	s = placeOn(t, &p, "a", "a", "b")
	if w := s.bottleneck(); !s.grow(0, w, s.largestClosed(w)) {
		t.Fatalf("grow did not move a's load onto big without the spread limit")
	}
	checkPacking(t, s, []int{1, 2}, 2)
}

// TestGrowNodesKeepsRules grows first-fit packings of small random problems: every rule holds,
// the same instances are placed, never more nodes than before nor fewer than the optimum.
func TestGrowNodesKeepsRules(t *testing.T) {
	rng := rand.New(rand.NewPCG(41, 5))
	solved, closed := 0, 0
	for trial := 0; trial < 800; trial++ {
		_, m, e, ok := tinyOptimum(rng)
		if !ok {
			continue
		}
		s := newState(m)
		firstFit(s, groupOrder(m, byDominant, nil, 0), nodeOrder(m, nil, 0))
		localSearch(s, time.Time{})
		before, placed := s.opened, s.placedPerGroup()
		growNodes(s, time.Time{})
		checkPacking(t, s, placed, s.opened)
		if s.opened > before {
			t.Fatalf("trial %d: growNodes went from %d nodes to %d", trial, before, s.opened)
		}
		if e.lb < 0 || s.placed() != m.instances {
			continue
		}
		solved++
		if s.opened < e.best {
			t.Fatalf("trial %d: %d nodes, below the optimum %d", trial, s.opened, e.best)
		}
		if s.opened < before {
			closed++
		}
	}
	if solved < 300 {
		t.Fatalf("only %d problems solved exhaustively", solved)
	}
	t.Logf("%d problems; growNodes closed nodes on %d", solved, closed)
}
