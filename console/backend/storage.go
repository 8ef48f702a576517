package backend

import (
	"context"
	"fmt"

	"github.com/dec2-cloud/dec2/console/view"
	"github.com/dec2-cloud/dec2/storage/gateway"
	"github.com/dec2-cloud/dec2/storage/metaapi"
)

// openStorage is the gateway's bucket half, as `dec2 s3 ls` opens it: the storage service's
// catalog signed for by the wallet, names decrypted with the master key. Nil without a URL
// or without the key that signs.
func openStorage(cfg Config) (*gateway.Backend, error) {
	if cfg.Storage == "" || cfg.Key == nil {
		return nil, nil
	}
	g, err := gateway.NewBucketsOnly(&metaapi.Client{URL: cfg.Storage, Key: cfg.Key}, cfg.Master, cfg.Log)
	if err != nil {
		return nil, fmt.Errorf("the storage service at %s: %w", cfg.Storage, err)
	}
	return g, nil
}

// Buckets lists the wallet's buckets with what their objects take on the storage nodes and
// cost an hour at the providers' disk prices (read from Nomad, as billing reads them).
// view.ErrNoStorage: the console was started without the storage service;
// view.ErrStorageNeedsKey: it holds no key to sign the service's requests with (Holdings
// answers what it can show).
func (b *Backend) Buckets(ctx context.Context) ([]view.Bucket, error) {
	switch {
	case b.cfg.Key == nil:
		return nil, view.ErrStorageNeedsKey
	case b.store == nil:
		return nil, view.ErrNoStorage
	}
	list, err := b.store.Buckets(ctx)
	if err != nil {
		return nil, fmt.Errorf("the storage service at %s: %w", b.cfg.Storage, err)
	}
	// Without the prices the buckets still list, each saying why its cost is missing.
	nodes, perr := b.Nodes(ctx)
	prices := view.DiskPrices(nodes)
	out := make([]view.Bucket, 0, len(list))
	for _, info := range list {
		bk := view.Bucket{Name: info.Name, Created: info.Created, Held: map[string]int64{}}
		objs, err := b.store.Objects(ctx, info.Name, "")
		if err != nil {
			bk.Error = err.Error()
			out = append(out, bk)
			continue
		}
		for _, o := range objs {
			bk.Objects++
			bk.Size += o.Size
			bk.Stored += o.Stored
			for p, n := range o.Held {
				bk.Held[p] += n
			}
		}
		if perr != nil {
			bk.Error = "no cost: " + perr.Error()
		} else {
			bk.Price(prices)
		}
		out = append(out, bk)
	}
	return out, nil
}

// Holdings is what the wallet stores with each provider, over all its buckets, and what that
// costs an hour: all a console without the wallet's key can show of its storage (the names
// are the wallet's secret). view.ErrNoStorage: the console was started without a meter.
func (b *Backend) Holdings(ctx context.Context) (view.Holdings, error) {
	if b.cfg.Meter == nil {
		return view.Holdings{}, view.ErrNoStorage
	}
	return b.cfg.Meter.Holdings(ctx, b.who, b.Nodes)
}
