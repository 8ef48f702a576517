package tracegen_test

import (
	"reflect"
	"testing"

	"github.com/dec2-cloud/dec2/allocator/pack/tracegen"
)

func TestProblemIsSeededValidAndTraceShaped(t *testing.T) {
	spec := tracegen.Spec{Seed: 9, Nodes: 500, Instances: 1000}
	p := tracegen.Problem(spec)
	if !reflect.DeepEqual(p, tracegen.Problem(spec)) {
		t.Fatal("the same spec gave two problems")
	}
	if reflect.DeepEqual(p, tracegen.Problem(tracegen.Spec{Seed: 10, Nodes: 500, Instances: 1000})) {
		t.Fatal("two seeds gave the same problem")
	}
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	total, gpu, distinct, constrained, small := 0, 0, 0, 0, 0
	for _, g := range p.Groups {
		total += g.Count
		if g.GPU != nil {
			gpu++
		}
		if g.DistinctHosts {
			distinct++
		}
		if len(g.Constraints) > 0 {
			constrained++
		}
		if g.Count <= 4 {
			small++
		}
	}
	n := len(p.Groups)
	if total != spec.Instances || len(p.Nodes) != spec.Nodes {
		t.Fatalf("%d instances on %d nodes, want %d on %d", total, len(p.Nodes), spec.Instances, spec.Nodes)
	}
	if gpu == 0 || distinct == 0 || constrained == 0 || small < n/2 {
		t.Fatalf("mix of %d groups: %d GPU, %d distinct_hosts, %d constrained, %d small", n, gpu, distinct, constrained, small)
	}
	kinds := map[string]int{}
	used := 0
	for _, nd := range p.Nodes {
		kinds[nd.Attributes["meta.kind"]]++
		if nd.Used.CPUMHz > 0 {
			used++
		}
	}
	if len(kinds) != 4 || used == 0 || used > spec.Nodes/5 {
		t.Fatalf("fleet kinds %v, %d partly used", kinds, used)
	}
}
