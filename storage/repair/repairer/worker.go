// Package repairer is the repair worker around storage/repair's checker: it reads the region
// from Nomad, the catalog through the storage service's repair API and the pieces from the
// storage nodes, rebuilds lost pieces and places them through piecesink.Place.
package repairer

import (
	"cmp"
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/dec2-cloud/dec2/reputation"
	"github.com/dec2-cloud/dec2/storage/crypt"
	"github.com/dec2-cloud/dec2/storage/erasure"
	"github.com/dec2-cloud/dec2/storage/meta"
	"github.com/dec2-cloud/dec2/storage/nodeapi"
	"github.com/dec2-cloud/dec2/storage/piecesink"
	"github.com/dec2-cloud/dec2/storage/piecestore"
	"github.com/dec2-cloud/dec2/storage/repair"
)

// Catalog is the storage service as a repairer uses it (*metaapi.Client, signed by a
// dec2-storage --repairer wallet).
type Catalog interface {
	PiecesOn(ctx context.Context, provider common.Address, after string, limit int) ([]meta.HeldPiece, error)
	HeldPiece(ctx context.Context, provider common.Address, id common.Hash) (*meta.HeldPiece, error)
	Segment(ctx context.Context, ref meta.SegmentRef) (meta.Segment, error)
	ReplacePieces(ctx context.Context, ref meta.SegmentRef, reps []meta.Replacement) error
	NarrowSegments(ctx context.Context, fits, limit int) ([]meta.SegmentRef, error)
	WidenSegment(ctx context.Context, w meta.Widening) error
	Orphans(ctx context.Context, limit int) ([]meta.Orphan, error)
	ForgetOrphan(ctx context.Context, o meta.Orphan) error
}

// Worker repairs the segments of lost and condemned storage nodes, and widens the segments
// written narrow while the attestors barred providers, one Round at a time.
type Worker struct {
	Catalog Catalog
	// Region reads the storage nodes (ReadNomad over the region's Nomad).
	Region func(ctx context.Context) (Region, error)
	// Key is the repairer's wallet: it signs the catalog's requests and the rebuilt pieces'
	// uploads, and so owns those pieces on the nodes.
	Key     *ecdsa.PrivateKey
	ChainID uint64
	// Grace is how long a node stays down before its pieces count as lost.
	Grace time.Duration
	// Reputations reads what the attestors say (ReadReputations), nil for none: nodes their
	// view disqualifies by audits are condemned, and it steers placement as the gateway's.
	// Without a view (too few attestors answered), nobody is condemned or barred that round.
	// The pieces their audits found lost are read by the round, and rebuilt if bad.
	Reputations func(ctx context.Context) (Attestors, error)
	// Retention is what rebuilt pieces' receipts promise; 0 is piecesink.DefaultRetention.
	Retention time.Duration
	// Parallel is how many segments are repaired at once; 0 is DefaultParallel.
	Parallel int
	HTTP     *http.Client
	Log      *slog.Logger
	Now      func() time.Time
}

// DefaultParallel keeps a few segments in flight: each holds k + (pieces to rebuild) pieces in
// memory (at most 64 MiB of ciphertext for a 2/4 segment plus its rebuilt pieces), and the
// fetches, hashing and uploads of one overlap with the others'.
const DefaultParallel = 4

// Report is what a round did.
type Report struct {
	LostNodes int   // nodes down past the grace
	Condemned int   // nodes disqualified by audits, not lost
	Segments  int   // segments with a piece on a lost or condemned node, checked
	Repaired  int   // segments brought back to n healthy pieces
	Pieces    int   // pieces rebuilt and placed
	Bytes     int64 // their bytes
	DataLost  int   // segments with fewer than k healthy pieces
	Widened   int   // narrow segments brought to their full code (their pieces count in Pieces and Bytes)
	Orphans   int   // pieces of this repairer collected from nodes
	Confirmed int   // pieces the attestors' audits found lost that the round found bad too
}

// Attrs are the report as log attributes.
func (r Report) Attrs() []any {
	return []any{"lost_nodes", r.LostNodes, "condemned_nodes", r.Condemned, "segments", r.Segments, "repaired", r.Repaired,
		"pieces", r.Pieces, "bytes", r.Bytes, "data_lost", r.DataLost, "widened", r.Widened, "orphans", r.Orphans, "confirmed_lost", r.Confirmed}
}

// pageSize is how many of a lost provider's pieces one catalog request lists.
const pageSize = 1000

