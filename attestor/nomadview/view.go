// Package nomadview is an attestor's reading of Nomad: the nodes and the allocations on them,
// kept from Nomad's event stream (Node, Allocation and Evaluation topics), and whether a leader
// is visible and since when. It turns what it read into the pure inputs of attestor/downtime.
package nomadview

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"sort"
	"strconv"
	"sync"
	"time"

	"github.com/hashicorp/nomad/api"

	"github.com/dec2-cloud/dec2/attestor/downtime"
	"github.com/dec2-cloud/dec2/attestor/probe"
	"github.com/dec2-cloud/dec2/nomadevents"
)

// alloc is what the view keeps of an allocation.
type alloc struct {
	id, ns, job, group, node string
	status                   string // client status
	desired                  string
	lostAfter                time.Duration
	ports                    []string // host:port published
	modified                 time.Time
}

func (a alloc) consumerWork() bool {
	return a.desired == api.AllocDesiredStatusRun && a.status == api.AllocClientStatusRunning
}

// View follows one region. Its methods are safe for concurrent use.
type View struct {
	API *api.Client
	// Short is the same region through an HTTP client with a timeout, for calls that take no
	// context (the leader checks): a blackholed Nomad must read as no leader, not hang.
	Short *api.Client
	Log   *slog.Logger

	mu     sync.Mutex
	nodes  map[string]*api.Node
	allocs map[string]alloc
	groups map[string]time.Duration // "ns/job/version/group" → disconnect.lost_after
	index  uint64
	synced bool
	leader leaderState
}

// New is a view of the region c and short talk to; Run fills it.
func New(c, short *api.Client, log *slog.Logger) *View {
	return &View{API: c, Short: short, Log: log, nodes: map[string]*api.Node{}, allocs: map[string]alloc{}, groups: map[string]time.Duration{}}
}

// Run follows the event stream and watches the leader until ctx ends.
func (v *View) Run(ctx context.Context, leaderEvery time.Duration) {
	f := &nomadevents.Follower{API: v.API, Log: v.Log, Topics: map[api.Topic][]string{
		api.TopicNode: {"*"}, api.TopicAllocation: {"*"}, api.TopicEvaluation: {"*"},
	}}
	go v.watchLeader(ctx, leaderEvery)
	_ = f.Run(ctx, v.sync, v.handle)
}

