package pack

import (
	"math"
	"math/bits"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// maxGPUsPerNode bounds GPUs per node so a node's free GPUs fit one bit mask.
const maxGPUsPerNode = 64

// Scalar dimensions, in the order of the vec arrays below.
const (
	dimCPU = iota
	dimMem
	dimDisk
	nScalar
)

var dimNames = [nScalar + 1]string{"cpu", "memory", "disk", "gpus"}

type vec [nScalar]int64

// filter codes say why a node can never host a group (before capacity is looked at).
const (
	filterNone = iota
	filterTenant
	filterPrice
	filterGPUModel
	filterConstraint // + index of the first failing constraint
)

// model is a problem compiled for packing: dense indices, static feasibility shared between
// groups that ask the same of a node, and the starting state of every node.
type model struct {
	p      *Problem
	nodes  []cnode
	groups []cgroup
	// base[g] is the index of group g's first instance; instances are numbered densely.
	base      []int
	instances int
	instGroup []int32 // group of each instance
	// norm[d] scales dimension d to a node-sized unit (the largest capacity) for scoring.
	norm [nScalar + 1]float64
	// lp keeps the class model's covering LP last solved (see solveClassLP).
	lp *lpCache
}

// lpCache holds the class LP of a model between the goroutines of one Pack.
type lpCache struct {
	mu sync.Mutex
	lp *classLP
}

type cnode struct {
	cap      vec
	free0    vec
	gpuFree0 uint64 // healthy GPUs not in use at the start
	gpuCap   int    // healthy GPUs in all
	preOpen  bool   // something already runs here, so it counts as used whatever we do
	size     float64
	gpuOrder []int // GPU indices by memory, smallest first: small asks take small devices
}

type cgroup struct {
	g        *Group
	dem      vec
	gpus     int
	distinct bool
	spreads  []spreadLimit
	sig      *signature
	// size is the dominant share of one instance against the largest node, for sorting.
	size float64
	sum  float64
	prod float64
}

type spreadLimit struct {
	key string
	max int
}

// signature holds what groups with the same constraints, tenant, GPU ask and price limit
// share: the nodes that may ever host them, and which GPUs on each of those match.
type signature struct {
	feasible []int32  // node indices, in ascending order
	isFeas   []bool   // by node index
	gpuElig  []uint64 // by node index; only for groups asking for GPUs
	gpuAsk   int      // GPUs each instance of these groups takes
}

func gpuMatches(a *GPUAsk, d GPU) bool {
	return (a.Model == "" || a.Model == d.Model) && d.MemoryMB >= a.MinMemoryMB
}

// matchingGPUs counts n's GPUs of the asked kind, healthy or not.
func matchingGPUs(a *GPUAsk, n *Node) int {
	have := 0
	for _, d := range n.GPUs {
		if gpuMatches(a, d) {
			have++
		}
	}
	return have
}

func mustMatchers(g *Group) []matcher {
	ms := make([]matcher, 0, len(g.Constraints))
	for _, c := range g.Constraints {
		m, err := compileConstraint(c)
		if err != nil {
			// Validate refuses such problems before they reach here.
			panic("pack: constraint not validated: " + err.Error())
		}
		ms = append(ms, m)
	}
	return ms
}

// instancePrice is what one instance of g costs per hour on n: the node's price times the
// largest share of the node it takes.
func instancePrice(n *Node, g *Group) float64 {
	share := 0.0
	for _, f := range [][2]int64{{g.CPUMHz, n.CPUMHz}, {g.MemoryMB, n.MemoryMB}, {g.DiskMB, n.DiskMB}, {int64(g.gpuCount()), int64(len(n.GPUs))}} {
		if f[0] > 0 && f[1] > 0 {
			share = math.Max(share, float64(f[0])/float64(f[1]))
		}
	}
	return n.PricePerHour * share
}

// filterNode says why n can never host g, or filterNone.
func filterNode(n *Node, g *Group, ms []matcher) int {
	if n.DedicatedTenant != "" && n.DedicatedTenant != g.Tenant {
		return filterTenant
	}
	for i, m := range ms {
		if !m.match(n) {
			return filterConstraint + i
		}
	}
	if g.MaxPricePerHour > 0 && instancePrice(n, g) > g.MaxPricePerHour {
		return filterPrice
	}
	if k := g.gpuCount(); k > 0 && matchingGPUs(g.GPU, n) < k {
		return filterGPUModel
	}
	return filterNone
}

func newModel(p *Problem) *model {
	m := &model{p: p, nodes: make([]cnode, len(p.Nodes)), groups: make([]cgroup, len(p.Groups)), base: make([]int, len(p.Groups)+1), lp: &lpCache{}}
	for i := range p.Nodes {
		n := &p.Nodes[i]
		c := &m.nodes[i]
		c.cap = vec{n.CPUMHz, n.MemoryMB, n.DiskMB}
		c.free0 = vec{n.CPUMHz - n.Used.CPUMHz, n.MemoryMB - n.Used.MemoryMB, n.DiskMB - n.Used.DiskMB}
		used := map[string]bool{}
		for _, id := range n.UsedGPUs {
			used[id] = true
		}
		for j, d := range n.GPUs {
			if d.Healthy {
				c.gpuCap++
				if !used[d.ID] {
					c.gpuFree0 |= 1 << uint(j)
				}
			}
			c.gpuOrder = append(c.gpuOrder, j)
		}
		sort.SliceStable(c.gpuOrder, func(a, b int) bool { return n.GPUs[c.gpuOrder[a]].MemoryMB < n.GPUs[c.gpuOrder[b]].MemoryMB })
		c.preOpen = n.Used != (Resources{}) || len(n.UsedGPUs) > 0
		for d := 0; d < nScalar; d++ {
			m.norm[d] = math.Max(m.norm[d], float64(c.cap[d]))
		}
		m.norm[nScalar] = math.Max(m.norm[nScalar], float64(c.gpuCap))
	}
	for d := range m.norm {
		if m.norm[d] == 0 {
			m.norm[d] = 1
		}
	}
	m.setSizes()
	sigs := map[string]*signature{}
	for gi := range p.Groups {
		g := &p.Groups[gi]
		cg := &m.groups[gi]
		cg.g = g
		cg.dem = vec{g.CPUMHz, g.MemoryMB, g.DiskMB}
		cg.gpus = g.gpuCount()
		cg.distinct = g.DistinctHosts
		for _, s := range g.Spread {
			cg.spreads = append(cg.spreads, spreadLimit{attributeKey(s.Attribute), s.Max})
		}
		cg.prod = 1
		for d := 0; d <= nScalar; d++ {
			x := float64(cg.gpus) / m.norm[d]
			if d < nScalar {
				x = float64(cg.dem[d]) / m.norm[d]
			}
			cg.size = math.Max(cg.size, x)
			cg.sum += x
			if x > 0 {
				cg.prod *= x
			}
		}
		key := signatureKey(g)
		sig := sigs[key]
		if sig == nil {
			sig = m.compileSignature(g)
			sigs[key] = sig
		}
		cg.sig = sig
		m.base[gi+1] = m.base[gi] + g.Count
	}
	m.instances = m.base[len(p.Groups)]
	m.instGroup = make([]int32, m.instances)
	for g := range m.groups {
		for i := m.base[g]; i < m.base[g+1]; i++ {
			m.instGroup[i] = int32(g)
		}
	}
	return m
}

// setSizes sets each node's size, the order constructive passes open nodes in: its
// capacity summed over dimensions, each scaled by the fleet's largest. GPUs count as a
// dimension, so GPU nodes come early and are filled with other work as well; weighting
// dimensions by demand instead (tried) opened GPU nodes late, for GPU work alone.
func (m *model) setSizes() {
	for i := range m.nodes {
		c := &m.nodes[i]
		for d := 0; d < nScalar; d++ {
			c.size += float64(c.cap[d]) / m.norm[d]
		}
		c.size += float64(c.gpuCap) / m.norm[nScalar]
	}
}

// signatureKey names what static feasibility depends on; groups with equal keys share it.
func signatureKey(g *Group) string {
	var b strings.Builder
	b.WriteString(g.Tenant)
	for _, c := range g.Constraints {
		b.WriteString("\x00" + attributeKey(c.Attribute) + "\x01" + c.Operator + "\x01" + c.Value)
	}
	if g.GPU != nil && g.GPU.Count > 0 {
		b.WriteString("\x00gpu\x01" + g.GPU.Model + "\x01" + strconv.FormatInt(g.GPU.MinMemoryMB, 10) + "\x01" + strconv.Itoa(g.GPU.Count))
	}
	if g.MaxPricePerHour > 0 {
		// The price of an instance depends on its size, so such groups share nothing.
		b.WriteString("\x00price\x01" + g.ID)
	}
	return b.String()
}

func (m *model) compileSignature(g *Group) *signature {
	ms := mustMatchers(g)
	s := &signature{isFeas: make([]bool, len(m.nodes))}
	if g.gpuCount() > 0 {
		s.gpuElig = make([]uint64, len(m.nodes))
		s.gpuAsk = g.gpuCount()
	}
	for i := range m.p.Nodes {
		n := &m.p.Nodes[i]
		if filterNode(n, g, ms) != filterNone {
			continue
		}
		if s.gpuElig != nil {
			for j, d := range n.GPUs {
				if gpuMatches(g.GPU, d) {
					s.gpuElig[i] |= 1 << uint(j)
				}
			}
		}
		s.feasible = append(s.feasible, int32(i))
		s.isFeas[i] = true
	}
	return s
}

// pickGPUs chooses k of the free GPUs in mask, smallest memory first.
func (c *cnode) pickGPUs(mask uint64, k int) uint64 {
	var out uint64
	for _, j := range c.gpuOrder {
		if k == 0 {
			break
		}
		if mask&(1<<uint(j)) != 0 {
			out |= 1 << uint(j)
			k--
		}
	}
	return out
}

func popcount(x uint64) int { return bits.OnesCount64(x) }
