package peers

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

func TestVerify(t *testing.T) {
	key, _ := crypto.GenerateKey()
	other, _ := crypto.GenerateKey()
	self := crypto.PubkeyToAddress(key.PublicKey)
	now := time.Unix(1_800_000_000, 0)
	member := func(a common.Address) bool { return a == self }
	body := []byte(`{"node_id":"n1"}`)

	sign := func(k any, at time.Time, b []byte) *http.Request {
		r := httptest.NewRequest(http.MethodPost, "/v1/observe", bytes.NewReader(b))
		if err := Sign(r, key, body, at); err != nil {
			t.Fatal(err)
		}
		if k != nil {
			_ = Sign(r, other, body, at)
		}
		return r
	}
	if got, b, err := Verify(sign(nil, now, body), member, now); err != nil || got != self || !bytes.Equal(b, body) {
		t.Fatalf("a signed request: sender %s, body %q, err %v", got.Hex(), b, err)
	}
	cases := map[string]*http.Request{
		"altered body": sign(nil, now, []byte(`{"node_id":"n2"}`)),
		"replayed":     sign(nil, now.Add(-2*MaxSkew), body),
		"not a member": sign(other, now, body),
		"no headers":   httptest.NewRequest(http.MethodPost, "/v1/observe", bytes.NewReader(body)),
		"other path": func() *http.Request {
			r := sign(nil, now, body)
			r.URL.Path = "/v1/sign"
			return r
		}(),
	}
	for name, r := range cases {
		var ua *Unauthenticated
		if _, _, err := Verify(r, member, now); !errors.As(err, &ua) {
			t.Errorf("%s: got %v, want *Unauthenticated", name, err)
		}
	}
}

func TestPostRefusedAndOK(t *testing.T) {
	key, _ := crypto.GenerateKey()
	self := crypto.PubkeyToAddress(key.PublicKey)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, body, err := Verify(r, func(a common.Address) bool { return a == self }, time.Now())
		if err != nil {
			w.WriteHeader(http.StatusUnauthorized)
			_ = json.NewEncoder(w).Encode(ErrorBody{Error: err.Error(), Reason: "unauthenticated"})
			return
		}
		if r.URL.Path == "/no" {
			w.WriteHeader(http.StatusConflict)
			_ = json.NewEncoder(w).Encode(ErrorBody{Error: "node is up", Reason: "not_down"})
			return
		}
		_, _ = w.Write(body)
	}))
	defer srv.Close()
	c := &Client{HTTP: srv.Client(), Key: key, Now: time.Now}
	p := Peer{Addr: self, URL: srv.URL}
	var got map[string]string
	if err := c.Post(context.Background(), p, "/echo", map[string]string{"a": "b"}, &got); err != nil || got["a"] != "b" {
		t.Fatalf("echo: %v %v", got, err)
	}
	err := c.Post(context.Background(), p, "/no", map[string]string{}, &got)
	var rf *Refused
	if !errors.As(err, &rf) || rf.Reason != "not_down" || rf.Status != http.StatusConflict || !IsRefused(err) {
		t.Fatalf("refusal: %v", err)
	}
}

func TestParsePeer(t *testing.T) {
	p, err := ParsePeer("0x976EA74026E726554dB657fA54763abd0C3a0aa9=http://127.0.0.1:4658/")
	if err != nil || p.URL != "http://127.0.0.1:4658" || p.Addr.Hex() != "0x976EA74026E726554dB657fA54763abd0C3a0aa9" {
		t.Fatalf("%+v %v", p, err)
	}
	for _, bad := range []string{"", "0x976EA74026E726554dB657fA54763abd0C3a0aa9", "nothex=http://x", "0x976EA74026E726554dB657fA54763abd0C3a0aa9=ftp://x"} {
		if _, err := ParsePeer(bad); err == nil {
			t.Errorf("ParsePeer(%q) accepted", bad)
		}
	}
}
