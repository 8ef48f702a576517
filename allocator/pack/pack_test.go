package pack_test

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"testing/quick"
	"time"

	"github.com/dec2-cloud/dec2/allocator/pack"
	"github.com/dec2-cloud/dec2/allocator/pack/tracegen"
)

// check verifies a result against its problem from the outside: every instance accounted
// for once, no capacity exceeded, every constraint, tenant and price limit kept, and no GPU
// used twice, used already, unhealthy or of the wrong kind.
func check(p pack.Problem, res pack.Result) error {
	nodes := map[string]*pack.Node{}
	free := map[string][3]int64{}
	gpuFree := map[string]map[string]pack.GPU{}
	for i := range p.Nodes {
		n := &p.Nodes[i]
		nodes[n.ID] = n
		free[n.ID] = [3]int64{n.CPUMHz - n.Used.CPUMHz, n.MemoryMB - n.Used.MemoryMB, n.DiskMB - n.Used.DiskMB}
		gpuFree[n.ID] = map[string]pack.GPU{}
		for _, g := range n.GPUs {
			if g.Healthy {
				gpuFree[n.ID][g.ID] = g
			}
		}
		for _, id := range n.UsedGPUs {
			delete(gpuFree[n.ID], id)
		}
	}
	groups := map[string]pack.Group{}
	for _, g := range p.Groups {
		groups[g.ID] = g
	}
	seen := map[string]map[int]bool{}
	hostCount := map[[2]string]int{}
	spread := map[[3]string]int{}
	used := map[string]bool{}
	for _, pl := range res.Placements {
		g, ok := groups[pl.Group]
		n := nodes[pl.Node]
		if !ok || n == nil {
			return errors.New("placement names an unknown group or node: " + pl.Group + " " + pl.Node)
		}
		if seen[g.ID] == nil {
			seen[g.ID] = map[int]bool{}
		}
		if pl.Index < 0 || pl.Index >= g.Count || seen[g.ID][pl.Index] {
			return errors.New("bad or repeated index for " + g.ID)
		}
		seen[g.ID][pl.Index] = true
		f := free[n.ID]
		f[0] -= g.CPUMHz
		f[1] -= g.MemoryMB
		f[2] -= g.DiskMB
		if f[0] < 0 || f[1] < 0 || f[2] < 0 {
			return errors.New("capacity exceeded on " + n.ID)
		}
		free[n.ID] = f
		for _, c := range g.Constraints {
			if !c.Matches(n) {
				return errors.New("constraint broken: " + g.ID + " on " + n.ID)
			}
		}
		if n.DedicatedTenant != "" && n.DedicatedTenant != g.Tenant {
			return errors.New("tenant broken on " + n.ID)
		}
		hostCount[[2]string{g.ID, n.ID}]++
		if g.DistinctHosts && hostCount[[2]string{g.ID, n.ID}] > 1 {
			return errors.New("distinct_hosts broken: " + g.ID + " on " + n.ID)
		}
		for _, s := range g.Spread {
			v, ok := n.Attributes[s.Attribute]
			k := [3]string{g.ID, s.Attribute, v}
			if spread[k]++; ok && spread[k] > s.Max {
				return errors.New("spread broken: " + g.ID)
			}
		}
		want := 0
		if g.GPU != nil {
			want = g.GPU.Count
		}
		if len(pl.GPUs) != want {
			return errors.New("wrong GPU count for " + g.ID)
		}
		for _, id := range pl.GPUs {
			d, ok := gpuFree[n.ID][id]
			if !ok || used[n.ID+"/"+id] {
				return errors.New("GPU reused, in use or unhealthy: " + id)
			}
			if (g.GPU.Model != "" && d.Model != g.GPU.Model) || d.MemoryMB < g.GPU.MinMemoryMB {
				return errors.New("GPU does not match the ask: " + id)
			}
			used[n.ID+"/"+id] = true
		}
	}
	for _, u := range res.Unplaced {
		if u.Reason == "" || u.Count <= 0 {
			return errors.New("unplaced without a count or reason: " + u.Group)
		}
		if len(seen[u.Group])+u.Count != groups[u.Group].Count {
			return errors.New("placed + unplaced ≠ count for " + u.Group)
		}
		delete(seen, u.Group)
	}
	for id, s := range seen {
		if len(s) != groups[id].Count {
			return errors.New("instances missing without a reason: " + id)
		}
	}
	return nil
}

