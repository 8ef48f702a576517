package service

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/hashicorp/nomad/api"
)

// visibility caches, per caller token, the nodes the token may read: a tenant packs only
// into what it may see.
type visibility struct {
	c     *api.Client // no token of its own: every call carries the caller's
	ttl   time.Duration
	mu    sync.Mutex
	cache map[string]visible
}

type visible struct {
	ids     map[string]bool
	expires time.Time
}

func newVisibility(c *api.Client, ttl time.Duration) *visibility {
	return &visibility{c: c, ttl: ttl, cache: map[string]visible{}}
}

// errNoNodeRead: the token may not list nodes, so there is nothing it may pack into.
var errNoNodeRead = errors.New("the ACL token may not read nodes (node:read); dec2 packs only onto nodes the caller's token can see")

func (v *visibility) nodes(ctx context.Context, token string, now time.Time) (map[string]bool, error) {
	v.mu.Lock()
	e, ok := v.cache[token]
	v.mu.Unlock()
	if ok && now.Before(e.expires) {
		return e.ids, nil
	}
	stubs, _, err := v.c.Nodes().List((&api.QueryOptions{AuthToken: token}).WithContext(ctx))
	if err != nil {
		var ue api.UnexpectedResponseError
		if errors.As(err, &ue) && ue.StatusCode() == http.StatusForbidden {
			return nil, errNoNodeRead
		}
		return nil, fmt.Errorf("listing the nodes the caller may see: %w", err)
	}
	ids := make(map[string]bool, len(stubs))
	for _, s := range stubs {
		ids[s.ID] = true
	}
	v.mu.Lock()
	if len(v.cache) > 1024 {
		clear(v.cache)
	}
	v.cache[token] = visible{ids: ids, expires: now.Add(v.ttl)}
	v.mu.Unlock()
	return ids, nil
}
