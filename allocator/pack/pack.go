package pack

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
)

// DefaultBudget is the time Pack spends when Options.Budget is zero.
const DefaultBudget = 200 * time.Millisecond

// Options tune Pack. The zero value is the portfolio with DefaultBudget.
type Options struct {
	// Budget bounds the whole portfolio: members (one per worker at least), restarts and
	// local search stop being started when it is spent; a member already running finishes.
	Budget time.Duration
	// Restarts caps the randomized restarts after the members (0: as many as the
	// budget allows). With a cap and a budget that does not cut the run short, Pack is
	// deterministic for a given Seed.
	Restarts int
	Seed     uint64
	// Workers run portfolio members in parallel (0: GOMAXPROCS).
	Workers int
	// Algorithms restricts the portfolio to these members (see Algorithms); empty = all.
	Algorithms []string
	// SkipExact leaves out the exact search that follows the portfolio on fleets of up to 30
	// providers, to measure the portfolio alone against the optimum.
	SkipExact bool
}

// member is one algorithm of the portfolio. deadline bounds what a member solves beyond its
// construction (price-and-round's LP); the constructions themselves run to the end.
type member struct {
	name string
	run  func(s *state, rng *rand.Rand, noise float64, deadline time.Time)
}

func itemCentric(fit func(*state, []int, []int32), key groupKey) func(*state, *rand.Rand, float64, time.Time) {
	return func(s *state, rng *rand.Rand, noise float64, _ time.Time) {
		fit(s, groupOrder(s.m, key, rng, noise), nodeOrder(s.m, rng, noise))
	}
}

// binCentric builds a bin-centric member; with gpus, GPU instances are packed first.
func binCentric(align alignment, knapsack, gpus bool) func(*state, *rand.Rand, float64, time.Time) {
	return func(s *state, rng *rand.Rand, noise float64, _ time.Time) {
		if gpus {
			gpuFirst(s, groupOrder(s.m, byDominant, rng, noise), false)
		}
		binFill(s, nodeOrder(s.m, rng, noise), align, knapsack)
	}
}

// gpuSnug places GPU work on the smallest rigs that hold it, then the rest first fit
// decreasing, opening rigs only when plain nodes are used up: idle GPUs on open nodes are
// stranded capacity no other work can use.
func gpuSnug(s *state, rng *rand.Rand, noise float64, _ time.Time) {
	gorder := groupOrder(s.m, byDominant, rng, noise)
	gpuFirst(s, gorder, true)
	firstFit(s, gorder, gpuLast(s, nodeOrder(s.m, rng, noise)))
}

// portfolio lists the members in the order they are handed out, the ones that won most often
// on generated mixes first, since a short budget on a large fleet may leave time for only a few.
// Price-and-round comes second, but only where the class model fits (see Pack).
var portfolio = []member{
	{"l2-norm-gpu-first", binCentric(l2Norm, false, true)},
	{priceAndRoundName, priceAndRound},
	{"ffd-dominant", itemCentric(firstFit, byDominant)},
	{"dot-product-gpu-first", binCentric(dotProduct, false, true)},
	{"ffd-sum", itemCentric(firstFit, bySum)},
	{"bfd-dominant", itemCentric(bestFit, byDominant)},
	{"knapsack", binCentric(dotProduct, true, false)},
	{"dot-product", binCentric(dotProduct, false, false)},
	{"l2-norm", binCentric(l2Norm, false, false)},
	{"ffd-prod", itemCentric(firstFit, byProduct)},
	{"ffd-gpu-snug", gpuSnug},
}

// Algorithms lists the portfolio members by name.
func Algorithms() []string {
	out := make([]string, len(portfolio))
	for i, m := range portfolio {
		out[i] = m.name
	}
	return out
}

// score orders solutions by the objective: everything placeable placed, fewest nodes in
// use, least stranded capacity, lowest cost.
type score struct {
	placed   int
	opened   int
	stranded float64
	cost     float64
}

func (a score) better(b score) bool {
	if a.placed != b.placed {
		return a.placed > b.placed
	}
	if a.opened != b.opened {
		return a.opened < b.opened
	}
	if math.Abs(a.stranded-b.stranded) > 1e-9 {
		return a.stranded < b.stranded
	}
	return a.cost < b.cost-1e-9
}

type candidate struct {
	s     *state
	score score
	name  string
	seq   int
}

// finalShare is the percentage of the budget kept for the final node replacement.
const finalShare = 15

// exactShare is the percentage of the budget kept for the exact search on small fleets, where
// restarts of the portfolio rarely find anything the first pass missed.
const exactShare = 50

// repackShare is the percentage of the budget kept for the neighbourhood search (repack) on
// fleets too large for the exact search: on 10,000 providers it closes more nodes than the
// restarts it displaces.
const repackShare = 30

// growShare is the percentage of the budget kept for growing nodes (growNodes) on fleets too
// large for the exact search, before repack: on 10,000 providers it closes more nodes than
// anything after the members.
const growShare = 20

// restartNoise is how much restarts perturb the sort keys of their member.
const restartNoise = 0.3

