package node

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/dec2-cloud/dec2/storage/audit"
	"github.com/dec2-cloud/dec2/storage/merkle"
	"github.com/dec2-cloud/dec2/storage/nodeapi"
	"github.com/dec2-cloud/dec2/storage/piecestore"
	"github.com/dec2-cloud/dec2/storage/receipt"
)

const chainID = 1337

var now = time.Unix(1_800_000_000, 0)

func newServer(t testing.TB, capacity uint64) *Server {
	t.Helper()
	store, err := piecestore.Open(t.TempDir(), capacity)
	if err != nil {
		t.Fatal(err)
	}
	key, _ := crypto.HexToECDSA("8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba")
	return New(Config{Store: store, Key: key, ChainID: chainID, MaxPieceSize: 4 << 20, Now: func() time.Time { return now },
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
}

func client(t testing.TB, url string) *nodeapi.Client {
	t.Helper()
	key, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	return &nodeapi.Client{URL: url, Key: key, ChainID: chainID, Now: func() time.Time { return now }}
}

func pieceID(s string) piecestore.ID { return piecestore.ID(crypto.Keccak256Hash([]byte(s))) }

func status(err error) int {
	var r *nodeapi.Refused
	if errors.As(err, &r) {
		return r.Status
	}
	return 0
}

func TestUploadReadChallengeDelete(t *testing.T) {
	s := newServer(t, 1<<30)
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	alice, bob := client(t, srv.URL), client(t, srv.URL)
	ctx := context.Background()
	body := bytes.Repeat([]byte("ciphertext "), 5*merkle.LeafSize/11+100) // 6 leaves
	id := pieceID("a")
	expiry := uint64(now.Add(30 * 24 * time.Hour).Unix())

	rc, err := alice.Put(ctx, id, body, expiry)
	if err != nil {
		t.Fatal(err)
	}
	if rc.Provider != s.Provider() || rc.MerkleRoot != common.Hash(merkle.Root(body)) || rc.Size != uint64(len(body)) {
		t.Errorf("receipt %+v", rc)
	}
	if _, err := bob.Put(ctx, id, []byte("other"), expiry); status(err) != http.StatusConflict {
		t.Errorf("a second upload of the id: %v", err)
	}

	got, err := bob.Get(ctx, id, 0, -1)
	if err != nil || !bytes.Equal(got, body) {
		t.Fatalf("Get: %d bytes, %v", len(got), err)
	}
	got, err = bob.Get(ctx, id, 5000, 1234)
	if err != nil || !bytes.Equal(got, body[5000:6234]) {
		t.Errorf("range Get: %d bytes, %v", len(got), err)
	}
	if _, err := bob.Get(ctx, id, int64(len(body))+10, 5); status(err) != http.StatusRequestedRangeNotSatisfiable {
		t.Errorf("a range past the end: %v", err)
	}

	seed := crypto.Keccak256Hash([]byte("block"))
	for _, leaf := range []uint64{0, 5} {
		ch := audit.Challenge{PieceID: common.Hash(id), Leaf: leaf, Seed: seed}
		a, err := bob.Challenge(ctx, s.Provider(), ch)
		if err != nil {
			t.Fatal(err)
		}
		if !a.Found || len(a.Data) > merkle.LeafSize {
			t.Errorf("leaf %d: found %v, %d bytes", leaf, a.Found, len(a.Data))
		}
		if err := merkle.Verify(merkle.Hash(rc.MerkleRoot), leaf, a.Data, a.Proof); err != nil {
			t.Errorf("leaf %d's proof against the receipt: %v", leaf, err)
		}
	}
	// Past the end of the piece held, the node still answers under signature (found, no
	// leaf): the receipt promised a longer piece, and the answer fails against it.
	past := audit.Challenge{PieceID: common.Hash(id), Leaf: 6, Seed: seed}
	if a, err := bob.Challenge(ctx, s.Provider(), past); err != nil || !a.Found || len(a.Data) != 0 ||
		merkle.Verify(merkle.Hash(rc.MerkleRoot), 6, a.Data, a.Proof) == nil {
		t.Errorf("a leaf past the end: %+v, %v", a, err)
	}
	// Someone else's key is not the provider's: the client refuses the answer.
	var bad *audit.BadAnswer
	if _, err := bob.Challenge(ctx, crypto.PubkeyToAddress(alice.Key.PublicKey), past); !errors.As(err, &bad) {
		t.Errorf("an answer checked against another provider: %v", err)
	}

	u, err := bob.Capacity(ctx)
	if err != nil || u.Used != uint64(len(body)) || u.Pieces != 1 || u.Capacity != 1<<30 {
		t.Errorf("capacity %+v, %v", u, err)
	}

	if err := bob.Delete(ctx, id); status(err) != http.StatusForbidden {
		t.Errorf("bob deleting alice's piece: %v", err)
	}
	if err := alice.Delete(ctx, id); err != nil {
		t.Fatal(err)
	}
	if _, err := bob.Get(ctx, id, 0, -1); status(err) != http.StatusNotFound {
		t.Errorf("Get after delete: %v", err)
	}
	// A deleted piece is answered under signature as not found.
	if a, err := bob.Challenge(ctx, s.Provider(), past); err != nil || a.Found {
		t.Errorf("a challenge after delete: found %v, %v", a.Found, err)
	}

	res, err := http.Get(srv.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	m, _ := io.ReadAll(res.Body)
	res.Body.Close()
	for _, want := range []string{`dec2_storagenode_requests_total{code="201",op="put"} 1`, `dec2_storagenode_requests_total{code="403",op="delete"} 1`,
		"dec2_storagenode_capacity_bytes 1.073741824e+09", "dec2_storagenode_pieces 0"} {
		if !strings.Contains(string(m), want) {
			t.Errorf("metrics lack %q", want)
		}
	}
}

func signedRequest(t *testing.T, method, url string, body []byte, root merkle.Hash, at time.Time) *http.Request {
	t.Helper()
	r := httptest.NewRequest(method, url, bytes.NewReader(body))
	key, _ := crypto.GenerateKey()
	if err := nodeapi.Sign(r, key, root, at); err != nil {
		t.Fatal(err)
	}
	return r
}

// Uploads that are not what a wallet signed, or that do not fit, are refused and leave nothing.
func TestRefusedUploads(t *testing.T) {
	s := newServer(t, 1<<20)
	h := s.Handler()
	id := pieceID("b").String()
	exp := "?expiry=1900000000"
	body := []byte("piece")
	big := make([]byte, 2<<20)
	unsigned := httptest.NewRequest(http.MethodPut, "/v1/pieces/"+id+exp, bytes.NewReader(body))
	renamed := signedRequest(t, http.MethodPut, "/v1/pieces/"+pieceID("c").String()+exp, body, merkle.Root(body), now)
	renamed.URL.Path = "/v1/pieces/" + id
	longer := signedRequest(t, http.MethodPut, "/v1/pieces/"+id+"?expiry=1900000000", body, merkle.Root(body), now)
	longer.URL.RawQuery = "expiry=2900000000"
	for name, c := range map[string]struct {
		r    *http.Request
		want int
	}{
		"unsigned":                 {unsigned, http.StatusUnauthorized},
		"another body":             {signedRequest(t, http.MethodPut, "/v1/pieces/"+id+exp, body, merkle.Root([]byte("other")), now), http.StatusUnauthorized},
		"signed for another piece": {renamed, http.StatusUnauthorized},
		"another expiry":           {longer, http.StatusUnauthorized},
		"old":                      {signedRequest(t, http.MethodPut, "/v1/pieces/"+id+exp, body, merkle.Root(body), now.Add(-2*nodeapi.MaxSkew)), http.StatusUnauthorized},
		"no expiry":                {signedRequest(t, http.MethodPut, "/v1/pieces/"+id, body, merkle.Root(body), now), http.StatusBadRequest},
		"expired":                  {signedRequest(t, http.MethodPut, "/v1/pieces/"+id+"?expiry=1700000000", body, merkle.Root(body), now), http.StatusBadRequest},
		"bad id":                   {signedRequest(t, http.MethodPut, "/v1/pieces/xyz"+exp, body, merkle.Root(body), now), http.StatusBadRequest},
		"over capacity":            {signedRequest(t, http.MethodPut, "/v1/pieces/"+id+exp, big, merkle.Root(big), now), http.StatusInsufficientStorage},
		"over the piece size":      {signedRequest(t, http.MethodPut, "/v1/pieces/"+id+exp, make([]byte, 5<<20), merkle.Root(make([]byte, 5<<20)), now), http.StatusRequestEntityTooLarge},
	} {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, c.r)
		if w.Code != c.want {
			t.Errorf("%s: %d %s, want %d", name, w.Code, w.Body, c.want)
		}
	}
	if u := s.cfg.Store.Usage(); u.Pieces != 0 || u.Used != 0 || u.Free != 1<<20 {
		t.Errorf("after refusals: %+v", u)
	}
}

func TestDeleteMustSignAnEmptyBody(t *testing.T) {
	s := newServer(t, 1<<20)
	h := s.Handler()
	r := signedRequest(t, http.MethodDelete, "/v1/pieces/"+pieceID("d").String(), nil, merkle.Root([]byte("x")), now)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if w.Code != http.StatusUnauthorized {
		t.Errorf("%d %s", w.Code, w.Body)
	}
}

// The receipt a node answers is signed by its provider for the configured chain, over exactly
// what was stored; the client refuses one that is not.
func TestClientChecksTheReceipt(t *testing.T) {
	s := newServer(t, 1<<20)
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	c := client(t, srv.URL)
	c.ChainID = 1
	var bad *receipt.BadSignature
	if _, err := c.Put(context.Background(), pieceID("e"), []byte("x"), 1_900_000_000); !errors.As(err, &bad) {
		t.Errorf("a receipt for chain 1337 on a client of chain 1: %v, want *receipt.BadSignature", err)
	}
}

// FuzzHandler: whatever request arrives, the node never panics or fails internally, and it
// stores nothing that was not signed.
func FuzzHandler(f *testing.F) {
	s := newServer(f, 1<<20)
	h := s.Handler()
	key, _ := crypto.HexToECDSA("4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318")
	id := pieceID("fuzz").String()
	seed := httptest.NewRequest(http.MethodPut, "/v1/pieces/"+id+"?expiry=1900000000", nil)
	_ = nodeapi.Sign(seed, key, merkle.Root([]byte("body")), now)
	f.Add("PUT", "/v1/pieces/"+id+"?expiry=1900000000", seed.Header.Get(nodeapi.HeaderWallet), seed.Header.Get(nodeapi.HeaderTimestamp),
		seed.Header.Get(nodeapi.HeaderSignature), seed.Header.Get(nodeapi.HeaderContentRoot), "", []byte("body"))
	f.Add("GET", "/v1/pieces/"+id, "", "", "", "", "bytes=1-2", []byte{})
	f.Add("GET", "/v1/pieces/"+id+"/challenge?leaf=0", "", "", "", "", "", []byte{})
	f.Add("DELETE", "/v1/pieces/"+id, "0x", "1", "0x00", "", "", []byte{})
	f.Add("GET", "/v1/capacity", "", "", "", "", "bytes=-5", []byte{})
	f.Fuzz(func(t *testing.T, method, target, wallet, ts, sig, root, rng string, body []byte) {
		if !strings.HasPrefix(target, "/") || strings.ContainsAny(target, " \r\n\t#") || strings.ContainsAny(method, " /\r\n") || method == "" {
			return
		}
		r, err := http.NewRequest(method, "http://node"+target, bytes.NewReader(body))
		if err != nil {
			return
		}
		r.Header.Set(nodeapi.HeaderWallet, wallet)
		r.Header.Set(nodeapi.HeaderTimestamp, ts)
		r.Header.Set(nodeapi.HeaderSignature, sig)
		r.Header.Set(nodeapi.HeaderContentRoot, root)
		r.Header.Set("Range", rng)
		before := s.cfg.Store.Usage().Pieces
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code == http.StatusInternalServerError {
			t.Fatalf("%s %s: 500 %s", method, target, w.Body)
		}
		if w.Code == http.StatusCreated {
			if !bytes.Equal(body, []byte("body")) || !strings.EqualFold(wallet, crypto.PubkeyToAddress(key.PublicKey).Hex()) {
				t.Fatalf("stored %q from %s", body, wallet)
			}
			if err := s.cfg.Store.Delete(piecestore.ID(crypto.Keccak256Hash([]byte("fuzz"))), crypto.PubkeyToAddress(key.PublicKey)); err != nil {
				t.Fatal(err)
			}
		} else if after := s.cfg.Store.Usage().Pieces; after > before {
			t.Fatalf("%s %s answered %d but stored a piece", method, target, w.Code)
		}
	})
}

// A wallet lists its own pieces under a prefix; another wallet's listing of the same prefix
// is empty, and an unsigned or malformed listing is refused.
func TestListShowsOnlyTheSignersPieces(t *testing.T) {
	s := newServer(t, 1<<20)
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	ctx := context.Background()
	owner, other := client(t, srv.URL), client(t, srv.URL)
	id := pieceID("listed")
	if _, err := owner.Put(ctx, id, []byte("snapshot"), 1_900_000_000); err != nil {
		t.Fatal(err)
	}
	if got, err := owner.List(ctx, id[:3]); err != nil || len(got) != 1 || got[0] != id {
		t.Errorf("owner's listing = %v, %v; want [%s]", got, err, id)
	}
	if got, err := other.List(ctx, id[:3]); err != nil || len(got) != 0 {
		t.Errorf("another wallet's listing = %v, %v; want none", got, err)
	}
	if _, err := owner.List(ctx, nil); status(err) != http.StatusBadRequest {
		t.Errorf("a listing without a prefix: %v, want 400", err)
	}
	res, err := http.Get(srv.URL + "/v1/pieces?prefix=ab")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusUnauthorized {
		t.Errorf("an unsigned listing: %d, want 401", res.StatusCode)
	}
}
