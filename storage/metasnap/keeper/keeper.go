// Package keeper stores the storage service's metadata snapshots on the region's storage
// nodes and restores the newest one (the format is storage/metasnap's): the database goes
// through storage/piecesink like an object, its sealed manifest to several providers, and
// older snapshots beyond the kept number are deleted once a new one is stored.
package keeper

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/dec2-cloud/dec2/storage/crypt"
	"github.com/dec2-cloud/dec2/storage/metasnap"
	"github.com/dec2-cloud/dec2/storage/nodeapi"
	"github.com/dec2-cloud/dec2/storage/piecesink"
	"github.com/dec2-cloud/dec2/storage/piecestore"
)

// Defaults of a Keeper's knobs.
const (
	DefaultKeep   = 3
	DefaultCopies = 5
	// DefaultRetention outlasts many snapshot intervals: a snapshot a crashed service never
	// pruned expires on its own.
	DefaultRetention = 30 * 24 * time.Hour
	// listAtOnce bounds the nodes asked for their manifests at once.
	listAtOnce = 16
)

// Keeper takes and restores snapshots for the service wallet Key.
type Keeper struct {
	Key     *ecdsa.PrivateKey
	ChainID uint64 // the chain the nodes' receipts must be signed for
	// Nodes reads the region's storage nodes that are up.
	Nodes     func(ctx context.Context) ([]piecesink.Node, error)
	Keep      int           // snapshots kept; 0 is DefaultKeep
	Copies    int           // manifest copies, each on another provider; 0 is DefaultCopies
	Retention time.Duration // what the nodes promise to keep pieces for; 0 is DefaultRetention
	HTTP      *http.Client
	Log       *slog.Logger
	Now       func() time.Time
}

// region is the nodes of one take or restore, with the data path and a client per node.
type region struct {
	keys    metasnap.Keys
	nodes   []piecesink.Node
	data    *piecesink.Data
	clients []*nodeapi.Client
}

func (k *Keeper) now() time.Time {
	if k.Now == nil {
		return time.Now()
	}
	return k.Now()
}

func (k *Keeper) log() *slog.Logger {
	if k.Log == nil {
		return slog.Default()
	}
	return k.Log
}

func (k *Keeper) retention() time.Duration {
	if k.Retention == 0 {
		return DefaultRetention
	}
	return k.Retention
}

func (k *Keeper) region(ctx context.Context) (*region, error) {
	master, err := crypt.MasterFromWallet(k.Key)
	if err != nil {
		return nil, fmt.Errorf("metadata snapshot: %w", err)
	}
	nodes, err := k.Nodes(ctx)
	if err != nil {
		return nil, fmt.Errorf("metadata snapshot: reading the storage nodes: %w", err)
	}
	data, err := piecesink.New(piecesink.Config{Nodes: nodes, Key: k.Key, ChainID: k.ChainID, HTTP: k.HTTP,
		Retention: k.retention(), Log: k.log(), Now: k.Now})
	if err != nil {
		return nil, fmt.Errorf("metadata snapshot: %w", err)
	}
	r := &region{keys: metasnap.KeysFrom(master), nodes: nodes, data: data}
	for _, nd := range nodes {
		r.clients = append(r.clients, &nodeapi.Client{URL: nd.URL, HTTP: k.HTTP, Key: k.Key, ChainID: k.ChainID, Now: k.Now})
	}
	return r, nil
}

// Taken is one stored snapshot: its manifest, how many providers hold a copy of the manifest,
// and how many older snapshots were deleted after it.
type Taken struct {
	Manifest metasnap.Manifest
	Copies   int
	Pruned   int
}

