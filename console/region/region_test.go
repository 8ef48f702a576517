package region

import (
	"context"
	"crypto/ecdsa"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/dec2-cloud/dec2/console/backend"
	"github.com/dec2-cloud/dec2/console/view"
	"github.com/dec2-cloud/dec2/console/web"
	"github.com/dec2-cloud/dec2/identity/client"
	"github.com/dec2-cloud/dec2/identity/jwtkeys"
	"github.com/dec2-cloud/dec2/identity/nomadacl"
	"github.com/dec2-cloud/dec2/identity/nonces"
	"github.com/dec2-cloud/dec2/identity/server"
	"github.com/dec2-cloud/dec2/identity/tenant"
)

// acl is Nomad's side of dec2-identity, faked: tenants are named, tokens revoked.
type acl struct {
	mu      sync.Mutex
	revoked []string
}

func (a *acl) EnsureTenant(_ context.Context, w common.Address) (string, error) {
	return tenant.Namespace(w), nil
}

func (a *acl) RevokeToken(_ context.Context, secret string) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.revoked = append(a.revoked, secret)
	return nil
}

func (a *acl) AuthMethod() string { return nomadacl.DefaultAuthMethod }

// source is a signed-in user's pages' source: only what the instances page reads.
type source struct {
	web.Source
	user   client.Session
	closed chan struct{}
	// meter and nodes answer the buckets page (storage_test.go).
	meter *backend.Meter
	nodes []view.Node
}

func (s *source) Wallet() string    { return s.user.Wallet }
func (s *source) Namespace() string { return s.user.Namespace }
func (s *source) Instances(context.Context, int, int) (view.Page, []view.InstanceRow, error) {
	return view.Paginate(0, 1, 0), nil, nil
}
func (s *source) Watch(ctx context.Context, _ func()) { <-ctx.Done() }

// rig is a region console over dec2-identity's real handlers (Nomad's ACLs faked) and a fake
// Nomad /v1/acl/login whose tokens live ttl.
type rig struct {
	console *Console
	h       http.Handler
	acl     *acl
	mu      sync.Mutex
	opened  []*source
	// meter and nodes are the storage the sessions opened from now on see.
	meter *backend.Meter
	nodes []view.Node
}

func newRig(t *testing.T, ttl time.Duration, maxSessions int) *rig {
	t.Helper()
	return newRigKeeping(t, ttl, maxSessions, nil)
}

// newRigKeeping is newRig keeping its sessions in kept (nil: in memory).
func newRigKeeping(t *testing.T, ttl time.Duration, maxSessions int, kept *Sessions) *rig {
	t.Helper()
	k, err := jwtkeys.Generate()
	if err != nil {
		t.Fatal(err)
	}
	signer, err := jwtkeys.New(k, jwtkeys.Config{Issuer: "i", Audience: "a"})
	if err != nil {
		t.Fatal(err)
	}
	r := &rig{acl: &acl{}}
	ident := httptest.NewServer(server.New(server.Config{Domains: []string{"identity.test", "console.test"}, ChainID: 1337, Nonces: nonces.New(time.Minute, 100, nil),
		Signer: signer, ACL: r.acl, Log: slog.New(slog.DiscardHandler)}))
	t.Cleanup(ident.Close)
	var n int
	var nmu sync.Mutex
	nomad := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		nmu.Lock()
		n++
		secret := "secret-" + strconv.Itoa(n)
		nmu.Unlock()
		_ = json.NewEncoder(w).Encode(map[string]any{"AccessorID": "acc", "SecretID": secret, "ExpirationTime": time.Now().Add(ttl)})
	}))
	t.Cleanup(nomad.Close)
	c, err := New(Config{Identity: ident.URL, NomadAddr: nomad.URL, MaxSessions: maxSessions, Sessions: kept,
		Open: func(_ context.Context, s client.Session) (web.Source, func(), error) {
			src := &source{user: s, closed: make(chan struct{}), meter: r.meter, nodes: r.nodes}
			r.mu.Lock()
			r.opened = append(r.opened, src)
			r.mu.Unlock()
			return src, func() { close(src.closed) }, nil
		}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	r.console, r.h = c, c.Handler()
	return r
}

func (r *rig) do(method, target, body string, cookie *http.Cookie) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, "http://console.test"+target, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if cookie != nil {
		req.AddCookie(cookie)
	}
	w := httptest.NewRecorder()
	r.h.ServeHTTP(w, req)
	return w
}

