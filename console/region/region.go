// Package region is the console as a region's service (`dec2-console serve`): many users,
// each signed in with the wallet in their browser (EIP-1193) through dec2-identity's Sign-In
// with Ethereum, and each served the console's pages (console/web) over a backend of their own
// (console/backend) with the Nomad token and namespace the sign-in gave. The token stays here,
// in a session the browser names by a random id in an HttpOnly, SameSite=Strict cookie: the
// page sees neither a key nor a token.
package region

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/dec2-cloud/dec2/console/backend"
	"github.com/dec2-cloud/dec2/console/web"
	"github.com/dec2-cloud/dec2/identity/client"
)

// CookieName is the session cookie: a random id, nothing else.
const CookieName = "dec2_session"

// DefaultMaxSessions bounds the sessions held at once: each follows Nomad's event streams.
const DefaultMaxSessions = 1000

// maxLife ends a session whose token has no expiry (an auth method without MaxTokenTTL)
// within a day all the same.
const maxLife = 24 * time.Hour

// Bodies of the sign-in calls: an address; a message (identity's limit is 8 KiB) and its
// signature.
const (
	maxChallengeBody = 1 << 10
	maxSignInBody    = 17 << 10
)

// Open makes a signed-in user's source of pages over their session's token and namespace,
// and what closes it. ctx lasts as long as the session.
type Open func(ctx context.Context, s client.Session) (web.Source, func(), error)

// Backends opens the console's backend for each user: base's settings (Nomad, the allocator,
// the chain, billing, the attestors) with the session's token and namespace, acting for its
// wallet with no key.
func Backends(base backend.Config) Open {
	return func(ctx context.Context, s client.Session) (web.Source, func(), error) {
		cfg := base
		cfg.Key = nil
		cfg.Wallet = common.HexToAddress(s.Wallet)
		cfg.Settings.NomadToken, cfg.Settings.Namespace = s.NomadToken, s.Namespace
		b, err := backend.New(ctx, cfg)
		if err != nil {
			return nil, nil, fmt.Errorf("opening the console of %s: %w", s.Wallet, err)
		}
		return b, b.Close, nil
	}
}

// Config is what the region console signs in with and serves.
type Config struct {
	// Identity is dec2-identity's base URL; NomadAddr is Nomad's HTTP API, where the JWT a
	// sign-in gets is swapped for a Nomad token.
	Identity, NomadAddr string
	// PublicURL is the console's URL as its users reach it: the signed message's URI, and an
	// https:// one makes the cookie Secure. "" takes http://<the request's host>.
	PublicURL string
	Open      Open
	// PerPage is the instances a page lists (0: the console's default).
	PerPage int
	// MaxSessions bounds the sessions held at once (0: DefaultMaxSessions).
	MaxSessions int
	// Sessions keeps the sessions beyond this console's run (OpenSessions); nil keeps them
	// in memory, and a restart signs everyone out.
	Sessions *Sessions
	Log      *slog.Logger
}

// Console serves the region console.
type Console struct {
	cfg    Config
	signIn *web.SignIn

	mu sync.Mutex
	// live are the sessions this console serves now, by sessionKey: those signed in since it
	// started, and those kept from before (cfg.Sessions) once their users come back.
	live map[string]*session
	// restoring makes one request at a time open a kept session, so that two of the same
	// user's do not open two backends.
	restoring sync.Mutex
}

// session is one signed-in user: their token, and the console's pages over their backend.
type session struct {
	user    client.Session
	expires time.Time
	pages   http.Handler
	end     func() // stops following Nomad and closes the backend
	timer   *time.Timer
}

// New makes the region console.
func New(cfg Config) (*Console, error) {
	if cfg.Identity == "" || cfg.NomadAddr == "" || cfg.Open == nil {
		return nil, errors.New("the region console needs the identity service's URL, Nomad's address and a backend to open")
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.MaxSessions <= 0 {
		cfg.MaxSessions = DefaultMaxSessions
	}
	cfg.PublicURL = strings.TrimSuffix(cfg.PublicURL, "/")
	if cfg.Sessions == nil {
		cfg.Sessions, _ = OpenSessions("") // in memory: nothing to read
	}
	p, err := web.NewSignIn(cfg.Log)
	if err != nil {
		return nil, err
	}
	return &Console{cfg: cfg, signIn: p, live: map[string]*session{}}, nil
}

// Handler serves the sign-in page and calls, the assets, sign-out, and every other path to the
// session's own console; a visitor without a session is sent to sign in. Cross-origin posts
// are refused, and no other site may frame the pages.
func (c *Console) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /static/", web.Assets())
	mux.HandleFunc("GET /signin", c.signInPage)
	mux.HandleFunc("POST /signin/challenge", c.challenge)
	mux.HandleFunc("POST /signin", c.complete)
	mux.HandleFunc("POST /signout", c.signOut)
	mux.HandleFunc("/", c.pages)
	protected := http.NewCrossOriginProtection().Handler(mux)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", "frame-ancestors 'none'")
		protected.ServeHTTP(w, r)
	})
}

