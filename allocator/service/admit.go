package service

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/hashicorp/nomad/api"

	"github.com/dec2-cloud/dec2/allocator/nomadstate"
	"github.com/dec2-cloud/dec2/allocator/pack"
	"github.com/dec2-cloud/dec2/allocator/reserve"
	"github.com/dec2-cloud/dec2/allocator/rewrite"
)

// admission is one job the allocator is asked to place.
type admission struct {
	job   *api.Job // as the user wrote it, namespace filled in
	prev  *rewrite.Plan
	token string
	// sameSpec lists groups known unchanged whatever their hash says (a scale of a job read
	// back from Nomad); their recorded hash is kept.
	sameSpec map[string]bool
	// hold: promise the new instances' capacity until Nomad shows them (register, scale; not plan).
	hold bool
}

// decision is the allocator's answer: the pinned job and, when holding, the ticket to settle.
type decision struct {
	job    *api.Job
	plan   *rewrite.Plan
	result pack.Result
	ticket *pending
	// placed counts instances the packer placed now; kept those left where they were.
	placed, kept int
}

// refusal is an answer in Nomad's form: a status and a plain-text message.
type refusal struct {
	code int
	msg  string
}

func (r *refusal) Error() string { return r.msg }

func refuse(code int, format string, args ...any) *refusal {
	return &refusal{code: code, msg: "dec2-allocator: " + fmt.Sprintf(format, args...)}
}

// pending is a registration's holds until Nomad answers.
type pending struct{ ticket reserve.Ticket }

type ticketKey struct{}

