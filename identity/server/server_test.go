package server_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"encoding/json"
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

	"github.com/dec2-cloud/dec2/identity/jwtkeys"
	"github.com/dec2-cloud/dec2/identity/nomadacl"
	"github.com/dec2-cloud/dec2/identity/nonces"
	"github.com/dec2-cloud/dec2/identity/server"
	"github.com/dec2-cloud/dec2/identity/siwe"
	"github.com/dec2-cloud/dec2/identity/tenant"
	"github.com/dec2-cloud/dec2/identity/wire"
)

const domain = "id.dec2.test"

var now = time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)

type fakeACL struct {
	taken   bool
	revoked []string
}

func (f *fakeACL) EnsureTenant(_ context.Context, w common.Address) (string, error) {
	if f.taken {
		return "", &nomadacl.NamespaceTakenError{Namespace: tenant.Namespace(w), Wallet: w.Hex()}
	}
	return tenant.Namespace(w), nil
}

func (f *fakeACL) RevokeToken(_ context.Context, secret string) error {
	if secret != "good" {
		return nomadacl.ErrTokenUnknown
	}
	f.revoked = append(f.revoked, secret)
	return nil
}

func (f *fakeACL) AuthMethod() string { return "dec2-wallet" }

var signingKey, _ = jwtkeys.Generate()

