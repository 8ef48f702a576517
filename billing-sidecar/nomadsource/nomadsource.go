// Package nomadsource is billing's Nomad adapter: it reconciles against /v1/allocations, follows
// /v1/event/stream (Allocation, Job and Node topics) from a checkpointed index, looks up the job,
// namespace and node facts pricing needs, samples allocation stats, and stops jobs of insolvent
// consumers. It only reads what Nomad itself recorded; nothing a provider claims.
package nomadsource

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/hashicorp/nomad/api"

	"github.com/dec2-cloud/dec2/billing-sidecar/lifecycle"
	"github.com/dec2-cloud/dec2/billing-sidecar/storagestreams"
	"github.com/dec2-cloud/dec2/metering"
	"github.com/dec2-cloud/dec2/nomadevents"
	"github.com/dec2-cloud/dec2/pricing"
	"github.com/dec2-cloud/dec2/pricing/nomadprices"
	"github.com/dec2-cloud/dec2/tenancy"
	"github.com/dec2-cloud/dec2/tenancy/nsbinding"
)

// Source talks to one Nomad region.
type Source struct {
	API *api.Client
	Log *slog.Logger
	// NamespacePoll is how often the namespace list is read while streaming (nomadevents).
	NamespacePoll time.Duration

	mu       sync.Mutex
	jobs     map[string]jobFacts // ns/job
	nodes    map[string]node     // node id → what pricing reads of it
	bindings *nsbinding.Reader
}

// node is what pricing reads of a node.
type node struct {
	name   string
	meta   map[string]string
	shares map[string]string // Shares
	slices map[string]pricing.SliceAttrs
}

// New wraps a Nomad API client.
func New(c *api.Client, log *slog.Logger) *Source {
	return &Source{API: c, Log: log, NamespacePoll: 5 * time.Second, jobs: map[string]jobFacts{}, nodes: map[string]node{}, bindings: nsbinding.New(c)}
}

var allNamespaces = &api.QueryOptions{Namespace: "*"}

// Handler receives allocations in batches (one event-stream batch, or a page of a
// reconciliation), so that their decisions can be journaled together.
type Handler func([]*api.Allocation)

// Reconcile reports every allocation Nomad holds to handle and returns the index it read at.
func (s *Source) Reconcile(ctx context.Context, handle Handler) (uint64, error) {
	stubs, meta, err := s.API.Allocations().List(allNamespaces.WithContext(ctx))
	if err != nil {
		return 0, fmt.Errorf("listing allocations: %w", err)
	}
	const page = 200
	batch := make([]*api.Allocation, 0, page)
	for i, st := range stubs {
		a, _, err := s.API.Allocations().Info(st.ID, (&api.QueryOptions{Namespace: st.Namespace}).WithContext(ctx))
		if err != nil {
			return 0, fmt.Errorf("reading allocation %s: %w", st.ID, err)
		}
		batch = append(batch, a)
		if len(batch) == page || i == len(stubs)-1 {
			handle(batch)
			batch = make([]*api.Allocation, 0, page)
		}
	}
	return meta.LastIndex, nil
}

// Watch reconciles, then follows the event stream from the later of from and the reconciled
// index, calling checkpoint with each processed index. When the stream breaks, or a namespace
// appears, it reconciles again before resuming (events may have been missed), until ctx ends.
func (s *Source) Watch(ctx context.Context, from uint64, handle Handler, checkpoint func(uint64) error) error {
	f := &nomadevents.Follower{API: s.API, Log: s.Log, NamespacePoll: s.NamespacePoll, MinBackoff: time.Second, MaxBackoff: 30 * time.Second,
		Topics: map[api.Topic][]string{api.TopicAllocation: {"*"}, api.TopicJob: {"*"}, api.TopicNode: {"*"}}}
	return f.Run(ctx, func(ctx context.Context) (uint64, error) {
		idx, err := s.Reconcile(ctx, handle)
		return max(idx, from), err
	}, func(_ context.Context, evs *api.Events) error {
		s.apply(evs, handle)
		if err := checkpoint(evs.Index); err != nil {
			return fmt.Errorf("checkpointing index %d: %w", evs.Index, err)
		}
		return nil
	})
}

