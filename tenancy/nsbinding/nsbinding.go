// Package nsbinding reads tenants' bound wallets from Nomad (namespace meta dec2.wallet) for
// the allocator and billing alike. Only bindings are cached: the identity service binds a
// namespace once and never rebinds it, while an unbound namespace may be bound by its first
// sign-in at any time.
package nsbinding

import (
	"context"
	"fmt"
	"sync"

	"github.com/hashicorp/nomad/api"

	"github.com/dec2-cloud/dec2/conventions"
)

// Reader reads bindings with one Nomad client (its token must read every namespace).
type Reader struct {
	c     *api.Client
	mu    sync.Mutex
	bound map[string]string
}

// New reads bindings through c.
func New(c *api.Client) *Reader { return &Reader{c: c, bound: map[string]string{}} }

// Wallet is namespace ns's bound wallet, "" where it has none.
func (r *Reader) Wallet(ctx context.Context, ns string) (string, error) {
	r.mu.Lock()
	w, ok := r.bound[ns]
	r.mu.Unlock()
	if ok {
		return w, nil
	}
	n, _, err := r.c.Namespaces().Info(ns, (&api.QueryOptions{}).WithContext(ctx))
	if err != nil {
		return "", fmt.Errorf("reading namespace %s: %w", ns, err)
	}
	if w = n.Meta[conventions.MetaWallet]; w != "" {
		r.mu.Lock()
		r.bound[ns] = w
		r.mu.Unlock()
	}
	return w, nil
}
