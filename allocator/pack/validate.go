package pack

import (
	"errors"
	"fmt"
)

// InputError is one thing wrong with a problem: which field, on which node or group id, and
// what to do about it. Callers (the CLI exits 2) tell it apart from internal failures.
type InputError struct {
	Field string // e.g. "groups.memory_mb"
	ID    string // the node or group id; empty when the problem as a whole is wrong
	Msg   string
}

func (e *InputError) Error() string {
	if e.ID == "" {
		return fmt.Sprintf("%s: %s", e.Field, e.Msg)
	}
	return fmt.Sprintf("%s (id %q): %s", e.Field, e.ID, e.Msg)
}

// MaxInstances bounds the instances of one problem: the packer keeps a few words per
// instance, and a count typed with extra zeros should fail fast, not exhaust memory.
const MaxInstances = 1_000_000

// maxReported keeps the error list readable on a badly broken input.
const maxReported = 20

type problems struct{ errs []error }

func (p *problems) add(field, id, format string, args ...any) {
	if len(p.errs) < maxReported {
		p.errs = append(p.errs, &InputError{Field: field, ID: id, Msg: fmt.Sprintf(format, args...)})
	}
}

func (p *problems) nonNegative(field, id string, v int64) {
	if v < 0 {
		p.add(field, id, "is %d; sizes must be zero or more", v)
	}
}

