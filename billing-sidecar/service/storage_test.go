package service_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/dec2-cloud/dec2/billing-sidecar/devenv"
	"github.com/dec2-cloud/dec2/billing-sidecar/journal"
	"github.com/dec2-cloud/dec2/billing-sidecar/ledger"
	"github.com/dec2-cloud/dec2/billing-sidecar/service"
	"github.com/dec2-cloud/dec2/billing-sidecar/storagestreams"
	"github.com/dec2-cloud/dec2/contracts/chain"
	"github.com/dec2-cloud/dec2/metering"
	"github.com/dec2-cloud/dec2/pricing"
	"github.com/dec2-cloud/dec2/storage/meta"
	"github.com/dec2-cloud/dec2/storage/meta/sqlstore"
	"github.com/dec2-cloud/dec2/storage/metaapi"
)

// storageRig is a real dev chain, a real storage service (metaapi over SQLite) whose meter is
// the billing operator, and dec2-billing paying for storage from it.
type storageRig struct {
	t       *testing.T
	ctx     context.Context
	chain   *devenv.Env
	tenant  *metaapi.Client
	url     string
	journal string
	prices  map[common.Address]storagestreams.Price
}

const gib = int64(1 << 30)

func newStorageRig(t *testing.T) *storageRig {
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	t.Cleanup(cancel)
	env, err := devenv.Start(ctx, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(env.Close)
	if err := env.Deposit(ctx, 0, chain.Tokens(1000)); err != nil {
		t.Fatal(err)
	}
	st, err := sqlstore.Open(ctx, "sqlite://"+filepath.Join(t.TempDir(), "meta.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	srv := httptest.NewServer(metaapi.New(metaapi.Config{Store: st, Log: slog.New(slog.DiscardHandler), Meters: []common.Address{env.Operator()}}))
	t.Cleanup(srv.Close)
	price := func(s string) storagestreams.Price {
		v, err := pricing.ParseAmount(s)
		if err != nil {
			t.Fatal(err)
		}
		return storagestreams.Price{PerGiBHour: v}
	}
	r := &storageRig{t: t, ctx: ctx, chain: env, url: srv.URL, journal: filepath.Join(t.TempDir(), "billing.db"),
		tenant: &metaapi.Client{URL: srv.URL, Key: env.Key(env.Consumer(0))},
		// Providers 0 and 1 price their disk; provider 2 has no node in the region.
		prices: map[common.Address]storagestreams.Price{env.Provider(0): price("0.36"), env.Provider(1): price("0.72")}}
	if _, err := r.tenant.CreateBucket(ctx, []byte("b")); err != nil {
		t.Fatal(err)
	}
	return r
}

// run starts the sidecar with storage billing every second, prices from the rig (Nomad is
// unreachable: only storage is billed). stop ends it and returns what Run returned; ended is
// closed once Run has returned by itself.
func (r *storageRig) run(hooks ledger.Hooks) (s *service.Service, stop func() error, ended <-chan struct{}) {
	cfg := r.chain.BillingConfig("http://127.0.0.1:1", "", r.journal)
	cfg.StorageURL, cfg.StorageInterval, cfg.Hooks = r.url, time.Second, hooks
	cfg.SettleInterval = time.Hour // every operator transaction is then a stream's open or close
	cfg.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	cfg.DiskPrices = func(context.Context) (map[common.Address]storagestreams.Price, error) { return r.prices, nil }
	s, err := service.New(r.ctx, cfg)
	if err != nil {
		r.t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(r.ctx)
	done := make(chan struct{})
	var runErr error
	go func() {
		runErr = s.Run(ctx)
		s.Close()
		close(done)
	}()
	stop = func() error {
		cancel()
		<-done
		return runErr
	}
	r.t.Cleanup(func() { _ = stop() })
	return s, stop, done
}

// put writes key as one segment at 1/2 whose two pieces of size bytes each lie on p0 and p1:
// the consumer pays for 2 × size.
func (r *storageRig) put(key string, size int64, p0, p1 common.Address) {
	r.t.Helper()
	g := meta.Segment{PlainSize: size, CipherSize: size, K: 1, N: 2, WrappedKey: []byte("wk")}
	for i, p := range []common.Address{p0, p1} {
		g.Pieces = append(g.Pieces, meta.Piece{Index: i, Provider: p.Hex(), NodeID: "n", PieceID: fmt.Sprintf("%s-%d-%d", key, size, i), Size: size})
	}
	o := meta.Object{Bucket: []byte("b"), Key: []byte(key), ETag: "e", Size: size, Segments: []meta.Segment{g}}
	if _, err := r.tenant.PutObject(r.ctx, o, meta.PutOptions{}); err != nil {
		r.t.Fatal(err)
	}
}

// stream waits until the chain holds segment seg of the consumer's stream to provider in the
// state want accepts, and returns it.
func (r *storageRig) stream(provider common.Address, seg int, what string, want func(chain.StreamView) bool) chain.StreamView {
	r.t.Helper()
	pr := storagestreams.Pair{Consumer: r.chain.Consumer(0), Provider: provider}
	key := ledger.StreamKey(storagestreams.StreamID(pr), seg)
	deadline := time.Now().Add(90 * time.Second)
	for {
		v, err := r.chain.Stream(r.ctx, key)
		if err == nil && v.Consumer == pr.Consumer && want(v) {
			return v
		}
		if time.Now().After(deadline) {
			r.t.Fatalf("segment %d of the stream to %s: %s: never (last %+v, %v)", seg, provider.Hex(), what, v, err)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func isOpen(v chain.StreamView) bool   { return v.Start != 0 && v.End == 0 }
func isClosed(v chain.StreamView) bool { return v.Start != 0 && v.End != 0 }

// Storage is paid per GB-hour on chain: a tenant's pieces on two priced providers open a
// stream to each at bytes × price; growing the object re-rates both (the old segment closes
// where the next starts); deleting it closes them; the statement shows storage lines. A crash
// after the open is journaled, and one after its transaction is signed but before it is sent,
// still give exactly one stream.
func TestStoragePaidPerGBHour(t *testing.T) {
	r := newStorageRig(t)
	p0, p1, p2 := r.chain.Provider(0), r.chain.Provider(1), r.chain.Provider(2)
	s, stop, _ := r.run(ledger.Hooks{})

	// 1 GiB on each of p0 (0.36/GiB-h) and p1 (0.72/GiB-h); p2, unpriced, holds 1 GiB too.
	r.put("obj", gib, p0, p1)
	r.put("elsewhere", gib, p2, p2)
	rate0, rate1 := pricing.StorageRate(gib, r.prices[p0].PerGiBHour), pricing.StorageRate(gib, r.prices[p1].PerGiBHour)
	if rate0.String() != "100000000000000" || rate1.String() != "200000000000000" {
		t.Fatalf("rates %s %s", rate0, rate1)
	}
	for p, rate := range map[common.Address]*big.Int{p0: rate0, p1: rate1} {
		v := r.stream(p, 0, "open at "+rate.String(), isOpen)
		if v.Rate.Cmp(rate) != 0 || v.Provider != p {
			t.Errorf("stream to %s: %+v, want rate %s", p.Hex(), v, rate)
		}
	}
	unpaid := r.waitEvent(s, "storage_unpaid")
	if unpaid.AllocID != storagestreams.StreamID(storagestreams.Pair{Consumer: r.chain.Consumer(0), Provider: p2}) {
		t.Errorf("unpaid event %+v, want the pair on the unpriced provider", unpaid)
	}

	// Growing the object to 4 GiB re-rates both: close segment 0 where segment 1 starts.
	r.put("obj", 4*gib, p0, p1)
	for p, rate := range map[common.Address]*big.Int{p0: rate0, p1: rate1} {
		next := r.stream(p, 1, "re-rated", isOpen)
		prev := r.stream(p, 0, "closed by the re-rate", isClosed)
		if want := new(big.Int).Mul(rate, big.NewInt(4)); next.Rate.Cmp(want) != 0 || prev.End != next.Start {
			t.Errorf("re-rate on %s: segment 0 %+v, segment 1 %+v; want rate %s from segment 0's end", p.Hex(), prev, next, want)
		}
	}

	// Deleting it closes both.
	if _, err := r.tenant.DeleteObject(r.ctx, []byte("b"), []byte("obj"), meta.PutOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, p := range []common.Address{p0, p1} {
		r.stream(p, 1, "closed by the delete", isClosed)
	}

	// The consumer's statement shows storage lines, per provider, charged.
	time.Sleep(2 * time.Second) // one more snapshot: records run to the close
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	res, err := http.Get(srv.URL + "/statement?consumer=" + r.chain.Consumer(0).Hex())
	if err != nil {
		t.Fatal(err)
	}
	var lines []metering.Line
	err = json.NewDecoder(res.Body).Decode(&lines)
	res.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	storage := map[string]metering.Line{}
	for _, l := range lines {
		if l.Kind == metering.KindStorage {
			storage[l.Provider] = l
		}
	}
	for _, p := range []common.Address{p0, p1} {
		l, ok := storage[p.Hex()]
		c, _ := new(big.Int).SetString(l.Charged, 10)
		if !ok || c == nil || c.Sign() <= 0 || l.GiBHours <= 0 || l.AllocID != storagestreams.StreamID(storagestreams.Pair{Consumer: r.chain.Consumer(0), Provider: p}) {
			t.Errorf("statement line for %s: %+v (found %v); want a charged storage line", p.Hex(), l, ok)
		}
	}
	if err := stop(); err != nil {
		t.Fatalf("stopping the sidecar: %v", err)
	}

	// A crash right after the open is journaled, and again after its transaction is signed
	// and journaled but before it is sent: the third run sends that very transaction.
	key := journal.IntentKey(storagestreams.StreamID(storagestreams.Pair{Consumer: r.chain.Consumer(0), Provider: p0}), 2, journal.KindOpen)
	var mu sync.Mutex
	crashes := 0
	crash := ledger.Hooks{AfterRecord: func(k string) error {
		mu.Lock()
		defer mu.Unlock()
		if k == key && crashes < 2 {
			crashes++
			return ledger.ErrCrash
		}
		return nil
	}}
	r.put("again", gib, p0, p0)
	for i := 0; i < 2; i++ {
		_, stop, ended := r.run(crash)
		select {
		case <-ended:
			if err := stop(); !errors.Is(err, ledger.ErrCrash) {
				t.Fatalf("run %d ended with %v, want the injected crash", i+1, err)
			}
		case <-time.After(60 * time.Second):
			t.Fatalf("run %d did not crash", i+1)
		}
	}
	s, stop, _ = r.run(crash)
	v := r.stream(p0, 2, "opened after two crashes", isOpen)
	if want := new(big.Int).Mul(rate0, big.NewInt(2)); v.Rate.Cmp(want) != 0 {
		t.Errorf("stream after the crashes: %+v, want rate %s", v, want)
	}
	if crashes != 2 {
		t.Errorf("%d crashes injected, want 2", crashes)
	}
	r.waitConfirmed(s)
	if err := stop(); err != nil {
		t.Fatalf("stopping the sidecar: %v", err)
	}
	r.exactlyOnce()
}

// exactlyOnce checks the journal against the chain: every intent done, and the operator sent
// exactly one transaction per intent (settlement is off), so nothing was sent twice.
func (r *storageRig) exactlyOnce() {
	r.t.Helper()
	j, err := journal.OpenReadOnly(r.journal)
	if err != nil {
		r.t.Fatal(err)
	}
	defer j.Close()
	ins, err := j.Intents()
	if err != nil {
		r.t.Fatal(err)
	}
	for _, in := range ins {
		if in.State != journal.Done {
			r.t.Errorf("intent %s ended %s (%s)", in.Key, in.State, in.Err)
		}
	}
	nonce, err := r.chain.RPC.NonceAt(r.ctx, r.chain.Operator(), nil)
	if err != nil {
		r.t.Fatal(err)
	}
	// 2 opens, 2 re-rates (close and open), 2 closes, the open after the crashes.
	if nonce != uint64(len(ins)) || len(ins) != 9 {
		r.t.Errorf("the operator sent %d transactions for %d intents, want 9 of each", nonce, len(ins))
	}
}

// waitConfirmed waits until the sidecar has no intent left unconfirmed at depth.
func (r *storageRig) waitConfirmed(s *service.Service) {
	r.t.Helper()
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		res, err := http.Get(srv.URL + "/metrics")
		if err != nil {
			r.t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if strings.Contains(string(b), "\ndec2_billing_intents_unfinished 0\n") {
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
	r.t.Fatal("intents still unconfirmed after 30s")
}

// waitEvent waits for a billing event of kind.
func (r *storageRig) waitEvent(s *service.Service, kind string) service.Event {
	r.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		for _, e := range s.Events() {
			if e.Kind == kind {
				return e
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	r.t.Fatalf("no %s event in 30s: %+v", kind, s.Events())
	return service.Event{}
}