func (v *View) sync(ctx context.Context) (uint64, error) {
	q := (&api.QueryOptions{AllowStale: false}).WithContext(ctx)
	stubs, meta, err := v.API.Nodes().List(q)
	if err != nil {
		return 0, fmt.Errorf("listing nodes: %w", err)
	}
	nodes := make(map[string]*api.Node, len(stubs))
	for _, s := range stubs {
		n, _, err := v.API.Nodes().Info(s.ID, q)
		if err != nil {
			return 0, fmt.Errorf("reading node %s: %w", s.ID, err)
		}
		nodes[n.ID] = n
	}
	list, ameta, err := v.API.Allocations().List((&api.QueryOptions{Namespace: "*"}).WithContext(ctx))
	if err != nil {
		return 0, fmt.Errorf("listing allocations: %w", err)
	}
	allocs := make(map[string]alloc, len(list))
	for _, s := range list {
		a, _, err := v.API.Allocations().Info(s.ID, (&api.QueryOptions{Namespace: s.Namespace}).WithContext(ctx))
		if err != nil {
			return 0, fmt.Errorf("reading allocation %s: %w", s.ID, err)
		}
		allocs[a.ID] = v.convert(ctx, a)
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	v.nodes, v.allocs, v.synced = nodes, allocs, true
	v.index = max(v.index, meta.LastIndex, ameta.LastIndex)
	return max(meta.LastIndex, ameta.LastIndex), nil
}

func (v *View) handle(ctx context.Context, evs *api.Events) error {
	for _, e := range evs.Events {
		switch e.Topic {
		case api.TopicNode:
			n, err := e.Node()
			if err != nil || n == nil {
				continue
			}
			v.mu.Lock()
			if e.Type == "NodeDeregistration" {
				delete(v.nodes, n.ID)
			} else {
				v.nodes[n.ID] = n
			}
			v.mu.Unlock()
		case api.TopicAllocation:
			a, err := e.Allocation()
			if err != nil || a == nil {
				continue
			}
			c := v.convert(ctx, a)
			v.mu.Lock()
			v.allocs[a.ID] = c
			v.mu.Unlock()
		}
	}
	v.mu.Lock()
	v.index = max(v.index, evs.Index)
	v.mu.Unlock()
	return nil
}

// convert keeps what an attestor needs of a; it reads the job once per version for the
// group's disconnect.lost_after, which event payloads do not carry.
func (v *View) convert(ctx context.Context, a *api.Allocation) alloc {
	out := alloc{id: a.ID, ns: a.Namespace, job: a.JobID, group: a.TaskGroup, node: a.NodeID,
		status: a.ClientStatus, desired: a.DesiredStatus, modified: time.Unix(0, a.ModifyTime)}
	if r := a.AllocatedResources; r != nil {
		for _, p := range r.Shared.Ports {
			if p.HostIP != "" && p.Value > 0 {
				out.ports = append(out.ports, net.JoinHostPort(p.HostIP, strconv.Itoa(p.Value)))
			}
		}
	}
	out.lostAfter = v.lostAfter(ctx, a)
	return out
}

func (v *View) lostAfter(ctx context.Context, a *api.Allocation) time.Duration {
	job := a.Job
	var version uint64
	if job != nil && job.Version != nil {
		version = *job.Version
	}
	key := fmt.Sprintf("%s/%s/%d/%s", a.Namespace, a.JobID, version, a.TaskGroup)
	v.mu.Lock()
	d, ok := v.groups[key]
	v.mu.Unlock()
	if ok {
		return d
	}
	if job == nil {
		j, _, err := v.API.Jobs().Info(a.JobID, (&api.QueryOptions{Namespace: a.Namespace}).WithContext(ctx))
		if err != nil {
			return 0 // the job is gone: its group's lost_after no longer holds anything
		}
		job = j
	}
	for _, g := range job.TaskGroups {
		if g.Name != nil && *g.Name == a.TaskGroup && g.Disconnect != nil && g.Disconnect.LostAfter != nil {
			d = *g.Disconnect.LostAfter
		}
	}
	v.mu.Lock()
	v.groups[key] = d
	v.mu.Unlock()
	return d
}

// Synced says whether the view has read Nomad at least once.
func (v *View) Synced() bool {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.synced
}

// Index is the latest Nomad index the view has applied.
func (v *View) Index() uint64 {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.index
}

// WaitIndex waits until the view has applied index, at most timeout; false if it has not.
func (v *View) WaitIndex(ctx context.Context, index uint64, timeout time.Duration) bool {
	deadline := time.Now().Add(timeout)
	for v.Index() < index {
		if time.Now().After(deadline) {
			return false
		}
		select {
		case <-ctx.Done():
			return false
		case <-time.After(100 * time.Millisecond):
		}
	}
	return true
}

// Nodes is every node as attestor/downtime sees it.
func (v *View) Nodes() []downtime.Node {
	v.mu.Lock()
	defer v.mu.Unlock()
	running := map[string]int{}
	lostAfter := map[string]time.Duration{}
	for _, a := range v.allocs {
		if a.consumerWork() {
			running[a.node]++
			lostAfter[a.node] = max(lostAfter[a.node], a.lostAfter)
		}
	}
	out := make([]downtime.Node, 0, len(v.nodes))
	for _, n := range v.nodes {
		out = append(out, downtime.Node{
			ID: n.ID, Status: n.Status, Eligible: n.SchedulingEligibility == api.NodeSchedulingEligible,
			Draining: n.DrainStrategy != nil || n.Drain, StatusAt: time.Unix(n.StatusUpdatedAt, 0),
			Running: running[n.ID], LostAfter: lostAfter[n.ID],
		})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Lost is an allocation that ran on a node which went down.
type Lost struct{ ID, Namespace, JobID string }

// LostOn lists the allocations Nomad placed on node that were running when it went down at
// since: lost or unknown ones, and running ones Nomad has not marked yet.
func (v *View) LostOn(node string, since time.Time) []Lost {
	v.mu.Lock()
	defer v.mu.Unlock()
	var out []Lost
	for _, a := range v.allocs {
		if a.node != node {
			continue
		}
		switch {
		case a.status == api.AllocClientStatusLost, a.status == api.AllocClientStatusUnknown:
		case a.consumerWork():
		default:
			continue
		}
		if a.status == api.AllocClientStatusLost && a.modified.Before(since) {
			continue // lost in an earlier incident
		}
		out = append(out, Lost{ID: a.id, Namespace: a.ns, JobID: a.job})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Targets are what to dial to see node from here: its client's HTTP address and the ports of
// allocations placed on it.
func (v *View) Targets(node string) []probe.Target {
	v.mu.Lock()
	defer v.mu.Unlock()
	n, ok := v.nodes[node]
	if !ok {
		return nil
	}
	var out []probe.Target
	if n.HTTPAddr != "" {
		out = append(out, probe.Target{Addr: n.HTTPAddr, Kind: "client"})
	}
	for _, a := range v.allocs {
		if a.node == node && a.desired == api.AllocDesiredStatusRun {
			for _, p := range a.ports {
				out = append(out, probe.Target{Addr: p, Kind: "port"})
			}
		}
	}
	return out
}

// Evals lists the ids of evaluations Nomad created for node since the given time.
func (v *View) Evals(ctx context.Context, node string, since time.Time) ([]string, error) {
	list, _, err := v.API.Evaluations().List((&api.QueryOptions{Namespace: "*", Filter: fmt.Sprintf("NodeID == %q", node)}).WithContext(ctx))
	if err != nil {
		return nil, fmt.Errorf("listing evaluations of node %s: %w", node, err)
	}
	var out []string
	for _, e := range list {
		if time.Unix(0, e.CreateTime).Before(since.Add(-time.Second)) {
			continue
		}
		out = append(out, e.ID)
	}
	sort.Strings(out)
	return out, nil
}

// Meta is every node's value of a meta key, by node ID.
func (v *View) Meta(key string) map[string]string {
	v.mu.Lock()
	defer v.mu.Unlock()
	out := make(map[string]string, len(v.nodes))
	for id, n := range v.nodes {
		if val := n.Meta[key]; val != "" {
			out[id] = val
		}
	}
	return out
}

// Down says whether Nomad has node down (or disconnected) now.
func (v *View) Down(node string) bool {
	v.mu.Lock()
	defer v.mu.Unlock()
	n, ok := v.nodes[node]
	return ok && (n.Status == api.NodeStatusDown || n.Status == api.NodeStatusDisconnected)
}
