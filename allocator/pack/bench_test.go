package pack_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/dec2-cloud/dec2/allocator/pack"
	"github.com/dec2-cloud/dec2/allocator/pack/tracegen"
)

// BenchmarkPack times the portfolio with its default budget from 100 to 10,000 nodes (two
// instances per node) and reports the quality figures BENCHMARKS.md records.
func BenchmarkPack(b *testing.B) {
	for _, nodes := range []int{100, 1000, 5000, 10000} {
		p := tracegen.Problem(tracegen.Spec{Seed: 1, Nodes: nodes, Instances: 2 * nodes})
		b.Run(fmt.Sprintf("nodes=%d/instances=%d", nodes, 2*nodes), func(b *testing.B) {
			var res pack.Result
			for b.Loop() {
				var err error
				res, err = pack.Pack(context.Background(), p, pack.Options{Seed: 1})
				if err != nil {
					b.Fatal(err)
				}
			}
			reportQuality(b, res)
		})
	}
}

// BenchmarkPortfolioOnce times one pass of every portfolio member with its local search and
// a single restart, with no budget to fill: how the work itself grows with the fleet.
func BenchmarkPortfolioOnce(b *testing.B) {
	for _, nodes := range []int{100, 1000, 5000, 10000} {
		p := tracegen.Problem(tracegen.Spec{Seed: 1, Nodes: nodes, Instances: 2 * nodes})
		b.Run(fmt.Sprintf("nodes=%d/instances=%d", nodes, 2*nodes), func(b *testing.B) {
			var res pack.Result
			for b.Loop() {
				var err error
				res, err = pack.Pack(context.Background(), p, pack.Options{Seed: 1, Budget: time.Minute, Restarts: 1})
				if err != nil {
					b.Fatal(err)
				}
			}
			reportQuality(b, res)
		})
	}
}

func reportQuality(b *testing.B, res pack.Result) {
	b.ReportMetric(float64(res.Stats.NodesUsed), "nodes")
	b.ReportMetric(float64(res.Stats.LowerBound), "lb")
	b.ReportMetric(float64(res.Stats.NodesUsed)/float64(res.Stats.LowerBound), "nodes/lb")
	b.ReportMetric(float64(len(res.Placements)), "placed")
	b.ReportMetric(float64(res.Stats.Stranded.MemoryMB), "stranded-mem-MB")
	b.ReportMetric(float64(res.Stats.Stranded.GPUs), "stranded-gpus")
}

// BenchmarkPackMixes is the table in BENCHMARKS.md: the default budget from 100 to 20,000
// providers on tracegen mixes with 2 %, 5 % and 20 % of them already running something.
func BenchmarkPackMixes(b *testing.B) {
	for _, used := range []float64{0.02, 0.05, 0.20} {
		for _, nodes := range []int{100, 1000, 10000, 20000} {
			p := tracegen.Problem(tracegen.Spec{Seed: 1, Nodes: nodes, Instances: 2 * nodes, UsedFraction: used})
			b.Run(fmt.Sprintf("used=%g/nodes=%d", used, nodes), func(b *testing.B) {
				var res pack.Result
				for b.Loop() {
					var err error
					res, err = pack.Pack(context.Background(), p, pack.Options{Seed: 1})
					if err != nil {
						b.Fatal(err)
					}
				}
				reportQuality(b, res)
				if res.Stats.Optimal {
					b.ReportMetric(1, "optimal")
				}
				b.Logf("bound: %s", res.Stats.Bound)
			})
		}
	}
}
