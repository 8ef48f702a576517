// Package service wires the billing sidecar together: Nomad source → lifecycle reducer →
// journal → ledger → chain, plus usage metering, batched settlement, insolvency enforcement and
// the /metrics endpoint. Run is what `dec2-billing run` and the demo call.
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
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/hashicorp/nomad/api"

	"github.com/dec2-cloud/dec2/billing-sidecar/chainsink"
	"github.com/dec2-cloud/dec2/billing-sidecar/journal"
	"github.com/dec2-cloud/dec2/billing-sidecar/ledger"
	"github.com/dec2-cloud/dec2/billing-sidecar/lifecycle"
	"github.com/dec2-cloud/dec2/billing-sidecar/nomadsource"
	"github.com/dec2-cloud/dec2/billing-sidecar/storagestreams"
	"github.com/dec2-cloud/dec2/metering"
	"github.com/dec2-cloud/dec2/storage/metaapi"
	"github.com/dec2-cloud/dec2/tenancy"
)

// Config is everything the sidecar needs. Zero durations take the defaults in Defaults.
type Config struct {
	NomadAddr  string
	NomadToken string // read-only policy plus job-stop (insolvency)

	ChainRPC      string            // JSON-RPC URL; ignored when Backend is set
	Backend       chainsink.Backend // an open chain connection (tests, the demo); optional
	Escrow        common.Address
	Key           *ecdsa.PrivateKey // the operator key; never logged
	Confirmations uint64            // blocks an action must be buried under to count as done

	JournalPath string
	MetricsAddr string // host:port for /metrics and /events; "" serves nothing

	StatsInterval      time.Duration // allocation stats polling
	DriveInterval      time.Duration // chain action retries
	SettleInterval     time.Duration // settleMany batches
	InsolvencyInterval time.Duration // insolvency checks
	InsolvencyGrace    time.Duration // from the contract's insolventSince to stopping the jobs
	BumpAfter          time.Duration // fee bump for unmined transactions

	// StorageURL is dec2-storage's address: when set, stored pieces are paid for, one stream
	// per (consumer, provider) from the usage it reports to the operator key (a --meter of
	// it) at the providers' disk prices in Nomad. Empty: no storage billing.
	StorageURL      string
	StorageInterval time.Duration         // how often usage is read and streams re-decided
	StoragePolicy   storagestreams.Policy // when a changed rate is re-rated; zero: DefaultPolicy
	// DiskPrices, if set, is where providers' disk prices come from instead of Nomad's node
	// meta (tests that run no Nomad).
	DiskPrices func(context.Context) (map[common.Address]storagestreams.Price, error)

	Log   *slog.Logger
	Hooks ledger.Hooks // fault injection (tests)
	// OnEvent, if set, receives every billing event (the demo prints them).
	OnEvent func(Event)
	// Now is the clock decisions read (time.Now when nil); tests move it.
	Now func() time.Time
}

// Defaults fills zero fields.
func (c *Config) Defaults() {
	def := func(d *time.Duration, v time.Duration) {
		if *d == 0 {
			*d = v
		}
	}
	def(&c.StatsInterval, 5*time.Second)
	def(&c.DriveInterval, time.Second)
	def(&c.SettleInterval, time.Minute)
	def(&c.InsolvencyInterval, 5*time.Second)
	def(&c.InsolvencyGrace, 5*time.Minute)
	def(&c.BumpAfter, 2*time.Minute)
	def(&c.StorageInterval, 5*time.Minute)
	if c.StoragePolicy == (storagestreams.Policy{}) {
		c.StoragePolicy = storagestreams.DefaultPolicy()
	}
	if c.Log == nil {
		c.Log = slog.Default()
	}
	if c.Now == nil {
		c.Now = time.Now
	}
}

