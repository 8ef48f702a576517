package view

import (
	"math/big"
	"sort"

	"github.com/dec2-cloud/dec2/pricing"
)

// Spread is how one price is distributed over the region's ready providers: its quantiles by
// nearest rank, decimal tokens. Providers compare themselves with it; consumers see what a
// type may cost.
type Spread struct {
	Resource                   string // what the price is for, e.g. "CPU (DEC2/GHz-h)"
	Nodes                      int    // how many nodes post a price
	Min, P25, Median, P75, Max string
}

// PriceSpreads are the distributions of the CPU, memory and disk prices over the ready nodes
// whose prices read; a resource no such node prices is left out.
func PriceSpreads(nodes []Node) []Spread {
	type resource struct {
		name string
		of   func(pricing.Prices) *big.Int
	}
	var out []Spread
	for _, r := range []resource{
		{"CPU (DEC2/GHz-h)", func(p pricing.Prices) *big.Int { return p.CPUGHzHour }},
		{"Memory (DEC2/GiB-h)", func(p pricing.Prices) *big.Int { return p.MemGBHour }},
		{"Disk (DEC2/GiB-h)", func(p pricing.Prices) *big.Int { return p.DiskGBHour }},
	} {
		var vs []*big.Int
		for _, n := range nodes {
			if n.Status != "ready" || n.PriceError != "" {
				continue
			}
			v := r.of(n.Prices)
			if v == nil {
				v = new(big.Int)
			}
			vs = append(vs, v)
		}
		if len(vs) == 0 {
			continue
		}
		sort.Slice(vs, func(i, j int) bool { return vs[i].Cmp(vs[j]) < 0 })
		q := func(p int) string { return pricing.FormatAmount(vs[nearestRank(p, len(vs))]) }
		out = append(out, Spread{Resource: r.name, Nodes: len(vs), Min: q(0), P25: q(25), Median: q(50), P75: q(75), Max: q(100)})
	}
	return out
}

// nearestRank is the index of the p-th percentile of n sorted values: the smallest value with
// at least p% of the values at or below it.
func nearestRank(p, n int) int {
	if p <= 0 {
		return 0
	}
	return min(n-1, (p*n+99)/100-1)
}

// Packing is the allocator's last packing decision, as its GET /dec2/packing answers it.
type Packing struct {
	Decided    bool
	At         string // RFC 3339, UTC
	NodesUsed  int
	LowerBound int
	Bound      string // the argument that gave LowerBound
	Optimal    bool
	Algorithm  string
	// Stranded is capacity left on the open nodes that nothing packed could use.
	StrandedCPU, StrandedMem, StrandedDisk int64
	StrandedGPUs                           int
}

// Excess is how many nodes the packing used beyond the lower bound: 0 is as few as any
// packing could use.
func (p Packing) Excess() int { return max(0, p.NodesUsed-p.LowerBound) }