// decide packs what changed in a.job against the model and holds, pins the job, and (with
// a.hold) holds the new instances' capacity. The model, packing and holds happen in one
// critical section.
func (s *Server) decide(ctx context.Context, a admission) (*decision, error) {
	job := a.job
	id := *job.ID
	ns := *job.Namespace
	visible, err := s.visible.nodes(ctx, a.token, s.now())
	if errors.Is(err, errNoNodeRead) {
		return nil, refuse(http.StatusForbidden, "%v", err)
	} else if err != nil {
		return nil, refuse(http.StatusBadGateway, "Nomad at %s: %v", s.cfg.NomadAddr, err)
	}
	select {
	case <-s.fleet.ready:
	case <-ctx.Done():
		return nil, refuse(http.StatusServiceUnavailable, "gave up waiting for the model of the region: %v", ctx.Err())
	}

	f := s.fleet
	f.mu.Lock()
	defer f.mu.Unlock()
	f.expireLocked(s.now())
	usable := func(node string) bool {
		n, ok := f.model.Node(node)
		return ok && n.Schedulable && visible[node]
	}

	running := map[[2]string]int{} // (the user's group, node) → live allocations of this job
	groupAllocs := map[string][]*nomadstate.Alloc{}
	if a.prev != nil {
		f.model.JobAllocs(ns, id, func(al *nomadstate.Alloc) {
			if g, ok := a.prev.Owner(al.TaskGroup); ok {
				running[[2]string{g, al.NodeID}]++
				groupAllocs[g] = append(groupAllocs[g], al)
			}
		})
	}
	type work struct {
		tg    *api.TaskGroup
		kept  rewrite.Placement
		delta int
	}
	final := map[string]rewrite.Placement{}
	hashes := map[string]string{}
	repacked := map[string]bool{} // the user's groups whose running instances will be replaced
	var todo []work
	for _, tg := range job.TaskGroups {
		name := *tg.Name
		need := 1
		if tg.Count != nil {
			need = *tg.Count
		}
		if need < 0 {
			return nil, refuse(http.StatusBadRequest, "group %q of job %q has count %d; counts are zero or more", name, id, need)
		}
		gp := a.prev.Group(name)
		if gp == nil || (gp.Hash != rewrite.GroupHash(job, tg) && !a.sameSpec[name]) {
			repacked[name] = true
			todo = append(todo, work{tg: tg, kept: rewrite.Placement{}, delta: need})
			continue
		}
		if a.sameSpec[name] {
			hashes[name] = gp.Hash
		}
		// Only instances Nomad runs now stay put; the rest (a stopped job resubmitted, a lost
		// node) are packed again.
		kept := rewrite.Placement{}
		for n, c := range gp.Placement() {
			if k := min(c, running[[2]string{name, n}]); k > 0 && usable(n) {
				kept[n] = k
			}
		}
		if kept.Total() >= need {
			if pl, ok := dropLikeNomad(gp, groupAllocs[name], need); ok {
				final[name] = pl
			} else {
				final[name] = shrink(kept, need)
			}
			continue
		}
		todo = append(todo, work{tg: tg, kept: kept, delta: need - kept.Total()})
	}

	var owner func(string) (string, bool)
	if a.prev != nil {
		owner = a.prev.Owner
	} else {
		owner = func(tg string) (string, bool) { return tg, true }
	}
	var freed []*nomadstate.Alloc
	f.model.JobAllocs(ns, id, func(al *nomadstate.Alloc) {
		if g, ok := owner(al.TaskGroup); ok && repacked[g] {
			freed = append(freed, al)
		}
	})
	nodes := f.nodesLocked(f.view, func(n string) bool { return visible[n] }, freed)

	f.view = nodes
	var res pack.Result
	if len(todo) > 0 {
		prob := pack.Problem{Nodes: nodes}
		for _, w := range todo {
			g, err := rewrite.Group(job, w.tg, w.delta, nodes)
			if err != nil {
				return nil, refuse(http.StatusBadRequest, "job %q: %v", id, err)
			}
			if g.DistinctHosts && len(w.kept) > 0 {
				g.Constraints = append(g.Constraints, pack.Constraint{Attribute: "${node.unique.id}", Operator: "set_contains_any",
					Value: strings.Join(othersThan(nodes, w.kept), ",")})
			}
			prob.Groups = append(prob.Groups, g)
		}
		res, err = s.packNarrowed(ctx, prob)
		if err != nil {
			switch inputErrors(err) {
			case onlyUnfit:
				return nil, refuse(http.StatusConflict, "cannot place job %q in namespace %q: %s", id, ns, oneLine(err))
			case malformed:
				return nil, refuse(http.StatusBadRequest, "job %q: %s", id, oneLine(err))
			}
			return nil, refuse(http.StatusInternalServerError, "packing job %q: %v", id, err)
		}
		if len(res.Unplaced) > 0 {
			var why []string
			for _, u := range res.Unplaced {
				why = append(why, fmt.Sprintf("group %q: %s", u.Group, u.Reason))
				f.m.refusals.WithLabelValues(ns).Inc()
			}
			return nil, refuse(http.StatusConflict, "cannot place job %q in namespace %q on the %d node(s) it may use: %s",
				id, ns, len(nodes), strings.Join(why, "; "))
		}
		for _, w := range todo {
			final[*w.tg.Name] = maps.Clone(w.kept)
		}
		for _, p := range res.Placements {
			final[p.Group][p.Node]++
		}
		st := res.Stats.Stranded
		f.m.stranded.WithLabelValues("cpu_mhz").Set(float64(st.CPUMHz))
		f.m.stranded.WithLabelValues("memory_mb").Set(float64(st.MemoryMB))
		f.m.stranded.WithLabelValues("disk_mb").Set(float64(st.DiskMB))
		f.m.stranded.WithLabelValues("gpus").Set(float64(st.GPUs))
	}

	pinned, plan, err := rewrite.Pin(job, final, hashes, a.prev)
	if err != nil {
		return nil, refuse(http.StatusBadRequest, "%v", err)
	}
	d := &decision{job: pinned, plan: plan, result: res, placed: len(res.Placements)}
	for _, p := range final {
		d.kept += p.Total()
	}
	d.kept -= d.placed
	if !a.hold {
		return d, nil
	}
	t := &pending{ticket: f.ledger.Open()}
	d.ticket = t
	demand := map[string]pack.Resources{}
	for _, tg := range job.TaskGroups {
		g, err := rewrite.Group(job, tg, 1, nil)
		if err == nil {
			demand[g.ID] = resourcesOf(g)
		}
	}
	expires := s.now().Add(s.cfg.HoldTTL)
	// Every instance of the plan that Nomad does not run yet is held: the new ones with the
	// GPUs the packer gave them, and kept ones with no live allocation (a stopped job
	// resubmitted) so that their room stays promised until Nomad makes them. A repacked group's
	// allocations are all replaced, so none of them counts as live.
	live := map[[2]string]int{}
	f.model.JobAllocs(ns, id, func(al *nomadstate.Alloc) {
		if g, ok := owner(al.TaskGroup); !ok || !repacked[g] {
			live[[2]string{al.TaskGroup, al.NodeID}]++
		}
	})
	type slot struct {
		group, part, node string
		missing           int
	}
	var slots []*slot
	open := map[[2]string][]*slot{} // (the user's group, node) → its parts' slots there
	for _, gp := range plan.Groups {
		for _, part := range gp.Parts {
			for _, n := range part.Nodes {
				k := [2]string{part.Name, n}
				if m := part.PerNode - live[k]; m > 0 {
					sl := &slot{group: gp.Group, part: part.Name, node: n, missing: m}
					slots = append(slots, sl)
					open[[2]string{gp.Group, n}] = append(open[[2]string{gp.Group, n}], sl)
				}
				live[k] = max(0, live[k]-part.PerNode)
			}
		}
	}
	for _, p := range res.Placements {
		k := [2]string{p.Group, p.Node}
		for len(open[k]) > 0 && open[k][0].missing == 0 {
			open[k] = open[k][1:]
		}
		if len(open[k]) == 0 {
			f.ledger.Cancel(t.ticket)
			return nil, refuse(http.StatusInternalServerError, "job %q: the plan has no room on node %s for an instance of group %q the packer placed there", id, p.Node, p.Group)
		}
		sl := open[k][0]
		sl.missing--
		f.ledger.Hold(t.ticket, reserve.Key{Namespace: ns, Job: id, Group: sl.part, Node: p.Node}, demand[p.Group], p.GPUs, 1, f.model.Index, expires)
	}
	for _, sl := range slots {
		if sl.missing > 0 {
			f.ledger.Hold(t.ticket, reserve.Key{Namespace: ns, Job: id, Group: sl.part, Node: sl.node}, demand[sl.group], nil, sl.missing, f.model.Index, expires)
		}
	}
	f.observeLocked()
	return d, nil
}

