package service

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"net/http"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/hashicorp/nomad/api"

	"github.com/dec2-cloud/dec2/attestor/chainview"
	"github.com/dec2-cloud/dec2/attestor/downtime"
	"github.com/dec2-cloud/dec2/attestor/gates"
	"github.com/dec2-cloud/dec2/attestor/nomadview"
	"github.com/dec2-cloud/dec2/attestor/peers"
	"github.com/dec2-cloud/dec2/attestor/probe"
	"github.com/dec2-cloud/dec2/contracts/chain"
	"github.com/dec2-cloud/dec2/conventions"
	"github.com/dec2-cloud/dec2/reputation"
	"github.com/dec2-cloud/dec2/storage/audit"
	"github.com/dec2-cloud/dec2/storage/metaapi"
)

// Service is one running attestor.
type Service struct {
	cfg     Config
	log     *slog.Logger
	self    common.Address
	key     *ecdsa.PrivateKey
	chainID *big.Int
	nomad   *nomadview.View
	chain   *chainview.Chain
	peers   *peers.Client
	dial    probe.Dialer
	limiter *gates.Limiter
	metrics *metrics

	mu        sync.Mutex
	watch     *downtime.Watch
	book      *reputation.Book
	published map[common.Hash][]byte // evidence this attestor signed or proposed, by hash
	headAt    time.Time
	reached   map[common.Address]time.Time
	threshold int
	pursuing  map[string]bool
	// signedIncidents are the incidents (report reasons) this attestor signed a report of.
	signedIncidents map[[32]byte]bool
	events          []Event

	// storage is dec2-storage, read as an operator; nil when this attestor audits no storage.
	storage   *metaapi.Client
	auditHTTP *http.Client
	// containment holds each storage provider's timed-out challenge, containedTargets what
	// it was asked about, so the same challenge is asked again.
	containment      *audit.Containment
	containedTargets map[common.Address]target
}

// Event is something an operator should see in /v1/status besides the log: a freeze, a slash.
type Event struct {
	At     time.Time `json:"at"`
	Kind   string    `json:"kind"`
	NodeID string    `json:"node_id,omitempty"`
	Detail string    `json:"detail"`
}

// New dials Nomad and the chain.
func New(ctx context.Context, cfg Config) (*Service, error) {
	cfg = cfg.WithDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	napi, err := nomadClient(cfg, 0)
	if err != nil {
		return nil, err
	}
	short, err := nomadClient(cfg, 5*time.Second)
	if err != nil {
		return nil, err
	}
	ec, err := ethclient.DialContext(ctx, cfg.ChainRPC)
	if err != nil {
		return nil, fmt.Errorf("dialling the chain at %s: %w", cfg.ChainRPC, err)
	}
	cc, err := chain.NewClient(ctx, ec, cfg.Key, chain.WithReceiptPoll(200*time.Millisecond))
	if err != nil {
		return nil, fmt.Errorf("reading the chain at %s: %w", cfg.ChainRPC, err)
	}
	book, err := reputation.NewBook(cfg.Reputation)
	if err != nil {
		return nil, err
	}
	s := &Service{
		cfg: cfg, log: cfg.Logger, key: cfg.Key, self: crypto.PubkeyToAddress(cfg.Key.PublicKey), chainID: cc.ChainID(),
		nomad:   nomadview.New(napi, short, cfg.Logger),
		chain:   chainview.New(cc, cfg.Registry, cfg.Escrow, cfg.DeployedAt),
		peers:   &peers.Client{HTTP: &http.Client{Timeout: 10 * time.Second}, Key: cfg.Key, Now: time.Now},
		dial:    probe.Dialer{Timeout: 2 * time.Second},
		limiter: gates.NewLimiter(cfg.Cooldown, cfg.SigningCap),
		metrics: newMetrics(),
		watch:   downtime.New(cfg.Downtime), book: book,
		published: map[common.Hash][]byte{}, reached: map[common.Address]time.Time{}, pursuing: map[string]bool{}, signedIncidents: map[[32]byte]bool{},
		auditHTTP: &http.Client{}, containment: audit.NewContainment(), containedTargets: map[common.Address]target{},
	}
	if cfg.Storage != "" {
		s.storage = &metaapi.Client{URL: cfg.Storage, Key: cfg.Key, HTTP: &http.Client{Timeout: 30 * time.Second}}
	}
	return s, nil
}

// nomadClient reaches cfg's Nomad; timeout 0 is for the event stream, which never ends.
func nomadClient(cfg Config, timeout time.Duration) (*api.Client, error) {
	nc := api.DefaultConfig()
	nc.Address, nc.SecretID = cfg.NomadAddr, cfg.NomadToken
	nc.HttpClient = &http.Client{Timeout: timeout}
	c, err := api.NewClient(nc)
	if err != nil {
		return nil, fmt.Errorf("creating the Nomad client for %s: %w", cfg.NomadAddr, err)
	}
	return c, nil
}

// Address is this attestor's.
func (s *Service) Address() common.Address { return s.self }

// Run watches until ctx ends.
func (s *Service) Run(ctx context.Context) {
	go s.nomad.Run(ctx, time.Second)
	go s.every(ctx, s.cfg.ProbeEvery, s.probeAll)
	go s.every(ctx, s.cfg.Tick, s.readChain)
	if s.storage != nil {
		go s.every(ctx, s.cfg.AuditEvery, s.auditAll)
	}
	s.every(ctx, s.cfg.Tick, s.tick)
}