// personalSign signs as a wallet's personal_sign does (EIP-191), v = 27/28.
func personalSign(t *testing.T, msg string, key *ecdsa.PrivateKey) string {
	t.Helper()
	sig, err := crypto.Sign(accounts.TextHash([]byte(msg)), key)
	if err != nil {
		t.Fatal(err)
	}
	sig[64] += 27
	return hexutil.Encode(sig)
}

// signIn runs the page's two calls with signer's signature over key's message.
func (r *rig) signIn(t *testing.T, key, signer *ecdsa.PrivateKey) *httptest.ResponseRecorder {
	t.Helper()
	addr := crypto.PubkeyToAddress(key.PublicKey)
	w := r.do("POST", "/signin/challenge", `{"address":"`+addr.Hex()+`"}`, nil)
	var c struct{ Message string }
	if w.Code != http.StatusOK || json.Unmarshal(w.Body.Bytes(), &c) != nil || !strings.Contains(c.Message, addr.Hex()) {
		t.Fatalf("challenge: %d %s", w.Code, w.Body.String())
	}
	if !strings.HasPrefix(c.Message, "console.test wants you to sign in") || !strings.Contains(c.Message, "URI: http://console.test/signin") {
		t.Errorf("the message names another domain or page:\n%s", c.Message)
	}
	body, _ := json.Marshal(map[string]string{"message": c.Message, "signature": personalSign(t, c.Message, signer)})
	return r.do("POST", "/signin", string(body), nil)
}

func cookieOf(t *testing.T, w *httptest.ResponseRecorder) *http.Cookie {
	t.Helper()
	for _, c := range w.Result().Cookies() {
		if c.Name == CookieName {
			return c
		}
	}
	t.Fatalf("no session cookie: %d %s", w.Code, w.Body.String())
	return nil
}

func TestVisitorsAreSentToSignIn(t *testing.T) {
	r := newRig(t, time.Hour, 0)
	if w := r.do("GET", "/instances", "", nil); w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/signin" {
		t.Errorf("GET /instances without a session: %d %q", w.Code, w.Header().Get("Location"))
	}
	if w := r.do("POST", "/instances/web/stop", "", nil); w.Code != http.StatusUnauthorized {
		t.Errorf("a stop without a session: %d", w.Code)
	}
	if w := r.do("GET", "/signin", "", nil); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `id="signin"`) ||
		!strings.Contains(w.Header().Get("Content-Security-Policy"), "frame-ancestors 'none'") {
		t.Errorf("the sign-in page: %d %v\n%s", w.Code, w.Header(), w.Body.String())
	}
	if w := r.do("GET", "/static/signin.js", "", nil); w.Code != http.StatusOK {
		t.Errorf("signin.js: %d", w.Code)
	}
	if w := r.do("POST", "/signin/challenge", `{"address":"0x12"}`, nil); w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "0x address") {
		t.Errorf("a bad address: %d %s", w.Code, w.Body.String())
	}
}

