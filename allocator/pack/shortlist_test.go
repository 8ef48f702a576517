package pack_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/dec2-cloud/dec2/allocator/pack"
)

// qualityFleet is n providers of mixed sizes and prices in two datacenters, a few GPU rigs
// and nodes dedicated to a tenant; busy of them run something already.
func qualityFleet(rng *rand.Rand, n int, busy float64) []pack.Node {
	sizes := [][2]int64{{2000, 4096}, {4000, 8192}, {8000, 16384}, {16000, 65536}}
	out := make([]pack.Node, n)
	for i := range out {
		s := sizes[rng.IntN(len(sizes))]
		nd := pack.Node{ID: fmt.Sprintf("n%04d", i), CPUMHz: s[0], MemoryMB: s[1], DiskMB: 50000,
			PricePerHour: (float64(s[0])/1000*0.01 + float64(s[1])/1024*0.002) * (0.8 + 0.4*rng.Float64()),
			Attributes:   map[string]string{"datacenter": []string{"dc1", "dc2"}[rng.IntN(2)], "node_pool": "default"}}
		if rng.IntN(20) == 0 {
			nd.GPUs = []pack.GPU{{ID: nd.ID + "-g0", Model: "A100", MemoryMB: 40960, Healthy: true}, {ID: nd.ID + "-g1", Model: "A100", MemoryMB: 40960, Healthy: true}}
			nd.PricePerHour += 3
		}
		if rng.IntN(25) == 0 {
			nd.DedicatedTenant = "acme"
		}
		if rng.Float64() < busy {
			f := 0.2 + 0.7*rng.Float64()
			nd.Used = pack.Resources{CPUMHz: int64(f * float64(s[0])), MemoryMB: int64(f * float64(s[1])), DiskMB: 300}
		}
		out[i] = nd
	}
	return out
}

// qualityJob is one registration's groups: 1–3 instances, sometimes pinned to a
// datacenter, spread over hosts, asking for a GPU, or of the dedicated tenant.
func qualityJob(rng *rand.Rand, k int) []pack.Group {
	var gs []pack.Group
	for j := range 1 + rng.IntN(2) {
		g := pack.Group{ID: fmt.Sprintf("j%d-g%d", k, j), Count: 1 + rng.IntN(3), CPUMHz: int64(100 * (1 + rng.IntN(20))),
			MemoryMB: int64(128 * (1 + rng.IntN(24))), DiskMB: 300, Tenant: "default",
			Constraints: []pack.Constraint{{Attribute: "node_pool", Operator: "=", Value: "default"}}}
		switch rng.IntN(8) {
		case 0:
			g.Constraints = append(g.Constraints, pack.Constraint{Attribute: "datacenter", Operator: "regexp", Value: "^(dc2)$"})
		case 1:
			g.DistinctHosts = true
		case 2:
			g.GPU = &pack.GPUAsk{Count: 1}
		case 3:
			g.Tenant = "acme"
		}
		gs = append(gs, g)
	}
	return gs
}

// apply takes res's placements out of nodes' free capacity.
func apply(nodes []pack.Node, groups []pack.Group, res pack.Result) {
	at := map[string]int{}
	for i := range nodes {
		at[nodes[i].ID] = i
	}
	dem := map[string]pack.Group{}
	for _, g := range groups {
		dem[g.ID] = g
	}
	for _, p := range res.Placements {
		n, g := &nodes[at[p.Node]], dem[p.Group]
		n.Used.CPUMHz += g.CPUMHz
		n.Used.MemoryMB += g.MemoryMB
		n.Used.DiskMB += g.DiskMB
		n.UsedGPUs = append(n.UsedGPUs, p.GPUs...)
	}
}

func providersInUse(nodes []pack.Node) int {
	k := 0
	for _, n := range nodes {
		if n.Used != (pack.Resources{}) || len(n.UsedGPUs) > 0 {
			k++
		}
	}
	return k
}

