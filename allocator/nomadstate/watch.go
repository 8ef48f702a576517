package nomadstate

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/hashicorp/nomad/api"
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
// the event stream from the model's index; on any error wait a little and build again, so a
// restart of Nomad or of the connection loses nothing.
func Watch(ctx context.Context, c *api.Client, region string, h Handler, log *slog.Logger) {
	const first = 250 * time.Millisecond
	backoff := first
	for ctx.Err() == nil {
		followed, err := follow(ctx, c, region, h)
		if ctx.Err() != nil {
			return
		}
		if followed {
			// A stream that ran says Nomad is back: the next loss starts over.
			backoff = first
		}
		log.Warn("nomad state lost; rebuilding", "err", err, "retry_in", backoff)
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(backoff*2, 10*time.Second)
	}
}

// follow builds a model and follows the stream; followed says it got as far as the stream.
func follow(ctx context.Context, c *api.Client, region string, h Handler) (followed bool, err error) {
	m, err := Build(ctx, c, region)
	if err != nil {
		return false, err
	}
	index := m.Index
	h.Reset(m)
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	topics := map[api.Topic][]string{api.TopicNode: {"*"}, api.TopicAllocation: {"*"}}
	ch, err := c.EventStream().Stream(sctx, topics, index+1, &api.QueryOptions{Namespace: "*"})
	if err != nil {
		return false, fmt.Errorf("opening the event stream: %w", err)
	}
	for evs := range ch {
		if evs.Err != nil {
			return true, fmt.Errorf("reading the event stream: %w", evs.Err)
		}
		for i := range evs.Events {
			if err := apply(ctx, c, h, &evs.Events[i]); err != nil {
				return true, err
			}
		}
	}
	if ctx.Err() != nil {
		return true, ctx.Err()
	}
	return true, errors.New("the event stream ended")
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
