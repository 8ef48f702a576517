package pack

import (
	"math"
	"sort"
	"strconv"
)

// The covering model over classes: items are instances grouped by what they ask, nodes are
// providers grouped by what they offer. An item class asks at most what each of its members
// asks and a node class offers at least what each of its members offers, so every packing of
// the real problem is also a packing of the class model (each node's load is a pattern of its
// class), and a lower bound of the class model bounds the real one.
type classModel struct {
	sigs  []*signature
	items []itemClass
	nodes []nodeClass
	// itemOf and nodeOf map groups and nodes to their classes (-1: none).
	itemOf []int
	nodeOf []int
}

type itemClass struct {
	dem [nScalar + 1]int64 // CPU, memory, disk and GPUs of one instance: the least any member asks
	sig int                // index into classModel.sigs
	// perNode caps the instances on one node: distinct_hosts groups allow one each, so a class
	// of k such groups allows k. 0: no cap.
	perNode int
	demand  int // instances to cover
}

type nodeClass struct {
	// cost is 1 for a node that has to be opened, 0 for one already in use.
	cost float64
	cap  [nScalar + 1]int64 // free CPU, memory, disk and GPUs: the most any member has
	feas []bool             // by signature: some member may host it
	// gpus is, by signature, the most free GPUs of that kind on a member.
	gpus  []int64
	avail int
}

// Class limits keep the master LP small enough for the dense simplex; capacities are rounded
// (items down, nodes up) on a geometric grid coarse enough to stay under them.
const (
	maxItemClasses = 160
	maxNodeClasses = 240
)

// classGrid lists the grid ratios tried, finest first. Coarser grids were tried: the rounding
// they need gives away more than the patterns gain over the cover bounds.
var classGrid = []float64{1, 1.01, 1.02, 1.04}

// gridKey is v's cell on the geometric grid of ratio r; up chooses the cell of rounding up.
func gridKey(v int64, r float64, up bool) int64 {
	if r == 1 || v <= 0 {
		return v
	}
	x := math.Log(float64(v)) / math.Log(r)
	if up {
		return int64(math.Ceil(x - 1e-9))
	}
	return int64(math.Floor(x + 1e-9))
}

// classes builds the class model for placing placed[g] instances of each group g, on the
// finest grid that keeps the classes within the limits; nil when none does.
func (m *model) classes(placed []int) *classModel {
	cm := &classModel{}
	sigIdx := map[*signature]int{}
	for g, k := range placed {
		if k == 0 {
			continue
		}
		if sig := m.groups[g].sig; sigIdx[sig] == 0 {
			cm.sigs = append(cm.sigs, sig)
			sigIdx[sig] = len(cm.sigs)
		}
	}
	fits := false
	for _, r := range classGrid {
		if cm.items, cm.itemOf = m.itemClasses(placed, sigIdx, r); len(cm.items) <= maxItemClasses {
			fits = true
			break
		}
	}
	if !fits || len(cm.items) == 0 {
		return nil
	}
	for _, r := range classGrid {
		if cm.nodes, cm.nodeOf = m.nodeClasses(cm.sigs, r); len(cm.nodes) <= maxNodeClasses {
			return cm
		}
	}
	return nil
}

func (m *model) itemClasses(placed []int, sigIdx map[*signature]int, r float64) ([]itemClass, []int) {
	var out []itemClass
	index := map[string]int{}
	of := make([]int, len(placed))
	for g, k := range placed {
		of[g] = -1
		if k == 0 {
			continue
		}
		cg := &m.groups[g]
		var dem [nScalar + 1]int64
		copy(dem[:], cg.dem[:])
		dem[nScalar] = int64(cg.gpus)
		key := strconv.Itoa(sigIdx[cg.sig]) + "/" + strconv.FormatBool(cg.distinct) + "/" + strconv.Itoa(cg.gpus)
		for d := 0; d < nScalar; d++ {
			key += "/" + strconv.FormatInt(gridKey(dem[d], r, false), 10)
		}
		i, ok := index[key]
		if !ok {
			if len(out) == maxItemClasses {
				// Too many for this grid: the caller tries a coarser one.
				return append(out, itemClass{}), of
			}
			i = len(out)
			index[key] = i
			out = append(out, itemClass{dem: dem, sig: sigIdx[cg.sig] - 1})
		}
		of[g] = i
		it := &out[i]
		for d := range dem {
			it.dem[d] = min(it.dem[d], dem[d])
		}
		if cg.distinct {
			it.perNode++
		}
		it.demand += k
	}
	return out, of
}

