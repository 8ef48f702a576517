package sqlstore_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/dec2-cloud/dec2/storage/meta"
	"github.com/dec2-cloud/dec2/storage/meta/sqlstore"
)

const (
	alice = "0x1111111111111111111111111111111111111111"
	bob   = "0x2222222222222222222222222222222222222222"
)

var providers = []string{"0xaaaa000000000000000000000000000000000001", "0xaaaa000000000000000000000000000000000002",
	"0xaaaa000000000000000000000000000000000003", "0xaaaa000000000000000000000000000000000004"}

// backends runs f against embedded SQLite and against PostgreSQL: the one suite both pass.
func backends(t *testing.T, f func(t *testing.T, s meta.Store)) {
	t.Run("sqlite", func(t *testing.T) {
		t.Parallel()
		s, err := sqlstore.Open(context.Background(), "sqlite://"+filepath.Join(t.TempDir(), "meta.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = s.Close() })
		f(t, s)
	})
	t.Run("postgres", func(t *testing.T) {
		t.Parallel()
		f(t, openPostgres(t))
	})
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return c
}

// object builds an object of segs segments of 2/4 pieces, one per provider, whose ETag and
// piece ids carry tag, so a test can tell which write's rows it reads.
func object(bucket, key, tag string, segs int) meta.Object {
	o := meta.Object{Bucket: []byte(bucket), Key: []byte(key), ETag: tag, Metadata: []byte("enc:" + tag)}
	for i := range segs {
		g := meta.Segment{Index: i, Part: 7, Last: i == segs-1, PlainSize: 1000, CipherSize: 1032, K: 2, N: 4, WrappedKey: []byte("wk-" + tag), Padding: 0}
		for j, p := range providers {
			g.Pieces = append(g.Pieces, meta.Piece{Index: j, Provider: p, NodeID: "node-" + strconv.Itoa(j),
				PieceID: fmt.Sprintf("%x-%s-%d-%d", key, tag, i, j), MerkleRoot: bytes.Repeat([]byte{byte(j)}, 32), Size: 516,
				Receipt: []byte("sig-" + tag), Hash: bytes.Repeat([]byte{byte(j + 1)}, 32)})
		}
		o.Segments = append(o.Segments, g)
		o.Size += g.PlainSize
	}
	return o
}

func mustBucket(t *testing.T, s meta.Store, tenant, name string) {
	t.Helper()
	if _, err := s.CreateBucket(ctx(t), tenant, []byte(name)); err != nil {
		t.Fatalf("creating bucket %s for %s: %v", name, tenant, err)
	}
}

func mustPut(t *testing.T, s meta.Store, tenant string, o meta.Object) meta.PutResult {
	t.Helper()
	r, err := s.PutObject(ctx(t), tenant, o, meta.PutOptions{})
	if err != nil {
		t.Fatalf("putting %s: %v", o.Key, err)
	}
	return r
}

func TestBuckets(t *testing.T) {
	backends(t, func(t *testing.T, s meta.Store) {
		c := ctx(t)
		mustBucket(t, s, alice, "b2")
		mustBucket(t, s, alice, "b1")
		mustBucket(t, s, bob, "b1") // another tenant's namesake is its own bucket
		if _, err := s.CreateBucket(c, alice, []byte("b1")); !errors.Is(err, meta.ErrBucketExists) {
			t.Errorf("creating b1 twice: %v, want ErrBucketExists", err)
		}
		bs, err := s.ListBuckets(c, alice)
		if err != nil {
			t.Fatal(err)
		}
		if len(bs) != 2 || string(bs[0].Name) != "b1" || string(bs[1].Name) != "b2" || bs[0].Created.IsZero() {
			t.Errorf("alice's buckets: %+v, want b1, b2 with creation times", bs)
		}
		mustPut(t, s, alice, object("b1", "k", "v1", 1))
		if err := s.DeleteBucket(c, alice, []byte("b1")); !errors.Is(err, meta.ErrBucketNotEmpty) {
			t.Errorf("deleting a bucket with an object: %v, want ErrBucketNotEmpty", err)
		}
		if err := s.DeleteBucket(c, bob, []byte("b1")); err != nil {
			t.Errorf("bob deleting his empty b1: %v", err)
		}
		if err := s.DeleteBucket(c, bob, []byte("b1")); !errors.Is(err, meta.ErrNoSuchBucket) {
			t.Errorf("deleting a deleted bucket: %v, want ErrNoSuchBucket", err)
		}
		if _, err := s.GetObject(c, alice, []byte("b1"), []byte("k")); err != nil {
			t.Errorf("bob's delete touched alice's bucket: %v", err)
		}
		if _, err := s.DeleteObject(c, alice, []byte("b1"), []byte("k"), meta.PutOptions{}); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteBucket(c, alice, []byte("b1")); err != nil {
			t.Errorf("deleting an emptied bucket: %v", err)
		}
	})
}

func TestObjectRoundTripAndReplace(t *testing.T) {
	backends(t, func(t *testing.T, s meta.Store) {
		c := ctx(t)
		mustBucket(t, s, alice, "b")
		if _, err := s.PutObject(c, alice, object("nope", "k", "v1", 1), meta.PutOptions{}); !errors.Is(err, meta.ErrNoSuchBucket) {
			t.Errorf("put into a missing bucket: %v, want ErrNoSuchBucket", err)
		}
		want := object("b", "k", "v1", 3)
		r1 := mustPut(t, s, alice, want)
		if r1.Version <= 0 || r1.Replaced != nil {
			t.Errorf("first put: %+v, want a positive version and nothing replaced", r1)
		}
		got, err := s.GetObject(c, alice, []byte("b"), []byte("k"))
		if err != nil {
			t.Fatal(err)
		}
		if got.Version != r1.Version || got.Created.IsZero() {
			t.Errorf("version %d created %v, want %d and a time", got.Version, got.Created, r1.Version)
		}
		want.Version, want.Created = got.Version, got.Created
		if !equalObjects(got, want) {
			t.Errorf("read back\n%+v\nwant\n%+v", got, want)
		}

		r2 := mustPut(t, s, alice, object("b", "k", "v2", 1))
		if r2.Version <= r1.Version {
			t.Errorf("second version %d, not above %d", r2.Version, r1.Version)
		}
		if r2.Replaced == nil || r2.Replaced.ETag != "v1" || len(r2.Replaced.Segments) != 3 || len(r2.Replaced.Segments[2].Pieces) != 4 {
			t.Fatalf("replaced: %+v, want v1 with its 3 segments and their pieces", r2.Replaced)
		}
		got, _ = s.GetObject(c, alice, []byte("b"), []byte("k"))
		if got.ETag != "v2" || len(got.Segments) != 1 || got.Segments[0].Pieces[0].PieceID != "6b-v2-0-0" {
			t.Errorf("after replace: %+v", got)
		}
		held, err := s.PiecesOn(c, providers[0], "", 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(held) != 1 || held[0].PieceID != "6b-v2-0-0" || held[0].Tenant != alice || string(held[0].Key) != "k" || held[0].Version != r2.Version {
			t.Errorf("pieces on %s after replace: %+v, want only v2's", providers[0], held)
		}

		del, err := s.DeleteObject(c, alice, []byte("b"), []byte("k"), meta.PutOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if del.ETag != "v2" || len(del.Segments) != 1 || len(del.Segments[0].Pieces) != 4 {
			t.Errorf("deleted: %+v, want v2 with its pieces", del)
		}
		if _, err := s.GetObject(c, alice, []byte("b"), []byte("k")); !errors.Is(err, meta.ErrNoSuchKey) {
			t.Errorf("get after delete: %v, want ErrNoSuchKey", err)
		}
		if held, _ := s.PiecesOn(c, providers[0], "", 0); len(held) != 0 {
			t.Errorf("pieces left after delete: %+v", held)
		}
		if _, err := s.DeleteObject(c, alice, []byte("b"), []byte("k"), meta.PutOptions{}); !errors.Is(err, meta.ErrNoSuchKey) {
			t.Errorf("deleting twice: %v, want ErrNoSuchKey", err)
		}
		r3 := mustPut(t, s, alice, object("b", "k", "v3", 1))
		if r3.Version <= r2.Version {
			t.Errorf("a key written again after delete got version %d, not above the deleted %d", r3.Version, r2.Version)
		}
	})
}

func equalObjects(a, b meta.Object) bool {
	if !bytes.Equal(a.Bucket, b.Bucket) || !bytes.Equal(a.Key, b.Key) || a.Version != b.Version || a.ETag != b.ETag ||
		a.Size != b.Size || !bytes.Equal(a.Metadata, b.Metadata) || !a.Created.Equal(b.Created) || len(a.Segments) != len(b.Segments) {
		return false
	}
	for i := range a.Segments {
		x, y := a.Segments[i], b.Segments[i]
		if x.Index != y.Index || x.PlainSize != y.PlainSize || x.CipherSize != y.CipherSize || x.K != y.K || x.N != y.N ||
			!bytes.Equal(x.WrappedKey, y.WrappedKey) || x.Padding != y.Padding || x.Part != y.Part || x.Last != y.Last ||
			len(x.Pieces) != len(y.Pieces) {
			return false
		}
		for j := range x.Pieces {
			p, q := x.Pieces[j], y.Pieces[j]
			if p.Index != q.Index || p.Provider != q.Provider || p.NodeID != q.NodeID || p.PieceID != q.PieceID ||
				!bytes.Equal(p.MerkleRoot, q.MerkleRoot) || p.Size != q.Size || !bytes.Equal(p.Receipt, q.Receipt) || !bytes.Equal(p.Hash, q.Hash) {
				return false
			}
		}
	}
	return true
}

func TestCompareAndSwap(t *testing.T) {
	backends(t, func(t *testing.T, s meta.Store) {
		c := ctx(t)
		mustBucket(t, s, alice, "b")
		zero := int64(0)
		r1, err := s.PutObject(c, alice, object("b", "k", "v1", 1), meta.PutOptions{IfVersion: &zero})
		if err != nil {
			t.Fatalf("create-only put of a new key: %v", err)
		}
		var conflict *meta.Conflict
		_, err = s.PutObject(c, alice, object("b", "k", "v2", 1), meta.PutOptions{IfVersion: &zero})
		if !errors.As(err, &conflict) || conflict.Current != r1.Version || conflict.Want != 0 {
			t.Errorf("create-only put of an existing key: %v, want a conflict at version %d", err, r1.Version)
		}
		r2, err := s.PutObject(c, alice, object("b", "k", "v2", 1), meta.PutOptions{IfVersion: &r1.Version})
		if err != nil {
			t.Fatalf("put at the current version: %v", err)
		}
		if _, err := s.PutObject(c, alice, object("b", "k", "v3", 1), meta.PutOptions{IfVersion: &r1.Version}); !errors.As(err, &conflict) {
			t.Errorf("put at a stale version: %v, want a conflict", err)
		}
		if _, err := s.DeleteObject(c, alice, []byte("b"), []byte("k"), meta.PutOptions{IfVersion: &r1.Version}); !errors.As(err, &conflict) {
			t.Errorf("delete at a stale version: %v, want a conflict", err)
		}
		if got, _ := s.GetObject(c, alice, []byte("b"), []byte("k")); got.ETag != "v2" {
			t.Errorf("refused writes changed the object: %+v", got)
		}
		if _, err := s.DeleteObject(c, alice, []byte("b"), []byte("k"), meta.PutOptions{IfVersion: &r2.Version}); err != nil {
			t.Errorf("delete at the current version: %v", err)
		}
	})
}

// A tenant reaches only its own rows through every call, even knowing the other's names.
func TestTenantsAreApart(t *testing.T) {
	backends(t, func(t *testing.T, s meta.Store) {
		c := ctx(t)
		mustBucket(t, s, alice, "b")
		mustPut(t, s, alice, object("b", "k", "a", 2))
		if _, err := s.GetObject(c, bob, []byte("b"), []byte("k")); !errors.Is(err, meta.ErrNoSuchBucket) {
			t.Errorf("bob reading alice's object: %v, want ErrNoSuchBucket", err)
		}
		if _, err := s.ListObjects(c, bob, []byte("b"), meta.ListOptions{}); !errors.Is(err, meta.ErrNoSuchBucket) {
			t.Errorf("bob listing alice's bucket: %v, want ErrNoSuchBucket", err)
		}
		if _, err := s.DeleteObject(c, bob, []byte("b"), []byte("k"), meta.PutOptions{}); !errors.Is(err, meta.ErrNoSuchBucket) {
			t.Errorf("bob deleting alice's object: %v, want ErrNoSuchBucket", err)
		}
		mustBucket(t, s, bob, "b")
		if _, err := s.GetObject(c, bob, []byte("b"), []byte("k")); !errors.Is(err, meta.ErrNoSuchKey) {
			t.Errorf("bob reading his namesake bucket: %v, want ErrNoSuchKey", err)
		}
		mustPut(t, s, bob, object("b", "k", "bob", 1))
		if got, err := s.GetObject(c, alice, []byte("b"), []byte("k")); err != nil || got.ETag != "a" || len(got.Segments) != 2 {
			t.Errorf("alice's object after bob wrote his namesake: %+v, %v", got, err)
		}
		if u, _ := s.UsageByProvider(c, bob); len(u) != 4 || u[0].Pieces != 1 {
			t.Errorf("bob's usage counts alice's pieces: %+v", u)
		}
	})
}

func TestUsageAndPiecesOn(t *testing.T) {
	backends(t, func(t *testing.T, s meta.Store) {
		c := ctx(t)
		mustBucket(t, s, alice, "b")
		for i := range 5 {
			mustPut(t, s, alice, object("b", "k"+strconv.Itoa(i), "v", 3))
		}
		u, err := s.UsageByProvider(c, alice)
		if err != nil {
			t.Fatal(err)
		}
		// 5 objects × 3 segments of 1,000 bytes at 2/4: 4 providers × 15 pieces × 516 bytes,
		// n/k × logical (plus encryption overhead and padding).
		if len(u) != 4 || u[0].Provider != providers[0] || u[0].Pieces != 15 || u[0].Bytes != 15*516 {
			t.Errorf("usage %+v, want 15 pieces of 516 bytes on each of 4 providers", u)
		}
		var ids []string
		after := ""
		for {
			page, err := s.PiecesOn(c, providers[1], after, 4)
			if err != nil {
				t.Fatal(err)
			}
			if len(page) == 0 {
				break
			}
			for _, h := range page {
				ids = append(ids, h.PieceID)
			}
			after = page[len(page)-1].PieceID
		}
		if len(ids) != 15 || !slices.IsSorted(ids) || len(slices.Compact(slices.Clone(ids))) != 15 {
			t.Errorf("paged pieces on %s: %v, want 15 distinct in order", providers[1], ids)
		}
		if _, err := s.PiecesOn(c, providers[1], "", meta.MaxPiecesOnPage+1); !isInvalid(err) {
			t.Errorf("an oversized page: %v, want *meta.Invalid", err)
		}
	})
}

func isInvalid(err error) bool {
	var inv *meta.Invalid
	return errors.As(err, &inv)
}

func TestInvalidWrites(t *testing.T) {
	backends(t, func(t *testing.T, s meta.Store) {
		c := ctx(t)
		mustBucket(t, s, alice, "b")
		for name, mutate := range map[string]func(o *meta.Object){
			"size mismatch":     func(o *meta.Object) { o.Size++ },
			"segment order":     func(o *meta.Object) { o.Segments[1].Index = 5 },
			"k above n":         func(o *meta.Object) { o.Segments[0].K = 5 },
			"too few pieces":    func(o *meta.Object) { o.Segments[0].Pieces = o.Segments[0].Pieces[:1] },
			"duplicate piece":   func(o *meta.Object) { o.Segments[0].Pieces[1].Index = 0 },
			"no wrapped key":    func(o *meta.Object) { o.Segments[0].WrappedKey = nil },
			"negative part":     func(o *meta.Object) { o.Segments[0].Part = -1 },
			"oversized hash":    func(o *meta.Object) { o.Segments[0].Pieces[0].Hash = make([]byte, meta.MaxPieceHash+1) },
			"empty key":         func(o *meta.Object) { o.Key = nil },
			"no provider":       func(o *meta.Object) { o.Segments[0].Pieces[0].Provider = "" },
			"piece index vs n":  func(o *meta.Object) { o.Segments[0].Pieces[3].Index = 4 },
			"oversized etag":    func(o *meta.Object) { o.ETag = string(make([]byte, 300)) },
			"NUL in piece id":   func(o *meta.Object) { o.Segments[0].Pieces[0].PieceID = "a\x00b" },
			"non-UTF-8 etag":    func(o *meta.Object) { o.ETag = "\xff" },
			"negative size":     func(o *meta.Object) { o.Segments[0].Pieces[0].Size = -1 },
			"oversized receipt": func(o *meta.Object) { o.Segments[0].Pieces[0].Receipt = make([]byte, meta.MaxReceiptLen+1) },
		} {
			o := object("b", "k", "v", 2)
			mutate(&o)
			if _, err := s.PutObject(c, alice, o, meta.PutOptions{}); !isInvalid(err) {
				t.Errorf("%s: %v, want *meta.Invalid", name, err)
			}
		}
		if page, _ := s.ListObjects(c, alice, []byte("b"), meta.ListOptions{}); len(page.Objects) != 0 {
			t.Errorf("refused writes stored %d objects", len(page.Objects))
		}
	})
}

// UsageAll pages through every tenant's usage per provider, in (tenant, provider) order, and
// a pair whose last piece is gone leaves the listing.
func TestUsageAll(t *testing.T) {
	backends(t, func(t *testing.T, s meta.Store) {
		c := ctx(t)
		mustBucket(t, s, alice, "b")
		mustBucket(t, s, bob, "b")
		for i := range 3 {
			mustPut(t, s, alice, object("b", "k"+strconv.Itoa(i), "v", 2))
		}
		mustPut(t, s, bob, object("b", "only", "v", 1))
		var all []meta.TenantUsage
		var after meta.UsageKey
		pages := 0
		for {
			page, err := s.UsageAll(c, after, 3)
			if err != nil {
				t.Fatal(err)
			}
			if len(page) == 0 {
				break
			}
			pages++
			all = append(all, page...)
			last := page[len(page)-1]
			after = meta.UsageKey{Tenant: last.Tenant, Provider: last.Provider}
		}
		// alice: 3 objects × 2 segments, one piece each on every provider; bob: 1 segment.
		var want []meta.TenantUsage
		for _, tn := range []struct {
			tenant string
			pieces int64
		}{{alice, 6}, {bob, 1}} {
			for _, p := range providers {
				want = append(want, meta.TenantUsage{Tenant: tn.tenant, ProviderUsage: meta.ProviderUsage{Provider: p, Pieces: tn.pieces, Bytes: tn.pieces * 516}})
			}
		}
		if !slices.Equal(all, want) || pages != 3 {
			t.Errorf("usage of all tenants in %d pages:\n got %+v\nwant %+v", pages, all, want)
		}
		if _, err := s.DeleteObject(c, bob, []byte("b"), []byte("only"), meta.PutOptions{}); err != nil {
			t.Fatal(err)
		}
		page, err := s.UsageAll(c, meta.UsageKey{Tenant: alice, Provider: providers[3]}, 0)
		if err != nil || len(page) != 0 {
			t.Errorf("after bob's last object went: %+v, %v; want no pair after alice's last", page, err)
		}
		if _, err := s.UsageAll(c, meta.UsageKey{}, meta.MaxUsagePage+1); !isInvalid(err) {
			t.Errorf("an oversized page: %v, want *meta.Invalid", err)
		}
	})
}
