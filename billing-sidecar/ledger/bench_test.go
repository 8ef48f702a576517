package ledger_test

import (
	"fmt"
	"math/big"
	"path/filepath"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/dec2-cloud/dec2/billing-sidecar/journal"
	"github.com/dec2-cloud/dec2/billing-sidecar/ledger"
	"github.com/dec2-cloud/dec2/billing-sidecar/lifecycle"
	"github.com/dec2-cloud/dec2/contracts/chain"
	"github.com/dec2-cloud/dec2/metering"
)

// BenchmarkReplay replays a synthetic event stream for 10,000 concurrent allocations through
// the sidecar's decision path (journal read, reducer, journaled intents) and then meters them
// for 10 stats intervals (usage records from samples, one batched journal write per
// interval). allocs-metered/s is allocation-intervals metered per second of one core.
func BenchmarkReplay(b *testing.B) {
	const allocs, intervals = 10_000, 10
	terms := lifecycle.Terms{Consumer: common.HexToAddress("0xc0"), Provider: common.HexToAddress("0xb0"), Rate: big.NewInt(1e12)}
	cfg := lifecycle.Config{MaxBackdate: time.Hour}
	for b.Loop() {
		b.StopTimer()
		j, err := journal.Open(filepath.Join(b.TempDir(), "j.db"))
		if err != nil {
			b.Fatal(err)
		}
		l := &ledger.Ledger{J: j, Log: quiet}
		t0 := time.Now()
		b.StartTimer()
		decideStart := time.Now()
		// Nomad's event stream delivers allocation updates in batches; one journal
		// transaction records a batch's decisions.
		const batch = 100
		for i := 0; i < allocs; i += batch {
			acts := map[string][]lifecycle.Action{}
			for k := i; k < i+batch; k++ {
				id := fmt.Sprintf("alloc-%05d", k)
				seen, err := l.Seen(id)
				if err != nil {
					b.Fatal(err)
				}
				acts[id] = lifecycle.Decide(cfg, lifecycle.Alloc{ID: id, Status: lifecycle.StatusRunning, StartedAt: t0, Terms: terms}, seen, t0)
			}
			if _, err := l.RecordAll(acts); err != nil {
				b.Fatal(err)
			}
		}
		decide := time.Since(decideStart)
		meterStart := time.Now()
		prev := make([]metering.Sample, allocs)
		for k := range intervals {
			recs := make([]metering.Record, 0, allocs)
			for i := range allocs {
				cur := metering.Sample{At: t0.Add(time.Duration(k+1) * 5 * time.Second), CPUMHz: 250, RSSBytes: 64 << 20, Reachable: true}
				if r, ok := metering.Between(prev[i], cur, terms.Rate); ok {
					r.AllocID = fmt.Sprintf("alloc-%05d", i)
					recs = append(recs, r)
				}
				prev[i] = cur
			}
			if err := j.AddUsage(recs...); err != nil {
				b.Fatal(err)
			}
		}
		meter := time.Since(meterStart)
		b.StopTimer()
		b.ReportMetric(allocs/decide.Seconds(), "alloc-events/s")
		b.ReportMetric(allocs*intervals/meter.Seconds(), "allocs-metered/s")
		j.Close()
		b.StartTimer()
	}
}

// BenchmarkChainTxPerLifecycle runs allocation lifecycles (open, close) through the ledger on
// the simulated chain and counts the operator's transactions and gas per lifecycle: 2
// transactions whatever the duration, because the stream carries time.
func BenchmarkChainTxPerLifecycle(b *testing.B) {
	r := newRigB(b)
	r.env.Fund(b, 0, chain.Tokens(1_000_000))
	op := crypto.PubkeyToAddress(r.env.Operator.PublicKey)
	first, _ := r.env.Sim.Client().BlockNumber(r.env.Ctx)
	n := 0
	for b.Loop() {
		id := fmt.Sprintf("bench-%d", n)
		n++
		start := r.env.HeadTime(b).Add(-time.Second)
		term := lifecycle.Terms{Consumer: r.env.Consumers[0].Address(), Provider: r.env.Providers[0], Rate: big.NewInt(1e12)}
		if _, err := r.l.Record(id, []lifecycle.Action{{Kind: lifecycle.Open, At: start, Terms: term}}); err != nil {
			b.Fatal(err)
		}
		r.settle(b, 10)
		r.env.Sim.AdjustTime(time.Duration(n%5+1) * time.Minute) // lifecycles of different lengths
		if _, err := r.l.Record(id, []lifecycle.Action{{Kind: lifecycle.Close, At: r.env.HeadTime(b)}}); err != nil {
			b.Fatal(err)
		}
		r.settle(b, 10)
	}
	txs, gas := operatorTxs(b, r, op, first)
	b.ReportMetric(float64(txs)/float64(n), "tx/lifecycle")
	b.ReportMetric(float64(gas)/float64(n), "gas/lifecycle")
}

