package backend

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/nomad/api"

	"github.com/dec2-cloud/dec2/console/view"
)

// Bounds of the operator page: the newest allocations and evaluations, and the events kept.
const (
	opAllocs = 100
	opEvals  = 50
	opEvents = 100
)

// allNamespaces asks Nomad for every namespace the token may read: an operator's management
// token sees the region, a tenant's token its own namespace.
const allNamespaces = "*"

// Operator reads what Nomad's UI would show an operator of dec2's work: jobs, the newest
// allocations and evaluations, the nodes, and the events the console has followed.
func (b *Backend) Operator(ctx context.Context) (view.Operator, error) {
	var out view.Operator
	q := (&api.QueryOptions{Namespace: allNamespaces}).WithContext(ctx)
	jobs, _, err := b.nomad.Jobs().List(q)
	if err != nil {
		return out, fmt.Errorf("listing jobs: %w", err)
	}
	for _, j := range jobs {
		oj := view.OpJob{ID: j.ID, Namespace: j.Namespace, Type: j.Type, Status: j.Status}
		if j.JobSummary != nil {
			for _, g := range j.JobSummary.Summary {
				oj.Running += g.Running
				oj.Pending += g.Starting + g.Queued
				oj.Failed += g.Failed
				oj.Complete += g.Complete
				oj.Lost += g.Lost
			}
		}
		out.Jobs = append(out.Jobs, oj)
	}
	slices.SortFunc(out.Jobs, func(x, y view.OpJob) int {
		return strings.Compare(x.Namespace+"/"+x.ID, y.Namespace+"/"+y.ID)
	})
	allocs, _, err := b.nomad.Allocations().List(q)
	if err != nil {
		return out, fmt.Errorf("listing allocations: %w", err)
	}
	slices.SortFunc(allocs, func(x, y *api.AllocationListStub) int { return cmp.Compare(y.ModifyTime, x.ModifyTime) })
	for _, a := range allocs[:min(len(allocs), opAllocs)] {
		out.Allocations = append(out.Allocations, view.OpAlloc{ID: a.ID, Namespace: a.Namespace, Job: a.JobID, Group: a.TaskGroup,
			Node: a.NodeName, Client: a.ClientStatus, Desired: a.DesiredStatus, Modified: time.Unix(0, a.ModifyTime)})
	}
	evals, _, err := b.nomad.Evaluations().List(q)
	if err != nil {
		return out, fmt.Errorf("listing evaluations: %w", err)
	}
	slices.SortFunc(evals, func(x, y *api.Evaluation) int { return cmp.Compare(y.ModifyTime, x.ModifyTime) })
	for _, e := range evals[:min(len(evals), opEvals)] {
		out.Evaluations = append(out.Evaluations, view.OpEval{ID: e.ID, Namespace: e.Namespace, Job: e.JobID, TriggeredBy: e.TriggeredBy,
			Status: e.Status, Description: e.StatusDescription, Modified: time.Unix(0, e.ModifyTime)})
	}
	if out.Nodes, err = b.Nodes(ctx); err != nil {
		return out, err
	}
	b.events.Lock()
	out.Events, out.EventsError = b.events.ring.Newest(), b.events.err
	b.events.Unlock()
	return out, nil
}

// opTopics are the event topics the operator page keeps.
var opTopics = map[api.Topic][]string{api.TopicJob: {"*"}, api.TopicAllocation: {"*"}, api.TopicEvaluation: {"*"},
	api.TopicDeployment: {"*"}, api.TopicNode: {"*"}}

// followEvents keeps Nomad's latest events for the operator page until ctx ends. It starts
// from the oldest event Nomad still buffers, so a console just started shows what happened
// before, and resumes after the last one it kept when the stream is lost. It is a stream of
// its own: a token that may not read some topic loses these events, not the live instances.
func (b *Backend) followEvents(ctx context.Context) {
	var last uint64
	b.consume(ctx, opTopics, b.eventNamespace(), func() uint64 { return last + 1 }, func(e *api.Events) {
		if e.Index <= last {
			return
		}
		last = e.Index
		now := time.Now()
		b.events.Lock()
		b.events.err = ""
		for _, ev := range e.Events {
			b.events.ring.Add(view.OpEvent{Index: ev.Index, Topic: string(ev.Topic), Type: ev.Type, Key: ev.Key, Seen: now})
		}
		b.events.Unlock()
	}, func(err error) {
		b.events.Lock()
		b.events.err = err.Error()
		b.events.Unlock()
	})
}

// eventNamespace is whose events the operator page follows: a signed-in tenant's own
// namespace, the only one its token may read, else every namespace.
func (b *Backend) eventNamespace() string {
	if ns := b.cfg.Settings.Namespace; ns != "" {
		return ns
	}
	return allNamespaces
}