// Round collects the repairer's orphans, then repairs every segment with a piece on a node
// down past the grace or disqualified by its audits, then widens narrow segments (widenAll).
// Segments that cannot be repaired now (too few providers with room, pieces unreachable) are
// left for the next round; the error joins what went wrong.
func (w *Worker) Round(ctx context.Context) (Report, error) {
	var rep Report
	r, err := w.survey(ctx)
	if err != nil {
		return rep, err
	}
	rep.LostNodes, rep.Condemned = r.judged()
	var errs []error
	n, err := r.collectOrphans(ctx)
	rep.Orphans = n
	errs = append(errs, err)
	// The listing's errors are taken after the repairs' (the callback appends to errs).
	listErr := r.stranded(ctx, func(refs []meta.SegmentRef) bool {
		errs = append(errs, r.repairAll(ctx, refs, &rep))
		return true
	})
	errs = append(errs, listErr, r.widenAll(ctx, &rep))
	rep.Confirmed = r.confirmed()
	return rep, errors.Join(errs...)
}

// Work is what a round would find to do, as Pending sees it without reading a piece.
type Work struct {
	LostNodes int // nodes down past the grace
	Condemned int // nodes disqualified by audits, not lost
	// Orphans counts this repairer's pieces no object lists that a round would delete or
	// forget now (those on nodes down within the grace wait).
	Orphans int
	// Repair is a segment with a piece on a lost or condemned node, or a piece the attestors'
	// audits found lost and that reads bad, that k pieces can rebuild; nil when there is none.
	Repair *meta.SegmentRef
	// Narrow is a segment written narrow whose full code fits the providers free to take
	// pieces; nil when there is none.
	Narrow *meta.SegmentRef
}

// Any says whether a round has something to do.
func (w Work) Any() bool { return w.Orphans > 0 || w.Repair != nil || w.Narrow != nil }

// Pending is the cheap part of a round, which a checker runs to decide whether to start a
// worker: the region read and judged as a round judges it, the orphans a round would act on,
// the first segment a round would repair (its catalog entry checked as a repair checks it, so
// a segment whose data is lost is no work) and the first narrow segment a round would widen.
// It reads catalog entries, and no piece but those the attestors' audits found lost, which a
// round would read first too.
func (w *Worker) Pending(ctx context.Context) (Work, error) {
	var work Work
	r, err := w.survey(ctx)
	if err != nil {
		return work, err
	}
	work.LostNodes, work.Condemned = r.judged()
	orphans, err := w.Catalog.Orphans(ctx, 0)
	if err != nil {
		return work, fmt.Errorf("repair: listing orphans: %w", err)
	}
	for _, o := range orphans {
		if r.orphanFate(o) != orphanWaits {
			work.Orphans++
		}
	}
	var errs []error
	listErr := r.stranded(ctx, func(refs []meta.SegmentRef) bool {
		for _, ref := range refs {
			_, plan, current, err := r.check(ctx, ref)
			errs = append(errs, err)
			if current && plan.Needed() {
				work.Repair = &ref
				return false
			}
		}
		return true
	})
	narrow, err := r.narrow(ctx, 1)
	errs = append(errs, listErr, err)
	if len(narrow) > 0 {
		work.Narrow = &narrow[0]
	}
	return work, errors.Join(errs...)
}

// survey reads the region and judges its nodes: the start of a round and of Pending.
func (w *Worker) survey(ctx context.Context) (*round, error) {
	region, err := w.Region(ctx)
	if err != nil {
		return nil, err
	}
	lost := w.rate(ctx, &region)
	r := &round{w: w, region: region, known: map[string]bool{}, clients: map[string]*nodeapi.Client{}, suspects: map[string]reputation.LostPiece{},
		verdicts: map[string]bool{}}
	for _, s := range region.State {
		r.known[s.ID] = true
	}
	r.standing = repair.Judge(region.State, w.now(), w.Grace)
	for _, l := range lost {
		// A piece on a lost or condemned node is rebuilt with the others there.
		if r.known[l.NodeID] && r.standing[l.NodeID] == repair.Sound {
			r.suspects[l.PieceID] = l
		}
	}
	return r, nil
}

// judged counts the nodes whose pieces are to be rebuilt: lost, and condemned.
func (r *round) judged() (lost, condemned int) {
	for _, s := range r.standing {
		if s == repair.Lost {
			lost++
		} else {
			condemned++
		}
	}
	return lost, condemned
}

