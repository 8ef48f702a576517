package pack_test

import (
	"context"
	"testing"

	"github.com/dec2-cloud/dec2/allocator/pack"
)

// TestNodeFilterAgreesWithPack: NodeFilter passes exactly the nodes Pack would use for a
// group, each node tried alone as the whole fleet.
func TestNodeFilterAgreesWithPack(t *testing.T) {
	gpu := []pack.GPU{{ID: "g0", Model: "A100", MemoryMB: 40960, Healthy: true}}
	node := func(id string, mod func(*pack.Node)) pack.Node {
		n := pack.Node{ID: id, CPUMHz: 4000, MemoryMB: 8192, DiskMB: 10000, PricePerHour: 1, GPUs: gpu,
			Attributes: map[string]string{"datacenter": "dc1", "meta.rack": "r1"}}
		if mod != nil {
			mod(&n)
		}
		return n
	}
	nodes := []pack.Node{
		node("ok", nil),
		node("other-dc", func(n *pack.Node) { n.Attributes = map[string]string{"datacenter": "dc2", "meta.rack": "r1"} }),
		node("dedicated", func(n *pack.Node) { n.DedicatedTenant = "someone-else" }),
		node("dear", func(n *pack.Node) { n.PricePerHour = 100 }),
		node("no-a100", func(n *pack.Node) { n.GPUs = []pack.GPU{{ID: "g1", Model: "T4", MemoryMB: 16384, Healthy: true}} }),
	}
	g := pack.Group{ID: "web", Count: 1, CPUMHz: 500, MemoryMB: 512, DiskMB: 100, Tenant: "team",
		GPU: &pack.GPUAsk{Count: 1, Model: "A100"}, MaxPricePerHour: 1,
		Constraints: []pack.Constraint{{Attribute: "${node.datacenter}", Operator: "regexp", Value: "^dc1$"}, {Attribute: "${meta.rack}", Operator: "=", Value: "r1"}}}
	keep, err := pack.NodeFilter(&g)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range nodes {
		res, err := pack.Pack(context.Background(), pack.Problem{Nodes: []pack.Node{n}, Groups: []pack.Group{g}}, pack.Options{Workers: 1, Restarts: 1})
		packs := err == nil && len(res.Placements) == 1
		if keep(&n) != packs {
			t.Errorf("node %s: NodeFilter says %v, Pack placed on it: %v (err %v)", n.ID, keep(&n), packs, err)
		}
		if want := n.ID == "ok"; keep(&n) != want {
			t.Errorf("node %s: NodeFilter says %v, want %v", n.ID, keep(&n), want)
		}
	}
	bad := g
	bad.Constraints = []pack.Constraint{{Attribute: "datacenter", Operator: "regexp", Value: "("}}
	if _, err := pack.NodeFilter(&bad); err == nil {
		t.Error("NodeFilter accepted a regexp that does not compile")
	}
}
