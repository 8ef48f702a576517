package repairer_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/rand"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/dec2-cloud/dec2/reputation"
	"github.com/dec2-cloud/dec2/storage/crypt"
	"github.com/dec2-cloud/dec2/storage/meta"
	"github.com/dec2-cloud/dec2/storage/meta/sqlstore"
	"github.com/dec2-cloud/dec2/storage/metaapi"
	storagenode "github.com/dec2-cloud/dec2/storage/node"
	"github.com/dec2-cloud/dec2/storage/piecesink"
	"github.com/dec2-cloud/dec2/storage/piecestore"
	"github.com/dec2-cloud/dec2/storage/repair"
	"github.com/dec2-cloud/dec2/storage/repair/repairer"
)

const chainID = 1337

var quiet = slog.New(slog.DiscardHandler)

// node is a real storage node on loopback.
type node struct {
	srv   *httptest.Server
	dir   string
	store *piecestore.Store
	pn    piecesink.Node
}

// fixture is six storage nodes, the storage service on SQLite with a repairer wallet, and a
// consumer's data path and catalog client with a bucket "b".
type fixture struct {
	nodes       []node
	api         string
	consumer    *metaapi.Client
	data        *piecesink.Data
	kek         crypt.Key
	repairerKey *ecdsa.PrivateKey
}