// Close stops serving every session. They stay in Config.Sessions: a console started again
// on the same file serves its users without a new sign-in (in memory, their tokens are left
// to expire and they sign in again).
func (c *Console) Close() {
	c.mu.Lock()
	all := c.live
	c.live = map[string]*session{}
	c.mu.Unlock()
	for _, s := range all {
		s.timer.Stop()
		s.end()
	}
}

// Why a visitor is sent to the sign-in page, shown there (?why=).
var reasons = map[string]string{
	"signed-out": "Signed out: the console dropped your session and revoked its Nomad token.",
	"expired":    "Your session ended with its Nomad token: sign in again.",
}

func (c *Console) signInPage(w http.ResponseWriter, r *http.Request) {
	if _, s := c.lookup(r); s != nil {
		http.Redirect(w, r, "/instances", http.StatusSeeOther)
		return
	}
	c.signIn.Render(w, http.StatusOK, reasons[r.URL.Query().Get("why")])
}

// pages serves a signed-in user's console, and sends anyone else to sign in.
func (c *Console) pages(w http.ResponseWriter, r *http.Request) {
	id, s := c.lookup(r)
	if s != nil {
		s.pages.ServeHTTP(w, r)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		http.Error(w, "not signed in: sign in at /signin first", http.StatusUnauthorized)
		return
	}
	to := "/signin"
	if id != "" {
		to += "?why=expired"
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// challenge answers the message the wallet is to sign: a nonce from dec2-identity, for the
// address the wallet shared.
func (c *Console) challenge(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Address string `json:"address"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxChallengeBody)).Decode(&req); err != nil || !common.IsHexAddress(req.Address) {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("address %q: want the wallet's 0x address", req.Address))
		return
	}
	msg, err := client.Challenge(r.Context(), c.cfg.Identity, c.publicURL(r)+"/signin", common.HexToAddress(req.Address))
	if err != nil {
		c.refused(w, "getting a sign-in message", err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"message": msg})
}

// complete finishes the sign-in with the wallet's signature: dec2-identity checks it and gives
// a JWT, Nomad swaps it for the namespace's token, and the token goes into a new session.
func (c *Console) complete(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Message   string `json:"message"`
		Signature string `json:"signature"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxSignInBody)).Decode(&req); err != nil {
		writeError(w, http.StatusBadRequest, "reading the signed message: "+err.Error())
		return
	}
	// Refused before the sign-in, so that no token is minted only to be dropped.
	if c.full() {
		writeError(w, http.StatusServiceUnavailable, "too many users are signed in to this console: try again later")
		return
	}
	user, err := client.Complete(r.Context(), c.cfg.Identity, c.cfg.NomadAddr, req.Message, req.Signature)
	if err != nil {
		c.refused(w, "signing in", err)
		return
	}
	id, s, err := c.signedIn(user)
	if err != nil {
		c.cfg.Log.Error("console: opening a signed-in user's console", "wallet", user.Wallet, "err", err)
		c.revoke(user)
		writeError(w, http.StatusBadGateway, "signed in, but opening your console failed; it is logged: try again")
		return
	}
	http.SetCookie(w, &http.Cookie{Name: CookieName, Value: id, Path: "/", Expires: s.expires,
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: c.secure(r)})
	c.cfg.Log.Info("console: signed in", "wallet", user.Wallet, "namespace", user.Namespace, "expires", s.expires)
	writeJSON(w, http.StatusOK, map[string]string{"wallet": user.Wallet, "namespace": user.Namespace, "next": "/instances"})
}

// refused answers a failed sign-in call: the identity service's refusal as it words it (it
// says what to do), anything else logged and not detailed.
func (c *Console) refused(w http.ResponseWriter, what string, err error) {
	var e *client.Error
	if errors.As(err, &e) && e.Status < 500 {
		writeError(w, e.Status, "Sign-in refused: "+e.Message)
		return
	}
	c.cfg.Log.Error("console: "+what, "err", err)
	writeError(w, http.StatusBadGateway, what+" failed at the identity service or Nomad; it is logged: try again")
}

// signOut drops the session and revokes its token.
func (c *Console) signOut(w http.ResponseWriter, r *http.Request) {
	if id, s := c.lookup(r); s != nil {
		c.drop(id, true)
		c.revoke(s.user)
		c.cfg.Log.Info("console: signed out", "wallet", s.user.Wallet)
	}
	http.SetCookie(w, &http.Cookie{Name: CookieName, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: c.secure(r)})
	http.Redirect(w, r, "/signin?why=signed-out", http.StatusSeeOther)
}