// Event is something an operator or consumer should know about.
type Event struct {
	Time      time.Time `json:"time"`
	Kind      string    `json:"kind"` // stream_open, stream_close, storage_open, storage_close, storage_unpaid, bad_input, insolvent, job_stopped, resumed, action_failed
	AllocID   string    `json:"alloc_id,omitempty"`
	JobID     string    `json:"job_id,omitempty"`
	Namespace string    `json:"namespace,omitempty"`
	Consumer  string    `json:"consumer,omitempty"`
	Detail    string    `json:"detail,omitempty"`
}

type tracked struct {
	alloc *api.Allocation
	terms lifecycle.Terms
	prev  metering.Sample
}

// Service is a running sidecar.
type Service struct {
	cfg     Config
	log     *slog.Logger
	j       *journal.Journal
	sink    *chainsink.Sink
	ledger  *ledger.Ledger
	src     *nomadsource.Source
	metrics *metrics
	kick    chan struct{}
	life    lifecycle.Config
	// meter reads every tenant's storage usage (nil: storage is not billed); diskPrices
	// reads the providers' disk prices (Nomad's node meta).
	meter      *metaapi.Client
	diskPrices func(context.Context) (map[common.Address]storagestreams.Price, error)

	// decide serialises decisions (handle, resume): Nomad's reports are reduced in order.
	decide    sync.Mutex
	mu        sync.Mutex // guards the maps below; never held across Nomad, the chain or the journal
	allocs    map[string]*tracked
	nodeSeen  map[string]time.Time
	problems  map[string]string
	insolvent map[string]bool // consumer → flagged (checked for halted streams on recovery)
	stopped   map[string]bool // ns/job stopped (insolvency, the tenant contract)
	forget    []string        // allocations gone since the last stats pass: drop their samples
	storage   storageState

	evMu   sync.Mutex // events are recorded with or without mu held
	events []Event
}

// New opens the journal, connects to Nomad and the chain, and prepares the service.
func New(ctx context.Context, cfg Config) (*Service, error) {
	cfg.Defaults()
	if cfg.Key == nil {
		return nil, errors.New("no operator key: pass --key-file or DEC2_BILLING_KEY")
	}
	if cfg.JournalPath == "" {
		return nil, errors.New("no journal path: pass --journal")
	}
	ncfg := api.DefaultConfig()
	if cfg.NomadAddr != "" {
		ncfg.Address = cfg.NomadAddr
	}
	ncfg.SecretID = cfg.NomadToken
	nc, err := api.NewClient(ncfg)
	if err != nil {
		return nil, fmt.Errorf("nomad client for %s: %w", ncfg.Address, err)
	}
	backend := cfg.Backend
	if backend == nil {
		c, err := ethclient.DialContext(ctx, cfg.ChainRPC)
		if err != nil {
			return nil, fmt.Errorf("dialling chain %s: %w", cfg.ChainRPC, err)
		}
		backend = c
	}
	sink, err := chainsink.New(ctx, backend, cfg.Escrow, cfg.Key, cfg.Confirmations)
	if err != nil {
		return nil, err
	}
	j, err := journal.Open(cfg.JournalPath)
	if err != nil {
		return nil, err
	}
	s := &Service{
		cfg: cfg, log: cfg.Log, j: j, sink: sink, src: nomadsource.New(nc, cfg.Log), metrics: newMetrics(),
		kick: make(chan struct{}, 1), life: lifecycle.Config{MaxBackdate: ledger.MaxBackdate - 10*time.Minute},
		allocs: map[string]*tracked{}, nodeSeen: map[string]time.Time{}, problems: map[string]string{},
		insolvent: map[string]bool{}, stopped: map[string]bool{},
	}
	s.diskPrices = cfg.DiskPrices
	if s.diskPrices == nil {
		s.diskPrices = s.src.DiskPrices
	}
	if cfg.StorageURL != "" {
		s.meter = &metaapi.Client{URL: cfg.StorageURL, Key: cfg.Key, HTTP: &http.Client{Timeout: 30 * time.Second}}
	}
	s.ledger = &ledger.Ledger{J: j, C: sink, Log: cfg.Log, BumpAfter: cfg.BumpAfter, RetryWait: 10 * time.Second, Hooks: cfg.Hooks,
		OnDone: func(in journal.Intent) {
			if in.State == journal.Failed {
				s.event(Event{Kind: "action_failed", AllocID: in.AllocID, Consumer: in.Consumer, Detail: in.Key + ": " + in.Err})
			}
		}}
	s.log.Info("billing sidecar ready", "nomad", ncfg.Address, "escrow", cfg.Escrow.Hex(), "operator", sink.Operator().Hex(), "journal", cfg.JournalPath)
	return s, nil
}

