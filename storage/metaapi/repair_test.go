package metaapi_test

import (
	"context"
	"errors"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/dec2-cloud/dec2/storage/meta"
	"github.com/dec2-cloud/dec2/storage/meta/sqlstore"
	"github.com/dec2-cloud/dec2/storage/metaapi"
)

// A repairer wallet reads any tenant's segment, lists a lost provider's pieces, replaces
// pieces (the new provider kept in lowercase hex), lists and widens narrow segments and
// collects its orphans; the tenant, an
// operator and a meter get 403 for every repair call, and the store's refusals come back as
// meta's errors.
func TestRepairOnlyForRepairers(t *testing.T) {
	st, err := sqlstore.Open(context.Background(), "sqlite://"+filepath.Join(t.TempDir(), "meta.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	keys := map[string]*metaapi.Client{}
	addr := map[string]common.Address{}
	for _, name := range []string{"alice", "operator", "meter", "repairer", "lost", "newcomer"} {
		k, _ := crypto.GenerateKey()
		addr[name] = crypto.PubkeyToAddress(k.PublicKey)
		keys[name] = &metaapi.Client{Key: k}
	}
	srv := httptest.NewServer(metaapi.New(metaapi.Config{Store: st, Log: slog.New(slog.DiscardHandler),
		Operators: []common.Address{addr["operator"]}, Meters: []common.Address{addr["meter"]}, Repairers: []common.Address{addr["repairer"]}}))
	t.Cleanup(srv.Close)
	for _, c := range keys {
		c.URL, c.HTTP = srv.URL, srv.Client()
	}
	c := context.Background()
	alice, rep := keys["alice"], keys["repairer"]
	if _, err := alice.CreateBucket(c, []byte("b")); err != nil {
		t.Fatal(err)
	}
	if _, err := alice.PutObject(c, object("b", "k", "v1", addr["lost"]), meta.PutOptions{}); err != nil {
		t.Fatal(err)
	}
	held, err := rep.PiecesOn(c, addr["lost"], "", 0)
	if err != nil || len(held) != 2 {
		t.Fatalf("the repairer listing the lost provider's pieces: %d, %v; want 2", len(held), err)
	}
	ref := held[0].Ref()
	for _, name := range []string{"alice", "operator", "meter"} {
		var refused *metaapi.Refused
		if _, err := keys[name].Segment(c, ref); !errors.As(err, &refused) || refused.Status != 403 {
			t.Errorf("%s reading a segment: %v, want 403", name, err)
		}
		if err := keys[name].ReplacePieces(c, ref, []meta.Replacement{{Old: held[0].PieceID, New: held[0].Piece}}); !errors.As(err, &refused) || refused.Status != 403 {
			t.Errorf("%s replacing a piece: %v, want 403", name, err)
		}
		if _, err := keys[name].Orphans(c, 0); !errors.As(err, &refused) || refused.Status != 403 {
			t.Errorf("%s listing orphans: %v, want 403", name, err)
		}
		if _, err := keys[name].NarrowSegments(c, 4, 0); !errors.As(err, &refused) || refused.Status != 403 {
			t.Errorf("%s listing narrow segments: %v, want 403", name, err)
		}
		if err := keys[name].WidenSegment(c, meta.Widening{Ref: ref, From: 2, Add: []meta.Piece{held[0].Piece}}); !errors.As(err, &refused) || refused.Status != 403 {
			t.Errorf("%s widening a segment: %v, want 403", name, err)
		}
	}
	g, err := rep.Segment(c, ref)
	if err != nil || len(g.Pieces) != 2 || g.K != 1 {
		t.Fatalf("the repairer reading the segment: %+v, %v", g, err)
	}
	stale := ref
	stale.Version++
	if _, err := rep.Segment(c, stale); !errors.As(err, new(*meta.Conflict)) {
		t.Errorf("reading at another version: %v, want *meta.Conflict", err)
	}
	p := g.Pieces[0]
	p.Provider, p.PieceID = addr["newcomer"].Hex(), "rebuilt-0"
	if err := rep.ReplacePieces(c, ref, []meta.Replacement{{Old: "gone", New: p}}); !errors.Is(err, meta.ErrPieceChanged) {
		t.Errorf("replacing a piece that changed: %v, want meta.ErrPieceChanged", err)
	}
	if err := rep.ReplacePieces(c, ref, []meta.Replacement{{Old: g.Pieces[0].PieceID, New: p}}); err != nil {
		t.Fatal(err)
	}
	usage, err := alice.Usage(c)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int64{lower(addr["lost"]): 1, lower(addr["newcomer"]): 1}
	if len(usage) != 2 || usage[0].Pieces != want[usage[0].Provider] || usage[1].Pieces != want[usage[1].Provider] {
		t.Errorf("alice's usage after the repair: %+v, want one piece each on %v", usage, want)
	}
	// A segment written 2/3 is listed once four providers fit its full code, and widened.
	narrow := object("b", "narrow", "v1", addr["lost"])
	narrow.Segments[0].K, narrow.Segments[0].N = 2, 3
	third := narrow.Segments[0].Pieces[1]
	third.Index, third.PieceID = 2, "narrow-v1-2"
	narrow.Segments[0].Pieces = append(narrow.Segments[0].Pieces, third)
	if _, err := alice.PutObject(c, narrow, meta.PutOptions{}); err != nil {
		t.Fatal(err)
	}
	if refs, err := rep.NarrowSegments(c, 3, 0); err != nil || len(refs) != 0 {
		t.Errorf("narrow segments fitting 3 providers: %+v, %v; want none", refs, err)
	}
	refs, err := rep.NarrowSegments(c, 4, 0)
	if err != nil || len(refs) != 1 || string(refs[0].Key) != "narrow" {
		t.Fatalf("narrow segments: %+v, %v; want the 2/3 one", refs, err)
	}
	added := third
	added.Index, added.PieceID, added.Provider = 3, "widened-3", addr["newcomer"].Hex()
	early := added
	early.Index = 2
	if err := rep.WidenSegment(c, meta.Widening{Ref: refs[0], From: 2, Add: []meta.Piece{early}}); !errors.Is(err, meta.ErrPieceChanged) {
		t.Errorf("widening from the wrong n: %v, want meta.ErrPieceChanged", err)
	}
	if err := rep.WidenSegment(c, meta.Widening{Ref: refs[0], From: 3, Add: []meta.Piece{added}}); err != nil {
		t.Fatal(err)
	}
	if g, err := rep.Segment(c, refs[0]); err != nil || g.N != 4 || len(g.Pieces) != 4 || g.Pieces[3].Provider != lower(addr["newcomer"]) {
		t.Errorf("the widened segment: %+v, %v; want 2/4 with piece 3 on the newcomer in lowercase hex", g, err)
	}
	if _, err := alice.DeleteObject(c, []byte("b"), []byte("narrow"), meta.PutOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := rep.ForgetOrphan(c, meta.Orphan{Provider: addr["newcomer"].Hex(), PieceID: "widened-3"}); err != nil {
		t.Fatal(err)
	}
	if _, err := alice.DeleteObject(c, []byte("b"), []byte("k"), meta.PutOptions{}); err != nil {
		t.Fatal(err)
	}
	orphans, err := rep.Orphans(c, 0)
	if err != nil || len(orphans) != 1 || orphans[0].PieceID != "rebuilt-0" || orphans[0].Provider != lower(addr["newcomer"]) {
		t.Fatalf("orphans after the tenant deleted the object: %+v, %v; want rebuilt-0", orphans, err)
	}
	if err := rep.ForgetOrphan(c, orphans[0]); err != nil {
		t.Fatal(err)
	}
	if left, err := rep.Orphans(c, 0); err != nil || len(left) != 0 {
		t.Errorf("orphans after forgetting: %+v, %v; want none", left, err)
	}
}

func lower(a common.Address) string { return strings.ToLower(a.Hex()) }