// BenchmarkSettleManyGas measures settleMany's gas per settled stream (each paying a different
// provider) by batch size.
func BenchmarkSettleManyGas(b *testing.B) {
	for _, size := range []int{1, 10, 100} {
		b.Run(fmt.Sprintf("batch=%d", size), func(b *testing.B) {
			r := newRigB(b)
			r.env.Fund(b, 0, chain.Tokens(1_000_000))
			var keys []common.Hash
			for i := range size {
				id := fmt.Sprintf("s-%d", i)
				prov := common.BigToAddress(big.NewInt(int64(0x1000 + i)))
				term := lifecycle.Terms{Consumer: r.env.Consumers[0].Address(), Provider: prov, Rate: big.NewInt(1e12)}
				if _, err := r.l.Record(id, []lifecycle.Action{{Kind: lifecycle.Open, At: r.env.HeadTime(b), Terms: term}}); err != nil {
					b.Fatal(err)
				}
				keys = append(keys, ledger.StreamKey(id, 0))
			}
			r.settle(b, 20)
			sink := r.env.Sink(b, 0)
			var gas uint64
			rounds := 0
			for b.Loop() {
				r.env.Sim.AdjustTime(time.Minute)
				h, err := sink.SettleMany(r.env.Ctx, keys, time.Unix(1<<40, 0)) // no cap: the simulated clock runs far ahead
				if err != nil {
					b.Fatal(err)
				}
				r.env.Sim.Commit()
				rc, err := r.env.Sim.Client().TransactionReceipt(r.env.Ctx, h)
				if err != nil || rc.Status != types.ReceiptStatusSuccessful {
					tx, _, _ := r.env.Sim.Client().TransactionByHash(r.env.Ctx, h)
					_, cerr := r.env.Sim.Client().CallContract(r.env.Ctx, ethereum.CallMsg{From: crypto.PubkeyToAddress(r.env.Operator.PublicKey), To: tx.To(), Data: tx.Data(), Gas: tx.Gas()}, new(big.Int).Sub(rc.BlockNumber, big.NewInt(1)))
					b.Fatalf("settleMany reverted (gas %d of %d): %v %v", rc.GasUsed, tx.Gas(), err, cerr)
				}
				gas += rc.GasUsed
				rounds++
			}
			b.ReportMetric(float64(gas)/float64(rounds*size), "gas/stream")
		})
	}
}

func newRigB(b *testing.B) *rig {
	env := newEnvB(b)
	r := &rig{env: env, path: filepath.Join(b.TempDir(), "journal.db")}
	r.restart(b, 0, ledger.Hooks{})
	b.Cleanup(func() { r.j.Close() })
	return r
}

func operatorTxs(b *testing.B, r *rig, op common.Address, from uint64) (n int, gas uint64) {
	head, _ := r.env.Sim.Client().BlockNumber(r.env.Ctx)
	for i := from + 1; i <= head; i++ {
		blk, err := r.env.Sim.Client().BlockByNumber(r.env.Ctx, new(big.Int).SetUint64(i))
		if err != nil {
			b.Fatal(err)
		}
		for _, tx := range blk.Transactions() {
			if s, _ := types.Sender(types.LatestSignerForChainID(tx.ChainId()), tx); s == op {
				rc, _ := r.env.Sim.Client().TransactionReceipt(r.env.Ctx, tx.Hash())
				n++
				gas += rc.GasUsed
			}
		}
	}
	return n, gas
}
