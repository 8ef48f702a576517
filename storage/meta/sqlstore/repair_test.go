package sqlstore_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/dec2-cloud/dec2/storage/meta"
)

const (
	repairer = "0x3333333333333333333333333333333333333333"
	newcomer = "0xaaaa000000000000000000000000000000000009"
)

// rebuilt is piece index of segment seg rebuilt onto newcomer, named by tag.
func rebuilt(seg, index int, tag string) meta.Piece {
	return meta.Piece{Index: index, Provider: newcomer, NodeID: "node-9", PieceID: "rebuilt-" + tag,
		MerkleRoot: bytes.Repeat([]byte{9}, 32), Hash: bytes.Repeat([]byte{9}, 32), Size: 516, Receipt: []byte("sig-9")}
}

// A repair reads a segment by the reference PiecesOn gives, swaps a lost provider's piece for
// a rebuilt one only while the object and the piece are still the ones it read, and the usage
// billing meters moves to the new holder; pieces it put that the catalog stops listing come
// back as its orphans, and only its own.
func TestReplacePieces(t *testing.T) {
	backends(t, func(t *testing.T, s meta.Store) {
		c := ctx(t)
		mustBucket(t, s, alice, "b")
		v1 := mustPut(t, s, alice, object("b", "k", "v1", 2)).Version
		lost := providers[3]
		held, err := s.PiecesOn(c, lost, "", 0)
		if err != nil || len(held) != 2 {
			t.Fatalf("pieces on the lost provider: %d, %v; want 2", len(held), err)
		}
		ref := held[0].Ref()
		if ref.Tenant != alice || ref.Version != v1 {
			t.Fatalf("ref %+v: want alice's object at version %d", ref, v1)
		}
		g, err := s.Segment(c, ref)
		if err != nil {
			t.Fatal(err)
		}
		if g.Index != ref.Segment || g.K != 2 || g.N != 4 || len(g.Pieces) != 4 || !bytes.Equal(g.Pieces[3].Hash, bytes.Repeat([]byte{4}, 32)) {
			t.Fatalf("segment %+v: want segment %d, 2/4, four pieces with their hashes", g, ref.Segment)
		}
		old := g.Pieces[3].PieceID

		// Stale reads are refused, changing nothing.
		stale := ref
		stale.Version--
		if err := s.ReplacePieces(c, stale, repairer, []meta.Replacement{{Old: old, New: rebuilt(ref.Segment, 3, "a")}}); !errors.As(err, new(*meta.Conflict)) {
			t.Errorf("replace at an old version: %v, want *meta.Conflict", err)
		}
		if err := s.ReplacePieces(c, ref, repairer, []meta.Replacement{
			{Old: g.Pieces[2].PieceID, New: rebuilt(ref.Segment, 2, "b")},
			{Old: "not-the-piece", New: rebuilt(ref.Segment, 3, "c")},
		}); !errors.Is(err, meta.ErrPieceChanged) {
			t.Errorf("replace of a piece that changed: %v, want ErrPieceChanged", err)
		}
		if g2, _ := s.Segment(c, ref); g2.Pieces[2].PieceID != g.Pieces[2].PieceID {
			t.Errorf("a refused replacement changed piece 2 to %s: want all or none", g2.Pieces[2].PieceID)
		}
		bad := rebuilt(ref.Segment, 4, "d")
		if err := s.ReplacePieces(c, ref, repairer, []meta.Replacement{{Old: old, New: bad}}); !errors.As(err, new(*meta.Invalid)) {
			t.Errorf("replace of index 4 of a 2/4 segment: %v, want *meta.Invalid", err)
		}

		for _, h := range held {
			g, err := s.Segment(c, h.Ref())
			if err != nil {
				t.Fatal(err)
			}
			if err := s.ReplacePieces(c, h.Ref(), repairer, []meta.Replacement{{Old: h.PieceID, New: rebuilt(h.Segment, 3, h.PieceID)}}); err != nil {
				t.Fatalf("replacing %s: %v", h.PieceID, err)
			}
			if err := s.ReplacePieces(c, h.Ref(), repairer, []meta.Replacement{{Old: h.PieceID, New: rebuilt(h.Segment, 3, "again")}}); !errors.Is(err, meta.ErrPieceChanged) {
				t.Errorf("a second repair of %s: %v, want ErrPieceChanged", h.PieceID, err)
			}
			if g.Pieces[3].PieceID != h.PieceID {
				t.Fatalf("segment %d's piece 3 is %s, PiecesOn said %s", h.Segment, g.Pieces[3].PieceID, h.PieceID)
			}
		}
		o, err := s.GetObject(c, alice, []byte("b"), []byte("k"))
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range o.Segments {
			if p := g.Pieces[3]; p.Provider != newcomer || p.PieceID != "rebuilt-"+held[g.Index].PieceID {
				t.Errorf("segment %d piece 3: %+v, want the rebuilt piece on %s", g.Index, p, newcomer)
			}
		}
		if h, _ := s.PiecesOn(c, lost, "", 0); len(h) != 0 {
			t.Errorf("the lost provider still holds %d pieces in the catalog", len(h))
		}
		usage, err := s.UsageAll(c, meta.UsageKey{}, 0)
		if err != nil {
			t.Fatal(err)
		}
		paid := map[string]int64{}
		for _, u := range usage {
			paid[u.Provider] += u.Pieces
		}
		if paid[lost] != 0 || paid[newcomer] != 2 {
			t.Errorf("usage per provider %v: want the lost provider's 2 pieces metered on %s", paid, newcomer)
		}

		// Nothing is an orphan while listed; once the object is replaced, the rebuilt pieces
		// are the repairer's to collect, and forgetting one drops it.
		if orphans, err := s.Orphans(c, repairer, 0); err != nil || len(orphans) != 0 {
			t.Errorf("orphans of live pieces: %v, %v; want none", orphans, err)
		}
		mustPut(t, s, alice, object("b", "k", "v2", 1))
		orphans, err := s.Orphans(c, repairer, 0)
		if err != nil || len(orphans) != 2 || orphans[0].Provider != newcomer || orphans[0].NodeID != "node-9" {
			t.Fatalf("orphans after the object was replaced: %+v, %v; want the 2 rebuilt pieces", orphans, err)
		}
		if other, _ := s.Orphans(c, bob, 0); len(other) != 0 {
			t.Errorf("another wallet sees %d of the repairer's orphans", len(other))
		}
		if err := s.ForgetOrphan(c, repairer, orphans[0]); err != nil {
			t.Fatal(err)
		}
		if left, _ := s.Orphans(c, repairer, 0); len(left) != 1 || left[0] != orphans[1] {
			t.Errorf("orphans after forgetting one: %+v, want %+v", left, orphans[1:])
		}
	})
}