// Close closes the journal.
func (s *Service) Close() error { return s.j.Close() }

// Run starts a service from cfg and runs it until ctx ends.
func Run(ctx context.Context, cfg Config) error {
	s, err := New(ctx, cfg)
	if err != nil {
		return err
	}
	defer s.Close()
	return s.Run(ctx)
}

// Run runs the loops until ctx ends (nil) or one of them fails for good (an injected crash,
// a journal error).
func (s *Service) Run(ctx context.Context) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	if s.cfg.MetricsAddr != "" {
		ln, err := net.Listen("tcp", s.cfg.MetricsAddr)
		if err != nil {
			return fmt.Errorf("metrics listener on %s: %w", s.cfg.MetricsAddr, err)
		}
		srv := &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 5 * time.Second}
		go srv.Serve(ln)
		defer srv.Close()
	}
	// Finish what an earlier run left before taking new decisions.
	if _, err := s.ledger.Drive(ctx); errors.Is(err, ledger.ErrCrash) {
		return err
	}
	from, err := s.j.Index()
	if err != nil {
		return err
	}
	var wg sync.WaitGroup
	loop := func(name string, every time.Duration, f func(context.Context) error) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			t := time.NewTicker(every)
			defer t.Stop()
			for {
				if err := f(ctx); err != nil {
					cancel(fmt.Errorf("%s: %w", name, err))
					return
				}
				select {
				case <-ctx.Done():
					return
				case <-t.C:
				case <-s.kickFor(name):
				}
			}
		}()
	}
	loop("chain", s.cfg.DriveInterval, s.drive)
	loop("stats", s.cfg.StatsInterval, s.sampleAll)
	loop("settle", s.cfg.SettleInterval, s.settle)
	loop("insolvency", s.cfg.InsolvencyInterval, s.checkInsolvency)
	if s.meter != nil {
		loop("storage", s.cfg.StorageInterval, s.meterStorage)
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		err := s.src.Watch(ctx, from, func(as []*api.Allocation) { s.handle(ctx, as) }, s.j.SetIndex)
		if err != nil && ctx.Err() == nil {
			cancel(fmt.Errorf("nomad source: %w", err))
		}
	}()
	<-ctx.Done()
	wg.Wait()
	if err := context.Cause(ctx); err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	return nil
}

func (s *Service) kickFor(name string) <-chan struct{} {
	if name == "chain" {
		return s.kick
	}
	return nil
}

func (s *Service) wake() {
	select {
	case s.kick <- struct{}{}:
	default:
	}
}

func (s *Service) drive(ctx context.Context) error {
	n, err := s.ledger.Drive(ctx)
	s.metrics.unfinished.Set(float64(n))
	if errors.Is(err, ledger.ErrCrash) {
		return err
	}
	return nil
}

