package pack

import (
	"fmt"
	"testing"
)

func TestGPUFirstPacksAsksOntoTheFewestGPUNodes(t *testing.T) {
	rig := func(id string, gpus int) Node {
		n := Node{ID: id, CPUMHz: 64000, MemoryMB: 262144, DiskMB: 100000}
		for i := 0; i < gpus; i++ {
			n.GPUs = append(n.GPUs, GPU{ID: fmt.Sprintf("%s-%d", id, i), Model: "L4", MemoryMB: 23034, Healthy: true})
		}
		return n
	}
	p := Problem{
		Nodes:  []Node{rig("one", 1), rig("two", 2), rig("four", 4)},
		Groups: []Group{{ID: "a", Count: 1, CPUMHz: 100, GPU: &GPUAsk{Count: 1}}, {ID: "b", Count: 1, CPUMHz: 100, GPU: &GPUAsk{Count: 2}}},
	}
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	m := newModel(&p)
	s := newState(m)
	gpuFirst(s, []int{1, 0}, false)
	for i, n := range s.node {
		if p.Nodes[n].ID != "four" {
			t.Errorf("instance %d on %s, want all on four", i, p.Nodes[n].ID)
		}
	}
	if s.opened != 1 || s.gpuFree[2] != 1<<3 {
		t.Errorf("opened %d nodes, free GPUs on four %b; want 1 node and one GPU left", s.opened, s.gpuFree[2])
	}
}