// stranded pages through the pieces of every provider with a lost or condemned node and hands
// do, page by page, the segments with a piece on such a node, then those of the pieces the
// attestors' audits found lost, each segment once, until do returns false. The error joins the
// listings that failed.
func (r *round) stranded(ctx context.Context, do func([]meta.SegmentRef) bool) error {
	providers := map[common.Address]bool{}
	for id := range r.standing {
		if p, ok := r.region.Provider[id]; ok {
			providers[p] = true
		}
	}
	var errs []error
	done := map[string]bool{}
	for p := range providers {
		after := ""
		for {
			held, err := r.w.Catalog.PiecesOn(ctx, p, after, pageSize)
			if err != nil {
				errs = append(errs, fmt.Errorf("repair: listing %s's pieces: %w", p.Hex(), err))
				break
			}
			var refs []meta.SegmentRef
			for _, h := range held {
				key := fmt.Sprintf("%s/%x/%x/%d/%d", h.Tenant, h.Bucket, h.Key, h.Version, h.Segment)
				if r.standing[h.NodeID] != repair.Sound && !done[key] {
					done[key] = true
					refs = append(refs, h.Ref())
				}
			}
			if !do(refs) {
				return errors.Join(errs...)
			}
			if len(held) < pageSize {
				break
			}
			after = held[len(held)-1].PieceID
		}
	}
	var refs []meta.SegmentRef
	for _, l := range r.suspects {
		if !common.IsHexAddress(l.Provider) || len(l.PieceID) != 2*common.HashLength {
			r.w.log().Warn("repair: an attestor's lost piece names no wallet or piece id", "provider", l.Provider, "piece_id", l.PieceID)
			continue
		}
		h, err := r.w.Catalog.HeldPiece(ctx, common.HexToAddress(l.Provider), common.HexToHash(l.PieceID))
		if err != nil {
			errs = append(errs, fmt.Errorf("repair: looking up lost piece %s: %w", l.PieceID, err))
			continue
		}
		// Gone from the catalog (rebuilt, or its object deleted) or moved: nothing to do.
		if h == nil || h.NodeID != l.NodeID {
			continue
		}
		key := fmt.Sprintf("%s/%x/%x/%d/%d", h.Tenant, h.Bucket, h.Key, h.Version, h.Segment)
		if !done[key] {
			done[key] = true
			refs = append(refs, h.Ref())
		}
	}
	if len(refs) > 0 {
		do(refs)
	}
	return errors.Join(errs...)
}

// rate marks the nodes the attestors disqualify by audits and sets the reputations placement
// weighs, barring those that get no new pieces. It returns the pieces their audits found lost.
func (w *Worker) rate(ctx context.Context, region *Region) []reputation.LostPiece {
	if w.Reputations == nil {
		return nil
	}
	a, err := w.Reputations(ctx)
	view := a.View
	if err != nil {
		w.log().Warn("repair: the attestors' reputations are incomplete", "err", err)
	}
	for i := range region.State {
		region.State[i].Disqualified = view.Disqualified(region.State[i].ID)
	}
	for _, b := range view.Apply(region.Place) {
		w.log().Warn("repair: storage node gets no new pieces", "node", b.ID, "provider", b.Provider, "score", b.Score, "audit", b.Audit,
			"disqualified_by_audits", b.Disqualified)
	}
	return a.Lost
}

// each runs do on every ref, Parallel at a time; done hears each outcome, one at a time.
func (r *round) each(refs []meta.SegmentRef, do func(meta.SegmentRef) (int, int64, error), done func(pieces int, bytes int64, err error)) {
	var (
		mu  sync.Mutex
		wg  sync.WaitGroup
		sem = make(chan struct{}, cmp.Or(r.w.Parallel, DefaultParallel))
	)
	for _, ref := range refs {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			pieces, bytes, err := do(ref)
			mu.Lock()
			defer mu.Unlock()
			done(pieces, bytes, err)
		})
	}
	wg.Wait()
}

// repairAll repairs refs, Parallel at a time, and adds what it did to rep.
func (r *round) repairAll(ctx context.Context, refs []meta.SegmentRef, rep *Report) error {
	var errs []error
	r.each(refs, func(ref meta.SegmentRef) (int, int64, error) { return r.repair(ctx, ref) }, func(pieces int, bytes int64, err error) {
		rep.Segments++
		var lost *repair.DataLost
		switch {
		case errors.As(err, &lost):
			rep.DataLost++
			r.w.log().Error("repair: data lost", "tenant", lost.Ref.Tenant, "version", lost.Ref.Version, "segment", lost.Ref.Segment, "healthy", lost.Healthy, "need", lost.Need)
		case err != nil:
			errs = append(errs, err)
		case pieces > 0:
			rep.Repaired++
			rep.Pieces += pieces
			rep.Bytes += bytes
		}
	})
	return errors.Join(errs...)
}

