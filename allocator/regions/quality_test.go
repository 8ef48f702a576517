package regions

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/dec2-cloud/dec2/allocator/pack"
)

// fleet is one region's providers as the packer sees them, updated as jobs are placed.
type fleet struct {
	name  string
	nodes []pack.Node
}

func newFleet(name string, n int, pricePerHour float64) *fleet {
	f := &fleet{name: name}
	for i := range n {
		f.nodes = append(f.nodes, pack.Node{ID: fmt.Sprintf("%s-%02d", name, i), CPUMHz: 4000, MemoryMB: 8192, DiskMB: 100000, PricePerHour: pricePerHour})
	}
	return f
}

// quote packs g on f as it is now, as that region's allocator would.
func (f *fleet) quote(g pack.Group) (Quote, pack.Result) {
	res, err := pack.Pack(context.Background(), pack.Problem{Nodes: f.nodes, Groups: []pack.Group{g}},
		pack.Options{Budget: 2 * time.Millisecond, Seed: 1, Restarts: 1, Algorithms: []string{"ffd-dominant", "bfd-dominant", "dot-product"}, Workers: 1})
	q := Quote{Region: f.name}
	if err != nil || len(res.Unplaced) > 0 {
		q.Reason = "does not fit"
		return q, res
	}
	busy := map[string]bool{}
	for _, n := range f.nodes {
		busy[n.ID] = n.Used != (pack.Resources{})
	}
	opened := map[string]bool{}
	for _, p := range res.Placements {
		if !busy[p.Node] {
			opened[p.Node] = true
		}
	}
	q.Placeable, q.NewProviders, q.CostPerHour, q.NodesUsed = true, len(opened), res.Stats.CostPerHour, res.Stats.NodesUsed
	return q, res
}

func (f *fleet) commit(g pack.Group, res pack.Result) {
	at := map[string]int{}
	for i, n := range f.nodes {
		at[n.ID] = i
	}
	for _, p := range res.Placements {
		u := &f.nodes[at[p.Node]].Used
		u.CPUMHz += g.CPUMHz
		u.MemoryMB += g.MemoryMB
		u.DiskMB += g.DiskMB
	}
}

func (f *fleet) open() int {
	n := 0
	for _, node := range f.nodes {
		if node.Used != (pack.Resources{}) {
			n++
		}
	}
	return n
}

// simulate sends a seeded stream of jobs, 70 % of them from consumers near eu (the smaller,
// dearer region), each to its home region alone or to whichever of the two Rank prefers.
// The two fleets could hold about 1.1 times the stream; eu alone, about two thirds of its
// share. It returns the instances refused and placed, the providers in use, and the hourly
// cost of what runs.
func simulate(either bool) (refused, placed, open int, cost float64) {
	eu, us := newFleet("eu", 24, 0.12), newFleet("us", 36, 0.10)
	rng := rand.New(rand.NewPCG(7, 11))
	for j := range 120 {
		g := pack.Group{ID: fmt.Sprintf("j%d", j), Count: 1 + rng.IntN(3), CPUMHz: int64(250 * (1 + rng.IntN(6))), MemoryMB: int64(256 * (1 + rng.IntN(8))), DiskMB: 500}
		home, away := eu, us
		if rng.Float64() >= 0.7 {
			home, away = us, eu
		}
		q, res := home.quote(g)
		if !either {
			if !q.Placeable {
				refused += g.Count
				continue
			}
			home.commit(g, res)
			placed += g.Count
			cost += q.CostPerHour
			continue
		}
		qa, resA := away.quote(g)
		ranked, err := Rank(g.ID, []Quote{q, qa})
		if err != nil {
			refused += g.Count
			continue
		}
		if ranked[0].Region == home.name {
			home.commit(g, res)
		} else {
			away.commit(g, resA)
		}
		placed += g.Count
		cost += ranked[0].CostPerHour
	}
	return refused, placed, eu.open() + us.open(), cost
}

// BenchmarkTwoRegions: placement quality when each job may use only its home region against
// either of two, the figures of BENCHMARKS.md.
func BenchmarkTwoRegions(b *testing.B) {
	for _, c := range []struct {
		name   string
		either bool
	}{{"home-region", false}, {"either-region", true}} {
		b.Run(c.name, func(b *testing.B) {
			var refused, placed, open int
			var cost float64
			for b.Loop() {
				refused, placed, open, cost = simulate(c.either)
			}
			b.ReportMetric(float64(refused), "refused-instances")
			b.ReportMetric(float64(placed)/float64(open), "instances/provider")
			b.ReportMetric(cost/float64(placed), "cost/h/instance")
		})
	}
}

// Letting a job use either region never refuses more than keeping it home, for the stream the
// benchmark uses.
func TestEitherRegionRefusesNoMore(t *testing.T) {
	home, _, _, _ := simulate(false)
	either, _, _, _ := simulate(true)
	if either > home {
		t.Errorf("either region refused %d instances, home region only %d", either, home)
	}
	if home == 0 {
		t.Errorf("the stream never fills the home region (0 refused): it shows nothing about two regions")
	}
}
