package nomadbase_test

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/dec2-cloud/dec2/allocator/pack"
	"github.com/dec2-cloud/dec2/allocator/pack/nomadbase"
	"github.com/dec2-cloud/dec2/allocator/pack/tracegen"
)

// BenchmarkVsNomad places identical generated problems with dec2's portfolio and with
// Nomad's service scheduler and reports, besides time, the quality figures of each: nodes
// used, the lower bound (for the instances placed), stranded memory and GPUs, placed count.
// Nomad takes about 4 minutes at 5,000 nodes; DEC2_BENCH_NOMAD_LARGE=1 includes that size.
func BenchmarkVsNomad(b *testing.B) {
	for _, nodes := range []int{100, 1000, 5000} {
		p := tracegen.Problem(tracegen.Spec{Seed: 1, Nodes: nodes, Instances: 2 * nodes})
		for _, algo := range []string{"portfolio", "nomad"} {
			if algo == "nomad" && nodes > 1000 && os.Getenv("DEC2_BENCH_NOMAD_LARGE") != "1" {
				continue
			}
			b.Run(fmt.Sprintf("nodes=%d/algo=%s", nodes, algo), func(b *testing.B) {
				var res pack.Result
				for b.Loop() {
					var err error
					if algo == "nomad" {
						res, err = nomadbase.Place(p, 1)
					} else {
						res, err = pack.Pack(context.Background(), p, pack.Options{Seed: 1})
					}
					if err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(res.Stats.NodesUsed), "nodes")
				b.ReportMetric(float64(res.Stats.LowerBound), "lb")
				b.ReportMetric(float64(res.Stats.NodesUsed)/float64(res.Stats.LowerBound), "nodes/lb")
				b.ReportMetric(float64(len(res.Placements)), "placed")
				b.ReportMetric(float64(res.Stats.Stranded.MemoryMB)/1024, "stranded-mem-GB")
				b.ReportMetric(float64(res.Stats.Stranded.GPUs), "stranded-gpus")
			})
		}
	}
}
