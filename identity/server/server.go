// Package server is the identity service's HTTP API: nonces, Sign-In with Ethereum login,
// logout and the JWKS Nomad verifies JWTs with. HTTP status codes are chosen here only,
// from the typed errors of the packages below.
package server

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/dec2-cloud/dec2/identity/jwtkeys"
	"github.com/dec2-cloud/dec2/identity/nomadacl"
	"github.com/dec2-cloud/dec2/identity/nonces"
	"github.com/dec2-cloud/dec2/identity/siwe"
	"github.com/dec2-cloud/dec2/identity/wire"
)

// maxBody bounds a login body: a message at siwe.MaxLen, JSON-escaped, and a signature.
const maxBody = 2*siwe.MaxLen + 1024

// ACL is Nomad's side (package nomadacl).
type ACL interface {
	EnsureTenant(ctx context.Context, wallet common.Address) (string, error)
	RevokeToken(ctx context.Context, secretID string) error
	AuthMethod() string
}

// Config wires the service.
type Config struct {
	// Domains are what a message's domain may be: the service's host[:port] as signers see it
	// (the first: what a nonce names), then each region console's whose users sign in here.
	Domains     []string
	ChainID     uint64
	MaxLifetime time.Duration // of a message; siwe.DefaultMaxLifetime when 0
	Nonces      *nonces.Store
	Signer      *jwtkeys.Signer
	ACL         ACL
	Log         *slog.Logger     // slog.Default() when nil
	Now         func() time.Time // time.Now when nil
}

type server struct{ Config }

// New returns the service's handler.
func New(cfg Config) http.Handler {
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	s := &server{cfg}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/siwe/nonce", s.nonce)
	mux.HandleFunc("POST /v1/siwe/login", s.login)
	mux.HandleFunc("POST /v1/logout", s.logout)
	mux.HandleFunc("GET /.well-known/jwks.json", s.jwks)
	return mux
}

func (s *server) nonce(w http.ResponseWriter, r *http.Request) {
	n, exp, err := s.Nonces.Issue()
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, wire.NonceResponse{Nonce: n, Domain: s.ownDomain(), ChainID: s.ChainID, Expires: exp})
}

// ownDomain is the service's own domain, what a nonce names ("" when configured with none:
// every message is then refused).
func (s *server) ownDomain() string {
	if len(s.Domains) == 0 {
		return ""
	}
	return s.Domains[0]
}

func (s *server) login(w http.ResponseWriter, r *http.Request) {
	var req wire.LoginRequest
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		s.fail(w, r, &badRequest{err})
		return
	}
	sig, err := siwe.ParseSignature(req.Signature)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	m, err := siwe.Verify(req.Message, sig, siwe.Params{
		Domains: s.Domains, ChainID: s.ChainID, Now: s.Now(), MaxLifetime: s.MaxLifetime, Consume: s.Nonces.Consume,
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ns, err := s.ACL.EnsureTenant(r.Context(), m.Address)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	token, exp, err := s.Signer.Issue(m.Address, ns)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.Log.Info("login", "wallet", m.Address.Hex(), "namespace", ns, "jwt_expires", exp)
	writeJSON(w, http.StatusOK, wire.LoginResponse{JWT: token, Namespace: ns, Wallet: m.Address.Hex(), Expires: exp, AuthMethod: s.ACL.AuthMethod()})
}

func (s *server) logout(w http.ResponseWriter, r *http.Request) {
	secret := r.Header.Get("X-Nomad-Token")
	if secret == "" {
		s.fail(w, r, errNoToken)
		return
	}
	if err := s.ACL.RevokeToken(r.Context(), secret); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *server) jwks(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "max-age=60")
	writeJSON(w, http.StatusOK, s.Signer.JWKS())
}

var errNoToken = errors.New("no X-Nomad-Token header: send the token to revoke")

// badRequest is a body that is not a wire.LoginRequest.
type badRequest struct{ err error }

func (e *badRequest) Error() string { return "reading the login request: " + e.err.Error() }
func (e *badRequest) Unwrap() error { return e.err }

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

var _ ACL = (*nomadacl.ACL)(nil)
