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
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/dec2-cloud/dec2/identity/client"
	"github.com/dec2-cloud/dec2/identity/jwtkeys"
	"github.com/dec2-cloud/dec2/identity/nomadacl"
	"github.com/dec2-cloud/dec2/identity/nonces"
	"github.com/dec2-cloud/dec2/identity/server"
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
		Domain: ident.Listener.Addr().String(), ChainID: 1337, Nonces: nonces.New(time.Minute, 10, nil),
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

func mustKey(t *testing.T) *rsa.PrivateKey {
	t.Helper()
	k, err := jwtkeys.Generate()
	if err != nil {
		t.Fatal(err)
	}
	return k
}
