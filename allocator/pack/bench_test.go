package pack_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
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
// providers on tracegen mixes with 2 %, 5 % and 20 % of them already running something. Each
// size generates its problem itself, so that a run of one size (one -bench pattern per process)
// holds only its own, and peak-RSS-MiB is that size's.
func BenchmarkPackMixes(b *testing.B) {
	for _, used := range []float64{0.02, 0.05, 0.20} {
		for _, nodes := range []int{100, 1000, 10000, 20000} {
			b.Run(fmt.Sprintf("used=%g/nodes=%d", used, nodes), func(b *testing.B) {
				p := tracegen.Problem(tracegen.Spec{Seed: 1, Nodes: nodes, Instances: 2 * nodes, UsedFraction: used})
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
				if mb, ok := peakRSS(); ok {
					b.ReportMetric(mb, "peak-RSS-MiB")
				}
				b.Logf("bound: %s, algorithm: %s", res.Stats.Bound, res.Stats.Algorithm)
			})
		}
	}
}

// BenchmarkPackSmall compares the portfolio alone (SkipExact) with Pack's exact search on
// tracegen fleets of 10 to 30 providers, eight seeds each, two and six instances per provider,
// default budget. It reports portfolio/optimum (Σ nodes over the problems the exact search or
// the bound proved), how many were proven (by the exact search rather than the bound), how many
// the exact search improved on, and the mean
// time of a Pack with the exact search.
func BenchmarkPackSmall(b *testing.B) {
	for _, nodes := range []int{10, 20, 30} {
		for _, per := range []int{2, 6} {
			var problems []pack.Problem
			for seed := uint64(1); seed <= 8; seed++ {
				p := tracegen.Problem(tracegen.Spec{Seed: seed, Nodes: nodes, Instances: per * nodes})
				// Small fleets sometimes lack any node for a group, which Validate refuses.
				if p.Validate() == nil {
					problems = append(problems, p)
				}
			}
			b.Run(fmt.Sprintf("nodes=%d/per-node=%d", nodes, per), func(b *testing.B) {
				var heur, opt, proven, byExact, improved int
				var elapsed float64
				for b.Loop() {
					heur, opt, proven, byExact, improved, elapsed = 0, 0, 0, 0, 0, 0
					for _, p := range problems {
						h, err := pack.Pack(context.Background(), p, pack.Options{Seed: 1, SkipExact: true})
						if err != nil {
							b.Fatal(err)
						}
						x, err := pack.Pack(context.Background(), p, pack.Options{Seed: 1})
						if err != nil {
							b.Fatal(err)
						}
						elapsed += x.Stats.ElapsedMS
						// The optimum is for the instances placed; compare like with like.
						if x.Stats.NodesUsed != x.Stats.LowerBound || len(x.Placements) != len(h.Placements) {
							continue
						}
						proven++
						if x.Stats.Bound == "exact" {
							byExact++
						}
						heur += h.Stats.NodesUsed
						opt += x.Stats.NodesUsed
						if x.Stats.NodesUsed < h.Stats.NodesUsed {
							improved++
						}
					}
				}
				b.ReportMetric(float64(len(problems)), "problems")
				b.ReportMetric(float64(proven), "proven")
				b.ReportMetric(float64(byExact), "proven-by-exact")
				b.ReportMetric(float64(improved), "improved")
				b.ReportMetric(float64(heur)/float64(max(opt, 1)), "portfolio/opt")
				b.ReportMetric(elapsed/float64(max(len(problems), 1)), "ms/pack")
			})
		}
	}
}

// peakRSS is the process's peak resident set size so far (VmHWM) in MiB, where Linux's /proc
// has it. It covers the whole process: the test binary, the generated problem and every
// benchmark run before.
func peakRSS() (float64, bool) {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, false
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 64)
			return kb / 1024, err == nil
		}
	}
	return 0, false
}
