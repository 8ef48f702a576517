package pack_test

import (
	"context"
	"testing"
	"time"

	"github.com/dec2-cloud/dec2/allocator/pack"
	"github.com/dec2-cloud/dec2/allocator/pack/tracegen"
)

// On small tracegen fleets the bounds sometimes stop a node or more short of the optimum; there
// Pack's exact search proves it and says so, and without it the packing stays unproven.
func TestPackProvesOptimumOnSmallFleets(t *testing.T) {
	byExact := 0
	for seed := uint64(1); seed <= 8; seed++ {
		p := tracegen.Problem(tracegen.Spec{Seed: seed, Nodes: 20, Instances: 40})
		if p.Validate() != nil {
			continue
		}
		// A budget that the race detector's slowdown cannot exhaust, and capped restarts so the
		// budget is not spent on them: whether the search proves an optimum must not depend on
		// the machine's speed.
		opts := pack.Options{Seed: 1, Budget: 20 * time.Second, Restarts: 2}
		res, err := pack.Pack(context.Background(), p, opts)
		if err != nil {
			t.Fatal(err)
		}
		if err := check(p, res); err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		if res.Stats.Bound != "exact" {
			continue
		}
		byExact++
		if res.Stats.LowerBound != res.Stats.NodesUsed {
			t.Fatalf("seed %d: stats %+v: an exact bound below the nodes used", seed, res.Stats)
		}
		if res.Stats.Optimal != (len(res.Unplaced) == 0) {
			t.Fatalf("seed %d: stats %+v with %d unplaced", seed, res.Stats, len(res.Unplaced))
		}
		opts.SkipExact = true
		alone, err := pack.Pack(context.Background(), p, opts)
		if err != nil {
			t.Fatal(err)
		}
		if alone.Stats.Bound == "exact" || alone.Stats.LowerBound >= res.Stats.LowerBound || alone.Stats.NodesUsed < res.Stats.NodesUsed {
			t.Fatalf("seed %d: without the exact search %+v, with it %+v", seed, alone.Stats, res.Stats)
		}
	}
	if byExact == 0 {
		t.Fatal("the exact search proved none of the optima")
	}
	t.Logf("the exact search proved %d optima the bounds did not", byExact)
}
