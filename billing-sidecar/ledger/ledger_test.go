package ledger_test

import (
	"context"
	"io"
	"log/slog"
	"math/big"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/dec2-cloud/dec2/billing-sidecar/internal/simchain"
	"github.com/dec2-cloud/dec2/billing-sidecar/journal"
	"github.com/dec2-cloud/dec2/billing-sidecar/ledger"
	"github.com/dec2-cloud/dec2/billing-sidecar/lifecycle"
	"github.com/dec2-cloud/dec2/contracts/bindings/escrow"
	"github.com/dec2-cloud/dec2/contracts/chain"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

type rig struct {
	env  *simchain.Env
	path string
	j    *journal.Journal
	l    *ledger.Ledger
}

func newRig(t *testing.T, depth uint64) *rig {
	env := newEnvB(t)
	r := &rig{env: env, path: filepath.Join(t.TempDir(), "journal.db")}
	r.restart(t, depth, ledger.Hooks{})
	t.Cleanup(func() { r.j.Close() })
	return r
}

func newEnvB(t testing.TB) *simchain.Env { return simchain.New(t, 2, 2) }

// restart drops the ledger and its adapter as a crash would and starts over from the file.
func (r *rig) restart(t testing.TB, depth uint64, h ledger.Hooks) {
	if r.j != nil {
		r.j.Close()
	}
	j, err := journal.Open(r.path)
	if err != nil {
		t.Fatal(err)
	}
	r.j = j
	r.l = &ledger.Ledger{J: j, C: r.env.Sink(t, depth), Log: quiet, Hooks: h, RetryWait: time.Millisecond}
}

// settle drives and mines until nothing is unfinished.
func (r *rig) settle(t testing.TB, maxRounds int) {
	t.Helper()
	for i := 0; i < maxRounds; i++ {
		n, err := r.l.Drive(r.env.Ctx)
		if err != nil {
			t.Fatalf("drive: %v", err)
		}
		if n == 0 {
			return
		}
		r.env.Sim.Commit()
	}
	left, _ := r.j.Intents(journal.Pending, journal.Signed)
	t.Fatalf("intents unfinished after %d rounds: %+v", maxRounds, left)
}

func (r *rig) terms(c, p int, rate int64) lifecycle.Terms {
	return lifecycle.Terms{Consumer: r.env.Consumers[c].Address(), Provider: r.env.Providers[p], Rate: big.NewInt(rate)}
}

func TestOpenCloseExactlyOnceAtDepth(t *testing.T) {
	r := newRig(t, 2)
	r.env.Fund(t, 0, chain.Tokens(1000))
	start := r.env.HeadTime(t).Add(-5 * time.Second)
	if _, err := r.l.Record("a1", []lifecycle.Action{{Kind: lifecycle.Open, At: start, Terms: r.terms(0, 0, 1e15)}}); err != nil {
		t.Fatal(err)
	}
	// Recording the same action again is a no-op (the idempotency key).
	if got, _ := r.l.Record("a1", []lifecycle.Action{{Kind: lifecycle.Open, At: start.Add(time.Second), Terms: r.terms(0, 0, 2e15)}}); len(got) != 0 {
		t.Fatalf("second record journaled %+v", got)
	}
	if _, err := r.l.Drive(r.env.Ctx); err != nil {
		t.Fatal(err)
	}
	r.env.Sim.Commit()
	in, _, _ := r.j.Get(journal.IntentKey("a1", 0, journal.KindOpen))
	if in.State != journal.Signed {
		t.Fatalf("after one block at depth 2: %s, want signed", in.State)
	}
	r.settle(t, 10)
	if in, _, _ = r.j.Get(in.Key); in.State != journal.Done || len(in.Txs) != 1 {
		t.Fatalf("open intent %+v", in)
	}
	seen, _ := r.l.Seen("a1")
	if !seen.Opened || seen.Closed || !seen.Start.Equal(start) {
		t.Fatalf("seen %+v", seen)
	}
	end := r.env.HeadTime(t)
	if _, err := r.l.Record("a1", lifecycle.Decide(lifecycle.Config{MaxBackdate: time.Hour}, lifecycle.Alloc{Status: lifecycle.StatusComplete, FinishedAt: end}, seen, end)); err != nil {
		t.Fatal(err)
	}
	r.settle(t, 10)
	paid := r.env.Balance(t, r.env.Providers[0])
	want := new(big.Int).Mul(big.NewInt(1e15), big.NewInt(end.Unix()-start.Unix()))
	if paid.Cmp(want) != 0 {
		t.Fatalf("provider got %s, want %s", paid, want)
	}
	opens, closes := countEvents(t, r.env)
	if opens[ledger.StreamKey("a1", 0)] != 1 || closes[ledger.StreamKey("a1", 0)] != 1 {
		t.Fatalf("events: opens %v closes %v", opens, closes)
	}
}

func TestWaitsForFundsThenOpens(t *testing.T) {
	r := newRig(t, 0)
	start := r.env.HeadTime(t)
	if _, err := r.l.Record("a2", []lifecycle.Action{{Kind: lifecycle.Open, At: start, Terms: r.terms(1, 1, 1e12)}}); err != nil {
		t.Fatal(err)
	}
	// Not an operator and no deposit: the open reverts and stays pending with the reason.
	for i := 0; i < 3; i++ {
		r.l.Drive(r.env.Ctx)
		r.env.Sim.Commit()
	}
	in, _, _ := r.j.Get(journal.IntentKey("a2", 0, journal.KindOpen))
	if in.State == journal.Done || in.State == journal.Failed || !strings.Contains(in.Err, "not authorised") {
		t.Fatalf("unfunded open: %+v", in)
	}
	r.env.Fund(t, 1, chain.Tokens(10))
	r.settle(t, 10)
	st, _ := r.l.C.Stream(r.env.Ctx, ledger.StreamKey("a2", 0), true)
	if !st.Exists || st.Start != uint64(start.Unix()) {
		t.Fatalf("stream after top-up %+v (start %d)", st, start.Unix())
	}
}

func TestGasBumpReplacesStuckTransaction(t *testing.T) {
	r := newRig(t, 0)
	r.env.Fund(t, 0, chain.Tokens(1000))
	r.l.BumpAfter = time.Nanosecond
	if _, err := r.l.Record("a3", []lifecycle.Action{{Kind: lifecycle.Open, At: r.env.HeadTime(t), Terms: r.terms(0, 0, 5)}}); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ { // no block: each pass finds it unmined and bumps it
		if _, err := r.l.Drive(r.env.Ctx); err != nil {
			t.Fatal(err)
		}
	}
	in, _, _ := r.j.Get(journal.IntentKey("a3", 0, journal.KindOpen))
	if len(in.Txs) < 2 || in.Txs[0].Nonce != in.Txs[len(in.Txs)-1].Nonce || in.Txs[0].Hash == in.Txs[1].Hash {
		t.Fatalf("no same-nonce replacement: %+v", in.Txs)
	}
	r.l.BumpAfter = 0
	r.settle(t, 10)
	opens, _ := countEvents(t, r.env)
	if opens[ledger.StreamKey("a3", 0)] != 1 {
		t.Fatalf("opens %v", opens)
	}
}

// A reorg deeper than the latest block but within the confirmation depth: the open's block is
// replaced by empty ones; the ledger sees the stream gone and its receipt gone, rebroadcasts the
// transaction it journaled, and only calls it done once it is buried again.
func TestReorgWithinDepth(t *testing.T) {
	r := newRig(t, 3)
	r.env.Fund(t, 0, chain.Tokens(1000))
	parent, err := r.env.Sim.Client().HeaderByNumber(r.env.Ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.l.Record("a4", []lifecycle.Action{{Kind: lifecycle.Open, At: time.Unix(int64(parent.Time), 0), Terms: r.terms(0, 0, 5)}}); err != nil {
		t.Fatal(err)
	}
	r.l.Drive(r.env.Ctx)
	r.env.Sim.Commit()
	st, _ := r.l.C.Stream(r.env.Ctx, ledger.StreamKey("a4", 0), false)
	if !st.Exists {
		t.Fatal("open not mined")
	}
	if err := r.env.Sim.Fork(parent.Hash()); err != nil {
		t.Fatal(err)
	}
	r.env.Sim.Commit()
	r.env.Sim.Commit()
	r.settle(t, 20)
	opens, _ := countEvents(t, r.env)
	if opens[ledger.StreamKey("a4", 0)] != 1 {
		t.Fatalf("opens on the canonical chain %v", opens)
	}
}

// countEvents counts StreamOpened and StreamClosed per key on the canonical chain.
func countEvents(t testing.TB, env *simchain.Env) (opens, closes map[common.Hash]int) {
	t.Helper()
	e := escrow.NewStreamEscrow()
	logs, err := env.Sim.Client().FilterLogs(context.Background(), ethereum.FilterQuery{Addresses: []common.Address{env.Addrs.Escrow}})
	if err != nil {
		t.Fatal(err)
	}
	opens, closes = map[common.Hash]int{}, map[common.Hash]int{}
	for _, lg := range logs {
		if ev, err := e.UnpackStreamOpenedEvent(&lg); err == nil {
			opens[common.Hash(ev.Key)]++
		}
		if ev, err := e.UnpackStreamClosedEvent(&lg); err == nil {
			closes[common.Hash(ev.Key)]++
		}
	}
	return opens, closes
}

var _ = crypto.Keccak256Hash

func TestTermsFromJournal(t *testing.T) {
	r := newRig(t, 0)
	term := r.terms(0, 1, 42)
	if _, err := r.l.Record("a5", []lifecycle.Action{{Kind: lifecycle.Open, At: time.Unix(100, 0), Terms: term}}); err != nil {
		t.Fatal(err)
	}
	got, ok, err := r.l.Terms("a5")
	if err != nil || !ok || got.Consumer != term.Consumer || got.Provider != term.Provider || got.Rate.Int64() != 42 {
		t.Fatalf("Terms = %+v %v %v", got, ok, err)
	}
	if _, ok, _ := r.l.Terms("nope"); ok {
		t.Fatal("terms for an unknown allocation")
	}
}
