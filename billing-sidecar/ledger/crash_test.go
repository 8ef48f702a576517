package ledger_test

import (
	"errors"
	"fmt"
	"math/big"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/dec2-cloud/dec2/billing-sidecar/journal"
	"github.com/dec2-cloud/dec2/billing-sidecar/ledger"
	"github.com/dec2-cloud/dec2/billing-sidecar/lifecycle"
	"github.com/dec2-cloud/dec2/contracts/chain"
)

// 200 allocation lifecycles with the ledger "killed" at random between journal write and send
// and between send and confirmation, restarted each time from the same journal file with a
// fresh chain adapter (nonces re-read, nothing in memory). Afterwards every stream was opened
// and closed exactly once, no operator transaction reverted (no duplicate was even attempted),
// and what providers received equals what the journal says was streamed.
func TestCrashSafety200Cycles(t *testing.T) {
	r := newRig(t, 1)
	r.env.Fund(t, 0, chain.Tokens(100_000))
	r.env.Fund(t, 1, chain.Tokens(100_000))
	rng := rand.New(rand.NewPCG(7, uint64(time.Now().UnixNano())))
	crashes := 0
	maybe := func(string) error {
		if rng.IntN(4) == 0 {
			crashes++
			return ledger.ErrCrash
		}
		return nil
	}
	hooks := ledger.Hooks{AfterRecord: maybe, AfterSend: maybe}
	r.restart(t, 1, hooks)

	// run records acts (re-deciding after a crash, as the sidecar's reconciliation would) and
	// drives until all is done, restarting on every injected crash.
	run := func(decide func(id string) []lifecycle.Action, ids []string) {
		for _, id := range ids {
			for {
				_, err := r.l.Record(id, decide(id))
				if errors.Is(err, ledger.ErrCrash) {
					r.restart(t, 1, hooks)
					continue
				}
				if err != nil {
					t.Fatal(err)
				}
				break
			}
		}
		for round := 0; ; round++ {
			if round > 400 {
				t.Fatal("ledger did not settle in 400 rounds")
			}
			n, err := r.l.Drive(r.env.Ctx)
			if errors.Is(err, ledger.ErrCrash) {
				r.restart(t, 1, hooks)
				continue
			}
			if err != nil {
				t.Fatal(err)
			}
			if n == 0 {
				return
			}
			r.env.Sim.Commit()
		}
	}

	const cycles, batch = 200, 20
	rates := map[string]int64{}
	for b := 0; b < cycles/batch; b++ {
		var ids []string
		for i := 0; i < batch; i++ {
			id := fmt.Sprintf("alloc-%03d", b*batch+i)
			ids = append(ids, id)
			rates[id] = 1e12 + rng.Int64N(1e12)
		}
		startAt := r.env.HeadTime(t).Add(-3 * time.Second)
		run(func(id string) []lifecycle.Action {
			seen, _ := r.l.Seen(id)
			a := lifecycle.Alloc{ID: id, Status: lifecycle.StatusRunning, StartedAt: startAt,
				Terms: r.terms(int(rates[id]%2), int(rates[id]/7%2), rates[id])}
			return lifecycle.Decide(lifecycle.Config{MaxBackdate: time.Hour}, a, seen, r.env.HeadTime(t))
		}, ids)
		r.env.Sim.Commit()
		endAt := r.env.HeadTime(t)
		run(func(id string) []lifecycle.Action {
			seen, _ := r.l.Seen(id)
			a := lifecycle.Alloc{ID: id, Status: lifecycle.StatusComplete, FinishedAt: endAt}
			return lifecycle.Decide(lifecycle.Config{MaxBackdate: time.Hour}, a, seen, r.env.HeadTime(t))
		}, ids)
	}
	t.Logf("%d injected crashes over %d lifecycles", crashes, cycles)
	if crashes < cycles/2 {
		t.Fatalf("only %d crashes injected", crashes)
	}

	opens, closes := countEvents(t, r.env)
	want := new(big.Int)
	intents, err := r.j.Intents()
	if err != nil {
		t.Fatal(err)
	}
	at := map[string]int64{}
	for _, in := range intents {
		if in.State != journal.Done {
			t.Errorf("intent %s ended %s (%s)", in.Key, in.State, in.Err)
		}
		if in.Kind == journal.KindOpen {
			at[in.AllocID] -= in.At
		} else {
			at[in.AllocID] += in.At
		}
	}
	for id, rate := range rates {
		k := ledger.StreamKey(id, 0)
		if opens[k] != 1 || closes[k] != 1 {
			t.Errorf("%s: %d opens, %d closes", id, opens[k], closes[k])
		}
		want.Add(want, new(big.Int).Mul(big.NewInt(rate), big.NewInt(at[id])))
	}
	got := new(big.Int).Add(r.env.Balance(t, r.env.Providers[0]), r.env.Balance(t, r.env.Providers[1]))
	if got.Cmp(want) != 0 {
		t.Errorf("providers received %s, the journal streamed %s", got, want)
	}
	// No operator transaction reverted: nothing was sent twice.
	op := crypto.PubkeyToAddress(r.env.Operator.PublicKey)
	head, _ := r.env.Sim.Client().BlockNumber(r.env.Ctx)
	sent, reverted := 0, 0
	for n := uint64(1); n <= head; n++ {
		blk, err := r.env.Sim.Client().BlockByNumber(r.env.Ctx, new(big.Int).SetUint64(n))
		if err != nil {
			t.Fatal(err)
		}
		for _, tx := range blk.Transactions() {
			from, _ := types.Sender(types.LatestSignerForChainID(tx.ChainId()), tx)
			if from != op {
				continue
			}
			sent++
			rc, err := r.env.Sim.Client().TransactionReceipt(r.env.Ctx, tx.Hash())
			if err != nil {
				t.Fatal(err)
			}
			if rc.Status != types.ReceiptStatusSuccessful {
				reverted++
			}
		}
	}
	if sent != 2*cycles || reverted != 0 {
		t.Errorf("operator mined %d transactions (%d reverted), want %d, none reverted", sent, reverted, 2*cycles)
	}
}
