package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/hashicorp/nomad/api"

	"github.com/dec2-cloud/dec2/storage/meta/sqlstore"
	"github.com/dec2-cloud/dec2/storage/metasnap/keeper"
	"github.com/dec2-cloud/dec2/storage/nomadnodes"
	"github.com/dec2-cloud/dec2/storage/piecesink"
	"github.com/dec2-cloud/dec2/walletkey"
)

// keeper reads the service's wallet key and reaches the storage nodes through Nomad.
func (o options) keeper(log *slog.Logger) (*keeper.Keeper, error) {
	key, err := walletkey.Read(o.keyFile, "DEC2_STORAGE_KEY", "storage service")
	if err != nil {
		return nil, fmt.Errorf("%w: metadata snapshots: %w", errUsage, err)
	}
	cfg := api.DefaultConfig()
	if o.nomadAddr != "" {
		cfg.Address = o.nomadAddr
	}
	nomad, err := api.NewClient(cfg)
	if err != nil {
		return nil, fmt.Errorf("%w: the Nomad client: %w", errUsage, err)
	}
	return &keeper.Keeper{Key: key, ChainID: o.chainID, Keep: o.keep, Log: log,
		Nodes: func(ctx context.Context) ([]piecesink.Node, error) {
			nodes, skipped, err := nomadnodes.List(ctx, nomad)
			for _, s := range skipped {
				log.Warn("metadata snapshot: a storage node is left out", "node", s.String())
			}
			return nodes, err
		}}, nil
}

// snapshotEvery stores a snapshot every interval until ctx ends. A failed one is logged and
// the next interval tries again: serving never stops for a snapshot.
func snapshotEvery(ctx context.Context, store *sqlstore.Store, k *keeper.Keeper, every time.Duration, log *slog.Logger) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		start := time.Now()
		taken, err := snapshot(ctx, store, k)
		if err != nil {
			log.Error("metadata snapshot failed", "err", err)
			continue
		}
		log.Info("metadata snapshot stored", "seq", taken.Manifest.Seq, "bytes", taken.Manifest.Size,
			"segments", len(taken.Manifest.Segments), "manifest_copies", taken.Copies, "pruned", taken.Pruned, "took", time.Since(start).Round(time.Millisecond))
	}
}

// snapshot copies the database consistently into a private directory and stores the copy.
func snapshot(ctx context.Context, store *sqlstore.Store, k *keeper.Keeper) (keeper.Taken, error) {
	dir, err := os.MkdirTemp("", "dec2-storage-snapshot-")
	if err != nil {
		return keeper.Taken{}, fmt.Errorf("metadata snapshot: %w", err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "meta.db")
	if err := store.Backup(ctx, path); err != nil {
		return keeper.Taken{}, err
	}
	f, err := os.Open(path)
	if err != nil {
		return keeper.Taken{}, fmt.Errorf("metadata snapshot: %w", err)
	}
	defer f.Close()
	return k.Take(ctx, store.Dialect(), f)
}

// restore rebuilds the SQLite database --db names from the newest snapshot on the storage
// nodes, refusing to touch a database that is already there.
func restore(ctx context.Context, o options, log *slog.Logger, out io.Writer) error {
	path, ok := strings.CutPrefix(o.db, "sqlite://")
	if !ok || path == "" {
		return fmt.Errorf("%w: --db %q: restore writes a SQLite database (sqlite:///path); PostgreSQL is restored from its own replicas", errUsage, o.db)
	}
	if _, err := os.Lstat(path); err == nil {
		return fmt.Errorf("%w: --db %s already exists: move it aside (it may be all that is left of the metadata) and run restore again", errUsage, path)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("creating the database's directory: %w", err)
	}
	k, err := o.keeper(log)
	if err != nil {
		return err
	}
	m, err := k.Restore(ctx, path)
	if err != nil {
		return err
	}
	// Opening it runs the schema upgrades a newer build needs, and proves it is a database.
	store, err := sqlstore.Open(ctx, o.db)
	if err != nil {
		return errors.Join(fmt.Errorf("the restored database does not open: %w", err), os.Remove(path))
	}
	store.Close()
	fmt.Fprintf(out, "restored %s from the metadata snapshot of %s (%d bytes in %d segments)\n",
		path, m.Taken().UTC().Format(time.RFC3339), m.Size, len(m.Segments))
	return nil
}