// apply hands a batch's allocations to handle and drops what the batch says changed from the
// job and node caches.
func (s *Source) apply(evs *api.Events, handle Handler) {
	var batch []*api.Allocation
	for _, e := range evs.Events {
		switch e.Topic {
		case api.TopicAllocation:
			a, err := e.Allocation()
			if err != nil || a == nil {
				s.Log.Warn("undecodable allocation event", "index", e.Index, "err", err)
				continue
			}
			batch = append(batch, a)
		case api.TopicJob:
			s.mu.Lock()
			for k := range s.jobs { // the event names the job, not its namespace
				if strings.HasSuffix(k, "/"+e.Key) {
					delete(s.jobs, k)
				}
			}
			s.mu.Unlock()
		case api.TopicNode:
			s.mu.Lock()
			delete(s.nodes, e.Key)
			s.mu.Unlock()
		}
	}
	if len(batch) > 0 {
		handle(batch)
	}
}

// Facts gathers what pricing needs for an allocation.
func (s *Source) Facts(ctx context.Context, a *api.Allocation) (lifecycle.Facts, error) {
	job, err := s.job(ctx, a)
	if err != nil {
		return lifecycle.Facts{}, err
	}
	n, err := s.node(ctx, a.NodeID)
	if err != nil {
		return lifecycle.Facts{}, err
	}
	nsWallet, err := s.bindings.Wallet(ctx, a.Namespace)
	if err != nil {
		return lifecycle.Facts{}, err
	}
	return lifecycle.Facts{Namespace: a.Namespace, JobMeta: job.meta, DockerTasks: job.docker, NamespaceWallet: nsWallet,
		Node: n.name, NodeMeta: n.meta, NodeShares: n.shares, NodeSlices: n.slices, Reserved: nomadprices.Reserved(a)}, nil
}

// jobFacts is what billing reads of a job: its meta and its Docker tasks' configs by task.
type jobFacts struct {
	meta   map[string]string
	docker map[string]map[string]any
}

func factsOf(j *api.Job) jobFacts {
	f := jobFacts{meta: j.Meta, docker: map[string]map[string]any{}}
	for _, tg := range j.TaskGroups {
		for _, t := range tg.Tasks {
			if t != nil && t.Driver == "docker" {
				f.docker[t.Name] = t.Config
			}
		}
	}
	return f
}

func (s *Source) job(ctx context.Context, a *api.Allocation) (jobFacts, error) {
	if a.Job != nil {
		return factsOf(a.Job), nil
	}
	key := a.Namespace + "/" + a.JobID
	s.mu.Lock()
	f, ok := s.jobs[key]
	s.mu.Unlock()
	if ok {
		return f, nil
	}
	j, _, err := s.API.Jobs().Info(a.JobID, (&api.QueryOptions{Namespace: a.Namespace}).WithContext(ctx))
	if err != nil {
		return jobFacts{}, fmt.Errorf("reading job %s: %w", key, err)
	}
	f = factsOf(j)
	s.mu.Lock()
	s.jobs[key] = f
	s.mu.Unlock()
	return f, nil
}

func (s *Source) node(ctx context.Context, id string) (node, error) {
	s.mu.Lock()
	m, ok := s.nodes[id]
	s.mu.Unlock()
	if ok {
		return m, nil
	}
	n, _, err := s.API.Nodes().Info(id, (&api.QueryOptions{}).WithContext(ctx))
	if err != nil {
		return node{}, fmt.Errorf("reading node %s: %w", id, err)
	}
	m = node{name: n.Name + " (" + n.ID + ")", meta: n.Meta, shares: nomadprices.Shares(n), slices: nomadprices.Slices(n)}
	s.mu.Lock()
	s.nodes[id] = m
	s.mu.Unlock()
	return m, nil
}