// settle confirms a ticket's holds with the job's new modify index, or drops them.
func (s *Server) settle(t *pending, jobModifyIndex uint64, ok bool) {
	if t == nil {
		return
	}
	s.fleet.mu.Lock()
	defer s.fleet.mu.Unlock()
	if ok {
		s.fleet.ledger.Confirm(t.ticket, jobModifyIndex)
	} else {
		s.fleet.ledger.Cancel(t.ticket)
	}
	s.fleet.observeLocked()
}

// dropLikeNomad chooses which running instances of a group a scale-down stops so that they
// are the ones Nomad stops: a task group whose count falls stops its allocations with the
// highest indexes, and Pin's layout takes a node away from the last of the group's parts that
// has it. So each instance dropped is a part's highest-indexed allocation on a node no later
// part holds, picked from the nodes with the fewest instances first; the others stay in place.
// It reports false when Nomad's allocations do not match the plan part for part, or no
// instance can be dropped that way; shrink decides then, and Nomad may move some instances.
func dropLikeNomad(gp *rewrite.GroupPlan, allocs []*nomadstate.Alloc, need int) (rewrite.Placement, bool) {
	byPart := map[string][]*nomadstate.Alloc{}
	for _, al := range allocs {
		byPart[al.TaskGroup] = append(byPart[al.TaskGroup], al)
	}
	type slot struct{ part, node string }
	held := map[slot]int{}
	total := 0
	for _, p := range gp.Parts {
		want := map[string]int{}
		for _, n := range p.Nodes {
			want[n] += p.PerNode
			held[slot{p.Name, n}] += p.PerNode
		}
		got := map[string]int{}
		seen := map[int]bool{}
		for _, al := range byPart[p.Name] {
			got[al.NodeID]++
			i, ok := allocIndex(al.Name)
			if !ok || seen[i] {
				return nil, false
			}
			seen[i] = true
		}
		if !maps.Equal(want, got) {
			return nil, false
		}
		// Highest index first: the order Nomad stops them in.
		sort.Slice(byPart[p.Name], func(a, b int) bool {
			x, _ := allocIndex(byPart[p.Name][a].Name)
			y, _ := allocIndex(byPart[p.Name][b].Name)
			return x > y
		})
		total += len(byPart[p.Name])
	}
	left := gp.Placement()
	for ; total > need; total-- {
		best := -1
		for i, p := range gp.Parts {
			if len(byPart[p.Name]) == 0 {
				continue
			}
			n := byPart[p.Name][0].NodeID
			later := false
			for _, q := range gp.Parts[i+1:] {
				later = later || held[slot{q.Name, n}] > 0
			}
			if later {
				continue
			}
			if best < 0 {
				best = i
				continue
			}
			b := byPart[gp.Parts[best].Name][0].NodeID
			if left[n] < left[b] || left[n] == left[b] && n < b {
				best = i
			}
		}
		if best < 0 {
			return nil, false
		}
		p := gp.Parts[best].Name
		n := byPart[p][0].NodeID
		byPart[p] = byPart[p][1:]
		held[slot{p, n}]--
		if left[n]--; left[n] == 0 {
			delete(left, n)
		}
	}
	return left, true
}