func (s *Service) every(ctx context.Context, d time.Duration, f func(context.Context)) {
	t := time.NewTicker(d)
	defer t.Stop()
	for {
		f(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// readChain refreshes the head's time and k: the gates need both fresh.
func (s *Service) readChain(ctx context.Context) {
	cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	head, err := s.chain.Head(cctx)
	if err != nil {
		s.log.Debug("chain head unreadable", "err", err)
		return
	}
	k, err := s.chain.Threshold(cctx)
	if err != nil {
		return
	}
	s.mu.Lock()
	s.headAt, s.threshold = head, int(k)
	s.mu.Unlock()
}

// tick feeds Nomad's nodes to the downtime watch and pursues every due report.
func (s *Service) tick(ctx context.Context) {
	if !s.nomad.Synced() {
		return
	}
	now := time.Now()
	s.mu.Lock()
	for _, n := range s.nomad.Nodes() {
		s.watch.Observe(n, now)
	}
	due, frozen := s.watch.Due(now)
	if frozen != nil {
		s.eventLocked(Event{At: now, Kind: "slashing_frozen", Detail: fmt.Sprintf("%d of %d nodes went down together (%v): no slash for them", frozen.Down, frozen.Known, frozen.Nodes)})
		s.metrics.freezes.Inc()
	}
	var start []downtime.Candidate
	for _, c := range due {
		if !s.pursuing[c.NodeID] {
			s.pursuing[c.NodeID] = true
			start = append(start, c)
		}
	}
	s.mu.Unlock()
	for _, c := range start {
		go func() {
			defer func() { s.mu.Lock(); delete(s.pursuing, c.NodeID); s.mu.Unlock() }()
			pctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
			defer cancel()
			if err := s.pursue(pctx, c, now); err != nil {
				// A closed gate says so every tick until it opens: the gate's state is in
				// /v1/status, so only other failures are worth a line each time.
				level, closed := slog.LevelInfo, (*gates.Closed)(nil)
				if errors.As(err, &closed) {
					level = slog.LevelDebug
				}
				s.log.Log(pctx, level, "no report yet", "node", c.NodeID, "err", err)
			}
		}()
	}
}

func (s *Service) eventLocked(e Event) {
	s.log.Warn(e.Detail, "event", e.Kind, "node", e.NodeID)
	s.events = append(s.events, e)
	if len(s.events) > 100 {
		s.events = s.events[len(s.events)-100:]
	}
}

// gateView is what gates.Check judges now.
func (s *Service) gateView(now time.Time) gates.View {
	known, changed := s.nomad.Leader()
	s.mu.Lock()
	defer s.mu.Unlock()
	reach := 1
	for _, at := range s.reached {
		if now.Sub(at) <= 3*s.cfg.ProbeEvery {
			reach++
		}
	}
	return gates.View{Now: now, LeaderKnown: known, LeaderChangedAt: changed, ChainHead: s.headAt, PeersReachable: reach, Quorum: max(s.threshold, 1)}
}

// probeAll dials every provider for its uptime reputation and every peer for quorum.
func (s *Service) probeAll(ctx context.Context) {
	nodes := s.nomad.Nodes()
	type seen struct {
		id string
		ok bool
	}
	var results []seen
	for _, n := range nodes {
		var targets []probe.Target
		for _, t := range s.nomad.Targets(n.ID) {
			if t.Kind == "client" {
				targets = append(targets, t)
			}
		}
		ok := n.Status == api.NodeStatusReady && probe.Reachable(s.dial.All(ctx, targets, time.Now))
		if n.Draining || !n.Eligible {
			continue // a provider on its way out is not judged
		}
		results = append(results, seen{n.ID, ok})
	}
	wallets := s.nomad.Meta(conventions.MetaWallet)
	slashes := s.slashCounts(ctx, wallets)
	reached := map[common.Address]time.Time{}
	for _, p := range s.cfg.Peers {
		if s.pingPeer(ctx, p) {
			reached[p.Addr] = time.Now()
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range results {
		s.book.ObserveUptime(r.id, r.ok)
		if w := wallets[r.id]; w != "" {
			s.book.SetWallet(r.id, w)
		}
		if n, ok := slashes[r.id]; ok {
			s.book.SetSlashes(r.id, n)
		}
	}
	for a, at := range reached {
		s.reached[a] = at
	}
	for _, p := range s.book.Report(s.self.Hex(), time.Now()).Providers {
		s.metrics.reputation.WithLabelValues(p.NodeID, "uptime").Set(p.Uptime)
		s.metrics.reputation.WithLabelValues(p.NodeID, "audit").Set(p.Audit)
		s.metrics.reputation.WithLabelValues(p.NodeID, "score").Set(p.Score)
	}
}

// slashCounts reads each node's provider's slash count from the registry; nodes whose wallet
// meta is not an address, or whose read fails, are left out (their count stays as it was).
func (s *Service) slashCounts(ctx context.Context, wallets map[string]string) map[string]uint32 {
	out := make(map[string]uint32, len(wallets))
	for node, w := range wallets {
		if !common.IsHexAddress(w) {
			continue
		}
		p, err := s.chain.Registry.Provider(ctx, common.HexToAddress(w))
		if err == nil {
			out[node] = p.Slashes
		}
	}
	return out
}

func (s *Service) pingPeer(ctx context.Context, p peers.Peer) bool {
	cctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	r, err := http.NewRequestWithContext(cctx, http.MethodGet, p.URL+"/healthz", nil)
	if err != nil {
		return false
	}
	res, err := s.peers.HTTP.Do(r)
	if err != nil {
		return false
	}
	res.Body.Close()
	return res.StatusCode == http.StatusOK
}