func (m *model) nodeClasses(sigs []*signature, r float64) ([]nodeClass, []int) {
	var out []nodeClass
	of := make([]int, len(m.nodes))
	index := map[string]int{}
	feas := make([]bool, len(sigs))
	gpus := make([]int64, len(sigs))
	for n := range m.nodes {
		c := &m.nodes[n]
		of[n] = -1
		any := false
		for s, sig := range sigs {
			feas[s] = sig.isFeas[n]
			any = any || feas[s]
			gpus[s] = int64(popcount(c.gpuFree0))
			if sig.gpuElig != nil {
				gpus[s] = int64(popcount(c.gpuFree0 & sig.gpuElig[n]))
			}
		}
		if !any {
			continue
		}
		var capv [nScalar + 1]int64
		cost := 1.0
		if c.preOpen {
			cost = 0
			copy(capv[:], c.free0[:])
		} else {
			copy(capv[:], c.cap[:])
		}
		capv[nScalar] = int64(popcount(c.gpuFree0))
		key := make([]byte, 0, 64)
		key = strconv.AppendFloat(key, cost, 'g', -1, 64)
		for d := 0; d < nScalar; d++ {
			key = strconv.AppendInt(append(key, '/'), gridKey(capv[d], r, true), 10)
		}
		key = strconv.AppendInt(append(key, '/'), capv[nScalar], 10)
		for s := range sigs {
			if !feas[s] {
				key = append(key, "/-"...)
				continue
			}
			key = strconv.AppendInt(append(key, '/'), gpus[s], 10)
		}
		i, ok := index[string(key)]
		if !ok {
			if len(out) == maxNodeClasses {
				return append(out, nodeClass{}), of
			}
			i = len(out)
			index[string(key)] = i
			out = append(out, nodeClass{cost: cost, cap: capv, feas: append([]bool(nil), feas...), gpus: append([]int64(nil), gpus...)})
		}
		of[n] = i
		nc := &out[i]
		for d := range capv {
			nc.cap[d] = max(nc.cap[d], capv[d])
		}
		nc.avail++
	}
	return out, of
}

// loads are the patterns of the nodes s uses: a feasible solution of the class model that
// column generation starts from.
func (cm *classModel) loads(s *state) []pattern {
	var out []pattern
	count := make(map[int]int32)
	for n, insts := range s.onNode {
		if len(insts) == 0 || cm.nodeOf[n] < 0 {
			continue
		}
		clear(count)
		for _, inst := range insts {
			count[cm.itemOf[s.groupOf(inst)]]++
		}
		p := pattern{class: cm.nodeOf[n]}
		for i, c := range count {
			p.rows = append(p.rows, int32(i))
			p.counts = append(p.counts, c)
		}
		// In row order, not the map's: the master's pivots, and so the LP solution that
		// price-and-round rounds, depend on it.
		sort.Sort(byRow(p))
		out = append(out, p)
	}
	return out
}

// pattern is what one node of a class holds: counts[j] instances of item class rows[j].
type pattern struct {
	class  int
	rows   []int32
	counts []int32
}

// byRow sorts a pattern's rows and counts together by row.
type byRow pattern

func (p byRow) Len() int           { return len(p.rows) }
func (p byRow) Less(a, b int) bool { return p.rows[a] < p.rows[b] }
func (p byRow) Swap(a, b int) {
	p.rows[a], p.rows[b] = p.rows[b], p.rows[a]
	p.counts[a], p.counts[b] = p.counts[b], p.counts[a]
}