func newServer(t testing.TB, acl *fakeACL) http.Handler {
	t.Helper()
	signer, err := jwtkeys.New(signingKey, jwtkeys.Config{Issuer: "iss", Audience: "aud", Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	return server.New(server.Config{
		Domains: []string{domain}, ChainID: 1337, Signer: signer, ACL: acl,
		Nonces: nonces.New(5*time.Minute, 100, func() time.Time { return now }),
		Log:    slog.New(slog.NewTextHandler(io.Discard, nil)), Now: func() time.Time { return now },
	})
}

func do(h http.Handler, method, path string, body []byte, header ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, bytes.NewReader(body))
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func nonce(t testing.TB, h http.Handler) string {
	t.Helper()
	rec := do(h, "GET", "/v1/siwe/nonce", nil)
	var n wire.NonceResponse
	if rec.Code != 200 || json.Unmarshal(rec.Body.Bytes(), &n) != nil || n.Domain != domain || n.ChainID != 1337 {
		t.Fatalf("nonce: %d %s", rec.Code, rec.Body)
	}
	return n.Nonce
}

func loginBody(t testing.TB, key *ecdsa.PrivateKey, m siwe.Message) []byte {
	t.Helper()
	sig, err := siwe.Sign(m.String(), key)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(wire.LoginRequest{Message: m.String(), Signature: hexutil.Encode(sig)})
	return b
}

func message(key *ecdsa.PrivateKey, nonce string) siwe.Message {
	return siwe.Message{Domain: domain, Address: crypto.PubkeyToAddress(key.PublicKey), URI: "https://" + domain,
		ChainID: 1337, Nonce: nonce, IssuedAt: now, ExpirationTime: now.Add(5 * time.Minute)}
}

func TestLoginIssuesJWT(t *testing.T) {
	h := newServer(t, &fakeACL{})
	key, _ := crypto.GenerateKey()
	body := loginBody(t, key, message(key, nonce(t, h)))
	rec := do(h, "POST", "/v1/siwe/login", body)
	var got wire.LoginResponse
	if rec.Code != 200 || json.Unmarshal(rec.Body.Bytes(), &got) != nil {
		t.Fatalf("login: %d %s", rec.Code, rec.Body)
	}
	wallet := crypto.PubkeyToAddress(key.PublicKey)
	if got.Wallet != wallet.Hex() || got.Namespace != tenant.Namespace(wallet) || got.AuthMethod != "dec2-wallet" ||
		!got.Expires.Equal(now.Add(jwtkeys.DefaultTTL)) || strings.Count(got.JWT, ".") != 2 {
		t.Errorf("login answered %+v", got)
	}
	if rec := do(h, "POST", "/v1/siwe/login", body); rec.Code != http.StatusConflict || !strings.Contains(rec.Body.String(), "bad_nonce") {
		t.Errorf("replayed login: %d %s, want 409 bad_nonce", rec.Code, rec.Body)
	}
	if rec := do(h, "GET", "/.well-known/jwks.json", nil); rec.Code != 200 || !strings.Contains(rec.Body.String(), `"kid"`) {
		t.Errorf("jwks: %d %s", rec.Code, rec.Body)
	}
}

func TestLoginRefusals(t *testing.T) {
	key, _ := crypto.GenerateKey()
	other, _ := crypto.GenerateKey()
	for _, tc := range []struct {
		name   string
		acl    *fakeACL
		body   func(t *testing.T, h http.Handler) []byte
		status int
		code   string
	}{
		{"not JSON", &fakeACL{}, func(*testing.T, http.Handler) []byte { return []byte("{") }, 400, "malformed_message"},
		{"unknown field", &fakeACL{}, func(*testing.T, http.Handler) []byte { return []byte(`{"msg":""}`) }, 400, "malformed_message"},
		{"too large", &fakeACL{}, func(*testing.T, http.Handler) []byte { return bytes.Repeat([]byte(" "), 1<<20) }, 413, "request_too_large"},
		{"no signature", &fakeACL{}, func(*testing.T, http.Handler) []byte {
			return []byte(`{"message":"x","signature":""}`)
		}, 401, "bad_signature"},
		{"malformed message", &fakeACL{}, func(*testing.T, http.Handler) []byte {
			b, _ := json.Marshal(wire.LoginRequest{Message: "hello", Signature: hexutil.Encode(make([]byte, 65))})
			return b
		}, 400, "malformed_message"},
		{"wrong domain", &fakeACL{}, edit(key, key, func(m *siwe.Message) { m.Domain = "evil.test" }), 400, "wrong_domain"},
		{"wrong chain", &fakeACL{}, edit(key, key, func(m *siwe.Message) { m.ChainID = 1 }), 400, "wrong_chain_id"},
		{"expired", &fakeACL{}, edit(key, key, func(m *siwe.Message) {
			m.IssuedAt, m.ExpirationTime = now.Add(-6*time.Minute), now.Add(-time.Minute)
		}), 401, "expired"},
		{"not yet", &fakeACL{}, edit(key, key, func(m *siwe.Message) { m.NotBefore = now.Add(time.Minute) }), 401, "not_yet_valid"},
		{"unknown nonce", &fakeACL{}, edit(key, key, func(m *siwe.Message) { m.Nonce = "abcdefgh12345678" }), 409, "bad_nonce"},
		{"someone else's signature", &fakeACL{}, edit(key, other, func(*siwe.Message) {}), 401, "bad_signature"},
		{"namespace bound elsewhere", &fakeACL{taken: true}, edit(key, key, func(*siwe.Message) {}), 409, "namespace_taken"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newServer(t, tc.acl)
			rec := do(h, "POST", "/v1/siwe/login", tc.body(t, h))
			var e wire.ErrorResponse
			if rec.Code != tc.status || json.Unmarshal(rec.Body.Bytes(), &e) != nil || e.Code != tc.code || e.Error == "" {
				t.Errorf("got %d %s, want %d %s", rec.Code, rec.Body, tc.status, tc.code)
			}
		})
	}
}

// edit makes a login body for a fresh nonce, with the message changed and signed by signer.
func edit(key, signer *ecdsa.PrivateKey, change func(*siwe.Message)) func(*testing.T, http.Handler) []byte {
	return func(t *testing.T, h http.Handler) []byte {
		m := message(key, nonce(t, h))
		change(&m)
		sig, _ := siwe.Sign(m.String(), signer)
		b, _ := json.Marshal(wire.LoginRequest{Message: m.String(), Signature: hexutil.Encode(sig)})
		return b
	}
}

func TestLogout(t *testing.T) {
	acl := &fakeACL{}
	h := newServer(t, acl)
	if rec := do(h, "POST", "/v1/logout", nil); rec.Code != 401 || !strings.Contains(rec.Body.String(), "no_token") {
		t.Errorf("without a token: %d %s", rec.Code, rec.Body)
	}
	if rec := do(h, "POST", "/v1/logout", nil, "X-Nomad-Token", "bad"); rec.Code != 401 || !strings.Contains(rec.Body.String(), "unknown_token") {
		t.Errorf("an unknown token: %d %s", rec.Code, rec.Body)
	}
	if rec := do(h, "POST", "/v1/logout", nil, "X-Nomad-Token", "good"); rec.Code != 204 || len(acl.revoked) != 1 {
		t.Errorf("logout: %d %s, revoked %v", rec.Code, rec.Body, acl.revoked)
	}
	if rec := do(h, "GET", "/v1/logout", nil); rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("GET /v1/logout: %d", rec.Code)
	}
}

func TestNonceExhaustion(t *testing.T) {
	h := server.New(server.Config{Domains: []string{domain}, ChainID: 1337, Nonces: nonces.New(time.Minute, 1, nil),
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	nonce(t, h)
	if rec := do(h, "GET", "/v1/siwe/nonce", nil); rec.Code != 503 || rec.Header().Get("Retry-After") == "" {
		t.Errorf("past the bound: %d %v", rec.Code, rec.Header())
	}
}

// Arbitrary bodies are the caller's fault or a login, never the service's failure.
func FuzzLogin(f *testing.F) {
	key, _ := crypto.GenerateKey()
	h := newServer(f, &fakeACL{})
	f.Add(loginBody(f, key, message(key, nonce(f, h))))
	f.Add([]byte(`{"message":"","signature":"0x"}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, body []byte) {
		rec := do(h, "POST", "/v1/siwe/login", body)
		if rec.Code >= 500 {
			t.Fatalf("%d %s for %q", rec.Code, rec.Body, body)
		}
		var e wire.ErrorResponse
		if rec.Code >= 400 && (json.Unmarshal(rec.Body.Bytes(), &e) != nil || e.Error == "") {
			t.Fatalf("%d without a JSON error: %s", rec.Code, rec.Body)
		}
	})
}
