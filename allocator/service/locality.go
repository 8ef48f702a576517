package service

import (
	"context"
	"strings"
	"time"

	"github.com/dec2-cloud/dec2/allocator/pack"
	"github.com/dec2-cloud/dec2/conventions"
)

// holdings is what each tenant's stored data occupies on each provider: tenant wallet →
// provider wallet → bytes, both lowercase 0x hex, as the storage service meters it.
type holdings map[string]map[string]int64

// refreshHoldings reads every tenant's usage per provider from the storage service (as one
// of its meters) until ctx ends, so quotes can prefer the region holding a tenant's buckets.
func (s *Server) refreshHoldings(ctx context.Context) {
	t := time.NewTicker(s.cfg.StorageEvery)
	defer t.Stop()
	for {
		rctx, cancel := context.WithTimeout(ctx, s.cfg.StorageEvery)
		rows, err := s.storage.UsageAll(rctx)
		cancel()
		if err != nil {
			s.log.Warn("reading tenants' storage usage for data locality", "storage", s.cfg.StorageURL, "err", err)
		} else {
			h := holdings{}
			for _, r := range rows {
				tenant := strings.ToLower(r.Tenant)
				if h[tenant] == nil {
					h[tenant] = map[string]int64{}
				}
				h[tenant][strings.ToLower(r.Provider)] += r.Bytes
			}
			s.held.Store(&h)
			s.m.storedBy.Set(float64(len(h)))
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// heldBy is the tenant's data per provider wallet; nil without a storage service or data.
func (s *Server) heldBy(wallet string) map[string]int64 {
	h := s.held.Load()
	if h == nil {
		return nil
	}
	return (*h)[strings.ToLower(wallet)]
}

// localBytes sums what held puts on the providers behind view's nodes, each provider once
// however many machines it runs.
func localBytes(view []pack.Node, held map[string]int64) int64 {
	seen := map[string]bool{}
	var n int64
	for _, node := range view {
		w := strings.ToLower(node.Attributes["meta."+conventions.MetaWallet])
		if w != "" && !seen[w] {
			seen[w] = true
			n += held[w]
		}
	}
	return n
}
