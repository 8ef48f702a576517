// Package tracegen generates seeded packing problems: heterogeneous provider fleets, partly
// in use, and job mixes shaped like public cluster traces (Google's Borg and Alibaba's
// cluster data: many small services, a heavy tail of large ones, a few GPU jobs).
package tracegen

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/dec2-cloud/dec2/allocator/pack"
)

// Spec sizes a generated problem.
type Spec struct {
	Seed      uint64
	Nodes     int
	Instances int // group instances in all
	// UsedFraction of nodes already run something (default 0.05).
	UsedFraction float64
}

// Problem generates a fleet and a job mix; equal specs give equal problems.
func Problem(spec Spec) pack.Problem {
	if spec.UsedFraction == 0 {
		spec.UsedFraction = 0.05
	}
	rng := rand.New(rand.NewPCG(spec.Seed, 0x6465633261))
	p := pack.Problem{Nodes: Fleet(rng, spec.Nodes, spec.UsedFraction)}
	p.Groups = Jobs(rng, spec.Instances)
	return p
}

var regions = []string{"eu", "us", "ap"}

type kind struct {
	name          string
	weight        float64
	cores         [2]int
	mhz           int64
	memGB         [2]int
	diskGB        [2]int
	gpus          [2]int
	pricePerCoreH float64
}

// The provider kinds: laptops and desktops are most of a volunteer fleet, GPU rigs and
// racks are few but large.
var kinds = []kind{
	{"laptop", 0.35, [2]int{4, 8}, 2400, [2]int{8, 16}, [2]int{128, 512}, [2]int{0, 0}, 0.004},
	{"desktop", 0.35, [2]int{8, 16}, 3400, [2]int{16, 64}, [2]int{512, 2048}, [2]int{0, 0}, 0.005},
	{"gpu-rig", 0.10, [2]int{16, 32}, 3200, [2]int{64, 256}, [2]int{1024, 4096}, [2]int{1, 4}, 0.02},
	{"rack", 0.20, [2]int{32, 64}, 2800, [2]int{128, 512}, [2]int{2048, 8192}, [2]int{0, 0}, 0.006},
}

var gpuModels = []struct {
	name  string
	memMB int64
}{{"RTX-4090", 24576}, {"A100-80GB", 81920}, {"L4", 23034}}

func between(rng *rand.Rand, r [2]int) int { return r[0] + rng.IntN(r[1]-r[0]+1) }

// Fleet generates n providers; usedFraction of them already run something.
func Fleet(rng *rand.Rand, n int, usedFraction float64) []pack.Node {
	nodes := make([]pack.Node, 0, n)
	for i := 0; i < n; i++ {
		k := pickKind(rng)
		cores := between(rng, k.cores)
		node := pack.Node{
			ID:         fmt.Sprintf("%s-%05d", k.name, i),
			CPUMHz:     int64(cores) * k.mhz,
			MemoryMB:   int64(between(rng, k.memGB)) * 1024,
			DiskMB:     int64(between(rng, k.diskGB)) * 1024,
			Reputation: math.Round(rng.Float64()*100) / 100,
		}
		region := regions[rng.IntN(len(regions))]
		node.Attributes = map[string]string{
			"region":                     region,
			"datacenter":                 fmt.Sprintf("%s-%d", region, rng.IntN(3)+1),
			"node_pool":                  "default",
			"meta.kind":                  k.name,
			"attr.driver.docker.version": []string{"20.10.24", "24.0.7", "27.3.1"}[rng.IntN(3)],
		}
		if g := between(rng, k.gpus); g > 0 {
			model := gpuModels[rng.IntN(len(gpuModels))]
			for j := 0; j < g; j++ {
				node.GPUs = append(node.GPUs, pack.GPU{ID: fmt.Sprintf("%s-gpu%d", node.ID, j), Model: model.name, MemoryMB: model.memMB, Healthy: rng.Float64() > 0.03})
			}
		}
		node.PricePerHour = math.Round(float64(cores)*k.pricePerCoreH*(0.8+0.4*rng.Float64())*1e4) / 1e4
		if rng.Float64() < 0.03 {
			node.DedicatedTenant = "tenant-a"
		}
		if rng.Float64() < usedFraction {
			f := 0.1 + 0.5*rng.Float64()
			node.Used = pack.Resources{
				CPUMHz:   int64(float64(node.CPUMHz) * f),
				MemoryMB: int64(float64(node.MemoryMB) * f * (0.5 + rng.Float64())),
				DiskMB:   int64(float64(node.DiskMB) * 0.2 * rng.Float64()),
			}
			node.Used.MemoryMB = min(node.Used.MemoryMB, node.MemoryMB)
			if len(node.GPUs) > 1 && node.GPUs[0].Healthy && rng.Float64() < 0.5 {
				node.UsedGPUs = []string{node.GPUs[0].ID}
			}
		}
		nodes = append(nodes, node)
	}
	return nodes
}