// Take stores the database read from db (of dialect) as a new snapshot and deletes the
// snapshots beyond the newest Keep. A snapshot counts as stored once its manifest is on at
// least two providers (one, in a region of one).
func (k *Keeper) Take(ctx context.Context, dialect string, db io.Reader) (Taken, error) {
	r, err := k.region(ctx)
	if err != nil {
		return Taken{}, err
	}
	h := sha256.New()
	segs, err := r.data.Write(ctx, r.keys.Data, io.TeeReader(db, h))
	if err != nil {
		return Taken{}, fmt.Errorf("metadata snapshot: storing the database: %w", err)
	}
	m := metasnap.Manifest{Version: metasnap.Version, Seq: uint64(k.now().UnixMilli()), Dialect: dialect, SHA256: h.Sum(nil), Segments: segs}
	for _, g := range segs {
		m.Size += g.PlainSize
	}
	id := r.keys.NewID(m.Seq)
	sealed, err := r.keys.Seal(id, m)
	if err != nil {
		return Taken{}, err
	}
	copies := k.putCopies(ctx, r, id, sealed)
	if need := min(2, providers(r.nodes)); len(copies) < need {
		undo := context.WithoutCancel(ctx)
		for _, c := range copies {
			_ = r.clients[c].Delete(undo, piecestore.ID(id))
		}
		if derr := r.data.Delete(undo, segs); derr != nil {
			k.log().Warn("metadata snapshot: pieces of a failed snapshot left to expire", "err", derr)
		}
		return Taken{}, fmt.Errorf("metadata snapshot %d: its manifest reached %d providers, want at least %d", m.Seq, len(copies), need)
	}
	t := Taken{Manifest: m, Copies: len(copies)}
	t.Pruned = k.prune(ctx, r)
	return t, nil
}

func providers(nodes []piecesink.Node) int {
	seen := map[common.Address]bool{}
	for _, n := range nodes {
		seen[n.Provider] = true
	}
	return len(seen)
}

// putCopies puts the sealed manifest on one node of each of up to Copies providers, chosen at
// random so that successive snapshots spread over the region, and returns the nodes that
// took it.
func (k *Keeper) putCopies(ctx context.Context, r *region, id metasnap.ID, sealed []byte) []int {
	want := k.Copies
	if want == 0 {
		want = DefaultCopies
	}
	expiry := uint64(k.now().Add(k.retention()).Unix())
	var took []int
	seen := map[common.Address]bool{}
	for _, i := range rand.Perm(len(r.nodes)) {
		if len(took) == want {
			break
		}
		if seen[r.nodes[i].Provider] {
			continue
		}
		if _, err := r.clients[i].Put(ctx, piecestore.ID(id), sealed, expiry); err != nil {
			k.log().Warn("metadata snapshot: a manifest copy failed", "node", r.nodes[i].ID, "err", err)
			continue
		}
		seen[r.nodes[i].Provider] = true
		took = append(took, i)
	}
	return took
}

// copies is where each snapshot's manifest copies are: snapshot → node index → ids there.
type copies map[uint64]map[int][]metasnap.ID

// list asks every node for the wallet's manifests, listAtOnce nodes at a time; a node that
// fails to answer is logged and left out.
func (k *Keeper) list(ctx context.Context, r *region) (copies, []uint64) {
	out := copies{}
	var all []metasnap.ID
	var mu sync.Mutex
	var wg sync.WaitGroup
	sem := make(chan struct{}, listAtOnce)
	for i, c := range r.clients {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			ids, err := c.List(ctx, r.keys.Tag[:])
			if err != nil {
				k.log().Warn("metadata snapshot: a node did not list its manifests", "node", r.nodes[i].ID, "err", err)
				return
			}
			mu.Lock()
			defer mu.Unlock()
			for _, pid := range ids {
				id := metasnap.ID(pid)
				seq, ok := r.keys.Seq(id)
				if !ok {
					continue
				}
				if out[seq] == nil {
					out[seq] = map[int][]metasnap.ID{}
				}
				out[seq][i] = append(out[seq][i], id)
				all = append(all, id)
			}
		})
	}
	wg.Wait()
	return out, r.keys.Newest(all)
}