func TestPackKeepsEveryRule(t *testing.T) {
	prop := func(seed uint64, nodes, inst uint8) bool {
		p := tracegen.Problem(tracegen.Spec{Seed: seed, Nodes: 3 + int(nodes)%40, Instances: 5 + int(inst)%150, UsedFraction: 0.3})
		if err := p.Validate(); err != nil {
			// The generator can draw a group that fits no node of a tiny fleet; drop it.
			p.Groups = fittable(p)
		}
		res, err := pack.Pack(context.Background(), p, pack.Options{Seed: seed, Budget: 5 * time.Millisecond})
		if err != nil {
			t.Logf("seed %d: %v", seed, err)
			return false
		}
		if err := check(p, res); err != nil {
			t.Logf("seed %d: %v", seed, err)
			return false
		}
		return res.Stats.NodesUsed >= res.Stats.LowerBound
	}
	if err := quick.Check(prop, &quick.Config{MaxCount: 150, Rand: nil}); err != nil {
		t.Fatal(err)
	}
}

// fittable keeps the groups Validate accepts.
func fittable(p pack.Problem) []pack.Group {
	var out []pack.Group
	for _, g := range p.Groups {
		one := pack.Problem{Nodes: p.Nodes, Groups: []pack.Group{g}}
		if one.Validate() == nil {
			out = append(out, g)
		}
	}
	return out
}

func TestPackIsDeterministicForASeed(t *testing.T) {
	p := tracegen.Problem(tracegen.Spec{Seed: 7, Nodes: 200, Instances: 400})
	opt := pack.Options{Seed: 3, Budget: time.Minute, Restarts: 6}
	a, err := pack.Pack(context.Background(), p, opt)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := pack.Pack(context.Background(), p, opt)
	a.Stats.ElapsedMS, b.Stats.ElapsedMS = 0, 0
	if !reflect.DeepEqual(a, b) {
		t.Fatal("two runs with the same seed differ")
	}
}