// Pack places the problem's groups on its nodes. It validates the problem first and returns
// the *InputError values Validate reports. Pack does no I/O.
func Pack(ctx context.Context, p Problem, opt Options) (Result, error) {
	start := time.Now()
	if err := p.Validate(); err != nil {
		return Result{}, err
	}
	members, err := selectMembers(opt.Algorithms)
	if err != nil {
		return Result{}, err
	}
	budget := opt.Budget
	if budget <= 0 {
		budget = DefaultBudget
	}
	deadline := start.Add(budget)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	// The last part of the budget is kept for replacing nodes in the best solution, and before
	// it for the exact search on small fleets, growing nodes and the neighbourhood search on
	// the others.
	reserve := finalShare
	exact := !opt.SkipExact && len(p.Nodes) <= exactMaxNodes
	if exact {
		reserve += exactShare
	} else {
		reserve += growShare + repackShare
	}
	searchEnd := deadline.Add(-time.Until(deadline) * time.Duration(reserve) / 100)
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	m := newModel(&p)
	if len(opt.Algorithms) == 0 && !m.hasClassModel() {
		// Price-and-round would be its greedy alone, which l2-norm-gpu-first already is.
		members = slices.DeleteFunc(slices.Clone(members), func(mb member) bool { return mb.name == priceAndRoundName })
	}
	// Price-and-round's LP gets the time the bound's column generation would, which then
	// reuses it.
	lpEnd := start.Add(budget * boundShare / 100)
	if lpEnd.After(searchEnd) {
		lpEnd = searchEnd
	}

	var (
		mu   sync.Mutex
		best *candidate
		seq  int
	)
	// next hands out work: the members in order, then restarts, while time is left.
	next := func() (int, bool) {
		mu.Lock()
		defer mu.Unlock()
		k := seq
		// Every worker gets one member whatever the time; after that the budget decides.
		if k >= workers && (ctx.Err() != nil || time.Now().After(searchEnd)) {
			return 0, false
		}
		if k >= len(members) && opt.Restarts > 0 && k >= len(members)+opt.Restarts {
			return 0, false
		}
		seq++
		return k, true
	}
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				k, ok := next()
				if !ok {
					return
				}
				mem, noise := members[k%len(members)], 0.0
				if k >= len(members) {
					noise = restartNoise
				}
				rng := rand.New(rand.NewPCG(opt.Seed, uint64(k)))
				s := newState(m)
				mem.run(s, rng, noise, lpEnd)
				localSearch(s, searchEnd)
				c := &candidate{s: s, score: s.score(), name: mem.name, seq: k}
				if k >= len(members) {
					c.name += "+restart"
				}
				mu.Lock()
				if best == nil || c.score.better(best.score) || (!best.score.better(c.score) && c.seq < best.seq) {
					best = c
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	// Running members may overrun a short budget on a large fleet; the replacement still
	// gets its share.
	if !exact && ctx.Err() == nil {
		growEnd := later(searchEnd.Add(budget*growShare/100), time.Now().Add(budget*growShare/100))
		growNodes(best.s, growEnd)
		repack(best.s, later(growEnd.Add(budget*repackShare/100), time.Now().Add(budget*repackShare/100)))
	}
	replaceNodes(best.s, later(searchEnd.Add(budget*(growShare+repackShare+finalShare)/100), time.Now().Add(budget*finalShare/100)))
	bound := bestBound(best.s, time.Now().Add(budget*boundShare/100))
	if exact && best.s.opened > bound.nodes && ctx.Err() == nil {
		lim := exactLimits{
			beat: best.s.opened, floor: bound.nodes, lp: true, visits: exactVisits,
			deadline: later(deadline, time.Now().Add(budget*exactShare/100)),
		}
		// Node sets first, for half the time: they settle in milliseconds some problems the
		// search over instances needs seconds for; the search then finds what improvements it can.
		sets := lim
		sets.deadline = time.Now().Add(time.Until(lim.deadline) / 2)
		r := proveBySubsets(m, best.s.placedPerGroup(), sets)
		if !r.proven {
			r = solveExact(m, best.s.placedPerGroup(), lim)
		}
		if r.s != nil {
			// Fewer nodes than the portfolio's: the replacement only tidies stranded capacity.
			replaceNodes(r.s, time.Time{})
			best = &candidate{s: r.s, name: "exact"}
		}
		if r.proven {
			bound = boundResult{r.nodes, boundExact}
		}
	}
	res := best.s.result()
	res.Stats.Algorithm = best.name
	res.setBound(bound)
	res.Stats.ElapsedMS = float64(time.Since(start).Microseconds()) / 1000
	return res, nil
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func selectMembers(names []string) ([]member, error) {
	if len(names) == 0 {
		return portfolio, nil
	}
	var out []member
	for _, n := range names {
		found := false
		for _, m := range portfolio {
			if m.name == n {
				out = append(out, m)
				found = true
			}
		}
		if !found {
			return nil, &InputError{Field: "algorithms", Msg: fmt.Sprintf("%q is not one of %v", n, Algorithms())}
		}
	}
	return out, nil
}

// unplacedGroups lists the groups with an instance left over.
func (s *state) unplacedGroups() []int {
	var out []int
	for g := range s.m.groups {
		for i := s.m.base[g]; i < s.m.base[g+1]; i++ {
			if s.node[i] < 0 {
				out = append(out, g)
				break
			}
		}
	}
	return out
}

// stranded is the free capacity on open nodes that no unplaced instance fits into.
func (s *state) stranded() Stranded {
	var out Stranded
	left := s.unplacedGroups()
nodes:
	for n := range s.m.nodes {
		if !s.isOpen(n) {
			continue
		}
		for _, g := range left {
			if s.m.groups[g].sig.isFeas[n] && s.fits(g, n) {
				continue nodes
			}
		}
		out.CPUMHz += s.free[n][dimCPU]
		out.MemoryMB += s.free[n][dimMem]
		out.DiskMB += s.free[n][dimDisk]
		out.GPUs += popcount(s.gpuFree[n])
	}
	return out
}

func (s *state) cost() float64 {
	c := 0.0
	for inst, n := range s.node {
		if n >= 0 {
			c += instancePrice(&s.m.p.Nodes[n], s.m.groups[s.groupOf(int32(inst))].g)
		}
	}
	return c
}

func (s *state) score() score {
	st := s.stranded()
	return score{
		placed: s.placed(),
		opened: s.opened,
		stranded: float64(st.CPUMHz)/s.m.norm[dimCPU] + float64(st.MemoryMB)/s.m.norm[dimMem] +
			float64(st.DiskMB)/s.m.norm[dimDisk] + float64(st.GPUs)/s.m.norm[nScalar],
		cost: s.cost(),
	}
}

// result turns the assignment into the output form, with a reason for every unplaced group.
func (s *state) result() Result {
	res := Result{Placements: []Placement{}, Unplaced: []Unplaced{}}
	for g := range s.m.groups {
		grp := s.m.groups[g].g
		missing := 0
		for i := s.m.base[g]; i < s.m.base[g+1]; i++ {
			n := s.node[i]
			if n < 0 {
				missing++
				continue
			}
			node := &s.m.p.Nodes[n]
			pl := Placement{Group: grp.ID, Index: i - s.m.base[g], Node: node.ID}
			for j := range node.GPUs {
				if s.gpus[i]&(1<<uint(j)) != 0 {
					pl.GPUs = append(pl.GPUs, node.GPUs[j].ID)
				}
			}
			res.Placements = append(res.Placements, pl)
		}
		if missing > 0 {
			res.Unplaced = append(res.Unplaced, Unplaced{Group: grp.ID, Count: missing, Reason: s.explain(g, missing)})
		}
	}
	res.Stats.NodesUsed = s.opened
	res.Stats.Stranded = s.stranded()
	res.Stats.CostPerHour = s.cost()
	return res
}

// explain says why missing instances of g found no node, the way Nomad's placement
// metrics do: nodes each filter removed, then which dimension ran out on the rest.
func (s *state) explain(g, missing int) string {
	cg := &s.m.groups[g]
	grp := cg.g
	ms := mustMatchers(grp)
	filtered := map[int]int{}
	why := map[int]int{}
	for n := range s.m.p.Nodes {
		if f := filterNode(&s.m.p.Nodes[n], grp, ms); f != filterNone {
			filtered[f]++
			continue
		}
		why[s.why(g, n)]++
	}
	parts := []string{fmt.Sprintf("%d of %d instances unplaced; %d nodes evaluated", missing, grp.Count, len(s.m.p.Nodes))}
	codes := make([]int, 0, len(filtered))
	for f := range filtered {
		codes = append(codes, f)
	}
	sort.Ints(codes)
	for _, f := range codes {
		k := filtered[f]
		switch {
		case f == filterTenant:
			parts = append(parts, fmt.Sprintf("dedicated to another tenant: %d nodes", k))
		case f == filterPrice:
			parts = append(parts, fmt.Sprintf("max price %g/h filtered %d nodes", grp.MaxPricePerHour, k))
		case f == filterGPUModel:
			parts = append(parts, fmt.Sprintf("no matching GPUs (%d × %q, ≥ %d MB) on %d nodes", grp.GPU.Count, grp.GPU.Model, grp.GPU.MinMemoryMB, k))
		default:
			parts = append(parts, fmt.Sprintf("constraint %q filtered %d nodes", ms[f-filterConstraint].desc, k))
		}
	}
	for d := 0; d <= nScalar; d++ {
		if k := why[d]; k > 0 {
			parts = append(parts, fmt.Sprintf("%s exhausted on %d nodes", dimNames[d], k))
		}
	}
	if k := why[whyDistinct]; k > 0 {
		parts = append(parts, fmt.Sprintf("distinct_hosts filtered %d nodes", k))
	}
	if k := why[whySpread]; k > 0 {
		parts = append(parts, fmt.Sprintf("spread limit reached on %d nodes", k))
	}
	if k := why[whyFits]; k > 0 {
		parts = append(parts, fmt.Sprintf("%d nodes still fit but were not chosen", k))
	}
	return strings.Join(parts, "; ")
}
