package pack_test

import (
	"context"
	"testing"

	"github.com/dec2-cloud/dec2/allocator/pack"
)

// CPU work goes to a plain node while one will do, leaving the GPU rig's room to GPU work —
// though Pack alone would take the rig, the tighter fit; GPU work, CPU work no plain node
// can hold, and CPU work that would open a plain provider the rig spares still get the rig.
func TestPackPreferringPlainNodes(t *testing.T) {
	rig := pack.Node{ID: "rig", CPUMHz: 8000, MemoryMB: 16384, DiskMB: 10000, PricePerHour: 1, Used: pack.Resources{CPUMHz: 7400, MemoryMB: 15800},
		GPUs: []pack.GPU{{ID: "g0", Model: "A100", MemoryMB: 40960, Healthy: true}}}
	plain := pack.Node{ID: "plain", CPUMHz: 4000, MemoryMB: 8192, DiskMB: 10000, PricePerHour: 1, Used: pack.Resources{CPUMHz: 1000, MemoryMB: 1000}}
	roomy := rig // 4000 MHz free, where plain has 3000
	roomy.Used.CPUMHz = 4000
	idle := plain
	idle.Used = pack.Resources{}
	web := pack.Group{ID: "web", Count: 1, CPUMHz: 500, MemoryMB: 512, DiskMB: 100}
	opt := pack.Options{Seed: 1, Restarts: 1, Workers: 1}
	for _, tc := range []struct {
		name        string
		nodes       []pack.Node
		g           pack.Group
		want, alone string
	}{
		{"cpu work", []pack.Node{rig, plain}, web, "plain", "rig"},
		{"gpu work", []pack.Node{rig, plain}, pack.Group{ID: "train", Count: 1, CPUMHz: 500, MemoryMB: 256, DiskMB: 100, GPU: &pack.GPUAsk{Count: 1}}, "rig", "rig"},
		{"cpu work too big for the plain node", []pack.Node{roomy, plain}, pack.Group{ID: "big", Count: 1, CPUMHz: 3500, MemoryMB: 256, DiskMB: 100}, "rig", "rig"},
		{"cpu work that would open a provider", []pack.Node{rig, idle}, web, "rig", "rig"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			prob := pack.Problem{Nodes: tc.nodes, Groups: []pack.Group{tc.g}}
			alone, err := pack.Pack(context.Background(), prob, opt)
			if err != nil || len(alone.Placements) != 1 || alone.Placements[0].Node != tc.alone {
				t.Fatalf("Pack alone: %+v, %v; want one instance on %s", alone, err, tc.alone)
			}
			res, err := pack.PackPreferringPlainNodes(context.Background(), prob, opt)
			if err != nil || len(res.Placements) != 1 || res.Placements[0].Node != tc.want {
				t.Fatalf("%+v, %v; want one instance on %s", res, err, tc.want)
			}
			if tc.want == "plain" && res.Stats.NodesUsed != 2 {
				t.Errorf("the rig left out is in use still: %d nodes in use, want 2", res.Stats.NodesUsed)
			}
		})
	}
}
