package rewrite

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/hashicorp/nomad/api"

	"github.com/dec2-cloud/dec2/allocator/pack"
)

// Nomad's defaults for what a job leaves out (api.Job.Canonicalize).
const (
	defaultCPU      = 100
	defaultMemoryMB = 300
	defaultDiskMB   = 300
)

// Packable says whether the allocator places job itself: service and batch jobs that opted in
// (or all of them with packAll). Periodic and parameterized jobs are templates whose children
// Nomad launches later; pinning them would pin every child to today's choice.
func Packable(job *api.Job, packAll bool) bool {
	if job == nil {
		return false
	}
	if !packAll && (job.Meta == nil || job.Meta[MetaPack] != "true") {
		return false
	}
	if job.Periodic != nil || job.ParameterizedJob != nil {
		return false
	}
	t := api.JobTypeService
	if job.Type != nil && *job.Type != "" {
		t = *job.Type
	}
	return t == api.JobTypeService || t == api.JobTypeBatch
}

// Group turns one task group of job into what the packer places: per-instance demand summed
// over its tasks, the job's datacenters, node pool and constraints with the group's and its
// tasks', the namespace as tenant, and the job's price limit. nodes resolve the ordering
// operators (<, >, …) the packer lacks into the set of node ids that pass them.
func Group(job *api.Job, tg *api.TaskGroup, count int, nodes []pack.Node) (pack.Group, error) {
	name := ""
	if tg.Name != nil {
		name = *tg.Name
	}
	g := pack.Group{ID: name, Count: count, Tenant: namespace(job)}
	where := fmt.Sprintf("group %q", name)
	if v := job.Meta[MetaMaxPrice]; v != "" {
		if err := checkKey(MetaMaxPrice, v); err != nil {
			return g, err
		}
		g.MaxPricePerHour, _ = strconv.ParseFloat(strings.TrimSpace(v), 64)
	}
	g.DiskMB = defaultDiskMB
	if tg.EphemeralDisk != nil && tg.EphemeralDisk.SizeMB != nil {
		g.DiskMB = int64(*tg.EphemeralDisk.SizeMB)
	}
	cons := append([]*api.Constraint{}, job.Constraints...)
	cons = append(cons, tg.Constraints...)
	if len(tg.Tasks) == 0 {
		return g, fmt.Errorf("%s has no tasks", where)
	}
	for _, t := range tg.Tasks {
		if t == nil {
			continue
		}
		cons = append(cons, t.Constraints...)
		cpu, mem := int64(defaultCPU), int64(defaultMemoryMB)
		if r := t.Resources; r != nil {
			if r.Cores != nil && *r.Cores > 0 {
				return g, fmt.Errorf("%s task %q reserves whole cores; dec2 packs CPU in MHz: use resources.cpu instead", where, t.Name)
			}
			if r.CPU != nil {
				cpu = int64(*r.CPU)
			}
			if r.MemoryMB != nil {
				mem = int64(*r.MemoryMB)
			}
			for _, d := range r.Devices {
				if err := addDevice(&g, d); err != nil {
					return g, fmt.Errorf("%s task %q: %w", where, t.Name, err)
				}
			}
		}
		if cpu < 0 || mem < 0 {
			return g, fmt.Errorf("%s task %q asks for negative resources (cpu %d, memory %d)", where, t.Name, cpu, mem)
		}
		g.CPUMHz += cpu
		g.MemoryMB += mem
	}
	if dcs := job.Datacenters; len(dcs) > 0 && !(len(dcs) == 1 && dcs[0] == "*") {
		g.Constraints = append(g.Constraints, pack.Constraint{Attribute: "datacenter", Operator: "regexp", Value: globsRegexp(dcs)})
	}
	pool := api.NodePoolDefault
	if job.NodePool != nil && *job.NodePool != "" {
		pool = *job.NodePool
	}
	if pool != api.NodePoolAll {
		g.Constraints = append(g.Constraints, pack.Constraint{Attribute: "node_pool", Operator: "=", Value: pool})
	}
	for _, c := range cons {
		if c == nil {
			continue
		}
		if err := addConstraint(&g, c, nodes); err != nil {
			return g, fmt.Errorf("%s: %w", where, err)
		}
	}
	return g, nil
}

func namespace(job *api.Job) string {
	if job.Namespace == nil || *job.Namespace == "" {
		return api.DefaultNamespace
	}
	return *job.Namespace
}

