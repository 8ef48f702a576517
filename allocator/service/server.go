// Package service is `dec2-allocator serve`: an HTTP front for a Nomad region that packs every
// opted-in job registration with allocator/pack, pins the job's groups to the chosen nodes,
// and passes every other call through untouched.
package service

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hashicorp/nomad/api"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/dec2-cloud/dec2/allocator/leadership"
	"github.com/dec2-cloud/dec2/allocator/nomadstate"
	"github.com/dec2-cloud/dec2/allocator/pack"
	"github.com/dec2-cloud/dec2/storage/metaapi"
	"github.com/dec2-cloud/dec2/tenancy/nsbinding"
)

// Config shapes a server.
type Config struct {
	// NomadAddr is the region's HTTP API, e.g. http://127.0.0.1:4646.
	NomadAddr string
	// Token is the allocator's own ACL token, for the model of the whole region (node:read,
	// namespace read-job on every namespace, event stream). Callers' tokens are used for
	// their own registrations.
	Token string
	// Region names the Nomad region (the "region" attribute constraints may use).
	Region string
	// ChainID is the chain billing pays on: delegations in job meta are signed for it.
	// Default 1337 (the dev chain).
	ChainID *big.Int
	// PackAll packs every service and batch job, not only those with meta dec2.pack = "true".
	PackAll bool
	// Budget bounds the packer per registration; default 2ms.
	Budget time.Duration
	// Algorithms are the portfolio members tried per registration (pack.Algorithms names);
	// default DefaultAlgorithms. One job onto a running fleet rarely needs the whole portfolio.
	Algorithms []string
	// HoldTTL is how long capacity promised to a registration waits for its allocations;
	// default 60s.
	HoldTTL time.Duration
	// ReputationURLs are attestors' base URLs (GET <url>/v1/reputation). Nodes that a
	// majority of the attestors knowing them score below their threshold get no new work;
	// the combined score breaks the packer's ties. None: every node has reputation 1.
	ReputationURLs []string
	// ReputationEvery is how often the attestors are asked; default 30s.
	ReputationEvery time.Duration
	// ReadyTimeout bounds how long a registration waits for the first model; default 30s.
	ReadyTimeout time.Duration
	// LeaderLock, when set, is the Nomad variable whose lock the region's allocators contend
	// for (leadership.DefaultPath): only its holder admits, the others forward job calls to
	// it and take over when its lease lapses. Empty: this allocator runs alone.
	LeaderLock string
	// Advertise is the base URL the other allocators forward to; required with LeaderLock.
	Advertise string
	// LockTTL is the lock's TTL (leadership.Config.TTL): a crashed leader is replaced within
	// about this long.
	LockTTL time.Duration
	// StorageURL is the storage service (dec2-storage), read as one of its meters with
	// StorageKey so that a job that lets dec2 choose its region prefers, other things equal,
	// the region whose providers hold its tenant's buckets. Empty: locality is not weighed.
	StorageURL string
	StorageKey *ecdsa.PrivateKey
	// StorageEvery is how often the tenants' usage is read; default 30s.
	StorageEvery time.Duration
	Logger       *slog.Logger
}

// devChainID is the dev chain's id (CONVENTIONS), the default for Config.ChainID.
const devChainID = 1337

// DefaultAlgorithms: first and best fit by dominant share, and the dot-product alignment —
// the members that win on single registrations into a partly used fleet.
var DefaultAlgorithms = []string{"ffd-dominant", "bfd-dominant", "dot-product"}

// Server is the allocator service.
type Server struct {
	cfg     Config
	target  *url.URL
	nomad   *api.Client // the allocator's own token
	caller  *api.Client // no token: each call carries the caller's
	proxy   *httputil.ReverseProxy
	fleet   *fleet
	m       *metrics
	visible *visibility
	log     *slog.Logger
	now     func() time.Time
	tenants *nsbinding.Reader
	// rep is the attestors' combined view, swapped in whole by the refresher so that
	// registrations read it without a lock.
	rep atomic.Pointer[reputations]
	// last is the last packing decision's figures, read by GET PackingPath without a lock.
	last atomic.Pointer[Packing]
	// elector is nil for an allocator that runs alone; admitting is set during its terms.
	elector   *leadership.Elector
	admitting atomic.Bool
	// storage meters the tenants' data per provider (nil: no storage service); held is its
	// last reading, swapped in whole.
	storage *metaapi.Client
	held    atomic.Pointer[holdings]
}