// The token stays in the session: the page gets a cookie naming it (HttpOnly, SameSite=Strict,
// expiring with the token) and the pages of the wallet's namespace; sign-out revokes it.
func TestSignInKeepsTheTokenOnTheServer(t *testing.T) {
	r := newRig(t, time.Hour, 0)
	key, _ := crypto.GenerateKey()
	w := r.signIn(t, key, key)
	if w.Code != http.StatusOK {
		t.Fatalf("sign-in: %d %s", w.Code, w.Body.String())
	}
	ck := cookieOf(t, w)
	if !ck.HttpOnly || ck.SameSite != http.SameSiteStrictMode || ck.Path != "/" || ck.Secure || len(ck.Value) < 40 ||
		time.Until(ck.Expires) < 59*time.Minute || time.Until(ck.Expires) > time.Hour {
		t.Errorf("cookie %+v: want HttpOnly, SameSite=Strict, a long random id, expiring with the token in an hour", ck)
	}
	if strings.Contains(w.Body.String(), "secret-") {
		t.Errorf("the sign-in answer carries the token: %s", w.Body.String())
	}
	if len(r.opened) != 1 || r.opened[0].user.NomadToken != "secret-1" || r.opened[0].user.Namespace != tenant.Namespace(crypto.PubkeyToAddress(key.PublicKey)) {
		t.Fatalf("opened %+v, want the session's token and namespace", r.opened)
	}
	page := r.do("GET", "/instances", "", ck)
	if page.Code != http.StatusOK || !strings.Contains(page.Body.String(), `<code id="namespace">`+r.opened[0].user.Namespace) ||
		!strings.Contains(page.Body.String(), `id="signout"`) || strings.Contains(page.Body.String(), "secret-") {
		t.Fatalf("the instances page: %d\n%s", page.Code, page.Body.String())
	}
	if w := r.do("GET", "/signin", "", ck); w.Code != http.StatusSeeOther {
		t.Errorf("the sign-in page while signed in: %d, want a redirect to the console", w.Code)
	}

	out := r.do("POST", "/signout", "", ck)
	if out.Code != http.StatusSeeOther || out.Header().Get("Location") != "/signin?why=signed-out" || cookieOf(t, out).MaxAge >= 0 {
		t.Errorf("sign-out: %d %q %+v", out.Code, out.Header().Get("Location"), out.Result().Cookies())
	}
	select {
	case <-r.opened[0].closed:
	case <-time.After(time.Second):
		t.Error("sign-out left the user's backend open")
	}
	if len(r.acl.revoked) != 1 || r.acl.revoked[0] != "secret-1" {
		t.Errorf("revoked %v, want the session's token", r.acl.revoked)
	}
	if w := r.do("GET", "/instances", "", ck); w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/signin?why=expired" {
		t.Errorf("the old cookie after sign-out: %d %q", w.Code, w.Header().Get("Location"))
	}
}

func TestBadSignatureIsRefused(t *testing.T) {
	r := newRig(t, time.Hour, 0)
	key, _ := crypto.GenerateKey()
	other, _ := crypto.GenerateKey()
	w := r.signIn(t, key, other)
	var e struct{ Error string }
	if w.Code != http.StatusUnauthorized || json.Unmarshal(w.Body.Bytes(), &e) != nil ||
		!strings.HasPrefix(e.Error, "Sign-in refused: ") || !strings.Contains(e.Error, crypto.PubkeyToAddress(other.PublicKey).Hex()) {
		t.Errorf("a signature by another key: %d %s", w.Code, w.Body.String())
	}
	if len(w.Result().Cookies()) != 0 || len(r.opened) != 0 {
		t.Errorf("a refused sign-in made a session: %v, opened %d", w.Result().Cookies(), len(r.opened))
	}
}

func TestSessionEndsWithTheToken(t *testing.T) {
	r := newRig(t, 1500*time.Millisecond, 0)
	key, _ := crypto.GenerateKey()
	ck := cookieOf(t, r.signIn(t, key, key))
	if w := r.do("GET", "/instances", "", ck); w.Code != http.StatusOK {
		t.Fatalf("signed in: %d", w.Code)
	}
	select {
	case <-r.opened[0].closed:
	case <-time.After(5 * time.Second):
		t.Fatal("the session outlived its token")
	}
	if w := r.do("GET", "/instances", "", ck); w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/signin?why=expired" {
		t.Errorf("after the token expired: %d %q", w.Code, w.Header().Get("Location"))
	}
}

func TestSignInLimitsAndOrigins(t *testing.T) {
	r := newRig(t, time.Hour, 1)
	a, _ := crypto.GenerateKey()
	b, _ := crypto.GenerateKey()
	cookieOf(t, r.signIn(t, a, a))
	if w := r.signIn(t, b, b); w.Code != http.StatusServiceUnavailable {
		t.Errorf("a sign-in past --max-sessions: %d %s", w.Code, w.Body.String())
	}
	req := httptest.NewRequest("POST", "http://console.test/signin", strings.NewReader(`{}`))
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	w := httptest.NewRecorder()
	r.h.ServeHTTP(w, req)
	if w.Code != http.StatusForbidden {
		t.Errorf("a cross-site sign-in post: %d", w.Code)
	}
	if w := r.do("POST", "/signin", strings.Repeat("x", maxSignInBody+1), nil); w.Code != http.StatusBadRequest {
		t.Errorf("an oversized sign-in: %d", w.Code)
	}
}