func (w *Worker) now() time.Time {
	if w.Now != nil {
		return w.Now()
	}
	return time.Now()
}

func (w *Worker) log() *slog.Logger {
	if w.Log != nil {
		return w.Log
	}
	return slog.Default()
}

// round is one Round's view of the region.
type round struct {
	w      *Worker
	region Region
	known  map[string]bool
	// standing is the nodes whose pieces are to be rebuilt: lost or condemned.
	standing map[string]repair.Standing
	// suspects are the pieces on sound nodes the attestors' audits found lost, by piece id.
	suspects map[string]reputation.LostPiece
	// mu guards clients, cands and verdicts, which the segments repaired at once share.
	mu      sync.Mutex
	clients map[string]*nodeapi.Client
	// verdicts is whether each suspect read this round was bad (its absence: not read, or
	// its node unreachable).
	verdicts map[string]bool
	// sink uploads rebuilt pieces to the nodes that may take them (Region.Place, by index);
	// nil when the region has too few providers to place on.
	sink    *piecesink.Data
	sinkErr error
	// cands are the nodes that may take pieces, with their free space; asked once a round.
	cands []piecesink.Candidate
	asked sync.Once
}

// standingOf is a piece's standing: its node's, or lost when Nomad no longer lists the node at
// all (collected after a long absence).
//
// A piece the attestors found lost and the round read bad is condemned: rebuilt, and still a
// source (checked by hash like any other) should it read whole again.
func (r *round) standingOf(p meta.Piece) repair.Standing {
	if !r.known[p.NodeID] {
		return repair.Lost
	}
	r.mu.Lock()
	bad := r.verdicts[p.PieceID]
	r.mu.Unlock()
	if bad {
		return repair.Condemned
	}
	return r.standing[p.NodeID]
}

// confirm reads the pieces of g the attestors found lost (once a round each): what a node
// serves that is missing, or is not the piece the catalog recorded, is bad. A node that does
// not answer leaves the piece as it was, to be read next round.
func (r *round) confirm(ctx context.Context, g meta.Segment) {
	for _, p := range g.Pieces {
		l, suspect := r.suspects[p.PieceID]
		r.mu.Lock()
		_, read := r.verdicts[p.PieceID]
		r.mu.Unlock()
		if !suspect || read || r.standing[p.NodeID] != repair.Sound {
			continue
		}
		code, err := erasure.New(g.K, g.N)
		if err != nil {
			return
		}
		_, err = r.get(ctx, p, code.PieceSize(crypt.CipherSize(g.PlainSize)))
		var badPiece *BadPiece
		var refused *nodeapi.Refused
		bad := errors.As(err, &badPiece) || errors.As(err, &refused) && refused.Status == http.StatusNotFound
		switch {
		case bad:
			r.w.log().Warn("repair: a piece the attestors found lost reads bad: rebuilding it", "node", p.NodeID, "provider", p.Provider,
				"piece_id", p.PieceID, "audit", l.Outcome, "err", err)
		case err != nil:
			r.w.log().Warn("repair: a piece the attestors found lost could not be read; trying again next round", "node", p.NodeID, "piece_id", p.PieceID, "err", err)
			continue
		default:
			r.w.log().Info("repair: a piece the attestors found lost reads whole: left in place", "node", p.NodeID, "piece_id", p.PieceID, "audit", l.Outcome)
		}
		r.mu.Lock()
		r.verdicts[p.PieceID] = bad
		r.mu.Unlock()
	}
}

// confirmed counts the suspects the round read bad.
func (r *round) confirmed() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, bad := range r.verdicts {
		if bad {
			n++
		}
	}
	return n
}

func (r *round) client(nodeID string) (*nodeapi.Client, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if c, ok := r.clients[nodeID]; ok {
		return c, true
	}
	url, ok := r.region.URL[nodeID]
	if !ok {
		return nil, false
	}
	c := &nodeapi.Client{URL: url, HTTP: r.w.HTTP, Key: r.w.Key, ChainID: r.w.ChainID, Now: r.w.Now}
	r.clients[nodeID] = c
	return c, true
}

// orphanFate is what a round does with one of its orphans.
type orphanFate int

const (
	orphanDeleted   orphanFate = iota // its node is up: delete it there, then forget it
	orphanForgotten                   // its node is lost or gone, and the piece with it
	orphanWaits                       // its node is down within the grace
)

func (r *round) orphanFate(o meta.Orphan) orphanFate {
	switch _, up := r.region.URL[o.NodeID]; {
	case up:
		return orphanDeleted
	case r.known[o.NodeID] && r.standing[o.NodeID] != repair.Lost:
		return orphanWaits
	}
	return orphanForgotten
}