// New checks cfg and builds a server; Run or Serve starts it.
func New(cfg Config) (*Server, error) {
	if cfg.NomadAddr == "" {
		return nil, errors.New("no Nomad address: pass --nomad-addr or set NOMAD_ADDR")
	}
	target, err := url.Parse(cfg.NomadAddr)
	if err != nil || (target.Scheme != "http" && target.Scheme != "https") || target.Host == "" {
		return nil, fmt.Errorf("the Nomad address %q is not an http(s) URL such as http://127.0.0.1:4646", cfg.NomadAddr)
	}
	if cfg.Region == "" {
		cfg.Region = "global"
	}
	if cfg.Budget <= 0 {
		cfg.Budget = 2 * time.Millisecond
	}
	if len(cfg.Algorithms) == 0 {
		cfg.Algorithms = DefaultAlgorithms
	}
	for _, a := range cfg.Algorithms {
		if !slices.Contains(pack.Algorithms(), a) {
			return nil, fmt.Errorf("algorithm %q is not one of %s", a, strings.Join(pack.Algorithms(), ", "))
		}
	}
	if cfg.HoldTTL <= 0 {
		cfg.HoldTTL = 60 * time.Second
	}
	if err := checkReputationURLs(cfg.ReputationURLs); err != nil {
		return nil, err
	}
	if cfg.ReputationEvery <= 0 {
		cfg.ReputationEvery = 30 * time.Second
	}
	if cfg.ReadyTimeout <= 0 {
		cfg.ReadyTimeout = 30 * time.Second
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.ChainID == nil {
		cfg.ChainID = big.NewInt(devChainID)
	}
	if cfg.StorageURL != "" && cfg.StorageKey == nil {
		return nil, errors.New("the storage service needs a meter's key to read tenants' usage: pass --storage-key-file with a wallet dec2-storage names with --meter")
	}
	if cfg.StorageEvery <= 0 {
		cfg.StorageEvery = 30 * time.Second
	}
	ac := api.DefaultConfig()
	ac.Address, ac.Region, ac.SecretID = cfg.NomadAddr, cfg.Region, cfg.Token
	nomad, err := api.NewClient(ac)
	if err != nil {
		return nil, fmt.Errorf("creating the Nomad client for %s: %w", cfg.NomadAddr, err)
	}
	m := newMetrics()
	s := &Server{cfg: cfg, target: target, nomad: nomad, fleet: newFleet(m), m: m, log: cfg.Logger, now: time.Now,
		tenants: nsbinding.New(nomad)}
	ac.SecretID = ""
	caller, err := api.NewClient(ac)
	if err != nil {
		return nil, fmt.Errorf("creating the Nomad client for %s: %w", cfg.NomadAddr, err)
	}
	s.caller = caller
	if cfg.StorageURL != "" {
		s.storage = &metaapi.Client{URL: cfg.StorageURL, Key: cfg.StorageKey, HTTP: &http.Client{Timeout: 30 * time.Second}}
	}
	if cfg.LeaderLock != "" {
		s.elector, err = leadership.New(leadership.Config{Nomad: nomad, Path: cfg.LeaderLock, Advertise: cfg.Advertise, TTL: cfg.LockTTL, Logger: cfg.Logger})
		if err != nil {
			return nil, err
		}
	} else {
		m.leading.Set(1)
	}
	s.visible = newVisibility(caller, 10*time.Second)
	s.proxy = &httputil.ReverseProxy{
		Rewrite: func(r *httputil.ProxyRequest) {
			r.SetURL(target)
			r.Out.Host = r.In.Host
			// The caller's X-Forwarded-For stays as it came; Nomad logs the peer it sees.
			r.Out.Header["X-Forwarded-For"] = r.In.Header["X-Forwarded-For"]
		},
		// Streams (logs -f, the event stream, blocking queries) must reach the caller as they come.
		FlushInterval:  -1,
		BufferPool:     &buffers{},
		ModifyResponse: s.afterNomad,
		ErrorHandler:   s.nomadUnreachable,
		ErrorLog:       slog.NewLogLogger(cfg.Logger.Handler(), slog.LevelWarn),
	}
	return s, nil
}

// buffers lends the proxy its copy buffers, rather than a new 32 KiB one per response.
type buffers struct{ p sync.Pool }

func (b *buffers) Get() []byte {
	if v, ok := b.p.Get().(*[]byte); ok {
		return *v
	}
	return make([]byte, 32<<10)
}

func (b *buffers) Put(buf []byte) { b.p.Put(&buf) }

// Handler is the server's HTTP handler: /metrics, the last packing (PackingPath), the
// intercepted job calls, and Nomad's whole API passed through.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(s.m.reg, promhttp.HandlerOpts{}))
	mux.HandleFunc("GET "+PackingPath, s.packing)
	mux.HandleFunc("POST "+QuotePath, s.quote)
	mux.HandleFunc("PUT "+QuotePath, s.quote)
	mux.HandleFunc("/", s.route)
	return mux
}