// Snapshot is the reducer's view of an allocation. lastSeen is the node's last sign of life
// known to the caller (the end of a lost allocation).
func Snapshot(a *api.Allocation, lastSeen time.Time) lifecycle.Alloc {
	out := lifecycle.Alloc{ID: a.ID, JobID: a.JobID, Namespace: a.Namespace, NodeID: a.NodeID, Status: a.ClientStatus, NodeLastSeen: lastSeen}
	allDone := len(a.TaskStates) > 0
	for _, ts := range a.TaskStates {
		if ts == nil {
			continue
		}
		if !ts.StartedAt.IsZero() && (out.StartedAt.IsZero() || ts.StartedAt.Before(out.StartedAt)) {
			out.StartedAt = ts.StartedAt
		}
		if ts.FinishedAt.IsZero() {
			allDone = false
		} else if ts.FinishedAt.After(out.FinishedAt) {
			out.FinishedAt = ts.FinishedAt
		}
	}
	if !allDone && a.ModifyTime != 0 {
		out.FinishedAt = time.Unix(0, a.ModifyTime)
	}
	return out
}

// Sample reads an allocation's stats from its client (through the server).
func (s *Source) Sample(ctx context.Context, a *api.Allocation) metering.Sample {
	at := time.Now()
	u, err := s.API.Allocations().Stats(a, (&api.QueryOptions{Namespace: a.Namespace}).WithContext(ctx))
	if err != nil || u == nil || u.ResourceUsage == nil {
		return metering.Sample{At: at, NodeID: a.NodeID}
	}
	smp := metering.Sample{At: at, NodeID: a.NodeID, Reachable: true}
	if u.Timestamp != 0 {
		smp.At = time.Unix(0, u.Timestamp)
	}
	if c := u.ResourceUsage.CpuStats; c != nil {
		smp.CPUMHz = c.TotalTicks
	}
	if m := u.ResourceUsage.MemoryStats; m != nil {
		smp.RSSBytes = m.RSS
	}
	for _, d := range u.ResourceUsage.DeviceStats {
		if d == nil {
			continue
		}
		if smp.GPUsInUse == nil {
			smp.GPUsInUse = map[string]int64{}
		}
		key := d.Name
		if d.Type == nomadprices.TypeShare {
			key = pricing.SharePrefix + d.Name // a share's seconds are priced as a share's
		}
		smp.GPUsInUse[key] += int64(len(d.InstanceStats))
	}
	return smp
}

// StopJob stops a job (the insolvency action; the token needs job-stop in its namespace).
func (s *Source) StopJob(ctx context.Context, ns, job string) error {
	_, _, err := s.API.Jobs().Deregister(job, false, (&api.WriteOptions{Namespace: ns}).WithContext(ctx))
	if err != nil {
		return fmt.Errorf("stopping job %s/%s: %w", ns, job, err)
	}
	return nil
}

// DiskPrices is, per provider wallet (node meta dec2.wallet), its disk price per GiB-hour
// (dec2.price.disk_gb_hour), for storage streams. A wallet with several nodes gets the lowest
// price any of them posts (storagestreams.Lowest). Nodes without a wallet are skipped.
func (s *Source) DiskPrices(ctx context.Context) (map[common.Address]storagestreams.Price, error) {
	stubs, _, err := s.API.Nodes().List((&api.QueryOptions{}).WithContext(ctx))
	if err != nil {
		return nil, fmt.Errorf("listing nodes for their disk prices: %w", err)
	}
	byWallet := map[common.Address][]storagestreams.Price{}
	for _, st := range stubs {
		n, err := s.node(ctx, st.ID)
		if err != nil {
			return nil, err
		}
		w, err := tenancy.ParseWallet(n.meta[lifecycle.MetaWallet])
		if err != nil {
			continue
		}
		p, err := pricing.ParsePrices(n.meta)
		if err != nil {
			byWallet[w] = append(byWallet[w], storagestreams.Price{Err: fmt.Errorf("node %s: %w", n.name, err)})
			continue
		}
		byWallet[w] = append(byWallet[w], storagestreams.Price{PerGiBHour: p.DiskGBHour})
	}
	out := make(map[common.Address]storagestreams.Price, len(byWallet))
	for w, ps := range byWallet {
		out[w] = storagestreams.Lowest(ps)
	}
	return out, nil
}