func pickKind(rng *rand.Rand) kind {
	x := rng.Float64()
	for _, k := range kinds {
		if x < k.weight {
			return k
		}
		x -= k.weight
	}
	return kinds[len(kinds)-1]
}

// Jobs generates groups adding up to instances: counts and sizes are heavy-tailed
// (log-normal sizes, Pareto-like counts), as in the Borg and Alibaba traces.
func Jobs(rng *rand.Rand, instances int) []pack.Group {
	var groups []pack.Group
	for left := instances; left > 0; {
		g := pack.Group{ID: fmt.Sprintf("job-%05d", len(groups))}
		switch x := rng.Float64(); {
		case x < 0.70:
			g.Count = 1 + rng.IntN(4)
		case x < 0.95:
			g.Count = 5 + rng.IntN(16)
		default:
			g.Count = 20 + rng.IntN(81)
		}
		large := rng.Float64() < 0.1
		// Log-normal sizes: small services around 2 GHz / 3 GB, large ones 6x that, so that
		// two instances per provider take about half the fleet.
		scale := 1.0
		if large {
			scale = 6
		}
		g.CPUMHz = roundTo(scale*2000*math.Exp(0.7*rng.NormFloat64()), 50)
		g.MemoryMB = roundTo(scale*3072*math.Exp(0.8*rng.NormFloat64()+0.3*math.Log(float64(g.CPUMHz)/(scale*2000))), 64)
		g.DiskMB = roundTo(1024*math.Exp(0.6*rng.NormFloat64()), 256)
		g.CPUMHz = min(g.CPUMHz, 32000)
		g.MemoryMB = min(g.MemoryMB, 96*1024)
		if rng.Float64() < 0.06 {
			g.GPU = &pack.GPUAsk{Count: 1 + rng.IntN(2)}
			if rng.Float64() < 0.4 {
				g.GPU.MinMemoryMB = 40000
			}
			g.Count = min(g.Count, 4)
		}
		if rng.Float64() < 0.10 {
			// Anti-affine groups are replicated services: a handful of replicas.
			g.DistinctHosts = true
			g.Count = min(g.Count, 2+rng.IntN(7))
		}
		if rng.Float64() < 0.15 {
			g.Constraints = append(g.Constraints, pack.Constraint{Attribute: "${node.region}", Operator: "=", Value: regions[rng.IntN(len(regions))]})
		}
		if rng.Float64() < 0.03 {
			g.Constraints = append(g.Constraints, pack.Constraint{Attribute: "${attr.driver.docker.version}", Operator: "version", Value: ">= 24.0"})
		}
		if rng.Float64() < 0.02 {
			g.Spread = []pack.Spread{{Attribute: "datacenter", Max: 2}}
		}
		if rng.Float64() < 0.03 {
			g.Tenant = "tenant-a"
		}
		g.Count = min(g.Count, left)
		left -= g.Count
		groups = append(groups, g)
	}
	return groups
}

func roundTo(v float64, step int64) int64 {
	return max(step, int64(math.Round(v/float64(step)))*step)
}