// open reads and opens a copy of snapshot seq's manifest, trying each copy in turn.
func (k *Keeper) open(ctx context.Context, r *region, where map[int][]metasnap.ID) (metasnap.Manifest, error) {
	var errs []error
	for i, ids := range where {
		for _, id := range ids {
			b, err := r.clients[i].Get(ctx, piecestore.ID(id), 0, -1)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			m, err := r.keys.Open(id, b)
			if err != nil {
				errs = append(errs, fmt.Errorf("node %s: %w", r.nodes[i].ID, err))
				continue
			}
			return m, nil
		}
	}
	return metasnap.Manifest{}, errors.Join(errs...)
}

// prune deletes the snapshots beyond the newest Keep, their data pieces and every manifest
// copy, and returns how many it deleted. What it cannot delete now is logged: the next
// snapshot's prune tries again, and the pieces expire regardless.
func (k *Keeper) prune(ctx context.Context, r *region) int {
	keep := k.Keep
	if keep == 0 {
		keep = DefaultKeep
	}
	where, newest := k.list(ctx, r)
	pruned := 0
	for _, seq := range metasnap.Stale(newest, keep) {
		m, err := k.open(ctx, r, where[seq])
		if err == nil {
			err = r.data.Delete(ctx, m.Segments)
		}
		if err != nil {
			k.log().Warn("metadata snapshot: an old snapshot's data is left to expire", "seq", seq, "err", err)
		}
		for i, ids := range where[seq] {
			for _, id := range ids {
				if err := r.clients[i].Delete(ctx, piecestore.ID(id)); err != nil {
					k.log().Warn("metadata snapshot: an old manifest copy is left to expire", "seq", seq, "node", r.nodes[i].ID, "err", err)
				}
			}
		}
		pruned++
	}
	return pruned
}

// Restore writes the newest snapshot that restores whole to path, which must not exist, and
// returns its manifest. A snapshot whose manifest does not open anywhere or whose pieces no
// longer rebuild the database is skipped for the next older one.
func (k *Keeper) Restore(ctx context.Context, path string) (metasnap.Manifest, error) {
	if _, err := os.Lstat(path); err == nil {
		return metasnap.Manifest{}, &os.PathError{Op: "restore", Path: path, Err: os.ErrExist}
	}
	r, err := k.region(ctx)
	if err != nil {
		return metasnap.Manifest{}, err
	}
	where, newest := k.list(ctx, r)
	if len(newest) == 0 {
		return metasnap.Manifest{}, metasnap.ErrNoSnapshot
	}
	var errs []error
	for _, seq := range newest {
		m, err := k.open(ctx, r, where[seq])
		if err == nil {
			err = k.restoreData(ctx, r, m, path)
		}
		if err == nil {
			return m, nil
		}
		k.log().Warn("metadata snapshot: skipping one that does not restore", "seq", seq, "err", err)
		errs = append(errs, fmt.Errorf("snapshot %d: %w", seq, err))
	}
	return metasnap.Manifest{}, fmt.Errorf("metadata snapshot: none of %d restores: %w", len(newest), errors.Join(errs...))
}

// restoreData rebuilds m's database into a temporary file beside path, checks its size and
// hash, and links it to path (a link, unlike a rename, never replaces a file that appeared
// meanwhile).
func (k *Keeper) restoreData(ctx context.Context, r *region, m metasnap.Manifest, path string) error {
	f, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".restoring-*")
	if err != nil {
		return fmt.Errorf("creating the restored database: %w", err)
	}
	defer os.Remove(f.Name())
	defer f.Close()
	body, err := r.data.Read(ctx, r.keys.Data, m.Segments, 0, m.Size)
	if err != nil {
		return fmt.Errorf("reading the database's pieces: %w", err)
	}
	defer body.Close()
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(f, h), body)
	if err != nil {
		return fmt.Errorf("rebuilding the database from its pieces: %w", err)
	}
	if n != m.Size || !bytes.Equal(h.Sum(nil), m.SHA256) {
		return fmt.Errorf("the rebuilt database (%d bytes) is not the one the manifest describes (%d bytes, SHA-256 %x)", n, m.Size, m.SHA256)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("writing the restored database: %w", err)
	}
	if err := os.Link(f.Name(), path); err != nil {
		return fmt.Errorf("placing the restored database: %w", err)
	}
	return nil
}
