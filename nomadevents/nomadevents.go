// Package nomadevents follows Nomad's event stream for every namespace, the way each dec2
// component that keeps state from Nomad needs it: resynchronise, stream from the index the
// resynchronisation read, and resynchronise again whenever the stream breaks or a namespace
// appears. Nomad's all-namespace stream, for a token that is not a management token, carries
// only the namespaces that existed when it opened: without the reopen a tenant's first
// sign-in would go unseen (unbilled by billing, unaccounted by the allocator).
package nomadevents

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/hashicorp/nomad/api"
)

// Follower follows Topics of one region.
type Follower struct {
	API    *api.Client
	Topics map[api.Topic][]string
	Log    *slog.Logger
	// NamespacePoll is how often the namespace list is read while streaming; default 5 s.
	NamespacePoll time.Duration
	// MinBackoff and MaxBackoff bound the wait after a failure; defaults 250 ms and 10 s.
	MinBackoff, MaxBackoff time.Duration
}

// ErrNewNamespace ends a stream that does not carry a namespace created after it opened.
var ErrNewNamespace = errors.New("a namespace was created after the event stream opened")

// Run calls sync, which rebuilds what the caller keeps and returns the index to stream from,
// then handle for every batch of events, until ctx ends (it returns ctx's error). A failure of
// sync, of the stream or of handle is logged and followed, after a backoff, by sync again; a
// new namespace is followed by sync at once.
func (f *Follower) Run(ctx context.Context, sync func(context.Context) (uint64, error), handle func(context.Context, *api.Events) error) error {
	minB, maxB := or(f.MinBackoff, 250*time.Millisecond), or(f.MaxBackoff, 10*time.Second)
	backoff := minB
	for ctx.Err() == nil {
		streamed, err := f.once(ctx, sync, handle)
		if ctx.Err() != nil {
			break
		}
		if errors.Is(err, ErrNewNamespace) {
			f.Log.Info("a namespace appeared: resynchronising and reopening Nomad's event stream")
			continue
		}
		if streamed {
			backoff = minB // a stream that ran says Nomad is back: the next loss starts over
		}
		f.Log.Warn("nomad event stream lost; resynchronising", "err", err, "retry_in", backoff)
		select {
		case <-ctx.Done():
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, maxB)
	}
	return ctx.Err()
}

// once resynchronises and streams until something ends it; streamed says the stream opened.
func (f *Follower) once(parent context.Context, sync func(context.Context) (uint64, error), handle func(context.Context, *api.Events) error) (streamed bool, err error) {
	ctx, cancel := context.WithCancelCause(parent)
	defer cancel(nil)
	known, err := f.namespaces(ctx)
	if err != nil {
		return false, err
	}
	index, err := sync(ctx)
	if err != nil {
		return false, err
	}
	go f.watchNamespaces(ctx, known, cancel)
	// ended says why streaming stopped when it stopped because ctx did.
	ended := func(err error) error {
		if c := context.Cause(ctx); errors.Is(c, ErrNewNamespace) && parent.Err() == nil {
			return c
		}
		return err
	}
	ch, err := f.API.EventStream().Stream(ctx, f.Topics, index, &api.QueryOptions{Namespace: "*"})
	if err != nil {
		return false, ended(fmt.Errorf("opening the event stream at %d: %w", index, err))
	}
	for evs := range ch {
		if evs.Err != nil {
			return true, ended(fmt.Errorf("reading the event stream: %w", evs.Err))
		}
		if evs.IsHeartbeat() {
			continue
		}
		if err := handle(ctx, evs); err != nil {
			return true, ended(err)
		}
	}
	if ctx.Err() != nil {
		return true, ended(ctx.Err())
	}
	return true, errors.New("the event stream ended")
}

func (f *Follower) namespaces(ctx context.Context) (map[string]bool, error) {
	list, _, err := f.API.Namespaces().List((&api.QueryOptions{}).WithContext(ctx))
	if err != nil {
		return nil, fmt.Errorf("listing namespaces: %w", err)
	}
	out := make(map[string]bool, len(list))
	for _, n := range list {
		out[n.Name] = true
	}
	return out, nil
}

// watchNamespaces cancels the stream with ErrNewNamespace when a namespace appears that known
// lacks; it returns when ctx ends.
func (f *Follower) watchNamespaces(ctx context.Context, known map[string]bool, cancel context.CancelCauseFunc) {
	t := time.NewTicker(or(f.NamespacePoll, 5*time.Second))
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		now, err := f.namespaces(ctx)
		if err != nil {
			continue // the stream itself reports a broken Nomad
		}
		for n := range now {
			if !known[n] {
				cancel(ErrNewNamespace)
				return
			}
		}
	}
}

func or(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}