func TestPackFillsExactlyAndExplains(t *testing.T) {
	// Two nodes of 4 GHz / 8 GB; four instances of 2 GHz / 4 GB fill them exactly; a fifth
	// cannot fit, and its reason names the exhausted dimension.
	p := pack.Problem{
		Nodes: []pack.Node{
			{ID: "a", CPUMHz: 4000, MemoryMB: 8192, DiskMB: 1000},
			{ID: "b", CPUMHz: 4000, MemoryMB: 8192, DiskMB: 1000},
			{ID: "c", CPUMHz: 8000, MemoryMB: 16384, DiskMB: 1000, Attributes: map[string]string{"region": "us"}},
		},
		Groups: []pack.Group{{ID: "web", Count: 5, CPUMHz: 2000, MemoryMB: 4096, Constraints: []pack.Constraint{{Attribute: "${node.region}", Operator: "!=", Value: "us"}}}},
	}
	res, err := pack.Pack(context.Background(), p, pack.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := check(p, res); err != nil {
		t.Fatal(err)
	}
	if len(res.Placements) != 4 || res.Stats.NodesUsed != 2 || res.Stats.LowerBound != 2 {
		t.Fatalf("got %d placements on %d nodes (bound %d), want 4 on 2 (bound 2)", len(res.Placements), res.Stats.NodesUsed, res.Stats.LowerBound)
	}
	if len(res.Unplaced) != 1 || res.Unplaced[0].Count != 1 {
		t.Fatalf("unplaced = %+v", res.Unplaced)
	}
	r := res.Unplaced[0].Reason
	for _, want := range []string{`constraint "region != us" filtered 1 nodes`, "cpu exhausted on 2 nodes"} {
		if !strings.Contains(r, want) {
			t.Errorf("reason %q lacks %q", r, want)
		}
	}
	if res.Stats.Stranded != (pack.Stranded{DiskMB: 2000}) {
		t.Errorf("stranded = %+v, want only the unused disk", res.Stats.Stranded)
	}
}

func TestPackUsesOpenNodesAndGPUs(t *testing.T) {
	p := pack.Problem{
		Nodes: []pack.Node{
			{ID: "big", CPUMHz: 64000, MemoryMB: 262144, DiskMB: 100000},
			{ID: "busy", CPUMHz: 16000, MemoryMB: 32768, DiskMB: 100000, Used: pack.Resources{CPUMHz: 1000}},
			{ID: "rig", CPUMHz: 16000, MemoryMB: 65536, DiskMB: 100000, GPUs: []pack.GPU{
				{ID: "g0", Model: "A100-80GB", MemoryMB: 81920, Healthy: true},
				{ID: "g1", Model: "A100-80GB", MemoryMB: 81920, Healthy: false},
				{ID: "g2", Model: "L4", MemoryMB: 23034, Healthy: true},
				{ID: "g3", Model: "A100-80GB", MemoryMB: 81920, Healthy: true},
			}, UsedGPUs: []string{"g3"}},
		},
		Groups: []pack.Group{
			{ID: "small", Count: 3, CPUMHz: 1000, MemoryMB: 1024},
			{ID: "train", Count: 2, CPUMHz: 1000, MemoryMB: 1024, GPU: &pack.GPUAsk{Count: 1, MinMemoryMB: 40000}},
		},
	}
	res, err := pack.Pack(context.Background(), p, pack.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := check(p, res); err != nil {
		t.Fatal(err)
	}
	// "busy" and "rig" are open already (work and a GPU in use): the small group fits there,
	// "big" stays closed, and only g0 is a free healthy GPU with enough memory.
	on := map[string]string{}
	for _, pl := range res.Placements {
		on[pl.Group+string(rune('0'+pl.Index))] = pl.Node
		if pl.Node == "big" {
			t.Errorf("%s[%d] opened an idle node", pl.Group, pl.Index)
		}
	}
	if res.Stats.NodesUsed != 2 {
		t.Errorf("nodes used = %d, want 2", res.Stats.NodesUsed)
	}
	if len(res.Unplaced) != 1 || res.Unplaced[0].Group != "train" || !strings.Contains(res.Unplaced[0].Reason, "gpus exhausted on 1 nodes") {
		t.Errorf("unplaced = %+v", res.Unplaced)
	}
}

func TestValidateNamesFieldAndID(t *testing.T) {
	for name, tc := range map[string]struct {
		in   string
		want string
	}{
		"unknown field":  {`{"nodes":[{"id":"a","cpu_mhz":1,"colour":"red"}],"groups":[]}`, `unknown field "colour"`},
		"negative size":  {`{"nodes":[{"id":"a","cpu_mhz":1000,"memory_mb":-5}],"groups":[]}`, `nodes.memory_mb (id "a")`},
		"duplicate node": {`{"nodes":[{"id":"a"},{"id":"a"}],"groups":[]}`, `nodes.id (id "a"): is a duplicate`},
		"duplicate group": {`{"nodes":[{"id":"a","cpu_mhz":10}],"groups":[{"id":"g","count":1,"cpu_mhz":1},{"id":"g","count":1}]}`,
			`groups.id (id "g"): is a duplicate`},
		"never fits": {`{"nodes":[{"id":"a","cpu_mhz":1000,"memory_mb":1000}],"groups":[{"id":"huge","count":1,"cpu_mhz":5000}]}`,
			`groups (id "huge"): no node could ever host`},
		"bad operator": {`{"nodes":[{"id":"a"}],"groups":[{"id":"g","count":1,"constraints":[{"attribute":"region","operator":"~","value":"x"}]}]}`,
			`groups.constraints (id "g"): operator "~"`},
		"unknown gpu": {`{"nodes":[{"id":"a","used_gpus":["x"]}],"groups":[]}`, `nodes.used_gpus (id "a"): GPU "x"`},
		"used > cap":  {`{"nodes":[{"id":"a","cpu_mhz":10,"used":{"cpu_mhz":20}}],"groups":[]}`, `nodes.used.cpu_mhz (id "a")`},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := pack.ParseProblem([]byte(tc.in))
			var ie *pack.InputError
			if err == nil || !errors.As(err, &ie) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want an *InputError containing %q", err, tc.want)
			}
		})
	}
}