// handle decides and journals the actions for a batch of allocation reports, in one journal
// transaction. Batches are decided one at a time (decide); the maps' lock is never held across
// Nomad, the chain or the journal.
func (s *Service) handle(ctx context.Context, allocs []*api.Allocation) {
	s.decide.Lock()
	defer s.decide.Unlock()
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	acts := map[string][]lifecycle.Action{}
	byID := map[string]*api.Allocation{}
	for _, a := range allocs {
		byID[a.ID] = a
		if as := s.decideOne(ctx, a); len(as) > 0 {
			acts[a.ID] = as
		}
	}
	recorded, err := s.ledger.RecordAll(acts)
	for _, in := range recorded {
		a := byID[in.AllocID]
		s.event(Event{Kind: "stream_" + string(in.Kind), AllocID: a.ID, JobID: a.JobID, Namespace: a.Namespace, Consumer: in.Consumer,
			Detail: fmt.Sprintf("segment %d at %s", in.Segment, time.Unix(in.At, 0).UTC().Format(time.RFC3339))})
	}
	if err != nil {
		s.log.Error("journaling actions", "err", err)
	}
	if len(recorded) > 0 {
		s.wake()
	}
}

// decideOne reads what the journal and Nomad know of an allocation, then (under mu) updates
// the service's view of it and returns the stream actions to journal.
func (s *Service) decideOne(ctx context.Context, a *api.Allocation) []lifecycle.Action {
	seen, err := s.ledger.Seen(a.ID)
	if err != nil {
		s.log.Error("reading journal", "alloc", a.ID, "err", err)
		return nil
	}
	s.mu.Lock()
	t := s.allocs[a.ID]
	var terms lifecycle.Terms
	if t != nil {
		terms = t.terms
	}
	snap := nomadsource.Snapshot(a, s.nodeSeen[a.NodeID])
	s.mu.Unlock()
	var prev metering.Sample
	if t == nil {
		// Meter on from the sample an earlier run took, unless it is stale.
		if smp, ok, err := s.j.LastSample(a.ID); err == nil && ok && time.Since(smp.At) < 5*s.cfg.StatsInterval {
			prev = smp
		}
	}
	if seen.Opened && terms.Rate == nil {
		// Opened by an earlier run: the journal knows its terms (usage records need them).
		if known, ok, err := s.ledger.Terms(a.ID); err == nil && ok {
			terms = known
		}
	}
	var factsErr error
	if !seen.Opened && snap.Status != lifecycle.StatusPending {
		var facts lifecycle.Facts
		if facts, factsErr = s.src.Facts(ctx, a); factsErr == nil {
			facts.ChainID, facts.At = s.sink.ChainID(), s.cfg.Now()
			snap.Terms, snap.TermsErr = lifecycle.ResolveTerms(facts)
			terms = snap.Terms
		}
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	if t = s.allocs[a.ID]; t == nil {
		t = &tracked{prev: prev}
	}
	t.alloc, t.terms = a, terms
	if factsErr != nil {
		s.log.Warn("reading allocation facts; will retry", "alloc", a.ID, "err", factsErr)
		s.allocs[a.ID] = t
		return nil
	}
	var acts []lifecycle.Action
	for _, act := range lifecycle.Decide(s.life, snap, seen, s.cfg.Now()) {
		if act.Kind != lifecycle.Problem {
			acts = append(acts, act)
			continue
		}
		if s.problems[a.ID] != act.Reason {
			s.problems[a.ID] = act.Reason
			s.metrics.problems.WithLabelValues(act.Reason).Inc()
			s.event(Event{Kind: "bad_input", AllocID: a.ID, JobID: a.JobID, Namespace: a.Namespace, Detail: act.Err.Error()})
			if breaches[act.Reason] {
				go s.stopBreach(a.ID, a.Namespace, a.JobID, act.Err)
			}
		}
	}
	switch snap.Status {
	case lifecycle.StatusRunning, lifecycle.StatusPending:
		s.allocs[a.ID] = t
	default:
		if _, ok := s.allocs[a.ID]; ok {
			s.forget = append(s.forget, a.ID)
		}
		delete(s.allocs, a.ID)
	}
	return acts
}

// sampleAll polls stats of running allocations, stores usage records, keeps each node's last
// sign of life, and retries decisions that were waiting on Nomad facts.
func (s *Service) sampleAll(ctx context.Context) error {
	type job struct {
		t *tracked
		a *api.Allocation // read under mu: handle replaces t.alloc concurrently
	}
	s.mu.Lock()
	list := make([]job, 0, len(s.allocs))
	for _, t := range s.allocs {
		if t.alloc.ClientStatus == lifecycle.StatusRunning {
			list = append(list, job{t, t.alloc})
		}
	}
	s.mu.Unlock()
	s.metrics.metered.Set(float64(len(list)))
	sem := make(chan struct{}, 8)
	var (
		wg   sync.WaitGroup
		rmu  sync.Mutex
		recs []metering.Record
		last = map[string]metering.Sample{}
	)
	for _, jb := range list {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
			defer cancel()
			smp := s.src.Sample(cctx, jb.a)
			rec, ok := s.account(jb.t, smp)
			rmu.Lock()
			if ok {
				recs = append(recs, rec)
			}
			if smp.Reachable {
				last[jb.a.ID] = smp
			}
			rmu.Unlock()
		}()
	}
	wg.Wait()
	s.mu.Lock()
	forget := s.forget
	s.forget = nil
	s.mu.Unlock()
	if err := s.j.Meter(recs, last, forget); err != nil {
		s.log.Error("storing usage records", "records", len(recs), "err", err)
	}
	// Allocations whose facts could not be read get another go.
	s.mu.Lock()
	var retry []*api.Allocation
	for _, t := range s.allocs {
		if t.terms.Rate == nil && s.problems[t.alloc.ID] == "" {
			retry = append(retry, t.alloc)
		}
	}
	s.mu.Unlock()
	if len(retry) > 0 {
		s.handle(ctx, retry)
	}
	return nil
}