func addConstraint(g *pack.Group, c *api.Constraint, nodes []pack.Node) error {
	op := c.Operand
	if op == "" {
		op = "="
	}
	switch op {
	case "distinct_hosts":
		g.DistinctHosts = g.DistinctHosts || c.RTarget == "" || c.RTarget == "true"
	case "distinct_property":
		limit := 1
		if c.RTarget != "" {
			n, err := strconv.Atoi(c.RTarget)
			if err != nil || n < 1 {
				return fmt.Errorf("distinct_property on %s has limit %q; give a whole number ≥ 1", c.LTarget, c.RTarget)
			}
			limit = n
		}
		g.Spread = append(g.Spread, pack.Spread{Attribute: c.LTarget, Max: limit})
	case "<", "<=", ">", ">=":
		var ids []string
		key := strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(c.LTarget), "${"), "}")
		for i := range nodes {
			if v, ok := attribute(&nodes[i], key); ok && ordered(op, v, c.RTarget) {
				ids = append(ids, nodes[i].ID)
			}
		}
		// No node passing is expressed as a set no node id is in, so the packer names the reason.
		g.Constraints = append(g.Constraints, pack.Constraint{Attribute: nodeIDTarget, Operator: "set_contains_any",
			Value: strings.Join(append(ids, fmt.Sprintf("(%s %s %s)", key, op, c.RTarget)), ",")})
	default:
		g.Constraints = append(g.Constraints, pack.Constraint{Attribute: c.LTarget, Operator: op, Value: c.RTarget})
	}
	return nil
}

// attribute reads a constraint target from a packer node the way the packer does.
func attribute(n *pack.Node, key string) (string, bool) {
	switch key {
	case "node.unique.id":
		return n.ID, true
	case "node.datacenter":
		key = "datacenter"
	case "node.pool":
		key = "node_pool"
	case "node.region":
		key = "region"
	}
	v, ok := n.Attributes[key]
	return v, ok
}

// ordered compares as Nomad does: as numbers when both sides are, else as strings.
func ordered(op, l, r string) bool {
	lf, errL := strconv.ParseFloat(l, 64)
	rf, errR := strconv.ParseFloat(r, 64)
	var cmp int
	switch {
	case errL == nil && errR == nil:
		cmp = compare(lf, rf)
	default:
		cmp = strings.Compare(l, r)
	}
	switch op {
	case "<":
		return cmp < 0
	case "<=":
		return cmp <= 0
	case ">":
		return cmp > 0
	}
	return cmp >= 0
}

func compare(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// addDevice folds a device request into the group's GPU ask. Names are Nomad's:
// "gpu", "<vendor>/gpu" or "<vendor>/gpu/<model>" (gpu-share likewise).
func addDevice(g *pack.Group, d *api.RequestedDevice) error {
	if d == nil {
		return nil
	}
	parts := strings.Split(d.Name, "/")
	typ, model := "", ""
	switch len(parts) {
	case 1:
		typ = parts[0]
	case 2:
		typ = parts[1]
	case 3:
		typ, model = parts[1], parts[2]
	}
	if typ != "gpu" && typ != "gpu-share" {
		return fmt.Errorf("device %q is not a GPU; dec2 packs only gpu and gpu-share devices", d.Name)
	}
	count := 1
	if d.Count != nil {
		count = int(*d.Count)
	}
	if g.GPU == nil {
		g.GPU = &pack.GPUAsk{}
	} else if g.GPU.Model != model {
		return fmt.Errorf("tasks of one group ask for GPU models %q and %q; dec2 packs one model per group", g.GPU.Model, model)
	}
	g.GPU.Count += count
	g.GPU.Model = model
	for _, c := range d.Constraints {
		if c == nil || strings.TrimSpace(c.LTarget) != "${device.attr.memory}" {
			continue
		}
		if c.Operand != ">=" && c.Operand != ">" {
			continue
		}
		mb, err := memoryMB(c.RTarget)
		if err != nil {
			return fmt.Errorf("device %q memory constraint: %w", d.Name, err)
		}
		g.GPU.MinMemoryMB = max(g.GPU.MinMemoryMB, mb)
	}
	return nil
}

// memoryMB reads "40 GiB", "40960 MiB" or "40960" (MiB) as MiB.
func memoryMB(s string) (int64, error) {
	f := strings.Fields(s)
	if len(f) == 0 || len(f) > 2 {
		return 0, fmt.Errorf("%q is not a size such as \"40 GiB\"", s)
	}
	v, err := strconv.ParseFloat(f[0], 64)
	if err != nil || v < 0 {
		return 0, fmt.Errorf("%q is not a size such as \"40 GiB\"", s)
	}
	unit := "mib"
	if len(f) == 2 {
		unit = strings.ToLower(f[1])
	}
	switch unit {
	case "mib", "mb":
	case "gib", "gb":
		v *= 1024
	case "tib", "tb":
		v *= 1024 * 1024
	default:
		return 0, fmt.Errorf("%q has unit %q; use MiB, GiB or TiB", s, f[1])
	}
	return int64(v), nil
}

// globsRegexp turns Nomad's datacenter globs into one anchored regular expression.
func globsRegexp(globs []string) string {
	alts := make([]string, len(globs))
	for i, g := range globs {
		q := regexp.QuoteMeta(g)
		q = strings.ReplaceAll(q, `\*`, ".*")
		alts[i] = strings.ReplaceAll(q, `\?`, ".")
	}
	return "^(" + strings.Join(alts, "|") + ")$"
}
