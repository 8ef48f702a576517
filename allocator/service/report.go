package service

import (
	"context"
	"fmt"
	"slices"
	"sort"

	"github.com/hashicorp/nomad/api"

	"github.com/dec2-cloud/dec2/allocator/nomadstate"
	"github.com/dec2-cloud/dec2/allocator/pack"
	"github.com/dec2-cloud/dec2/allocator/rewrite"
)

// ParseJob turns a job file into a job with Nomad's own parser (/v1/jobs/parse), asking as
// namespace ns (the token needs parse-job or submit-job there).
func ParseJob(ctx context.Context, cfg Config, ns, hcl, vars string) (*api.Job, error) {
	c, err := api.NewClient(&api.Config{Address: cfg.NomadAddr, Region: cfg.Region, SecretID: cfg.Token, Namespace: ns})
	if err != nil {
		return nil, fmt.Errorf("creating the Nomad client for %s: %w", cfg.NomadAddr, err)
	}
	job, err := c.Jobs().ParseHCLOpts(&api.JobsParseRequest{JobHCL: hcl, Variables: vars, Canonicalize: true})
	if err == nil && (job.Namespace == nil || *job.Namespace == "") && ns != "" {
		job.Namespace = &ns
	}
	if err != nil {
		return nil, fmt.Errorf("parsing the job with Nomad at %s: %w", cfg.NomadAddr, err)
	}
	return job, nil
}

// Report is what `dec2-allocator plan` prints: where each instance would go, and what is
// left on those nodes afterwards.
type Report struct {
	Job  string
	Rows []ReportRow
	// Stats are the packer's, for the groups it had to place.
	Stats pack.Stats
}

// ReportRow is one node a group's instances would use.
type ReportRow struct {
	Group, Part, NodeID, NodeName string
	Instances                     int
	Kept                          bool // already there from the job's current placement
	// Left is what stays free on the node once everything in the plan is placed.
	Left pack.Resources
	// LeftGPUs counts its healthy GPUs still free.
	LeftGPUs int
}

// PlanOnce reads the region once and packs job against it, holding nothing: the answer the
// allocator would give a registration now. cfg.Token is used both to read the region and
// as the caller's token.
func PlanOnce(ctx context.Context, cfg Config, job *api.Job) (*Report, error) {
	s, err := New(cfg)
	if err != nil {
		return nil, err
	}
	m, err := nomadstate.Build(ctx, s.nomad, s.cfg.Region)
	if err != nil {
		return nil, fmt.Errorf("reading the region from %s: %w", cfg.NomadAddr, err)
	}
	s.fleet.Reset(m)
	user, _, err := rewrite.Original(job)
	if err != nil {
		return nil, err
	}
	if user.ID == nil || *user.ID == "" {
		return nil, fmt.Errorf("the job has no ID")
	}
	ns := api.DefaultNamespace
	if user.Namespace != nil && *user.Namespace != "" {
		ns = *user.Namespace
	}
	user.Namespace = &ns
	_, prev := s.previous(ctx, *user.ID, ns, cfg.Token)
	d, err := s.decide(ctx, submission{job: user, prev: prev, token: cfg.Token})
	if err != nil {
		return nil, err
	}
	return s.report(d, user)
}

func (s *Server) report(d *decision, user *api.Job) (*Report, error) {
	s.fleet.mu.Lock()
	nodes := s.fleet.nodesLocked(nil, nil, nil)
	s.fleet.mu.Unlock()
	byID := map[string]*pack.Node{}
	for i := range nodes {
		byID[nodes[i].ID] = &nodes[i]
	}
	left := map[string]pack.Resources{}
	leftGPUs := map[string]int{}
	for id, n := range byID {
		left[id] = pack.Resources{CPUMHz: n.CPUMHz - n.Used.CPUMHz, MemoryMB: n.MemoryMB - n.Used.MemoryMB, DiskMB: n.DiskMB - n.Used.DiskMB}
		for _, g := range n.GPUs {
			if g.Healthy && !slices.Contains(n.UsedGPUs, g.ID) {
				leftGPUs[id]++
			}
		}
	}
	newOn := map[[2]string]int{}
	for _, p := range d.result.Placements {
		newOn[[2]string{p.Group, p.Node}]++
		leftGPUs[p.Node] -= len(p.GPUs)
	}
	rep := &Report{Job: *user.ID, Stats: d.result.Stats}
	for _, tg := range user.TaskGroups {
		gp := d.plan.Group(*tg.Name)
		if gp == nil {
			continue
		}
		g, err := rewrite.Group(user, tg, 1, nil)
		if err != nil {
			return nil, err
		}
		for _, part := range gp.Parts {
			for _, n := range part.Nodes {
				added := newOn[[2]string{gp.Group, n}]
				l := left[n]
				l.CPUMHz -= int64(added) * g.CPUMHz
				l.MemoryMB -= int64(added) * g.MemoryMB
				l.DiskMB -= int64(added) * g.DiskMB
				left[n] = l
				rep.Rows = append(rep.Rows, ReportRow{Group: gp.Group, Part: part.Name, NodeID: n, Instances: part.PerNode, Kept: added == 0})
			}
		}
	}
	for i := range rep.Rows {
		r := &rep.Rows[i]
		r.Left, r.LeftGPUs = left[r.NodeID], leftGPUs[r.NodeID]
		if n, ok := s.fleet.model.Node(r.NodeID); ok {
			r.NodeName = n.Name
		}
	}
	sort.SliceStable(rep.Rows, func(i, j int) bool { return rep.Rows[i].Group < rep.Rows[j].Group })
	return rep, nil
}