// account turns a new sample into a usage record and notes the node as alive.
func (s *Service) account(t *tracked, smp metering.Sample) (metering.Record, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if smp.Reachable && smp.At.After(s.nodeSeen[smp.NodeID]) {
		s.nodeSeen[smp.NodeID] = smp.At
	}
	rec, ok := metering.Between(t.prev, smp, t.terms.Rate)
	t.prev = smp
	if !ok {
		return rec, false
	}
	a := t.alloc
	rec.AllocID, rec.JobID, rec.Namespace = a.ID, a.JobID, a.Namespace
	if t.terms.Rate != nil {
		rec.Consumer, rec.Provider = t.terms.Consumer.Hex(), t.terms.Provider.Hex()
	}
	s.metrics.observe(rec)
	return rec, true
}

// openStreams lists journaled streams that are open on chain and not (being) closed, by
// stream key (the journal's open-streams index: the history is not read).
func (s *Service) openStreams() (map[string]journal.Intent, error) {
	ins, err := s.j.OpenStreams()
	if err != nil {
		return nil, err
	}
	open := make(map[string]journal.Intent, len(ins))
	for _, in := range ins {
		open[in.StreamKey] = in
	}
	return open, nil
}

// statsLag is how far the timestamp of the stats a Nomad client hands out can trail the poll
// that asked for them: clients collect stats on their own period, later still when busy (up to
// about 3 s seen at a 1 s collection interval).
const statsLag = 5 * time.Second

