package metaapi

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
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