// narrowed is o with every segment written 2/3: its fourth piece dropped, as a gateway writes
// while the attestors bar one of four providers.
func narrowed(o meta.Object) meta.Object {
	for i := range o.Segments {
		o.Segments[i].N, o.Segments[i].Pieces = 3, o.Segments[i].Pieces[:3]
	}
	return o
}

// Narrow segments are listed across tenants once the region has room for their full code, and
// widening one adds its pieces and raises its n only while the object and the segment are as
// the repair read them; the added pieces are metered and become the repairer's orphans once no
// object lists them.
func TestWidenSegment(t *testing.T) {
	backends(t, func(t *testing.T, s meta.Store) {
		c := ctx(t)
		mustBucket(t, s, alice, "b")
		mustBucket(t, s, bob, "b")
		mustPut(t, s, alice, narrowed(object("b", "k", "v1", 2)))
		v := mustPut(t, s, bob, narrowed(object("b", "k", "v1", 1))).Version
		mustPut(t, s, alice, object("b", "full", "v1", 1))
		if refs, err := s.NarrowSegments(c, 3, 0); err != nil || len(refs) != 0 {
			t.Errorf("narrow segments fitting 3 providers: %+v, %v; want none (2/4 needs 4)", refs, err)
		}
		refs, err := s.NarrowSegments(c, 4, 0)
		if err != nil || len(refs) != 3 || refs[0].Tenant != alice || refs[0].Segment != 0 || refs[1].Segment != 1 || refs[2].Tenant != bob {
			t.Fatalf("narrow segments: %+v, %v; want alice's two, then bob's", refs, err)
		}
		if page, err := s.NarrowSegments(c, 4, 2); err != nil || len(page) != 2 {
			t.Errorf("a page of 2: %+v, %v", page, err)
		}
		ref := refs[2]
		if ref.Version != v || !bytes.Equal(ref.Key, []byte("k")) {
			t.Fatalf("bob's ref %+v, want key k at version %d", ref, v)
		}
		add := func(tag string) []meta.Piece { return []meta.Piece{rebuilt(ref.Segment, 3, tag)} }

		stale := ref
		stale.Version--
		if err := s.WidenSegment(c, repairer, meta.Widening{Ref: stale, From: 3, Add: add("a")}); !errors.As(err, new(*meta.Conflict)) {
			t.Errorf("widening at an old version: %v, want *meta.Conflict", err)
		}
		if err := s.WidenSegment(c, repairer, meta.Widening{Ref: ref, From: 2, Add: []meta.Piece{rebuilt(0, 2, "b")}}); !errors.Is(err, meta.ErrPieceChanged) {
			t.Errorf("widening from n = 2 a segment at 3: %v, want ErrPieceChanged", err)
		}
		if err := s.WidenSegment(c, repairer, meta.Widening{Ref: ref, From: 3, Add: []meta.Piece{rebuilt(0, 4, "c")}}); !errors.As(err, new(*meta.Invalid)) {
			t.Errorf("adding piece 4 to a segment of 3: %v, want *meta.Invalid", err)
		}
		if err := s.WidenSegment(c, repairer, meta.Widening{Ref: ref, From: 3, Add: add("d")}); err != nil {
			t.Fatal(err)
		}
		if err := s.WidenSegment(c, repairer, meta.Widening{Ref: ref, From: 3, Add: add("e")}); !errors.Is(err, meta.ErrPieceChanged) {
			t.Errorf("widening twice: %v, want ErrPieceChanged", err)
		}
		g, err := s.Segment(c, ref)
		if err != nil || g.K != 2 || g.N != 4 || len(g.Pieces) != 4 || g.Pieces[3].PieceID != "rebuilt-d" || g.Pieces[3].Provider != newcomer {
			t.Fatalf("the widened segment: %+v, %v; want 2/4 with rebuilt-d as piece 3", g, err)
		}
		if left, _ := s.NarrowSegments(c, 4, 0); len(left) != 2 || left[1].Tenant != alice {
			t.Errorf("narrow segments after widening bob's: %+v, want alice's two", left)
		}
		usage, err := s.UsageByProvider(c, bob)
		if err != nil {
			t.Fatal(err)
		}
		metered := map[string]int64{}
		for _, u := range usage {
			metered[u.Provider] = u.Pieces
		}
		if metered[newcomer] != 1 || metered[providers[3]] != 0 {
			t.Errorf("bob's usage %+v: want the added piece metered on %s", usage, newcomer)
		}
		if _, err := s.DeleteObject(c, bob, []byte("b"), []byte("k"), meta.PutOptions{}); err != nil {
			t.Fatal(err)
		}
		if orphans, err := s.Orphans(c, repairer, 0); err != nil || len(orphans) != 1 || orphans[0].PieceID != "rebuilt-d" {
			t.Errorf("orphans once bob deleted the object: %+v, %v; want the added piece", orphans, err)
		}
	})
}