func (c *Console) revoke(user client.Session) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := client.Logout(ctx, c.cfg.Identity, user.NomadToken); err != nil {
		c.cfg.Log.Warn("console: revoking a signed-out token (it still expires)", "wallet", user.Wallet, "err", err)
	}
}

// signedIn opens the user's console and keeps it as a new session until the token expires.
func (c *Console) signedIn(user client.Session) (string, *session, error) {
	var raw [32]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return "", nil, err
	}
	id := base64.RawURLEncoding.EncodeToString(raw[:])
	expires := time.Now().Add(maxLife)
	if !user.ExpiresAt.IsZero() && user.ExpiresAt.Before(expires) {
		expires = user.ExpiresAt
	}
	s, err := c.serve(id, user, expires)
	if err != nil {
		return "", nil, err
	}
	if err := c.cfg.Sessions.Put(id, Stored{User: user, Expires: expires}); err != nil {
		c.drop(id, false)
		return "", nil, err
	}
	return id, s, nil
}

// serve opens the user's console and serves it as session id until it expires.
func (c *Console) serve(id string, user client.Session, expires time.Time) (*session, error) {
	ctx, cancel := context.WithCancel(context.Background())
	src, closeSrc, err := c.cfg.Open(ctx, user)
	if err != nil {
		cancel()
		return nil, err
	}
	srv, err := web.NewSignedIn(src, c.cfg.Log, c.cfg.PerPage)
	if err != nil {
		cancel()
		closeSrc()
		return nil, err
	}
	go srv.Run(ctx)
	s := &session{user: user, expires: expires, pages: srv.Routes(), end: func() { cancel(); closeSrc() }}
	c.mu.Lock()
	c.live[sessionKey(id)] = s
	s.timer = time.AfterFunc(time.Until(expires), func() {
		if c.drop(id, true) {
			c.cfg.Log.Info("console: session expired with its token", "wallet", user.Wallet)
		}
	})
	c.mu.Unlock()
	return s, nil
}

// drop ends session id, and forgets it for good when forget is set (not when a kept session
// was only being opened); false when it was not being served.
func (c *Console) drop(id string, forget bool) bool {
	if forget {
		if err := c.cfg.Sessions.Delete(id); err != nil {
			c.cfg.Log.Error("console: forgetting a session (it still ends with its token)", "err", err)
		}
	}
	c.mu.Lock()
	s := c.live[sessionKey(id)]
	delete(c.live, sessionKey(id))
	c.mu.Unlock()
	if s == nil {
		return false
	}
	s.timer.Stop()
	s.end()
	return true
}

// lookup is the request's session id ("" without a cookie) and its live session (nil if none):
// one this console serves, or one kept from before it started, opened now.
func (c *Console) lookup(r *http.Request) (string, *session) {
	ck, err := r.Cookie(CookieName)
	if err != nil || ck.Value == "" {
		return "", nil
	}
	id := ck.Value
	s := c.serving(id)
	if s == nil {
		s = c.restore(id)
	}
	// The timer drops an expired session; a request racing it is refused all the same.
	if s != nil && !time.Now().Before(s.expires) {
		return id, nil
	}
	return id, s
}

func (c *Console) serving(id string) *session {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.live[sessionKey(id)]
}

// restore serves the kept session id again (a console restarted since its sign-in); nil when
// none is kept, or it expired.
func (c *Console) restore(id string) *session {
	c.restoring.Lock()
	defer c.restoring.Unlock()
	if s := c.serving(id); s != nil {
		return s
	}
	st, ok := c.cfg.Sessions.Get(id)
	if !ok {
		return nil
	}
	s, err := c.serve(id, st.User, st.Expires)
	if err != nil {
		c.cfg.Log.Error("console: opening a kept session's console", "wallet", st.User.Wallet, "err", err)
		return nil
	}
	c.cfg.Log.Info("console: serving a session kept from before", "wallet", st.User.Wallet, "expires", st.Expires)
	return s
}

// full is whether the sessions kept, served or not, reach MaxSessions.
func (c *Console) full() bool {
	return c.cfg.Sessions.Len() >= c.cfg.MaxSessions
}

func (c *Console) publicURL(r *http.Request) string {
	if c.cfg.PublicURL != "" {
		return c.cfg.PublicURL
	}
	if r.TLS != nil {
		return "https://" + r.Host
	}
	return "http://" + r.Host
}

func (c *Console) secure(r *http.Request) bool {
	return strings.HasPrefix(c.publicURL(r), "https://")
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, code int, msg string) {
	writeJSON(w, code, map[string]string{"error": msg})
}