// allocIndex reads the index from an allocation name, "<job>.<group>[<index>]".
func allocIndex(name string) (int, bool) {
	open := strings.LastIndexByte(name, '[')
	if open < 0 || !strings.HasSuffix(name, "]") {
		return 0, false
	}
	i, err := strconv.Atoi(name[open+1 : len(name)-1])
	return i, err == nil
}

// shrink keeps need instances of a placement, emptying the nodes with the fewest first.
func shrink(pl rewrite.Placement, need int) rewrite.Placement {
	out := maps.Clone(pl)
	ids := slices.Collect(maps.Keys(out))
	sort.Slice(ids, func(i, j int) bool {
		if out[ids[i]] != out[ids[j]] {
			return out[ids[i]] < out[ids[j]]
		}
		return ids[i] < ids[j]
	})
	extra := out.Total() - need
	for _, id := range ids {
		if extra == 0 {
			break
		}
		k := min(extra, out[id])
		out[id] -= k
		extra -= k
		if out[id] == 0 {
			delete(out, id)
		}
	}
	return out
}

func othersThan(nodes []pack.Node, kept rewrite.Placement) []string {
	out := []string{"(none)"}
	for _, n := range nodes {
		if kept[n.ID] == 0 {
			out = append(out, n.ID)
		}
	}
	return out
}

func oneLine(err error) string { return strings.ReplaceAll(err.Error(), "\n", "; ") }

// pack runs the packer. Work that asks for no GPU is first offered only the nodes without a
// free GPU, so that GPU rigs are not filled with CPU work that could go elsewhere while GPU
// jobs queue behind it; every node is offered when that leaves something unplaced or opens
// more providers than using the rigs would.
func (s *Server) pack(ctx context.Context, prob pack.Problem) (pack.Result, error) {
	opt := pack.Options{Budget: s.cfg.Budget, Seed: 1, Restarts: 1, Algorithms: s.cfg.Algorithms, Workers: 1}
	gpuWork := false
	for _, g := range prob.Groups {
		gpuWork = gpuWork || (g.GPU != nil && g.GPU.Count > 0)
	}
	rigs := 0
	for i := range prob.Nodes {
		if freeGPUs(&prob.Nodes[i]) > 0 {
			rigs++
		}
	}
	if !gpuWork && rigs > 0 && rigs < len(prob.Nodes) {
		plain := make([]pack.Node, 0, len(prob.Nodes)-rigs)
		for i := range prob.Nodes {
			if freeGPUs(&prob.Nodes[i]) == 0 {
				plain = append(plain, prob.Nodes[i])
			}
		}
		res, err := pack.Pack(ctx, pack.Problem{Nodes: plain, Groups: prob.Groups}, opt)
		if err == nil && len(res.Unplaced) == 0 {
			all, err := pack.Pack(ctx, prob, opt)
			// Keeping off the rigs must not cost an extra provider.
			if err != nil || opened(res, plain) <= opened(all, prob.Nodes) {
				countLeftOut(&res.Stats, prob.Nodes, func(i int) bool { return freeGPUs(&prob.Nodes[i]) > 0 })
				return res, nil
			}
			return all, nil
		}
	}
	return pack.Pack(ctx, prob, opt)
}

// opened counts the nodes a result starts using that ran nothing before.
func opened(res pack.Result, nodes []pack.Node) int {
	idle := map[string]bool{}
	for _, n := range nodes {
		idle[n.ID] = n.Used == (pack.Resources{}) && len(n.UsedGPUs) == 0
	}
	seen := map[string]bool{}
	for _, p := range res.Placements {
		if idle[p.Node] {
			seen[p.Node] = true
		}
	}
	return len(seen)
}

func freeGPUs(n *pack.Node) int {
	free := 0
	for _, g := range n.GPUs {
		if g.Healthy && !slices.Contains(n.UsedGPUs, g.ID) {
			free++
		}
	}
	return free
}

func resourcesOf(g pack.Group) pack.Resources {
	return pack.Resources{CPUMHz: g.CPUMHz, MemoryMB: g.MemoryMB, DiskMB: g.DiskMB}
}

const (
	notInput  = iota
	onlyUnfit // every complaint is a group no node could ever host: a refusal
	malformed // something in the job itself is wrong (a constraint's regexp, a version): bad input
)

// inputErrors sorts the packer's error: its *InputError values (joined) with field "groups"
// say a group fits nowhere; any other field points at something malformed in the job.
func inputErrors(err error) int {
	var list []error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		list = j.Unwrap()
	} else {
		list = []error{err}
	}
	kind := onlyUnfit
	for _, e := range list {
		var ie *pack.InputError
		if !errors.As(e, &ie) {
			return notInput
		}
		if ie.Field != "groups" {
			kind = malformed
		}
	}
	return kind
}