// collectOrphans deletes the pieces this repairer put that no object lists any more: the node
// lets only their uploader delete them, so the tenant's gateway could not. Those on lost nodes
// went with their provider and are forgotten; those on nodes briefly down wait.
func (r *round) collectOrphans(ctx context.Context) (int, error) {
	orphans, err := r.w.Catalog.Orphans(ctx, 0)
	if err != nil {
		return 0, fmt.Errorf("repair: listing orphans: %w", err)
	}
	var errs []error
	n := 0
	for _, o := range orphans {
		switch r.orphanFate(o) {
		case orphanDeleted:
			c, _ := r.client(o.NodeID)
			id, err := piecestore.ParseID(o.PieceID)
			if err == nil {
				err = c.Delete(ctx, id)
			}
			var refused *nodeapi.Refused
			if err != nil && !(errors.As(err, &refused) && refused.Status == http.StatusNotFound) {
				errs = append(errs, fmt.Errorf("repair: deleting orphan %s from node %s: %w", o.PieceID, o.NodeID, err))
				continue
			}
			n++
		case orphanWaits:
			continue
		}
		if err := r.w.Catalog.ForgetOrphan(ctx, o); err != nil {
			errs = append(errs, fmt.Errorf("repair: forgetting orphan %s: %w", o.PieceID, err))
		}
	}
	return n, errors.Join(errs...)
}

// check reads a segment and decides its repair (repair.Check by its pieces' nodes' standing).
// current is false when the object was rewritten or deleted since ref was listed: its pieces
// are garbage, not to repair.
func (r *round) check(ctx context.Context, ref meta.SegmentRef) (g meta.Segment, plan repair.Plan, current bool, err error) {
	g, err = r.w.Catalog.Segment(ctx, ref)
	if errors.Is(err, meta.ErrNotFound) || errors.As(err, new(*meta.Conflict)) {
		return g, plan, false, nil
	}
	if err != nil {
		return g, plan, false, fmt.Errorf("repair: reading segment %d of %s's object: %w", ref.Segment, ref.Tenant, err)
	}
	r.confirm(ctx, g)
	return g, repair.Check(g, r.standingOf), true, nil
}

// repair brings one segment back to n healthy pieces and returns how many pieces it rebuilt
// and their bytes (0 when the segment needed none, or moved on since it was listed).
func (r *round) repair(ctx context.Context, ref meta.SegmentRef) (int, int64, error) {
	g, plan, current, err := r.check(ctx, ref)
	if !current {
		return 0, 0, err
	}
	if plan.DataLost {
		return 0, 0, &repair.DataLost{Ref: ref, Healthy: len(plan.Sources()), Need: g.K}
	}
	if !plan.Needed() {
		return 0, 0, nil
	}
	code, err := erasure.New(g.K, g.N)
	if err != nil {
		return 0, 0, fmt.Errorf("repair: segment %d: %w", ref.Segment, err)
	}
	size := code.PieceSize(crypt.CipherSize(g.PlainSize))
	shards, rebuild, err := r.fetch(ctx, g, plan, size)
	if err != nil {
		return 0, 0, fmt.Errorf("repair: segment %d of %s's object: %w", ref.Segment, ref.Tenant, err)
	}
	if err := code.Reconstruct(shards); err != nil {
		return 0, 0, fmt.Errorf("repair: rebuilding segment %d: %w", ref.Segment, err)
	}
	byIndex := map[int]meta.Piece{}
	for _, p := range g.Pieces {
		byIndex[p.Index] = p
	}
	// Only pieces the catalog lists can be swapped: a segment written with fewer than n
	// pieces keeps its missing indexes missing.
	rebuild = slices.DeleteFunc(rebuild, func(i int) bool { return byIndex[i].PieceID == "" })
	if len(rebuild) == 0 {
		return 0, 0, nil
	}
	reps, err := r.place(ctx, g, rebuild, shards, size)
	if err != nil {
		return 0, 0, fmt.Errorf("repair: segment %d of %s's object: %w", ref.Segment, ref.Tenant, err)
	}
	for i := range reps {
		reps[i].Old = byIndex[reps[i].New.Index].PieceID
	}
	if err := r.w.Catalog.ReplacePieces(ctx, ref, reps); err != nil {
		// The rebuilt pieces are the repairer's and nobody else's: delete them now.
		r.remove(context.WithoutCancel(ctx), reps)
		return 0, 0, r.moved(err, "recording segment %d's rebuilt pieces", ref.Segment)
	}
	r.w.log().Info("repair: segment repaired", "tenant", ref.Tenant, "version", ref.Version, "segment", ref.Segment,
		"rebuilt", len(reps), "piece_bytes", size)
	return len(reps), size * int64(len(reps)), nil
}

