package client_test

import (
	"context"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/dec2-cloud/dec2/identity/client"
	"github.com/dec2-cloud/dec2/identity/jwtkeys"
	"github.com/dec2-cloud/dec2/identity/nomadacl"
	"github.com/dec2-cloud/dec2/identity/nonces"
	"github.com/dec2-cloud/dec2/identity/server"
	"github.com/dec2-cloud/dec2/identity/siwe"
	"github.com/dec2-cloud/dec2/identity/tenant"
)

type fakeACL struct{ revoked string }

func (f *fakeACL) EnsureTenant(_ context.Context, w common.Address) (string, error) {
	return tenant.Namespace(w), nil
}

func (f *fakeACL) RevokeToken(_ context.Context, secret string) error {
	if secret != "secret-1" {
		return nomadacl.ErrTokenUnknown
	}
	f.revoked = secret
	return nil
}

func (f *fakeACL) AuthMethod() string { return "dec2-wallet" }

// The client against the real handlers (Nomad's ACLs faked) and a fake /v1/acl/login; the
// e2e test runs the same against real Nomad.
func TestLoginLogout(t *testing.T) {
	key, _ := crypto.GenerateKey()
	signer, _ := jwtkeys.New(mustKey(t), jwtkeys.Config{Issuer: "i", Audience: "a"})
	acl := &fakeACL{}
	mux := http.NewServeMux()
	ident := httptest.NewServer(mux)
	defer ident.Close()
	mux.Handle("/", server.New(server.Config{
		Domains: []string{ident.Listener.Addr().String()}, ChainID: 1337, Nonces: nonces.New(time.Minute, 10, nil),
		Signer: signer, ACL: acl, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
	}))
	expires := time.Now().Add(time.Hour).UTC().Truncate(time.Second)
	var gotJWT string
	nomad := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req struct{ AuthMethodName, LoginToken string }
		if r.URL.Path != "/v1/acl/login" || json.NewDecoder(r.Body).Decode(&req) != nil || req.AuthMethodName != "dec2-wallet" {
			http.Error(w, "bad login", 400)
			return
		}
		gotJWT = req.LoginToken
		_ = json.NewEncoder(w).Encode(map[string]any{"AccessorID": "acc-1", "SecretID": "secret-1", "ExpirationTime": expires})
	}))
	defer nomad.Close()

	s, err := client.Login(context.Background(), ident.URL, nomad.URL, key)
	if err != nil {
		t.Fatal(err)
	}
	wallet := crypto.PubkeyToAddress(key.PublicKey)
	want := client.Session{NomadToken: "secret-1", AccessorID: "acc-1", Namespace: tenant.Namespace(wallet), Wallet: wallet.Hex(), ExpiresAt: expires}
	if !s.ExpiresAt.Equal(want.ExpiresAt) || s.NomadToken != want.NomadToken || s.AccessorID != want.AccessorID ||
		s.Namespace != want.Namespace || s.Wallet != want.Wallet || gotJWT == "" {
		t.Errorf("session %+v, want %+v (Nomad got JWT %q)", s, want, gotJWT)
	}
	if err := client.Logout(context.Background(), ident.URL, s.NomadToken); err != nil || acl.revoked != "secret-1" {
		t.Errorf("Logout: %v, revoked %q", err, acl.revoked)
	}
	var e *client.Error
	if err := client.Logout(context.Background(), ident.URL, "stale"); !errors.As(err, &e) || e.Code != "unknown_token" || e.Status != 401 {
		t.Errorf("Logout of an unknown token: %v", err)
	}
}

// A signer elsewhere (a browser wallet behind the console) signs the message Challenge
// renders: it names the domain the service asks for and the page's URI, and Complete signs in
// with it; a signature by another key is refused as bad_signature.
func TestChallengeComplete(t *testing.T) {
	key, _ := crypto.GenerateKey()
	wallet := crypto.PubkeyToAddress(key.PublicKey)
	signer, _ := jwtkeys.New(mustKey(t), jwtkeys.Config{Issuer: "i", Audience: "a"})
	ident := httptest.NewServer(server.New(server.Config{
		Domains: []string{"identity.example:4657", "console.example:4662"}, ChainID: 1337, Nonces: nonces.New(time.Minute, 10, nil),
		Signer: signer, ACL: &fakeACL{}, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
	}))
	defer ident.Close()
	nomad := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_ = json.NewEncoder(w).Encode(map[string]any{"AccessorID": "acc-1", "SecretID": "secret-1"})
	}))
	defer nomad.Close()

	msg, err := client.Challenge(context.Background(), ident.URL, "http://console.example:4662/signin", wallet)
	if err != nil {
		t.Fatal(err)
	}
	m, err := siwe.Parse(msg)
	if err != nil || m.Domain != "console.example:4662" || m.URI != "http://console.example:4662/signin" || m.Address != wallet || m.ChainID != 1337 {
		t.Fatalf("challenge %q (%v)", msg, err)
	}
	other, _ := crypto.GenerateKey()
	bad, _ := siwe.Sign(msg, other)
	var e *client.Error
	if _, err := client.Complete(context.Background(), ident.URL, nomad.URL, msg, hexutil.Encode(bad)); !errors.As(err, &e) || e.Code != "bad_signature" ||
		!strings.Contains(err.Error(), wallet.Hex()) {
		t.Errorf("Complete with another key's signature: %v, want bad_signature naming %s", err, wallet.Hex())
	}
	// A page on a host the service does not list is refused: its users' wallets would sign
	// for a site the service never vouched for.
	stray, err := client.Challenge(context.Background(), ident.URL, "http://elsewhere.example/signin", wallet)
	if err != nil {
		t.Fatal(err)
	}
	straySig, _ := siwe.Sign(stray, key)
	if _, err := client.Complete(context.Background(), ident.URL, nomad.URL, stray, hexutil.Encode(straySig)); !errors.As(err, &e) || e.Code != "wrong_domain" {
		t.Errorf("Complete for an unlisted console: %v, want wrong_domain", err)
	}
	if _, err := client.Challenge(context.Background(), ident.URL, "/signin", wallet); err == nil {
		t.Error("a challenge for a page URL without a host was rendered")
	}
	sig, _ := siwe.Sign(msg, key)
	s, err := client.Complete(context.Background(), ident.URL, nomad.URL, msg, hexutil.Encode(sig))
	if err != nil || s.NomadToken != "secret-1" || s.Wallet != wallet.Hex() || s.Namespace != tenant.Namespace(wallet) {
		t.Errorf("Complete: %+v, %v", s, err)
	}
}

func mustKey(t *testing.T) *rsa.PrivateKey {
	t.Helper()
	k, err := jwtkeys.Generate()
	if err != nil {
		t.Fatal(err)
	}
	return k
}