// Validate reports every problem it finds (up to 20) as *InputError values joined together.
// A group that no node could ever host — whatever is running now — is an input error too.
func (p *Problem) Validate() error {
	var ps problems
	nodeIDs := map[string]bool{}
	for i := range p.Nodes {
		n := &p.Nodes[i]
		if n.ID == "" {
			ps.add(fmt.Sprintf("nodes[%d].id", i), "", "is empty; every node needs a unique id")
		} else if nodeIDs[n.ID] {
			ps.add("nodes.id", n.ID, "is a duplicate; node ids must be unique")
		}
		nodeIDs[n.ID] = true
		ps.nonNegative("nodes.cpu_mhz", n.ID, n.CPUMHz)
		ps.nonNegative("nodes.memory_mb", n.ID, n.MemoryMB)
		ps.nonNegative("nodes.disk_mb", n.ID, n.DiskMB)
		ps.nonNegative("nodes.used.cpu_mhz", n.ID, n.Used.CPUMHz)
		ps.nonNegative("nodes.used.memory_mb", n.ID, n.Used.MemoryMB)
		ps.nonNegative("nodes.used.disk_mb", n.ID, n.Used.DiskMB)
		for _, d := range []struct {
			field     string
			used, cap int64
		}{{"cpu_mhz", n.Used.CPUMHz, n.CPUMHz}, {"memory_mb", n.Used.MemoryMB, n.MemoryMB}, {"disk_mb", n.Used.DiskMB, n.DiskMB}} {
			if d.cap >= 0 && d.used > d.cap {
				ps.add("nodes.used."+d.field, n.ID, "is %d, more than the node's capacity %d", d.used, d.cap)
			}
		}
		if n.PricePerHour < 0 {
			ps.add("nodes.price_per_hour", n.ID, "is %g; prices must be zero or more", n.PricePerHour)
		}
		if n.Reputation < 0 || n.Reputation > 1 {
			ps.add("nodes.reputation", n.ID, "is %g; reputation lies in [0, 1]", n.Reputation)
		}
		if len(n.GPUs) > maxGPUsPerNode {
			ps.add("nodes.gpus", n.ID, "lists %d GPUs; at most %d per node are supported", len(n.GPUs), maxGPUsPerNode)
		}
		gpuIDs := map[string]bool{}
		for _, g := range n.GPUs {
			if g.ID == "" {
				ps.add("nodes.gpus.id", n.ID, "a GPU has an empty id")
			} else if gpuIDs[g.ID] {
				ps.add("nodes.gpus.id", n.ID, "GPU id %q is a duplicate", g.ID)
			}
			gpuIDs[g.ID] = true
			ps.nonNegative("nodes.gpus.memory_mb", n.ID, g.MemoryMB)
		}
		usedGPU := map[string]bool{}
		for _, id := range n.UsedGPUs {
			if !gpuIDs[id] {
				ps.add("nodes.used_gpus", n.ID, "GPU %q is not among the node's gpus", id)
			} else if usedGPU[id] {
				ps.add("nodes.used_gpus", n.ID, "GPU %q is listed twice", id)
			}
			usedGPU[id] = true
		}
	}
	groupIDs := map[string]bool{}
	total := 0
	for i := range p.Groups {
		g := &p.Groups[i]
		if g.ID == "" {
			ps.add(fmt.Sprintf("groups[%d].id", i), "", "is empty; every group needs a unique id")
		} else if groupIDs[g.ID] {
			ps.add("groups.id", g.ID, "is a duplicate; group ids must be unique")
		}
		groupIDs[g.ID] = true
		if g.Count < 0 || g.Count > MaxInstances {
			ps.add("groups.count", g.ID, "is %d; it must be between 0 and %d", g.Count, MaxInstances)
		} else if total += g.Count; total > MaxInstances {
			ps.add("groups.count", g.ID, "brings the problem to more than %d instances; split it", MaxInstances)
			total = -MaxInstances * 2 // report the overflow once
		}
		ps.nonNegative("groups.cpu_mhz", g.ID, g.CPUMHz)
		ps.nonNegative("groups.memory_mb", g.ID, g.MemoryMB)
		ps.nonNegative("groups.disk_mb", g.ID, g.DiskMB)
		if g.MaxPricePerHour < 0 {
			ps.add("groups.max_price_per_hour", g.ID, "is %g; use 0 for no limit", g.MaxPricePerHour)
		}
		if g.GPU != nil {
			if g.GPU.Count < 0 {
				ps.add("groups.gpu.count", g.ID, "is %d; it must be zero or more", g.GPU.Count)
			} else if g.GPU.Count > maxGPUsPerNode {
				ps.add("groups.gpu.count", g.ID, "is %d; no node has more than %d GPUs", g.GPU.Count, maxGPUsPerNode)
			}
			ps.nonNegative("groups.gpu.min_memory_mb", g.ID, g.GPU.MinMemoryMB)
		}
		for _, c := range g.Constraints {
			if _, err := compileConstraint(c); err != nil {
				ps.add("groups.constraints", g.ID, "%v", err)
			}
		}
		for _, s := range g.Spread {
			if attributeKey(s.Attribute) == "" {
				ps.add("groups.spread.attribute", g.ID, "is empty")
			}
			if s.Max < 1 {
				ps.add("groups.spread.max", g.ID, "is %d; it must be 1 or more", s.Max)
			}
		}
	}
	if len(ps.errs) > 0 {
		return errors.Join(ps.errs...)
	}
	// Only a well-formed problem can be asked whether each group fits somewhere at all.
	for i := range p.Groups {
		g := &p.Groups[i]
		if g.Count > 0 && !p.everFits(g) {
			ps.add("groups", g.ID, "no node could ever host one instance (%s): check its size, GPU ask, constraints, tenant and max price", describeDemand(g))
		}
	}
	return errors.Join(ps.errs...)
}

// everFits says whether some node, emptied of everything running on it, could host one
// instance of g.
func (p *Problem) everFits(g *Group) bool {
	ms := mustMatchers(g)
	for i := range p.Nodes {
		n := &p.Nodes[i]
		if n.CPUMHz < g.CPUMHz || n.MemoryMB < g.MemoryMB || n.DiskMB < g.DiskMB {
			continue
		}
		if filterNode(n, g, ms) == filterNone {
			return true
		}
	}
	return false
}

func describeDemand(g *Group) string {
	s := fmt.Sprintf("cpu_mhz %d, memory_mb %d, disk_mb %d", g.CPUMHz, g.MemoryMB, g.DiskMB)
	if g.gpuCount() > 0 {
		s += fmt.Sprintf(", %d GPU", g.GPU.Count)
		if g.GPU.Model != "" {
			s += " " + g.GPU.Model
		}
		if g.GPU.MinMemoryMB > 0 {
			s += fmt.Sprintf(" with ≥ %d MB", g.GPU.MinMemoryMB)
		}
	}
	return s
}