// widenAll widens the segments written narrow while the attestors barred providers (k/m with
// m < 2k: piecesink narrows a write's code to the providers it may use) back to k/2k, the
// code erasure.Choose pairs with k, once the region has the providers for it: a page of those
// whose full code fits the providers that may take pieces now, each round. A segment with a
// piece to repair is the repair pass's first, and widened in a later round.
func (r *round) widenAll(ctx context.Context, rep *Report) error {
	refs, err := r.narrow(ctx, pageSize)
	if err != nil {
		return err
	}
	var errs []error
	r.each(refs, func(ref meta.SegmentRef) (int, int64, error) { return r.widen(ctx, ref) }, func(pieces int, bytes int64, err error) {
		switch {
		case err != nil:
			errs = append(errs, err)
		case pieces > 0:
			rep.Widened++
			rep.Pieces += pieces
			rep.Bytes += bytes
		}
	})
	return errors.Join(errs...)
}

// narrow lists up to limit segments written narrow whose full code fits the providers that
// may take pieces now (none when those are fewer than erasure coding's minimum).
func (r *round) narrow(ctx context.Context, limit int) ([]meta.SegmentRef, error) {
	usable := map[common.Address]bool{}
	for _, n := range r.region.Place {
		if n.Reputation >= 0 {
			usable[n.Provider] = true
		}
	}
	if len(usable) < erasure.MinProviders {
		return nil, nil
	}
	refs, err := r.w.Catalog.NarrowSegments(ctx, len(usable), limit)
	if err != nil {
		return nil, fmt.Errorf("repair: listing narrow segments: %w", err)
	}
	return refs, nil
}

// widen brings one narrow segment to k/2k: it reads k of its pieces, rebuilds under k/2k the
// pieces it lacks (and any it holds corrupt: k/m's pieces are the first m of k/2k's, see
// erasure.Code), puts them on providers that hold none of the segment, swaps the corrupt ones
// as repair does and adds the others. It returns the pieces put and their bytes.
func (r *round) widen(ctx context.Context, ref meta.SegmentRef) (int, int64, error) {
	g, plan, current, err := r.check(ctx, ref)
	if !current {
		return 0, 0, err
	}
	full := 2 * g.K
	if g.N >= full || plan.Needed() || plan.DataLost {
		return 0, 0, nil
	}
	wide, err := erasure.New(g.K, full)
	if err != nil {
		return 0, 0, fmt.Errorf("repair: segment %d: %w", ref.Segment, err)
	}
	size := wide.PieceSize(crypt.CipherSize(g.PlainSize))
	shards, corrupt, err := r.fetch(ctx, g, plan, size)
	if err != nil {
		return 0, 0, fmt.Errorf("repair: narrow segment %d of %s's object: %w", ref.Segment, ref.Tenant, err)
	}
	fetched := make([]bool, g.N)
	for i := range fetched {
		fetched[i] = shards[i] != nil
	}
	shards = append(shards, make([][]byte, full-g.N)...)
	if err := wide.Reconstruct(shards); err != nil {
		return 0, 0, fmt.Errorf("repair: widening segment %d: %w", ref.Segment, err)
	}
	// The segment's own pieces, rebuilt under k/2k, must be the ones it recorded: otherwise the
	// added ones would not belong to it either.
	for _, p := range g.Pieces {
		if h := erasure.HashPiece(shards[p.Index]); !fetched[p.Index] && string(p.Hash) != string(h[:]) {
			return 0, 0, fmt.Errorf("repair: widening segment %d: piece %d rebuilt under %d/%d does not match its recorded hash", ref.Segment, p.Index, g.K, full)
		}
	}
	rebuild := corrupt
	for i := g.N; i < full; i++ {
		rebuild = append(rebuild, i)
	}
	placed, err := r.place(ctx, g, rebuild, shards, size)
	if err != nil {
		return 0, 0, fmt.Errorf("repair: narrow segment %d of %s's object: %w", ref.Segment, ref.Tenant, err)
	}
	byIndex := map[int]string{}
	for _, p := range g.Pieces {
		byIndex[p.Index] = p.PieceID
	}
	var swapped, added []meta.Replacement
	w := meta.Widening{Ref: ref, From: g.N}
	for _, rp := range placed {
		if rp.New.Index < g.N {
			rp.Old = byIndex[rp.New.Index]
			swapped = append(swapped, rp)
			continue
		}
		added = append(added, rp)
		w.Add = append(w.Add, rp.New)
	}
	if len(swapped) > 0 {
		if err := r.w.Catalog.ReplacePieces(ctx, ref, swapped); err != nil {
			r.remove(context.WithoutCancel(ctx), placed)
			return 0, 0, r.moved(err, "recording segment %d's rebuilt pieces", ref.Segment)
		}
	}
	if err := r.w.Catalog.WidenSegment(ctx, w); err != nil {
		r.remove(context.WithoutCancel(ctx), added)
		return 0, 0, r.moved(err, "recording segment %d's added pieces", ref.Segment)
	}
	r.w.log().Info("repair: segment widened", "tenant", ref.Tenant, "version", ref.Version, "segment", ref.Segment,
		"k", g.K, "from", g.N, "to", full, "rebuilt", len(swapped), "piece_bytes", size)
	return len(placed), size * int64(len(placed)), nil
}

