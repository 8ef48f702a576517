package metaapi

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/dec2-cloud/dec2/storage/meta"
)

// FuzzDecodePut: whatever body arrives, decodePut never panics, and what it accepts has every
// piece's provider as a lowercase wallet and survives validation without panicking.
func FuzzDecodePut(f *testing.F) {
	f.Add([]byte(`{"etag":"e","size":1,"segments":[{"index":0,"plain_size":1,"cipher_size":17,"k":1,"n":2,"wrapped_key":"AQ==",` +
		`"pieces":[{"index":0,"provider":"0x70997970C51812dc3A010C7d01b50e0d17dc79C8","piece_id":"p","size":17}]}],"if_version":0}`))
	f.Add([]byte(`{"segments":[{"pieces":[{"provider":"nope"}]}]}`))
	f.Add([]byte(`{} {}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		pr, err := decodePut(body)
		if err != nil {
			return
		}
		for _, g := range pr.Segments {
			for _, p := range g.Pieces {
				if len(p.Provider) != 42 || p.Provider != string(bytes.ToLower([]byte(p.Provider))) {
					t.Fatalf("accepted provider %q", p.Provider)
				}
			}
		}
		o := meta.Object{Bucket: []byte("b"), Key: []byte("k"), ETag: pr.ETag, Size: pr.Size, Segments: pr.Segments}
		_ = o.Validate()
		if _, err := json.Marshal(pr); err != nil {
			t.Fatalf("accepted body does not encode: %v", err)
		}
	})
}

// FuzzParseList: a listing's query either parses into options within bounds, which encode back
// to the same options, or is refused.
func FuzzParseList(f *testing.F) {
	f.Add("prefix=YS8&start_after=YS94&delimiter=Lw&limit=10")
	f.Add("limit=-1")
	f.Add("prefix=%%")
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		o, err := parseList(q)
		if err != nil {
			return
		}
		if o.Limit < 1 || o.Limit > meta.MaxList || len(o.Delimiter) > 1 {
			t.Fatalf("accepted %+v", o)
		}
		back, err := parseList(listQuery(o))
		if err != nil || !bytes.Equal(back.Prefix, o.Prefix) || !bytes.Equal(back.StartAfter, o.StartAfter) ||
			!bytes.Equal(back.Delimiter, o.Delimiter) || back.Limit != o.Limit {
			t.Fatalf("%+v encodes back as %+v, %v", o, back, err)
		}
	})
}

// FuzzParseUsageQuery: a usage page's query either parses into a continuation of two
// lowercase wallets (or none) and a limit within bounds, which encode back to the same, or is
// refused.
func FuzzParseUsageQuery(f *testing.F) {
	f.Add("after_tenant=0x70997970c51812dc3a010c7d01b50e0d17dc79c8&after_provider=0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc&limit=100")
	f.Add("after_tenant=0x70997970C51812dc3A010C7d01b50e0d17dc79C8&after_provider=0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc")
	f.Add("limit=-1&limit=2")
	f.Add("after_provider=0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc")
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		after, limit, err := parseUsageQuery(q)
		if err != nil {
			return
		}
		if limit < 0 || limit > meta.MaxUsagePage {
			t.Fatalf("accepted limit %d", limit)
		}
		if after != (meta.UsageKey{}) && (len(after.Tenant) != 42 || len(after.Provider) != 42 ||
			after.Tenant != strings.ToLower(after.Tenant) || after.Provider != strings.ToLower(after.Provider)) {
			t.Fatalf("accepted continuation %+v", after)
		}
		back, n, err := parseUsageQuery(usageQuery(after, limit))
		if err != nil || back != after || n != limit {
			t.Fatalf("%+v, %d encodes back as %+v, %d, %v", after, limit, back, n, err)
		}
	})
}

// FuzzVerify: whatever headers and body arrive, verify never panics, and a request it accepts
// carries the one signer's signature over exactly that body.
func FuzzVerify(f *testing.F) {
	key, _ := crypto.HexToECDSA("4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318")
	signer := crypto.PubkeyToAddress(key.PublicKey)
	now := time.Unix(1_800_000_000, 0)
	body := []byte(`{"etag":"e"}`)
	r := httptest.NewRequest(http.MethodPut, "/v1/buckets/YQ/objects/aw", nil)
	_ = Sign(r, key, body, now)
	f.Add(r.Header.Get(HeaderWallet), r.Header.Get(HeaderTimestamp), r.Header.Get(HeaderNonce), r.Header.Get(HeaderSignature), body)
	f.Add("0x", "x", "", "0x00", []byte{})
	f.Fuzz(func(t *testing.T, wallet, ts, nonce, sig string, body []byte) {
		r := httptest.NewRequest(http.MethodPut, "/v1/buckets/YQ/objects/aw", bytes.NewReader(body))
		r.Header.Set(HeaderWallet, wallet)
		r.Header.Set(HeaderTimestamp, ts)
		r.Header.Set(HeaderNonce, nonce)
		r.Header.Set(HeaderSignature, sig)
		got, b, err := verify(r, newNonces(10), now)
		if err != nil {
			return
		}
		if got != signer || !bytes.Equal(b, body) {
			t.Fatalf("accepted %s over %q", got.Hex(), b)
		}
	})
}