func newFixture(ctx context.Context, t *testing.T) *fixture {
	t.Helper()
	f := &fixture{kek: crypt.RandomKey()}
	for i := range 6 {
		dir := t.TempDir()
		st, err := piecestore.Open(dir, 1<<30)
		if err != nil {
			t.Fatal(err)
		}
		key, _ := crypto.GenerateKey()
		srv := httptest.NewServer(storagenode.New(storagenode.Config{Store: st, Key: key, ChainID: chainID, MaxPieceSize: 16 << 20, Logger: quiet}).Handler())
		t.Cleanup(srv.Close)
		f.nodes = append(f.nodes, node{srv: srv, dir: dir, store: st,
			pn: piecesink.Node{Provider: crypto.PubkeyToAddress(key.PublicKey), ID: "node-" + string(rune('a'+i)), URL: srv.URL}})
	}
	f.repairerKey, _ = crypto.GenerateKey()
	db, err := sqlstore.Open(ctx, "sqlite://"+filepath.Join(t.TempDir(), "meta.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	api := httptest.NewServer(metaapi.New(metaapi.Config{Store: db, Log: quiet, Repairers: []common.Address{crypto.PubkeyToAddress(f.repairerKey.PublicKey)}}))
	t.Cleanup(api.Close)
	f.api = api.URL
	wallet, _ := crypto.GenerateKey()
	f.consumer = &metaapi.Client{URL: api.URL, Key: wallet}
	var pns []piecesink.Node
	for _, n := range f.nodes {
		pns = append(pns, n.pn)
	}
	if f.data, err = piecesink.New(piecesink.Config{Nodes: pns, Key: wallet, ChainID: chainID, SegmentSize: 4 * crypt.ChunkSize, Log: quiet}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.consumer.CreateBucket(ctx, []byte("b")); err != nil {
		t.Fatal(err)
	}
	return f
}

// put stores body as object key through the consumer's data path and catalog.
func (f *fixture) put(ctx context.Context, t *testing.T, key string, body []byte) meta.Object {
	t.Helper()
	segs, err := f.data.Write(ctx, f.kek, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.consumer.PutObject(ctx, meta.Object{Bucket: []byte("b"), Key: []byte(key), Size: int64(len(body)), ETag: "e", Segments: segs}, meta.PutOptions{}); err != nil {
		t.Fatal(err)
	}
	o, err := f.consumer.GetObject(ctx, []byte("b"), []byte(key))
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// read reads o back through the consumer's data path.
func (f *fixture) read(ctx context.Context, t *testing.T, o meta.Object) []byte {
	t.Helper()
	rc, err := f.data.Read(ctx, f.kek, o.Segments, 0, o.Size)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	got, err := io.ReadAll(rc)
	if err != nil {
		t.Fatalf("reading the object back: %v", err)
	}
	return got
}

// worker is a repairer over the fixture whose region has the nodes in lost down for an hour:
// their servers are closed.
func (f *fixture) worker(lost map[string]bool) *repairer.Worker {
	now := time.Now()
	region := repairer.Region{Provider: map[string]common.Address{}, URL: map[string]string{}}
	for _, n := range f.nodes {
		up := !lost[n.pn.ID]
		region.State = append(region.State, repair.NodeState{ID: n.pn.ID, Up: up, Since: now.Add(-time.Hour)})
		region.Provider[n.pn.ID] = n.pn.Provider
		if up {
			region.URL[n.pn.ID] = n.pn.URL
			region.Place = append(region.Place, n.pn)
		} else {
			n.srv.Close()
		}
	}
	return &repairer.Worker{
		Catalog: &metaapi.Client{URL: f.api, Key: f.repairerKey},
		Region:  func(context.Context) (repairer.Region, error) { return region, nil },
		Key:     f.repairerKey, ChainID: chainID, Grace: time.Minute, Log: quiet,
	}
}

// Objects stored 2/4 over six real nodes; one node lost (its server gone, Nomad's status down
// past the grace), another serving a corrupted piece. One round rebuilds every segment's
// missing and corrupt pieces onto providers that held none of it, with no consumer key; the
// objects read back; a second round finds nothing to do; once the consumer deletes the objects
// (its gateway cannot delete the repairer's pieces), the next round collects them.
func TestRoundRepairsALostNode(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	f := newFixture(ctx, t)
	objects := map[string][]byte{"one": make([]byte, 600_000), "two": make([]byte, 1000)}
	stored := map[string]meta.Object{}
	for k, body := range objects {
		_, _ = rand.Read(body)
		stored[k] = f.put(ctx, t, k, body)
	}
	// The lost node holds pieces of the large object; one piece elsewhere turns corrupt.
	o := stored["one"]
	lost := o.Segments[0].Pieces[0].NodeID
	var corrupted meta.Piece
	for _, p := range o.Segments[1].Pieces {
		if p.NodeID != lost && corrupted.PieceID == "" {
			corrupted = p
		}
	}
	for _, n := range f.nodes {
		if n.pn.ID == corrupted.NodeID {
			corruptPiece(t, n.dir, corrupted.PieceID)
		}
	}
	w := f.worker(map[string]bool{lost: true})
	if work, err := w.Pending(ctx); err != nil || work.LostNodes != 1 || work.Repair == nil || work.Orphans != 0 {
		t.Errorf("pending before the round: %+v, %v; want the lost node and a segment to repair", work, err)
	}
	rep, err := w.Round(ctx)
	if err != nil {
		t.Fatalf("round: %v (report %+v)", err, rep)
	}
	if rep.LostNodes != 1 || rep.Repaired == 0 || rep.Repaired != rep.Segments || rep.DataLost != 0 || rep.Pieces < rep.Repaired {
		t.Errorf("report %+v: want the lost node's segments all repaired", rep)
	}
	for k, body := range objects {
		o, err := f.consumer.GetObject(ctx, []byte("b"), []byte(k))
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range o.Segments {
			providers := map[string]bool{}
			for _, p := range g.Pieces {
				if p.NodeID == lost || p.PieceID == corrupted.PieceID {
					t.Errorf("%s segment %d still lists piece %d on %s (%s)", k, g.Index, p.Index, p.NodeID, p.PieceID)
				}
				providers[p.Provider] = true
			}
			if len(g.Pieces) != g.N || len(providers) != g.N {
				t.Errorf("%s segment %d: %d pieces on %d providers, want n = %d on distinct providers", k, g.Index, len(g.Pieces), len(providers), g.N)
			}
		}
		if got := f.read(ctx, t, o); !bytes.Equal(got, body) {
			t.Errorf("reading %s after the repair: %d bytes, want %d", k, len(got), len(body))
		}
	}
	if work, err := w.Pending(ctx); err != nil || work.Any() || work.LostNodes != 1 {
		t.Errorf("pending after the round: %+v, %v; want the node still lost and no work", work, err)
	}
	if again, err := w.Round(ctx); err != nil || again.Segments != 0 || again.Pieces != 0 {
		t.Errorf("second round: %+v, %v; want nothing left to repair", again, err)
	}

	// The consumer deletes both objects: its deletes of the repairer's pieces are refused by
	// the nodes, and the repairer collects them.
	for k := range objects {
		gone, err := f.consumer.DeleteObject(ctx, []byte("b"), []byte(k), meta.PutOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if err := f.data.Delete(ctx, gone.Segments); err == nil && k == "one" {
			t.Errorf("the consumer deleted every piece of %s, the repairer's included: want its deletes refused", k)
		}
	}
	work, err := w.Pending(ctx)
	if err != nil || work.Orphans == 0 || work.Repair != nil {
		t.Errorf("pending after the deletes: %+v, %v; want orphans to collect", work, err)
	}
	rep, err = w.Round(ctx)
	if err != nil || rep.Orphans != work.Orphans {
		t.Errorf("round after the deletes: %+v, %v; want the %d orphans pending collected", rep, err, work.Orphans)
	}
	if work, err := w.Pending(ctx); err != nil || work.Any() {
		t.Errorf("pending after the collection: %+v, %v; want no work", work, err)
	}
	// Left: the corrupt piece the repair replaced, the consumer's on its node, which no
	// object lists and nobody pays for (see docs/storage.md, Repair).
	for _, n := range f.nodes {
		want := 0
		if n.pn.ID == corrupted.NodeID {
			want = 1
		}
		if n.pn.ID != lost && n.store.Usage().Pieces != want {
			t.Errorf("%s holds %d pieces after deletes and the repairer's collection, want %d", n.pn.ID, n.store.Usage().Pieces, want)
		}
	}
	if left, err := w.Catalog.Orphans(ctx, 0); err != nil || len(left) != 0 {
		t.Errorf("orphans left: %+v, %v", left, err)
	}
}

// A segment with three of its four pieces lost cannot be rebuilt: the round counts it as data
// lost, leaves its catalog entry as it was and puts no piece anywhere.
func TestRoundReportsDataLost(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	f := newFixture(ctx, t)
	body := make([]byte, 1000)
	_, _ = rand.Read(body)
	o := f.put(ctx, t, "k", body)
	lost := map[string]bool{}
	for _, p := range o.Segments[0].Pieces[:3] {
		lost[p.NodeID] = true
	}
	held := map[string]int{}
	for _, n := range f.nodes {
		held[n.pn.ID] = n.store.Usage().Pieces
	}
	w := f.worker(lost)
	// No worker could do anything for it: a checker must not start one.
	if work, err := w.Pending(ctx); err != nil || work.Any() || work.LostNodes != 3 {
		t.Errorf("pending: %+v, %v; want three lost nodes and no work", work, err)
	}
	rep, err := w.Round(ctx)
	if err != nil || rep.DataLost != 1 || rep.Repaired != 0 || rep.Pieces != 0 {
		t.Errorf("round: %+v, %v; want one segment data lost and nothing repaired", rep, err)
	}
	after, err := f.consumer.GetObject(ctx, []byte("b"), []byte("k"))
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range after.Segments[0].Pieces {
		if p.PieceID != o.Segments[0].Pieces[i].PieceID {
			t.Errorf("piece %d changed from %s to %s", i, o.Segments[0].Pieces[i].PieceID, p.PieceID)
		}
	}
	for _, n := range f.nodes {
		if !lost[n.pn.ID] && n.store.Usage().Pieces != held[n.pn.ID] {
			t.Errorf("%s holds %d pieces, %d before the round", n.pn.ID, n.store.Usage().Pieces, held[n.pn.ID])
		}
	}
}

// A provider the attestors disqualify by audits while Nomad has it up is condemned: the pieces
// on two such nodes are rebuilt onto providers that held none of the segment, and since a
// sound holder is unreachable, a condemned piece is one of the k the rebuild reads.
func TestRoundMovesCondemnedPieces(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	f := newFixture(ctx, t)
	body := make([]byte, 1000)
	_, _ = rand.Read(body)
	o := f.put(ctx, t, "k", body)
	g := o.Segments[0]
	if g.K != 2 || g.N != 4 {
		t.Fatalf("segment %d/%d, want 2/4", g.K, g.N)
	}
	condemned := map[string]bool{g.Pieces[0].NodeID: true, g.Pieces[1].NodeID: true}
	unreachable := g.Pieces[2].NodeID
	var reports []reputation.Report
	for _, a := range []string{"a", "b", "c"} {
		r := reputation.Report{Attestor: a, Threshold: 0.6}
		for id := range condemned {
			r.Providers = append(r.Providers, reputation.Provider{NodeID: id, Uptime: 1, Audit: 0.5, Score: 0.5})
		}
		reports = append(reports, r)
	}
	view, err := piecesink.NewReputations(reports, 3, piecesink.DefaultAuditThreshold)
	if err != nil {
		t.Fatal(err)
	}
	w := f.worker(nil)
	w.Reputations = func(context.Context) (repairer.Attestors, error) { return repairer.Attestors{View: view}, nil }
	for _, n := range f.nodes {
		if n.pn.ID == unreachable {
			n.srv.Close() // up as far as Nomad knows, within any grace
		}
	}
	rep, err := w.Round(ctx)
	if err != nil {
		t.Fatalf("round: %v (report %+v)", err, rep)
	}
	if rep.Condemned != 2 || rep.LostNodes != 0 || rep.Segments != 1 || rep.Repaired != 1 || rep.Pieces != 2 {
		t.Errorf("report %+v: want two condemned nodes, one segment repaired with two pieces", rep)
	}
	after, err := f.consumer.GetObject(ctx, []byte("b"), []byte("k"))
	if err != nil {
		t.Fatal(err)
	}
	providers := map[string]bool{}
	for _, p := range after.Segments[0].Pieces {
		if condemned[p.NodeID] {
			t.Errorf("piece %d is still on condemned node %s", p.Index, p.NodeID)
		}
		providers[p.Provider] = true
	}
	if len(after.Segments[0].Pieces) != 4 || len(providers) != 4 {
		t.Errorf("%d pieces on %d providers, want 4 on distinct providers", len(after.Segments[0].Pieces), len(providers))
	}
	if got := f.read(ctx, t, after); !bytes.Equal(got, body) {
		t.Errorf("reading after the repair: %d bytes, want %d", len(got), len(body))
	}
}

// Nodes the attestors bar get no rebuilt piece: with a holder lost and the only two providers
// holding none of the segment barred (one disqualified by audits, one whose uptime the
// attestors would give no work), the round cannot place the piece and puts nothing anywhere.
func TestRoundPlacesNothingOnBarredNodes(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	f := newFixture(ctx, t)
	body := make([]byte, 1000)
	_, _ = rand.Read(body)
	o := f.put(ctx, t, "k", body)
	holders := map[string]bool{}
	for _, p := range o.Segments[0].Pieces {
		holders[p.NodeID] = true
	}
	var free []string
	for _, n := range f.nodes {
		if !holders[n.pn.ID] {
			free = append(free, n.pn.ID)
		}
	}
	if len(free) != 2 {
		t.Fatalf("%d nodes hold no piece, want 2", len(free))
	}
	report := reputation.Report{Attestor: "a", Threshold: 0.6, Providers: []reputation.Provider{
		{NodeID: free[0], Uptime: 1, Audit: 0.5, Score: 0.5},
		{NodeID: free[1], Uptime: 0.3, Audit: 1, Score: 0.3},
	}}
	view, err := piecesink.NewReputations([]reputation.Report{report}, 1, piecesink.DefaultAuditThreshold)
	if err != nil {
		t.Fatal(err)
	}
	w := f.worker(map[string]bool{o.Segments[0].Pieces[0].NodeID: true})
	w.Reputations = func(context.Context) (repairer.Attestors, error) { return repairer.Attestors{View: view}, nil }
	rep, err := w.Round(ctx)
	if few := (*piecesink.TooFewNodes)(nil); !errors.As(err, &few) || rep.Repaired != 0 || rep.Condemned != 1 {
		t.Errorf("round: %+v, %v; want TooFewNodes, nothing repaired and one node condemned", rep, err)
	}
	for _, n := range f.nodes {
		if !holders[n.pn.ID] && n.store.Usage().Pieces != 0 {
			t.Errorf("barred node %s holds %d pieces", n.pn.ID, n.store.Usage().Pieces)
		}
	}
}

// corruptPiece flips the last byte of a stored piece (past its header), as a failing disk
// would.
func corruptPiece(t *testing.T, dir, pieceID string) {
	t.Helper()
	path := filepath.Join(dir, "pieces", pieceID[:2], pieceID)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)-1] ^= 0xff
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// disqualifying is one attestor's view in which the nodes ids fail their audits.
func disqualifying(t *testing.T, ids ...string) *piecesink.Reputations {
	t.Helper()
	r := reputation.Report{Attestor: "a", Threshold: 0.6}
	for _, id := range ids {
		r.Providers = append(r.Providers, reputation.Provider{NodeID: id, Uptime: 1, Audit: 0.5, Score: 0.5})
	}
	view, err := piecesink.NewReputations([]reputation.Report{r}, 1, piecesink.DefaultAuditThreshold)
	if err != nil {
		t.Fatal(err)
	}
	return view
}

// An object the consumer wrote 2/3 while one of its four providers was barred (piecesink
// narrows the code) is widened back to 2/4 once the region has a fourth provider that may take
// pieces, and not before: each segment gains piece 3 on a provider that held none of it, a
// piece found corrupt on the way is rebuilt too, the object reads back, and the next round has
// nothing left to widen.
func TestRoundWidensNarrowSegments(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	f := newFixture(ctx, t)
	var four []piecesink.Node
	for _, n := range f.nodes[:4] {
		four = append(four, n.pn)
	}
	narrow, err := piecesink.New(piecesink.Config{Nodes: four, Key: f.consumer.Key, ChainID: chainID, SegmentSize: 4 * crypt.ChunkSize, Log: quiet})
	if err != nil {
		t.Fatal(err)
	}
	barred := f.nodes[3].pn.ID
	narrow.Rate(disqualifying(t, barred))
	body := make([]byte, 600_000)
	_, _ = rand.Read(body)
	full := f.data
	f.data = narrow // what f.put writes through
	o := f.put(ctx, t, "k", body)
	f.data = full
	if len(o.Segments) != 3 || o.Segments[0].K != 2 || o.Segments[0].N != 3 {
		t.Fatalf("%d segments of %d/%d, want 3 of 2/3", len(o.Segments), o.Segments[0].K, o.Segments[0].N)
	}
	corrupted := o.Segments[1].Pieces[0]
	for _, n := range f.nodes {
		if n.pn.ID == corrupted.NodeID {
			corruptPiece(t, n.dir, corrupted.PieceID)
		}
	}

	view := disqualifying(t, barred, f.nodes[4].pn.ID, f.nodes[5].pn.ID)
	w := f.worker(nil)
	w.Reputations = func(context.Context) (repairer.Attestors, error) { return repairer.Attestors{View: view}, nil }
	if work, err := w.Pending(ctx); err != nil || work.Narrow != nil {
		t.Errorf("pending with three providers free to take pieces: %+v, %v; want no segment to widen", work, err)
	}
	if rep, err := w.Round(ctx); err != nil || rep.Widened != 0 || rep.Pieces != 0 {
		t.Errorf("round with three providers free to take pieces: %+v, %v; want nothing widened", rep, err)
	}

	view = disqualifying(t, barred)
	if work, err := w.Pending(ctx); err != nil || work.Narrow == nil {
		t.Errorf("pending with five: %+v, %v; want a segment to widen", work, err)
	}
	rep, err := w.Round(ctx)
	if err != nil || rep.Widened != 3 || rep.Pieces != 4 {
		t.Fatalf("round with five: %+v, %v; want the 3 segments widened with 4 pieces (one rebuilt for a corrupt one)", rep, err)
	}
	after, err := f.consumer.GetObject(ctx, []byte("b"), []byte("k"))
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range after.Segments {
		providers := map[string]bool{}
		for _, p := range g.Pieces {
			providers[p.Provider] = true
			if p.NodeID == barred || p.PieceID == corrupted.PieceID {
				t.Errorf("segment %d: piece %d on %s (%s): want none on the barred node and the corrupt one replaced", g.Index, p.Index, p.NodeID, p.PieceID)
			}
		}
		if g.K != 2 || g.N != 4 || len(g.Pieces) != 4 || len(providers) != 4 {
			t.Errorf("segment %d: %d/%d with %d pieces on %d providers, want 2/4 on 4 distinct providers", g.Index, g.K, g.N, len(g.Pieces), len(providers))
		}
	}
	if got := f.read(ctx, t, after); !bytes.Equal(got, body) {
		t.Errorf("reading the widened object: %d bytes, want %d", len(got), len(body))
	}
	// Read from piece 3 and one other only: the added piece belongs to the segment.
	for i, g := range after.Segments {
		for j := range g.Pieces {
			if p := g.Pieces[j]; p.Index == 0 || p.Index == 2 {
				after.Segments[i].Pieces[j].NodeID = "gone"
			}
		}
	}
	if got := f.read(ctx, t, after); !bytes.Equal(got, body) {
		t.Errorf("reading the widened object from pieces 1 and 3: %d bytes, want %d", len(got), len(body))
	}
	if again, err := w.Round(ctx); err != nil || again.Widened != 0 || again.Pieces != 0 {
		t.Errorf("next round: %+v, %v; want nothing left to widen", again, err)
	}
}

// The pieces the attestors' audits found lost are read by the round and rebuilt when bad: one
// corrupt and one deleted on nodes Nomad has up and no attestor disqualifies are replaced,
// while a piece an attestor calls lost that reads whole stays where it is. The checker sees the
// work before the round and none after.
func TestRoundRebuildsThePiecesTheAttestorsFoundLost(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	f := newFixture(ctx, t)
	bodies := map[string][]byte{}
	first := map[string]meta.Piece{}
	for _, k := range []string{"corrupt", "deleted", "whole"} {
		bodies[k] = make([]byte, 1000)
		_, _ = rand.Read(bodies[k])
		first[k] = f.put(ctx, t, k, bodies[k]).Segments[0].Pieces[0]
	}
	var lost []reputation.LostPiece
	for k, p := range first {
		lost = append(lost, reputation.LostPiece{NodeID: p.NodeID, Provider: p.Provider, PieceID: p.PieceID, Outcome: k, At: time.Now()})
		for _, n := range f.nodes {
			if n.pn.ID != p.NodeID {
				continue
			}
			switch k {
			case "corrupt":
				corruptPiece(t, n.dir, p.PieceID)
			case "deleted":
				id, err := piecestore.ParseID(p.PieceID)
				if err != nil {
					t.Fatal(err)
				}
				if err := n.store.Delete(id, crypto.PubkeyToAddress(f.consumer.Key.PublicKey)); err != nil {
					t.Fatalf("deleting piece %s: %v", p.PieceID, err)
				}
			}
		}
	}
	attestor := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_ = json.NewEncoder(w).Encode(reputation.Report{Attestor: "a", Threshold: 0.6, Lost: lost})
	}))
	defer attestor.Close()
	w := f.worker(nil)
	w.Reputations = func(ctx context.Context) (repairer.Attestors, error) {
		return repairer.ReadReputations(ctx, nil, []string{attestor.URL}, piecesink.DefaultAuditThreshold)
	}
	if work, err := w.Pending(ctx); err != nil || work.Repair == nil || work.LostNodes+work.Condemned != 0 {
		t.Errorf("pending before the round: %+v, %v; want a segment to repair and no lost or condemned node", work, err)
	}
	rep, err := w.Round(ctx)
	if err != nil {
		t.Fatalf("round: %v (report %+v)", err, rep)
	}
	if rep.Confirmed != 2 || rep.Repaired != 2 || rep.Pieces != 2 || rep.Condemned != 0 {
		t.Errorf("report %+v: want the corrupt and the deleted piece confirmed and rebuilt, nothing else", rep)
	}
	for k, body := range bodies {
		o, err := f.consumer.GetObject(ctx, []byte("b"), []byte(k))
		if err != nil {
			t.Fatal(err)
		}
		var kept bool
		for _, p := range o.Segments[0].Pieces {
			kept = kept || p.PieceID == first[k].PieceID
		}
		if kept != (k == "whole") {
			t.Errorf("%s: piece %s still listed: %v", k, first[k].PieceID, kept)
		}
		if len(o.Segments[0].Pieces) != o.Segments[0].N {
			t.Errorf("%s: %d pieces, want %d", k, len(o.Segments[0].Pieces), o.Segments[0].N)
		}
		if got := f.read(ctx, t, o); !bytes.Equal(got, body) {
			t.Errorf("reading %s after the round: %d bytes, want %d", k, len(got), len(body))
		}
	}
	if work, err := w.Pending(ctx); err != nil || work.Any() {
		t.Errorf("pending after the round: %+v, %v; want nothing", work, err)
	}
}
