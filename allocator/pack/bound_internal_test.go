package pack

import "testing"

// One node of each kind covers CPU or GPUs alone, so each cover by itself asks for one node;
// together they need two, which only the LP (and the surrogate) see.
func TestLPBoundCombinesCovers(t *testing.T) {
	gpu := func(id string) GPU { return GPU{ID: id, Model: "L4", MemoryMB: 23034, Healthy: true} }
	p := Problem{Nodes: []Node{
		{ID: "x", CPUMHz: 6000, GPUs: []GPU{gpu("x0")}},
		{ID: "y", CPUMHz: 10000},
		{ID: "z", GPUs: []GPU{gpu("z0"), gpu("z1")}},
	}}
	m := newModel(&p)
	covers := []cover{{dim: dimCPU, need: 10000}, {dim: nScalar, need: 2}}
	for _, c := range covers {
		if k := m.nodesToCover(c); k != 1 {
			t.Fatalf("cover %+v alone needs %d nodes, want 1", c, k)
		}
	}
	if v, ok := m.lpBound(covers); !ok || v != 2 {
		t.Fatalf("LP bound = %d (solved %v), want 2", v, ok)
	}
	if v := m.surrogateBound(covers); v != 2 {
		t.Fatalf("surrogate bound = %d, want 2", v)
	}
}