// moved is nil for a catalog refusal that means the segment moved on since it was read (a
// write or another repair came first: its rebuilt pieces are not needed), else err described.
func (r *round) moved(err error, format string, args ...any) error {
	if errors.Is(err, meta.ErrNotFound) || errors.Is(err, meta.ErrPieceChanged) || errors.As(err, new(*meta.Conflict)) {
		return nil
	}
	return fmt.Errorf("repair: "+format+": %w", append(args, err)...)
}

// fetch reads the plan's sources from nodes that are up, sound pieces first and data pieces
// first among them, until k pass their recorded hash. A piece that fails it is corrupt: it
// joins the pieces to rebuild. It returns n shards with the k good ones set, and what to
// rebuild.
func (r *round) fetch(ctx context.Context, g meta.Segment, plan repair.Plan, size int64) ([][]byte, []int, error) {
	byIndex := map[int]meta.Piece{}
	for _, p := range g.Pieces {
		byIndex[p.Index] = p
	}
	shards := make([][]byte, g.N)
	rebuild := append([]int(nil), plan.Rebuild...)
	good := 0
	var errs []error
	// k at a time, all at once: a batch short of k because some failed is made up from the
	// next sources.
	sources := plan.Sources()
	for next := 0; good < g.K && next < len(sources); {
		batch := sources[next:min(len(sources), next+g.K-good)]
		next += len(batch)
		got := make([][]byte, len(batch))
		ferrs := make([]error, len(batch))
		var wg sync.WaitGroup
		for j, i := range batch {
			wg.Go(func() { got[j], ferrs[j] = r.get(ctx, byIndex[i], size) })
		}
		wg.Wait()
		for j, i := range batch {
			var bad *BadPiece
			switch err := ferrs[j]; {
			case errors.As(err, &bad):
				p := byIndex[i]
				if !slices.Contains(rebuild, i) { // a condemned piece is being rebuilt already
					rebuild = append(rebuild, i)
				}
				r.w.log().Warn("repair: corrupt piece, rebuilding it too", "node", p.NodeID, "provider", p.Provider, "piece_id", p.PieceID, "err", err)
				errs = append(errs, err)
			case err != nil:
				errs = append(errs, err)
			default:
				shards[i] = got[j]
				good++
			}
		}
	}
	if good < g.K {
		return nil, nil, fmt.Errorf("%d of the k = %d pieces needed could be read: %w", good, g.K, errors.Join(errs...))
	}
	return shards, rebuild, nil
}

// BadPiece is a piece a node served that is not the one the catalog recorded.
type BadPiece struct {
	PieceID string
	Reason  string
}

func (e *BadPiece) Error() string { return "repair: piece " + e.PieceID + ": " + e.Reason }

func (r *round) get(ctx context.Context, p meta.Piece, size int64) ([]byte, error) {
	c, up := r.client(p.NodeID)
	if !up {
		return nil, fmt.Errorf("piece %d is on node %s, which is not up", p.Index, p.NodeID)
	}
	id, err := piecestore.ParseID(p.PieceID)
	if err != nil {
		return nil, fmt.Errorf("piece %d: %w", p.Index, err)
	}
	b, err := c.Get(ctx, id, 0, -1)
	if err != nil {
		return nil, fmt.Errorf("piece %d on node %s: %w", p.Index, p.NodeID, err)
	}
	var want erasure.PieceHash
	switch {
	case int64(len(b)) != size:
		return nil, &BadPiece{PieceID: p.PieceID, Reason: fmt.Sprintf("%d bytes, want %d", len(b), size)}
	case len(p.Hash) != len(want):
		return nil, &BadPiece{PieceID: p.PieceID, Reason: "no hash recorded"}
	}
	copy(want[:], p.Hash)
	if erasure.HashPiece(b) != want {
		return nil, &BadPiece{PieceID: p.PieceID, Reason: "does not match its recorded hash"}
	}
	return b, nil
}

