package pack_test

import (
	"context"
	"fmt"
	"math"
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

// BenchmarkPriceAndRound compares the portfolio with and without price-and-round on fleets
// where the class LP is solved at 1,000 providers: tracegen's mixes made uniform the way cloud
// fleets are (see catalogue), with the default budget and with 1 s. tracegen's own mixes have
// too many classes for the LP from 1,000 providers up, so there price-and-round never runs.
func BenchmarkPriceAndRound(b *testing.B) {
	without := withoutPriceAndRound()
	for _, used := range []float64{0.02, 0.05} {
		for _, budget := range []time.Duration{pack.DefaultBudget, time.Second} {
			for _, algos := range [][]string{nil, without} {
				name := "portfolio"
				if algos != nil {
					name = "without-price-and-round"
				}
				b.Run(fmt.Sprintf("used=%g/budget=%v/%s", used, budget, name), func(b *testing.B) {
					p := catalogue(tracegen.Problem(tracegen.Spec{Seed: 1, Nodes: 1000, Instances: 2000, UsedFraction: used}))
					var res pack.Result
					for b.Loop() {
						var err error
						res, err = pack.Pack(context.Background(), p, pack.Options{Seed: 1, Budget: budget, Algorithms: algos})
						if err != nil {
							b.Fatal(err)
						}
					}
					reportQuality(b, res)
					b.Logf("bound: %s, algorithm: %s", res.Stats.Bound, res.Stats.Algorithm)
				})
			}
		}
	}
}

// BenchmarkPriceAndRoundSmall compares the portfolio with and without price-and-round on
// tracegen fleets of 20 and 100 providers, where the class LP is solved (from 300 up it is not,
// and price-and-round does not run): default budget, the exact search left out (SkipExact),
// four seeds per size and mix. It reports the nodes used either way summed over the problems
// where both placed as many instances, how many problems that is, and on how many
// price-and-round's packing won.
func BenchmarkPriceAndRoundSmall(b *testing.B) {
	without := withoutPriceAndRound()
	for _, nodes := range []int{20, 100} {
		for _, per := range []int{2, 6} {
			for _, used := range []float64{0.02, 0.05, 0.20} {
				b.Run(fmt.Sprintf("nodes=%d/per-node=%d/used=%g", nodes, per, used), func(b *testing.B) {
					var with, alone, problems, won int
					for b.Loop() {
						with, alone, problems, won = 0, 0, 0, 0
						for seed := uint64(1); seed <= 4; seed++ {
							p := tracegen.Problem(tracegen.Spec{Seed: seed, Nodes: nodes, Instances: per * nodes, UsedFraction: used})
							if p.Validate() != nil {
								continue
							}
							x, err := pack.Pack(context.Background(), p, pack.Options{Seed: 1, SkipExact: true})
							if err != nil {
								b.Fatal(err)
							}
							y, err := pack.Pack(context.Background(), p, pack.Options{Seed: 1, SkipExact: true, Algorithms: without})
							if err != nil {
								b.Fatal(err)
							}
							if len(x.Placements) != len(y.Placements) {
								continue
							}
							problems++
							with += x.Stats.NodesUsed
							alone += y.Stats.NodesUsed
							if strings.HasPrefix(x.Stats.Algorithm, "price-and-round") {
								won++
							}
						}
					}
					b.ReportMetric(float64(problems), "problems")
					b.ReportMetric(float64(with), "nodes")
					b.ReportMetric(float64(alone), "nodes-without")
					b.ReportMetric(float64(won), "won")
				})
			}
		}
	}
}

func withoutPriceAndRound() []string {
	var out []string
	for _, a := range pack.Algorithms() {
		if a != "price-and-round" {
			out = append(out, a)
		}
	}
	return out
}

// catalogue makes a tracegen problem uniform the way a cloud's fleet and job sizes are:
// capacities and sizes are powers of two (providers from 1 GHz, 1 GiB and 256 GiB of disk;
// instances from 250 MHz and 256 MiB, 1 GiB of disk), a provider in use uses a quarter of its
// CPU and memory and an eighth of its disk, every provider runs the same Docker version, and
// none is dedicated to a tenant. What is left apart — kind, region, GPUs — keeps the class
// model within the LP's limits at 1,000 providers.
func catalogue(p pack.Problem) pack.Problem {
	pow2 := func(v, unit int64) int64 {
		if v <= unit {
			return unit
		}
		return unit << int(math.Round(math.Log2(float64(v)/float64(unit))))
	}
	for i := range p.Nodes {
		n := &p.Nodes[i]
		n.CPUMHz, n.MemoryMB, n.DiskMB = pow2(n.CPUMHz, 1000), pow2(n.MemoryMB, 1024), pow2(n.DiskMB, 256*1024)
		if n.Used != (pack.Resources{}) {
			n.Used = pack.Resources{CPUMHz: n.CPUMHz / 4, MemoryMB: n.MemoryMB / 4, DiskMB: n.DiskMB / 8}
		}
		n.Attributes["attr.driver.docker.version"] = "24.0.7"
		n.DedicatedTenant = ""
	}
	for i := range p.Groups {
		g := &p.Groups[i]
		g.CPUMHz, g.MemoryMB, g.DiskMB = pow2(g.CPUMHz, 250), pow2(g.MemoryMB, 256), 1024
		g.Tenant = ""
	}
	return p
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
