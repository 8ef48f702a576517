package service

import (
	"context"
	"errors"
	"time"

	"github.com/hashicorp/nomad/api"

	"github.com/dec2-cloud/dec2/allocator/admission"
	"github.com/dec2-cloud/dec2/allocator/nomadstate"
	"github.com/dec2-cloud/dec2/allocator/pack"
	"github.com/dec2-cloud/dec2/allocator/reserve"
	"github.com/dec2-cloud/dec2/allocator/rewrite"
)

// submission is one job the allocator is asked to place.
type submission struct {
	job   *api.Job // as the user wrote it, namespace filled in
	prev  *rewrite.Plan
	token string
	// sameSpec lists groups known unchanged whatever their hash says (a scale of a job read
	// back from Nomad); their recorded hash is kept.
	sameSpec map[string]bool
	// hold: promise the new instances' capacity until Nomad shows them (register, scale; not plan).
	hold bool
	// quote: count the providers the packing opens (decision.opened) and the tenant's data
	// held here (decision.local, from held: provider wallet → bytes), for a region's quote.
	quote bool
	held  map[string]int64
}

// decision is the allocator's answer: the pinned job and, when holding, the ticket to settle.
type decision struct {
	job    *api.Job
	plan   *rewrite.Plan
	result pack.Result
	ticket *pending
	// placed counts instances the packer placed now; kept those left where they were.
	placed, kept int
	// opened counts providers that ran nothing and would run some of the job; local, the
	// bytes of the tenant's data the region's providers hold (quotes only).
	opened int
	local  int64
}

// pending is a registration's holds until Nomad answers.
type pending struct{ ticket reserve.Ticket }

type ticketKey struct{}

// decide packs what changed in a.job against the model and holds, pins the job, and (with
// a.hold) holds the new instances' capacity. The model, packing and holds happen in one
// critical section; the decisions themselves are allocator/admission's.
func (s *Server) decide(ctx context.Context, a submission) (*decision, error) {
	job := a.job
	visible, err := s.visible.nodes(ctx, a.token, s.now())
	if errors.Is(err, errNoNodeRead) {
		return nil, admission.Refuse(admission.Forbidden, "%v", err)
	} else if err != nil {
		return nil, admission.Refuse(admission.Upstream, "Nomad at %s: %v", s.cfg.NomadAddr, err)
	}
	select {
	case <-s.fleet.ready:
	case <-ctx.Done():
		return nil, admission.Refuse(admission.Unavailable, "gave up waiting for the model of the region: %v", ctx.Err())
	}

	rep := s.rep.Load()
	f := s.fleet
	f.mu.Lock()
	defer f.mu.Unlock()
	f.expireLocked(s.now())
	var live []*nomadstate.Alloc
	f.model.JobAllocs(*job.Namespace, *job.ID, func(al *nomadstate.Alloc) { live = append(live, al) })
	ch, err := admission.Diff(admission.Input{Job: job, Prev: a.prev, SameSpec: a.sameSpec, Live: live, Usable: func(node string) bool {
		n, ok := f.model.Node(node)
		return ok && n.Schedulable && visible[node]
	}})
	if err != nil {
		return nil, err
	}
	// Nodes the attestors rate too low get no new work; what runs there stays (Diff's Usable
	// above keeps it), so a provider's standing never stops a consumer's running instances.
	excluded := 0
	f.view = f.nodesLocked(f.view, func(n string) bool {
		if !visible[n] {
			return false
		}
		if !rep.eligible(n) {
			excluded++
			return false
		}
		return true
	}, ch.Freed)
	rep.score(f.view)
	res, final, err := s.packLocked(ctx, job, ch, f.view)
	if err != nil {
		return nil, explain(err, *job.ID, *job.Namespace, len(f.view), excluded)
	}
	pinned, plan, err := rewrite.Pin(job, final, ch.Hashes, a.prev)
	if err != nil {
		return nil, admission.Refuse(admission.BadInput, "%v", err)
	}
	d := &decision{job: pinned, plan: plan, result: res, placed: len(res.Placements)}
	if a.quote {
		d.opened, d.local = opened(f.view, res.Placements), localBytes(f.view, a.held)
	}
	for _, p := range final {
		d.kept += p.Total()
	}
	d.kept -= d.placed
	if !a.hold {
		return d, nil
	}
	holds, err := ch.Holds(job, plan, live, res.Placements)
	if err != nil {
		return nil, err
	}
	d.ticket = f.holdLocked(holds, s.now().Add(s.cfg.HoldTTL))
	return d, nil
}

// packLocked packs the groups ch has to pack on nodes, and counts the refusals and the
// stranded capacity of the answer; with nothing to pack, ch's settled groups are the answer.
func (s *Server) packLocked(ctx context.Context, job *api.Job, ch *admission.Changes, nodes []pack.Node) (pack.Result, map[string]rewrite.Placement, error) {
	if len(ch.Todo) == 0 {
		return pack.Result{}, ch.Final, nil
	}
	prob, err := ch.Problem(job, nodes)
	if err != nil {
		return pack.Result{}, nil, err
	}
	res, err := pack.PackOnShortList(ctx, prob, s.packOptions())
	if err == nil && len(res.Unplaced) > 0 {
		s.fleet.m.refusals.WithLabelValues(*job.Namespace).Add(float64(len(res.Unplaced)))
	}
	final, err := ch.Place(job, len(nodes), res, err)
	if err != nil {
		return pack.Result{}, nil, err
	}
	st := res.Stats.Stranded
	s.fleet.m.stranded.WithLabelValues("cpu_mhz").Set(float64(st.CPUMHz))
	s.fleet.m.stranded.WithLabelValues("memory_mb").Set(float64(st.MemoryMB))
	s.fleet.m.stranded.WithLabelValues("disk_mb").Set(float64(st.DiskMB))
	s.fleet.m.stranded.WithLabelValues("gpus").Set(float64(st.GPUs))
	s.recordPacking(res.Stats)
	return res, final, nil
}

// opened counts the nodes of placements that ran nothing before.
func opened(view []pack.Node, placements []pack.Placement) int {
	busy := make(map[string]bool, len(view))
	for _, n := range view {
		busy[n.ID] = n.Used != (pack.Resources{}) || len(n.UsedGPUs) > 0
	}
	seen := map[string]bool{}
	for _, p := range placements {
		if !busy[p.Node] && !seen[p.Node] {
			seen[p.Node] = true
		}
	}
	return len(seen)
}

// packOptions are the packer's options for one registration.
func (s *Server) packOptions() pack.Options {
	return pack.Options{Budget: s.cfg.Budget, Seed: 1, Restarts: 1, Algorithms: s.cfg.Algorithms, Workers: 1}
}

// holdLocked takes holds under a new ticket, taken at the model's index until Nomad answers.
func (f *fleet) holdLocked(holds []admission.Hold, expires time.Time) *pending {
	t := &pending{ticket: f.ledger.Open()}
	for _, h := range holds {
		f.ledger.Hold(t.ticket, h.Key, h.Demand, h.GPUs, h.Count, f.model.Index, expires)
	}
	f.observeLocked()
	return t
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

func resourcesOf(g pack.Group) pack.Resources {
	return pack.Resources{CPUMHz: g.CPUMHz, MemoryMB: g.MemoryMB, DiskMB: g.DiskMB}
}