// place puts the rebuilt pieces on providers the packer chooses among those that hold no
// piece of the segment (pieces of one segment stay on distinct providers), each upload that
// fails going to the next spare, and returns them as replacements (Old not yet set).
func (r *round) place(ctx context.Context, g meta.Segment, rebuild []int, shards [][]byte, size int64) ([]meta.Replacement, error) {
	r.asked.Do(func() { r.askCapacity(ctx) })
	if r.sink == nil {
		return nil, fmt.Errorf("no storage nodes to place rebuilt pieces on: %w", r.sinkErr)
	}
	holders := map[common.Address]bool{}
	for _, p := range g.Pieces {
		if common.IsHexAddress(p.Provider) {
			holders[common.HexToAddress(p.Provider)] = true
		}
	}
	var cands []piecesink.Candidate
	r.mu.Lock()
	for _, c := range r.cands {
		if !holders[c.Provider] {
			cands = append(cands, c)
		}
	}
	r.mu.Unlock()
	order, err := piecesink.Place(cands, len(rebuild), uint64(size))
	if err != nil {
		return nil, err
	}
	expiry := uint64(r.w.now().Add(cmp.Or(r.w.Retention, piecesink.DefaultRetention)).Unix())
	spares := order[len(rebuild):]
	var reps []meta.Replacement
	for j, i := range rebuild {
		hash := erasure.HashPiece(shards[i])
		for _, p := range g.Pieces {
			// Reconstruction from verified pieces gives back the very bytes that were lost;
			// anything else is a fault here, not a piece to hand a provider.
			if p.Index == i && len(p.Hash) > 0 && string(p.Hash) != string(hash[:]) {
				r.remove(context.WithoutCancel(ctx), reps)
				return nil, fmt.Errorf("rebuilt piece %d does not match its recorded hash", i)
			}
		}
		ni := order[j]
		for {
			p, err := r.sink.PutPiece(ctx, ni, i, shards[i], hash, expiry)
			if err == nil {
				reps = append(reps, meta.Replacement{New: p})
				r.took(ni, size)
				break
			}
			if len(spares) == 0 || ctx.Err() != nil {
				r.remove(context.WithoutCancel(ctx), reps)
				return nil, err
			}
			r.w.log().Warn("repair: upload failed, trying a spare node", "node", r.region.Place[ni].ID, "err", err)
			ni, spares = spares[0], spares[1:]
		}
	}
	return reps, nil
}

// askCapacity asks every node that may take pieces for its free space (once a round) through
// the gateway's own data path over them; those that do not answer take none this round.
func (r *round) askCapacity(ctx context.Context) {
	r.sink, r.sinkErr = piecesink.New(piecesink.Config{Nodes: r.region.Place, Key: r.w.Key, ChainID: r.w.ChainID,
		HTTP: r.w.HTTP, Log: r.w.log(), Now: r.w.Now, Retention: r.w.Retention})
	if r.sinkErr == nil {
		r.cands = r.sink.Capacities(ctx)
	}
}

// took counts size bytes placed on node ni against its free space.
func (r *round) took(ni int, size int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for j := range r.cands {
		if r.cands[j].Node == ni {
			r.cands[j].Free -= min(r.cands[j].Free, uint64(size))
		}
	}
}

// remove deletes rebuilt pieces the catalog did not take.
func (r *round) remove(ctx context.Context, reps []meta.Replacement) {
	for _, rp := range reps {
		for _, nd := range r.region.Place {
			id, err := piecestore.ParseID(rp.New.PieceID)
			if nd.ID != rp.New.NodeID || err != nil {
				continue
			}
			c := &nodeapi.Client{URL: nd.URL, HTTP: r.w.HTTP, Key: r.w.Key, ChainID: r.w.ChainID, Now: r.w.Now}
			if err := c.Delete(ctx, id); err != nil {
				r.w.log().Warn("repair: a rebuilt piece the catalog did not take is left on its node", "node", nd.ID, "piece_id", rp.New.PieceID, "err", err)
			}
		}
	}
}

// Run runs a round every every until ctx ends, logging each round's report.
func (w *Worker) Run(ctx context.Context, every time.Duration) error {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		rep, err := w.Round(ctx)
		if err != nil {
			w.log().Warn("repair: round incomplete", "err", err)
		}
		w.log().Info("repair: round", rep.Attrs()...)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
}