func FuzzParseProblem(f *testing.F) {
	f.Add([]byte(`{"nodes":[{"id":"a","cpu_mhz":4000,"memory_mb":8192,"disk_mb":1000,"gpus":[{"id":"g","model":"L4","memory_mb":23034,"healthy":true}],"attributes":{"region":"eu"}}],"groups":[{"id":"w","count":2,"cpu_mhz":1000,"gpu":{"count":1},"constraints":[{"attribute":"region","operator":"regexp","value":"^e"}],"distinct_hosts":true}]}`))
	f.Add([]byte(`{"nodes":[],"groups":[]}`))
	f.Add([]byte(`{"nodes":[{"id":"a","cpu_mhz":-1}]}`))
	f.Add([]byte(`[1,2]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := pack.ParseProblem(data)
		if err != nil {
			var ie *pack.InputError
			if !errors.As(err, &ie) {
				t.Fatalf("error is not an *InputError: %v", err)
			}
			return
		}
		if len(p.Nodes) > 50 || len(p.Groups) > 50 {
			return
		}
		total := 0
		for _, g := range p.Groups {
			total += g.Count
		}
		if total > 5000 {
			return
		}
		res, err := pack.Pack(context.Background(), p, pack.Options{Budget: time.Millisecond, Restarts: 1})
		if err != nil {
			t.Fatalf("a valid problem failed to pack: %v", err)
		}
		if err := check(p, res); err != nil {
			t.Fatal(err)
		}
	})
}

func TestPackLeavesNoGPUIdleWhenAPlainNodeWillDo(t *testing.T) {
	// The GPU rig is the largest node, so constructive passes open it first; the final
	// replacement moves its load to the plain node, which holds it with nothing stranded.
	var gpus []pack.GPU
	for i := 0; i < 4; i++ {
		gpus = append(gpus, pack.GPU{ID: string(rune('a' + i)), Model: "L4", MemoryMB: 23034, Healthy: true})
	}
	p := pack.Problem{
		Nodes: []pack.Node{
			{ID: "rig", CPUMHz: 32000, MemoryMB: 65536, DiskMB: 10000, GPUs: gpus},
			{ID: "box", CPUMHz: 4000, MemoryMB: 4096, DiskMB: 1000},
		},
		Groups: []pack.Group{{ID: "web", Count: 2, CPUMHz: 2000, MemoryMB: 2048, DiskMB: 500}},
	}
	res, err := pack.Pack(context.Background(), p, pack.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := check(p, res); err != nil {
		t.Fatal(err)
	}
	for _, pl := range res.Placements {
		if pl.Node != "box" {
			t.Errorf("%s[%d] on %s, want box", pl.Group, pl.Index, pl.Node)
		}
	}
	if res.Stats.NodesUsed != 1 || res.Stats.Stranded != (pack.Stranded{}) {
		t.Errorf("nodes used %d, stranded %+v; want 1 and nothing", res.Stats.NodesUsed, res.Stats.Stranded)
	}
}

// Three 4-core instances on 8-core nodes need two nodes, which the cover bound proves; with
// a fourth node's worth of work on a single node, one instance stays unplaced and nothing is
// claimed.
func TestPackReportsProvenOptimum(t *testing.T) {
	nodes := []pack.Node{{ID: "a", CPUMHz: 8000, MemoryMB: 8192}, {ID: "b", CPUMHz: 8000, MemoryMB: 8192}, {ID: "c", CPUMHz: 8000, MemoryMB: 8192}}
	p := pack.Problem{Nodes: nodes, Groups: []pack.Group{{ID: "g", Count: 3, CPUMHz: 4000, MemoryMB: 1024}}}
	res, err := pack.Pack(context.Background(), p, pack.Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if st := res.Stats; st.NodesUsed != 2 || st.LowerBound != 2 || !st.Optimal || st.Bound == "" {
		t.Fatalf("stats %+v, want 2 nodes, bound 2 (named), optimal", st)
	}
	p.Nodes = nodes[:1]
	if res, err = pack.Pack(context.Background(), p, pack.Options{Seed: 1}); err != nil {
		t.Fatal(err)
	}
	if st := res.Stats; len(res.Unplaced) != 1 || st.Optimal {
		t.Fatalf("stats %+v with %d unplaced: optimality claimed with an instance left over", st, len(res.Unplaced))
	}
}