// TestNarrowingKeepsPlacementQuality: registrations packed on a ShortListOf of nodes come
// out as well as packed on the whole fleet — decision by decision (every result scored on
// the whole fleet with pack.Evaluate) and over a sequence of registrations (providers in
// use at the end) — and their figures count the nodes left out.
func TestNarrowingKeepsPlacementQuality(t *testing.T) {
	// The allocator's options, with a budget no run reaches, so that what is compared is the
	// nodes offered, not the machine's load; Restarts bounds the work.
	opt := pack.Options{Budget: 10 * time.Second, Seed: 1, Restarts: 1, Workers: 1,
		Algorithms: []string{"ffd-dominant", "bfd-dominant", "dot-product"}}
	ctx := context.Background()
	jobs := 150
	if testing.Short() {
		jobs = 40
	}
	for _, tc := range []struct {
		nodes int
		busy  float64
	}{{200, 0.5}, {200, 0.1}, {600, 0.5}, {600, 0.1}, {2000, 0.3}} {
		t.Run(fmt.Sprintf("%d nodes %.0f%% busy", tc.nodes, 100*tc.busy), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(uint64(tc.nodes), uint64(100*tc.busy)))
			whole := qualityFleet(rng, tc.nodes, tc.busy)
			short := append([]pack.Node(nil), whole...)
			for i := range short {
				short[i].UsedGPUs = nil
			}
			var worse, better, narrowed int
			var costWhole, costShort float64
			for k := range jobs {
				groups := qualityJob(rng, k)
				prob := pack.Problem{Nodes: short, Groups: groups}
				full, errFull := pack.PackPreferringPlainNodes(ctx, prob, opt)
				res, err := pack.PackOnShortList(ctx, prob, opt)
				if (err == nil) != (errFull == nil) || len(res.Unplaced) != len(full.Unplaced) {
					t.Fatalf("job %d: narrowed %v, %d unplaced; whole fleet %v, %d unplaced", k, err, len(res.Unplaced), errFull, len(full.Unplaced))
				}
				if err != nil || len(res.Unplaced) > 0 {
					continue
				}
				if _, ok := pack.ShortListOf(short, groups); ok {
					narrowed++
				}
				ef, err1 := pack.Evaluate(prob, full.Placements)
				en, err2 := pack.Evaluate(prob, res.Placements)
				if err1 != nil || err2 != nil {
					t.Fatalf("job %d: scoring on the whole fleet: %v, %v", k, err1, err2)
				}
				if en.Stats.NodesUsed != res.Stats.NodesUsed || en.Stats.Stranded != res.Stats.Stranded {
					t.Errorf("job %d: narrowed result says %d nodes in use, %+v stranded; on the whole fleet %d, %+v",
						k, res.Stats.NodesUsed, res.Stats.Stranded, en.Stats.NodesUsed, en.Stats.Stranded)
				}
				switch {
				case en.Stats.NodesUsed > ef.Stats.NodesUsed:
					worse++
				case en.Stats.NodesUsed < ef.Stats.NodesUsed:
					better++
				}
				costShort += en.Stats.CostPerHour
				costWhole += ef.Stats.CostPerHour
				apply(short, groups, res)
				wres, err := pack.PackPreferringPlainNodes(ctx, pack.Problem{Nodes: whole, Groups: groups}, opt)
				if err == nil {
					apply(whole, groups, wres)
				}
			}
			t.Logf("%d registrations, %d narrowed: a provider more than the whole fleet's answer %d times, fewer %d times; cost %.4f vs %.4f per hour; providers in use at the end %d (narrowed) vs %d (whole fleet)",
				jobs, narrowed, worse, better, costShort, costWhole, providersInUse(short), providersInUse(whole))
			if narrowed < jobs/2 {
				t.Errorf("only %d of %d registrations were narrowed", narrowed, jobs)
			}
			if worse > jobs/50 {
				t.Errorf("narrowing opened a provider more than the whole fleet %d times in %d", worse, jobs)
			}
			if costShort > costWhole*1.02 {
				t.Errorf("narrowed placements cost %.4f per hour, the whole fleet's %.4f", costShort, costWhole)
			}
			if a, b := providersInUse(short), providersInUse(whole); a > b+b/50 {
				t.Errorf("after %d registrations %d providers in use with narrowing, %d without", jobs, a, b)
			}
		})
	}
}
