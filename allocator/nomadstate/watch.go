package nomadstate

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"

	"github.com/hashicorp/nomad/api"

	"github.com/dec2-cloud/dec2/nomadevents"
)

// Handler receives what Watch learns. Reset hands over a model built from scratch (at start
// and after every disconnect); the other calls are changes to apply to the current one.
type Handler interface {
	Reset(m *Model)
	NodeChanged(n *api.Node)
	NodeGone(id string, index uint64)
	AllocChanged(a *Alloc, terminal bool, index uint64)
}

// Build reads the whole region — nodes with their resources and meta, live allocations with
// theirs — into a new model.
func Build(ctx context.Context, c *api.Client, region string) (*Model, error) {
	q := (&api.QueryOptions{Namespace: "*", Params: map[string]string{"resources": "true"}}).WithContext(ctx)
	stubs, meta, err := c.Nodes().List(q)
	if err != nil {
		return nil, fmt.Errorf("listing nodes: %w", err)
	}
	m := NewModel(region)
	m.bump(meta.LastIndex)
	// Stubs lack meta and device attributes: read each node, a few at a time.
	nodes := make([]*api.Node, len(stubs))
	errs := make([]error, len(stubs))
	sem := make(chan struct{}, 8)
	var wg sync.WaitGroup
	for i, s := range stubs {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			n, _, err := c.Nodes().Info(s.ID, (&api.QueryOptions{}).WithContext(ctx))
			if err != nil {
				errs[i] = fmt.Errorf("reading node %s: %w", s.ID, err)
			}
			nodes[i] = n
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	for _, n := range nodes {
		m.SetNode(n)
	}
	allocs, meta, err := c.Allocations().List(q)
	if err != nil {
		return nil, fmt.Errorf("listing allocations: %w", err)
	}
	m.bump(meta.LastIndex)
	for _, s := range allocs {
		a, term := AllocFromStub(s)
		m.SetAlloc(a, term, s.ModifyIndex)
	}
	return m, nil
}

// Watch keeps h current until ctx ends: build, then follow the Node and Allocation topics of
// the event stream from the model's index; on any error (after a short wait) or when a
// namespace appears, build again, so a restart of Nomad or of the connection, or a tenant's
// first job, loses nothing (nomadevents).
func Watch(ctx context.Context, c *api.Client, region string, h Handler, log *slog.Logger) {
	f := &nomadevents.Follower{API: c, Log: log, Topics: map[api.Topic][]string{api.TopicNode: {"*"}, api.TopicAllocation: {"*"}}}
	_ = f.Run(ctx, func(ctx context.Context) (uint64, error) {
		m, err := Build(ctx, c, region)
		if err != nil {
			return 0, err
		}
		h.Reset(m)
		return m.Index + 1, nil
	}, func(ctx context.Context, evs *api.Events) error {
		for i := range evs.Events {
			if err := apply(ctx, c, h, &evs.Events[i]); err != nil {
				return err
			}
		}
		return nil
	})
}

func apply(ctx context.Context, c *api.Client, h Handler, e *api.Event) error {
	switch e.Topic {
	case api.TopicNode:
		if e.Type == "NodeDeregistration" {
			h.NodeGone(e.Key, e.Index)
			return nil
		}
		// Read the node rather than decode the event's copy: the api package decodes payloads
		// with mapstructure, which matches Go field names (IntVal) and not the JSON ones (Int),
		// so device attributes come out empty — a GPU's memory would read 0 and every GPU ask
		// with a memory floor would be refused.
		n, _, err := c.Nodes().Info(e.Key, (&api.QueryOptions{}).WithContext(ctx))
		if err != nil {
			return fmt.Errorf("reading node %s after a %s event: %w", e.Key, e.Type, err)
		}
		h.NodeChanged(n)
	case api.TopicAllocation:
		a, err := e.Allocation()
		if err != nil || a == nil {
			return fmt.Errorf("decoding a %s event for allocation %s: %w", e.Type, e.Key, err)
		}
		al, term := AllocFrom(a)
		h.AllocChanged(al, term, e.Index)
	}
	return nil
}