// settle pays providers of open streams with settleMany, 100 streams a transaction. The
// contract keeps time already paid even if the stream is later closed earlier, so only streams
// whose allocation's stats are recent (two polls plus statsLag) are settled, and only up to a
// second before the oldest of those stats: never past a moment the work was seen running,
// whenever the transaction is mined.
func (s *Service) settle(ctx context.Context) error {
	open, err := s.openStreams()
	if err != nil {
		return err
	}
	fresh := time.Now().Add(-2*s.cfg.StatsInterval - statsLag)
	keys := make([]common.Hash, 0, len(open))
	until := time.Now()
	s.mu.Lock()
	for k, in := range open {
		t := s.allocs[in.AllocID]
		if t == nil || t.alloc.ClientStatus != lifecycle.StatusRunning || !t.prev.Reachable || t.prev.At.Before(fresh) {
			continue
		}
		keys = append(keys, common.HexToHash(k))
		if t.prev.At.Before(until) {
			until = t.prev.At
		}
	}
	s.mu.Unlock()
	until = until.Add(-time.Second)
	sort.Slice(keys, func(a, b int) bool { return keys[a].Hex() < keys[b].Hex() })
	for len(keys) > 0 {
		n := min(len(keys), 100)
		if _, err := s.sink.SettleMany(ctx, keys[:n], until); err != nil {
			s.log.Warn("settleMany deferred", "streams", n, "err", err)
			s.sink.Resync()
			return nil
		}
		s.metrics.settled.Add(float64(n))
		keys = keys[n:]
	}
	s.settleStorage(ctx, open)
	return nil
}

// checkInsolvency asks the contract about every consumer with open streams (or an open waiting
// for funds). Past the grace period after insolventSince, the consumer's jobs are stopped; a
// top-up before that resumes its halted streams from the halt, so nothing goes unpaid.
func (s *Service) checkInsolvency(ctx context.Context) error {
	open, err := s.openStreams()
	if err != nil {
		return err
	}
	waiting, err := s.j.Unfinished()
	if err != nil {
		return err
	}
	byConsumer := map[common.Address][]journal.Intent{}
	for _, in := range open {
		c := common.HexToAddress(in.Consumer)
		byConsumer[c] = append(byConsumer[c], in)
	}
	unfunded := map[common.Address]time.Time{} // consumer → since when an open waits for it
	for _, in := range waiting {
		if in.Kind == journal.KindOpen && in.Reason == journal.ReasonConsumer {
			c := common.HexToAddress(in.Consumer)
			if t, ok := unfunded[c]; !ok || in.Created.Before(t) {
				unfunded[c] = in.Created
			}
			byConsumer[c] = append(byConsumer[c], in)
		}
	}
	head, err := s.sink.HeadTime(ctx)
	if err != nil {
		s.log.Warn("insolvency check deferred", "err", err)
		return nil
	}
	now := time.Unix(int64(head), 0)
	for c, streams := range byConsumer {
		since, err := s.sink.InsolventSince(ctx, c)
		if err != nil {
			s.log.Warn("insolvency check deferred", "consumer", c.Hex(), "err", err)
			continue
		}
		st := lifecycle.Solvency{UnfundedSince: unfunded[c]}
		if since != 0 {
			st.InsolventSince = time.Unix(int64(since), 0)
		}
		s.mu.Lock()
		st.Flagged, st.Known = s.insolvent[c.Hex()]
		s.mu.Unlock()
		act := lifecycle.Insolvency(st, now, s.cfg.InsolvencyGrace)
		if act.Resume {
			s.resume(ctx, c, streams)
		}
		if act.Flag {
			s.mu.Lock()
			s.insolvent[c.Hex()] = true
			s.mu.Unlock()
			s.metrics.insolvent.Inc()
			s.event(Event{Kind: "insolvent", Consumer: c.Hex(), Detail: fmt.Sprintf("escrow cannot cover its streams since %s; jobs stop after %s unless it tops up", act.From.UTC().Format(time.RFC3339), s.cfg.InsolvencyGrace)})
		}
		if act.Stop {
			s.stopJobs(ctx, c, streams)
		}
	}
	return nil
}

