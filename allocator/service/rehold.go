package service

import (
	"context"
	"time"

	"github.com/hashicorp/nomad/api"

	"github.com/dec2-cloud/dec2/allocator/nomadstate"
	"github.com/dec2-cloud/dec2/allocator/reserve"
	"github.com/dec2-cloud/dec2/allocator/rewrite"
)

// rehold runs after every rebuild of the model: holds live only in memory, so capacity
// promised before a restart (or a lost event stream) to jobs whose allocations Nomad has not
// made yet is taken again from the plans those jobs carry. A job is a candidate when it was
// registered after its newest allocation was created (or has none yet).
func (s *Server) rehold(ctx context.Context) {
	stubs, _, err := s.nomad.Jobs().List((&api.QueryOptions{Namespace: "*"}).WithContext(ctx))
	if err != nil {
		s.log.Warn("listing jobs to restore reservations", "err", err)
		return
	}
	s.fleet.mu.Lock()
	newest := map[[2]string]uint64{}
	s.fleet.model.Allocs(func(a *nomadstate.Alloc) {
		k := [2]string{a.Namespace, a.JobID}
		newest[k] = max(newest[k], a.CreateIndex)
	})
	s.fleet.mu.Unlock()
	for _, st := range stubs {
		if st.Stop || st.Status == "dead" || st.Type == api.JobTypeSystem || st.Type == api.JobTypeSysbatch ||
			st.JobModifyIndex <= newest[[2]string{st.Namespace, st.ID}] {
			continue
		}
		job, _, err := s.nomad.Jobs().Info(st.ID, (&api.QueryOptions{Namespace: st.Namespace}).WithContext(ctx))
		if err != nil {
			s.log.Warn("reading a job to restore its reservations", "job", st.ID, "namespace", st.Namespace, "err", err)
			continue
		}
		plan, err := rewrite.ReadPlan(job)
		if err != nil || plan == nil {
			continue
		}
		s.holdPlan(job, plan)
	}
}

// holdPlan holds, for every part of plan on every node, the instances not yet there.
func (s *Server) holdPlan(job *api.Job, plan *rewrite.Plan) {
	ns, id := *job.Namespace, *job.ID
	demand := map[string]*api.TaskGroup{}
	for _, tg := range job.TaskGroups {
		demand[*tg.Name] = tg
	}
	f := s.fleet
	f.mu.Lock()
	defer f.mu.Unlock()
	live := map[reserve.Key]int{}
	f.model.JobAllocs(ns, id, func(a *nomadstate.Alloc) { live[keyOf(a)]++ })
	t := f.ledger.Open()
	expires := s.now().Add(s.cfg.HoldTTL)
	held := 0
	for _, gp := range plan.Groups {
		for _, part := range gp.Parts {
			tg := demand[part.Name]
			if tg == nil {
				continue
			}
			g, err := rewrite.Group(job, tg, 1, nil)
			if err != nil {
				continue
			}
			for _, n := range part.Nodes {
				k := reserve.Key{Namespace: ns, Job: id, Group: part.Name, Node: n}
				// Holds this process already has (a rebuild without a restart) count as there.
				if missing := part.PerNode - live[k] - f.ledger.Holding(k); missing > 0 {
					f.ledger.Hold(t, k, resourcesOf(g), nil, missing, *job.JobModifyIndex, expires)
					held += missing
				}
			}
		}
	}
	f.observeLocked()
	if held > 0 {
		s.log.Info("reservations restored from the job's plan", "job", id, "namespace", ns, "instances", held)
	}
}

// reholdAfterRebuilds restores holds after each rebuild the watcher signals.
func (s *Server) reholdAfterRebuilds(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-s.fleet.rebuilt:
			rctx, cancel := context.WithTimeout(ctx, 30*time.Second)
			s.rehold(rctx)
			cancel()
		}
	}
}
