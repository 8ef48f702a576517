package pack_test

import (
	"context"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dec2-cloud/dec2/allocator/pack"
	"github.com/dec2-cloud/dec2/allocator/pack/tracegen"
)

// TestPriceAndRoundReportsWhatItPlaced packs tracegen's 100-provider mixes, where the class LP
// is solved, with price-and-round alone: the placements keep every rule, the result says what
// pack.Evaluate finds of them (nodes used, stranded capacity, cost), never fewer nodes than the
// lower bound, and on one mix a second run with the same seed gives the same result. The
// budget is far more than the work takes, so that nothing depends on the machine's speed.
func TestPriceAndRoundReportsWhatItPlaced(t *testing.T) {
	if !slices.Contains(pack.Algorithms(), "price-and-round") {
		t.Fatalf("price-and-round is not among %v", pack.Algorithms())
	}
	for _, used := range []float64{0.02, 0.05, 0.2} {
		p := tracegen.Problem(tracegen.Spec{Seed: 1, Nodes: 100, Instances: 200, UsedFraction: used})
		opt := pack.Options{Seed: 1, Algorithms: []string{"price-and-round"}, Budget: 20 * time.Second, Restarts: 2, SkipExact: true}
		res, err := pack.Pack(context.Background(), p, opt)
		if err != nil {
			t.Fatal(err)
		}
		if err := check(p, res); err != nil {
			t.Fatalf("used %g: %v", used, err)
		}
		if !strings.HasPrefix(res.Stats.Algorithm, "price-and-round") {
			t.Fatalf("used %g: algorithm %q", used, res.Stats.Algorithm)
		}
		ev, err := pack.Evaluate(p, res.Placements)
		if err != nil {
			t.Fatalf("used %g: %v", used, err)
		}
		if ev.Stats.NodesUsed != res.Stats.NodesUsed || ev.Stats.Stranded != res.Stats.Stranded || math.Abs(ev.Stats.CostPerHour-res.Stats.CostPerHour) > 1e-9 {
			t.Fatalf("used %g: reported %+v, evaluated %+v", used, res.Stats, ev.Stats)
		}
		if res.Stats.NodesUsed < res.Stats.LowerBound || res.Stats.NodesUsed < ev.Stats.LowerBound {
			t.Fatalf("used %g: %d nodes against bounds %d (reported) and %d (evaluated)", used, res.Stats.NodesUsed, res.Stats.LowerBound, ev.Stats.LowerBound)
		}
		if used == 0.05 {
			again, err := pack.Pack(context.Background(), p, opt)
			if err != nil {
				t.Fatal(err)
			}
			res.Stats.ElapsedMS, again.Stats.ElapsedMS = 0, 0
			if !reflect.DeepEqual(res, again) {
				t.Fatalf("used %g: two runs with the same seed differ: %+v and %+v", used, res.Stats, again.Stats)
			}
		}
		t.Logf("used %g: %d nodes, bound %d (%s), %s", used, res.Stats.NodesUsed, res.Stats.LowerBound, res.Stats.Bound, res.Stats.Algorithm)
	}
}
