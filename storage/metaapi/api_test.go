package metaapi_test

import (
	"bytes"
	"cmp"
	"context"
	"crypto/ecdsa"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/dec2-cloud/dec2/storage/meta"
	"github.com/dec2-cloud/dec2/storage/meta/sqlstore"
	"github.com/dec2-cloud/dec2/storage/metaapi"
)

type fixture struct {
	url                         string
	alice, bob, operator, meter *metaapi.Client
	provider                    *ecdsa.PrivateKey
}

func start(t *testing.T) fixture {
	t.Helper()
	st, err := sqlstore.Open(context.Background(), "sqlite://"+filepath.Join(t.TempDir(), "meta.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	op, _ := crypto.GenerateKey()
	meter, _ := crypto.GenerateKey()
	prov, _ := crypto.GenerateKey()
	srv := httptest.NewServer(metaapi.New(metaapi.Config{Store: st, Log: slog.New(slog.DiscardHandler),
		Operators: []common.Address{crypto.PubkeyToAddress(op.PublicKey)}, Meters: []common.Address{crypto.PubkeyToAddress(meter.PublicKey)}}))
	t.Cleanup(srv.Close)
	client := func(k *ecdsa.PrivateKey) *metaapi.Client {
		if k == nil {
			k, _ = crypto.GenerateKey()
		}
		return &metaapi.Client{URL: srv.URL, Key: k, HTTP: srv.Client()}
	}
	return fixture{url: srv.URL, alice: client(nil), bob: client(nil), operator: client(op), meter: client(meter), provider: prov}
}

func object(bucket, key, tag string, provider common.Address) meta.Object {
	o := meta.Object{Bucket: []byte(bucket), Key: []byte(key), ETag: tag, Size: 100, Metadata: []byte("m")}
	g := meta.Segment{PlainSize: 100, CipherSize: 132, K: 1, N: 2, WrappedKey: []byte("wk")}
	for j := range 2 {
		g.Pieces = append(g.Pieces, meta.Piece{Index: j, Provider: provider.Hex(), NodeID: "n", PieceID: fmt.Sprintf("%s-%s-%d", key, tag, j),
			MerkleRoot: []byte{1, 2}, Size: 66, Receipt: []byte("r")})
	}
	o.Segments = []meta.Segment{g}
	return o
}

func TestClientRoundTrip(t *testing.T) {
	f := start(t)
	c := context.Background()
	prov := crypto.PubkeyToAddress(f.provider.PublicKey)
	bucket := []byte{0, 0xff, '/', '?', '#'} // any bytes travel in the path
	if _, err := f.alice.CreateBucket(c, bucket); err != nil {
		t.Fatal(err)
	}
	if _, err := f.alice.CreateBucket(c, bucket); !errors.Is(err, meta.ErrBucketExists) {
		t.Errorf("creating twice: %v, want ErrBucketExists", err)
	}
	for i := range 5 {
		o := object("", fmt.Sprintf("k/%d", i), "v1", prov)
		o.Bucket = bucket
		if _, err := f.alice.PutObject(c, o, meta.PutOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	o, err := f.alice.GetObject(c, bucket, []byte("k/3"))
	if err != nil {
		t.Fatal(err)
	}
	if o.ETag != "v1" || len(o.Segments) != 1 || o.Segments[0].Pieces[1].Provider != strings.ToLower(prov.Hex()) {
		t.Errorf("read back %+v; want v1 with its pieces, providers in lowercase hex", o)
	}
	stale := o.Version - 1
	var conflict *meta.Conflict
	next := object("", "k/3", "v2", prov)
	next.Bucket = bucket
	if _, err := f.alice.PutObject(c, next, meta.PutOptions{IfVersion: &stale}); !errors.As(err, &conflict) || conflict.Current != o.Version {
		t.Errorf("stale compare-and-swap: %v, want a conflict at %d", err, o.Version)
	}
	var invalid *meta.Invalid
	bad := next
	bad.Size = 7
	if _, err := f.alice.PutObject(c, bad, meta.PutOptions{}); !errors.As(err, &invalid) || invalid.Field != "size" {
		t.Errorf("a wrong size: %v, want *meta.Invalid on size", err)
	}
	var keys []string
	opt := meta.ListOptions{Limit: 2, Prefix: []byte("k/")}
	for {
		page, err := f.alice.ListObjects(c, bucket, opt)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range page.Objects {
			keys = append(keys, string(o.Key))
		}
		if !page.Truncated {
			break
		}
		opt.StartAfter = page.Next
	}
	if strings.Join(keys, ",") != "k/0,k/1,k/2,k/3,k/4" {
		t.Errorf("listed %v", keys)
	}
	page, err := f.alice.ListObjects(c, bucket, meta.ListOptions{Delimiter: []byte("/")})
	if err != nil || len(page.Objects) != 0 || len(page.Prefixes) != 1 || string(page.Prefixes[0]) != "k/" {
		t.Errorf("delimited listing: %+v, %v", page, err)
	}
	u, err := f.alice.Usage(c)
	if err != nil || len(u) != 1 || u[0].Pieces != 10 || u[0].Bytes != 660 {
		t.Errorf("usage %+v, %v; want 10 pieces of 66 bytes on one provider", u, err)
	}
	del, err := f.alice.DeleteObject(c, bucket, []byte("k/3"), meta.PutOptions{IfVersion: &o.Version})
	if err != nil || len(del.Segments) != 1 {
		t.Errorf("delete: %+v, %v", del, err)
	}
	if _, err := f.alice.GetObject(c, bucket, []byte("k/3")); !errors.Is(err, meta.ErrNoSuchKey) {
		t.Errorf("get after delete: %v, want ErrNoSuchKey", err)
	}
	if err := f.alice.DeleteBucket(c, bucket); !errors.Is(err, meta.ErrBucketNotEmpty) {
		t.Errorf("deleting a full bucket: %v, want ErrBucketNotEmpty", err)
	}
}

// Tenant A cannot read, list, overwrite or delete tenant B's objects, though it knows their
// names: the signer is the tenant, and the path names only the tenant's own rows.
func TestTenantCannotReachAnother(t *testing.T) {
	f := start(t)
	c := context.Background()
	prov := crypto.PubkeyToAddress(f.provider.PublicKey)
	if _, err := f.alice.CreateBucket(c, []byte("b")); err != nil {
		t.Fatal(err)
	}
	if _, err := f.alice.PutObject(c, object("b", "secret", "alice", prov), meta.PutOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.bob.GetObject(c, []byte("b"), []byte("secret")); !errors.Is(err, meta.ErrNoSuchBucket) {
		t.Errorf("bob reading alice's object: %v, want no such bucket", err)
	}
	if _, err := f.bob.ListObjects(c, []byte("b"), meta.ListOptions{}); !errors.Is(err, meta.ErrNoSuchBucket) {
		t.Errorf("bob listing alice's bucket: %v, want no such bucket", err)
	}
	if _, err := f.bob.DeleteObject(c, []byte("b"), []byte("secret"), meta.PutOptions{}); !errors.Is(err, meta.ErrNoSuchBucket) {
		t.Errorf("bob deleting alice's object: %v, want no such bucket", err)
	}
	if err := f.bob.DeleteBucket(c, []byte("b")); !errors.Is(err, meta.ErrNoSuchBucket) {
		t.Errorf("bob deleting alice's bucket: %v, want no such bucket", err)
	}
	if bs, err := f.bob.ListBuckets(c); err != nil || len(bs) != 0 {
		t.Errorf("bob's buckets: %+v, %v; want none", bs, err)
	}
	if u, err := f.bob.Usage(c); err != nil || len(u) != 0 {
		t.Errorf("bob's usage: %+v, %v; want none", u, err)
	}
	// Bob's namesake bucket and object are his own; alice's stays as it was.
	if _, err := f.bob.CreateBucket(c, []byte("b")); err != nil {
		t.Fatal(err)
	}
	if _, err := f.bob.PutObject(c, object("b", "secret", "bob", prov), meta.PutOptions{}); err != nil {
		t.Fatal(err)
	}
	if o, err := f.bob.GetObject(c, []byte("b"), []byte("secret")); err != nil || o.ETag != "bob" {
		t.Errorf("bob reads %+v, %v; want his own", o, err)
	}
	if o, err := f.alice.GetObject(c, []byte("b"), []byte("secret")); err != nil || o.ETag != "alice" {
		t.Errorf("alice reads %+v, %v; want hers, untouched", o, err)
	}
	// Only the provider itself and operators list a provider's pieces, across tenants.
	if _, err := f.bob.PiecesOn(c, prov, "", 0); !isRefused(err, http.StatusForbidden) {
		t.Errorf("bob listing a provider's pieces: %v, want 403", err)
	}
	self := &metaapi.Client{URL: f.url, Key: f.provider}
	for name, cl := range map[string]*metaapi.Client{"the provider": self, "an operator": f.operator} {
		held, err := cl.PiecesOn(c, prov, "", 0)
		if err != nil || len(held) != 4 {
			t.Errorf("%s listing the provider's pieces: %d, %v; want alice's 2 and bob's 2", name, len(held), err)
		}
	}
}

func isRefused(err error, status int) bool {
	var r *metaapi.Refused
	return errors.As(err, &r) && r.Status == status
}

// A request is the signer's only as signed: altered, replayed, stale, or claimed for another
// wallet, it is refused.
func TestSignedRequests(t *testing.T) {
	f := start(t)
	key, _ := crypto.GenerateKey()
	other, _ := crypto.GenerateKey()
	now := time.Now()
	send := func(r *http.Request) int {
		t.Helper()
		res, err := http.DefaultClient.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, res.Body)
		res.Body.Close()
		return res.StatusCode
	}
	signed := func(method, path string, body []byte, at time.Time, k *ecdsa.PrivateKey) *http.Request {
		r, _ := http.NewRequest(method, f.url+path, bytes.NewReader(body))
		if err := metaapi.Sign(r, k, body, at); err != nil {
			t.Fatal(err)
		}
		return r
	}
	if code := send(signed(http.MethodPut, "/v1/buckets/YQ", nil, now, key)); code != http.StatusCreated {
		t.Fatalf("a signed create: %d", code)
	}
	r := signed(http.MethodGet, "/v1/buckets", nil, now, key)
	again := r.Clone(context.Background())
	if code := send(r); code != http.StatusOK {
		t.Errorf("a signed list: %d", code)
	}
	if code := send(again); code != http.StatusUnauthorized {
		t.Errorf("the same request replayed: %d, want 401", code)
	}
	for name, r := range map[string]*http.Request{
		"unsigned": func() *http.Request { r, _ := http.NewRequest(http.MethodGet, f.url+"/v1/buckets", nil); return r }(),
		"stale":    signed(http.MethodGet, "/v1/buckets", nil, now.Add(-2*metaapi.MaxSkew), key),
		"future":   signed(http.MethodGet, "/v1/buckets", nil, now.Add(2*metaapi.MaxSkew), key),
		"another wallet claimed": func() *http.Request {
			r := signed(http.MethodGet, "/v1/buckets", nil, now, other)
			r.Header.Set(metaapi.HeaderWallet, crypto.PubkeyToAddress(key.PublicKey).Hex())
			return r
		}(),
		"body altered": func() *http.Request {
			r := signed(http.MethodPut, "/v1/buckets/YQ/objects/aw", []byte(`{"etag":"a"}`), now, key)
			r.Body = io.NopCloser(strings.NewReader(`{"etag":"b"}`))
			return r
		}(),
		"query altered": func() *http.Request {
			r := signed(http.MethodGet, "/v1/buckets/YQ/objects?limit=1", nil, now, key)
			r.URL.RawQuery = "limit=2"
			return r
		}(),
		"method altered": func() *http.Request {
			r := signed(http.MethodGet, "/v1/buckets/YQ", nil, now, key)
			r.Method = http.MethodDelete
			return r
		}(),
	} {
		if code := send(r); code != http.StatusUnauthorized {
			t.Errorf("%s: %d, want 401", name, code)
		}
	}
	if code := send(signed(http.MethodGet, "/v1/buckets", nil, now, key)); code != http.StatusOK {
		t.Errorf("a fresh signed request after the refusals: %d", code)
	}
}

// Every tenant's usage per provider answers the meters alone (not tenants, not operators),
// page by page in (tenant, provider) order.
func TestUsageAllOnlyForMeters(t *testing.T) {
	f := start(t)
	c := context.Background()
	prov := crypto.PubkeyToAddress(f.provider.PublicKey)
	other, _ := crypto.GenerateKey()
	prov2 := crypto.PubkeyToAddress(other.PublicKey)
	for _, cl := range []*metaapi.Client{f.alice, f.bob} {
		if _, err := cl.CreateBucket(c, []byte("b")); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := f.alice.PutObject(c, object("b", "one", "v", prov), meta.PutOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.alice.PutObject(c, object("b", "two", "v", prov2), meta.PutOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.bob.PutObject(c, object("b", "three", "v", prov), meta.PutOptions{}); err != nil {
		t.Fatal(err)
	}
	for name, cl := range map[string]*metaapi.Client{"a tenant": f.alice, "an operator": f.operator} {
		var r *metaapi.Refused
		if _, err := cl.UsageAll(c); !errors.As(err, &r) || r.Status != http.StatusForbidden || r.Code != "forbidden" || !strings.Contains(r.Reason, "--meter") {
			t.Errorf("%s reading every tenant's usage: %v, want 403 forbidden naming --meter", name, err)
		}
	}
	got, err := f.meter.UsageAll(c)
	if err != nil {
		t.Fatal(err)
	}
	lower := func(k *metaapi.Client) string { return strings.ToLower(crypto.PubkeyToAddress(k.Key.PublicKey).Hex()) }
	want := []meta.TenantUsage{
		{Tenant: lower(f.alice), ProviderUsage: meta.ProviderUsage{Provider: strings.ToLower(prov.Hex()), Pieces: 2, Bytes: 132}},
		{Tenant: lower(f.alice), ProviderUsage: meta.ProviderUsage{Provider: strings.ToLower(prov2.Hex()), Pieces: 2, Bytes: 132}},
		{Tenant: lower(f.bob), ProviderUsage: meta.ProviderUsage{Provider: strings.ToLower(prov.Hex()), Pieces: 2, Bytes: 132}},
	}
	slices.SortFunc(want, func(a, b meta.TenantUsage) int {
		return cmp.Or(strings.Compare(a.Tenant, b.Tenant), strings.Compare(a.Provider, b.Provider))
	})
	if !slices.Equal(got, want) {
		t.Errorf("every tenant's usage:\n got %+v\nwant %+v", got, want)
	}
	// One row a page: each page names the next, and the pages add up to the whole.
	var paged []meta.TenantUsage
	q := "limit=1"
	for range 5 {
		var page metaapi.UsagePage
		if code := getSigned(t, f.url+"/v1/usage/all?"+q, f.meter.Key, &page); code != http.StatusOK {
			t.Fatalf("page %q: %d", q, code)
		}
		paged = append(paged, page.Usage...)
		if page.Next == nil {
			break
		}
		q = "limit=1&after_tenant=" + page.Next.Tenant + "&after_provider=" + page.Next.Provider
	}
	if !slices.Equal(paged, want) {
		t.Errorf("paged one by one: %+v", paged)
	}
	for _, bad := range []string{"limit=0", "limit=10001", "after_tenant=" + want[0].Tenant, "after_tenant=x&after_provider=y", "after_tenant=" + strings.ToUpper(want[0].Tenant) + "&after_provider=" + want[0].Provider, "since=1"} {
		if code := getSigned(t, f.url+"/v1/usage/all?"+bad, f.meter.Key, nil); code != http.StatusBadRequest {
			t.Errorf("%q: %d, want 400", bad, code)
		}
	}
}

// getSigned sends a GET signed by key and decodes a 200's body into out.
func getSigned(t *testing.T, u string, key *ecdsa.PrivateKey, out any) int {
	t.Helper()
	r, _ := http.NewRequest(http.MethodGet, u, nil)
	if err := metaapi.Sign(r, key, nil, time.Now()); err != nil {
		t.Fatal(err)
	}
	res, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode == http.StatusOK && out != nil {
		if err := json.NewDecoder(res.Body).Decode(out); err != nil {
			t.Fatal(err)
		}
	}
	return res.StatusCode
}