// Run keeps the model current until ctx ends (the event stream, hold expiry, holds restored
// after each rebuild).
func (s *Server) Run(ctx context.Context) {
	go s.reholdAfterRebuilds(ctx)
	if s.elector != nil {
		go s.elector.Run(ctx, s.lead)
	}
	if s.storage != nil {
		go s.refreshHoldings(ctx)
	}
	if len(s.cfg.ReputationURLs) > 0 {
		go s.refreshReputations(ctx)
	}
	go func() {
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case now := <-t.C:
				s.fleet.mu.Lock()
				s.fleet.expireLocked(now)
				s.fleet.mu.Unlock()
			}
		}
	}()
	nomadstate.Watch(ctx, s.nomad, s.cfg.Region, s.fleet, s.log)
}

// Ready is closed once the first model of the region is built.
func (s *Server) Ready() <-chan struct{} { return s.fleet.ready }

// Serve runs a server for cfg on ln until ctx ends — what `dec2-allocator serve` does, and
// what tests and the demo call to run one in-process.
func Serve(ctx context.Context, ln net.Listener, cfg Config) error {
	s, err := New(cfg)
	if err != nil {
		return err
	}
	return s.Serve(ctx, ln)
}

// Serve runs s on ln until ctx ends.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go s.Run(ctx)
	hs := &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second, ErrorLog: slog.NewLogLogger(s.log.Handler(), slog.LevelWarn)}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	s.log.Info("allocator serving", "addr", ln.Addr().String(), "nomad", s.cfg.NomadAddr, "pack_all", s.cfg.PackAll)
	select {
	case err := <-errc:
		return fmt.Errorf("serving on %s: %w", ln.Addr(), err)
	case <-ctx.Done():
	}
	sctx, scancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer scancel()
	// Streams never end on their own; after the grace period they are cut.
	if err := hs.Shutdown(sctx); err != nil {
		hs.Close()
	}
	return nil
}

// route picks the intercepted calls out of Nomad's API; everything else goes straight on.
func (s *Server) route(w http.ResponseWriter, r *http.Request) {
	if (r.Method == http.MethodPut || r.Method == http.MethodPost) && intercepted(r.URL.Path) && !s.admits() {
		s.toLeader(w, r)
		return
	}
	if r.Method == http.MethodPut || r.Method == http.MethodPost {
		switch p := strings.TrimSuffix(r.URL.Path, "/"); {
		case p == "/v1/jobs":
			s.register(w, r, "")
			return
		case strings.HasPrefix(p, "/v1/job/"):
			rest := strings.TrimPrefix(p, "/v1/job/")
			id, tail, _ := strings.Cut(rest, "/")
			switch tail {
			case "":
				s.register(w, r, id)
				return
			case "plan":
				s.plan(w, r, id)
				return
			case "scale":
				s.scale(w, r, id)
				return
			}
		}
	}
	s.proxy.ServeHTTP(w, r)
}

// intercepted says whether path is one of the job calls the allocator decides.
func intercepted(path string) bool {
	p := strings.TrimSuffix(path, "/")
	if p == "/v1/jobs" {
		return true
	}
	rest, ok := strings.CutPrefix(p, "/v1/job/")
	if !ok {
		return false
	}
	_, tail, _ := strings.Cut(rest, "/")
	return tail == "" || tail == "plan" || tail == "scale"
}

// nomadUnreachable answers 502 naming the address, in Nomad's plain-text error form.
func (s *Server) nomadUnreachable(w http.ResponseWriter, r *http.Request, err error) {
	if t, ok := r.Context().Value(ticketKey{}).(*pending); ok {
		s.settle(t, 0, false)
	}
	if errors.Is(err, context.Canceled) {
		// The caller went away (a stream it closed); nobody is left to answer.
		return
	}
	s.log.Warn("nomad unreachable", "addr", s.cfg.NomadAddr, "path", r.URL.Path, "err", err)
	http.Error(w, fmt.Sprintf("dec2-allocator: Nomad at %s is unreachable: %v", s.cfg.NomadAddr, err), http.StatusBadGateway)
}

// token is the caller's ACL token, as Nomad reads it.
func token(r *http.Request) string {
	if t := r.Header.Get("X-Nomad-Token"); t != "" {
		return t
	}
	if a := r.Header.Get("Authorization"); strings.HasPrefix(a, "Bearer ") {
		return strings.TrimPrefix(a, "Bearer ")
	}
	return ""
}