// resume continues a solvent consumer's halted streams (after a top-up).
func (s *Service) resume(ctx context.Context, c common.Address, streams []journal.Intent) {
	resumed := 0
	for _, in := range streams {
		if in.State != journal.Done {
			continue
		}
		st, err := s.sink.Stream(ctx, common.HexToHash(in.StreamKey), false)
		if err != nil || st.HaltedAt == 0 || st.End != 0 {
			continue
		}
		rate, _ := new(big.Int).SetString(in.Rate, 10)
		terms := lifecycle.Terms{Consumer: c, Provider: common.HexToAddress(in.Provider), Rate: rate}
		s.decide.Lock()
		seen, err := s.ledger.Seen(in.AllocID)
		if err == nil && seen.Segment == in.Segment {
			_, err = s.ledger.Record(in.AllocID, lifecycle.Resume(seen, time.Unix(int64(st.HaltedAt), 0), terms))
			resumed++
		}
		s.decide.Unlock()
		if err != nil {
			s.log.Error("journaling resume", "alloc", in.AllocID, "err", err)
		}
	}
	s.mu.Lock()
	wasFlagged := s.insolvent[c.Hex()]
	s.insolvent[c.Hex()] = false
	s.mu.Unlock()
	if resumed > 0 || wasFlagged {
		s.event(Event{Kind: "resumed", Consumer: c.Hex(), Detail: fmt.Sprintf("topped up in time; %d halted stream(s) resumed from their halt", resumed)})
		s.wake()
	}
}

// breaches are the problems that are not a consumer's mistake but work where the tenant
// contract forbids it: nobody pays for it, so it is stopped.
var breaches = map[string]bool{"dedicated_to_another_tenant": true, tenancy.ReasonForbiddenTask: true}

// stopBreach stops a job running where its tenant may not run (off the lock handle holds).
func (s *Service) stopBreach(allocID, ns, job string, why error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s.stopJob(ctx, Event{AllocID: allocID, JobID: job, Namespace: ns, Detail: why.Error()})
}

// stopJobs stops the jobs behind an insolvent consumer's allocation streams. Its storage
// streams stop nothing: their pieces stay where they are (the stream halts on chain and
// resumes on a top-up).
func (s *Service) stopJobs(ctx context.Context, c common.Address, streams []journal.Intent) {
	for _, in := range streams {
		if strings.HasPrefix(in.AllocID, storagestreams.AllocPrefix) {
			continue
		}
		s.mu.Lock()
		var ns, job string
		if t := s.allocs[in.AllocID]; t != nil {
			ns, job = t.alloc.Namespace, t.alloc.JobID
		}
		s.mu.Unlock()
		s.stopJob(ctx, Event{AllocID: in.AllocID, JobID: job, Namespace: ns, Consumer: c.Hex(),
			Detail: fmt.Sprintf("consumer insolvent past the %s grace period", s.cfg.InsolvencyGrace)})
	}
}

// stopJob stops e's job once (a failed stop may be tried again) and reports it as job_stopped
// with e's details.
func (s *Service) stopJob(ctx context.Context, e Event) {
	key := e.Namespace + "/" + e.JobID
	s.mu.Lock()
	done := e.JobID == "" || s.stopped[key]
	s.stopped[key] = true
	s.mu.Unlock()
	if done {
		return
	}
	if err := s.src.StopJob(ctx, e.Namespace, e.JobID); err != nil {
		s.log.Error("stopping a job", "job", key, "why", e.Detail, "err", err)
		s.mu.Lock()
		delete(s.stopped, key)
		s.mu.Unlock()
		return
	}
	s.metrics.stopped.Inc()
	e.Kind = "job_stopped"
	s.event(e)
}

func (s *Service) event(e Event) {
	if e.Time.IsZero() {
		e.Time = time.Now()
	}
	s.metrics.events.WithLabelValues(e.Kind).Inc()
	s.log.Info("billing event", "kind", e.Kind, "alloc", e.AllocID, "job", e.JobID, "namespace", e.Namespace, "consumer", e.Consumer, "detail", e.Detail)
	s.evMu.Lock()
	s.events = append(s.events, e)
	if len(s.events) > 1000 {
		s.events = s.events[len(s.events)-1000:]
	}
	s.evMu.Unlock()
	if s.cfg.OnEvent != nil {
		s.cfg.OnEvent(e)
	}
}
