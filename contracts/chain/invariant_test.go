package chain

import (
	"fmt"
	"math/big"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
)

// TestInvariantsRandomised drives the escrow and the registry with random sequences of
// deposits, opens, withdrawals, closes, top-ups, slashes and time jumps by several actors, and
// after every step checks: token conservation; escrow balance = sum of consumer balances;
// deposited = paid + withdrawn + owed + refundable per consumer; owed = sum of its streams'
// owed and never above the balance; no accrual after close or after a halt; registry balance =
// sum of stakes and unbonding; a used slash report never verifies again.
// Seed 1 always runs; DEC2_INVARIANT_SEED adds another, DEC2_INVARIANT_STEPS lengthens runs.
func TestInvariantsRandomised(t *testing.T) {
	seeds := []uint64{1}
	if v := os.Getenv("DEC2_INVARIANT_SEED"); v != "" {
		seed, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			t.Fatalf("DEC2_INVARIANT_SEED=%q: want an unsigned integer", v)
		}
		seeds = append(seeds, seed)
	}
	steps := 150
	if v := os.Getenv("DEC2_INVARIANT_STEPS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			t.Fatalf("DEC2_INVARIANT_STEPS=%q: want a positive integer", v)
		}
		steps = n
	}
	for _, seed := range seeds {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			newFuzzRun(t, seed).run(steps)
		})
	}
}

type fuzzStream struct {
	key      [32]byte
	consumer common.Address
	provider *Client
	closed   bool
	last     StreamView // at the previous check
	settled  bool       // paid during the current step
}

type fuzzRun struct {
	*env
	rng                        *rand.Rand
	consumers, providers       []*Client
	operator                   *Client
	deposited, withdrawn, paid map[common.Address]*big.Int
	streams                    []*fuzzStream
	byKey                      map[[32]byte]*fuzzStream
	usedReports                []SlashReport
	usedSigs                   [][][]byte
	nextKey                    int
}

func newFuzzRun(t *testing.T, seed uint64) *fuzzRun {
	e := newEnv(t, DeployConfig{MinStake: Tokens(10), UnbondDelay: time.Minute})
	f := &fuzzRun{
		env: e, rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
		consumers: e.users[0:3], providers: e.users[3:6], operator: e.users[6],
		deposited: map[common.Address]*big.Int{}, withdrawn: map[common.Address]*big.Int{}, paid: map[common.Address]*big.Int{},
		byKey: map[[32]byte]*fuzzStream{},
	}
	for _, c := range f.consumers {
		f.deposited[c.Address()], f.withdrawn[c.Address()], f.paid[c.Address()] = new(big.Int), new(big.Int), new(big.Int)
		must(e.token(c).Approve(e.ctx, e.addrs.Escrow, Tokens(1_000_000)))
		must(e.escrow(c).SetOperator(e.ctx, f.operator.Address(), true))
	}
	for i, p := range f.providers {
		must(e.token(p).Approve(e.ctx, e.addrs.Registry, Tokens(1_000_000)))
		must(e.registry(p).Register(e.ctx, fmt.Sprintf("node-%d", i), Tokens(100)))
	}
	return f
}

func (f *fuzzRun) run(steps int) {
	for step := range steps {
		for _, s := range f.streams {
			s.settled = false
		}
		op := f.rng.IntN(11)
		if os.Getenv("DEC2_INVARIANT_TRACE") != "" {
			f.t.Logf("step %d: op %d", step, op)
		}
		desc, err := f.step(op)
		if err != nil {
			f.t.Fatalf("step %d (%s): %v", step, desc, err)
		}
		f.check(fmt.Sprintf("step %d (%s)", step, desc))
	}
}

// amount returns a random token amount in [1, max] base units, skewed to small multiples of 1e15.
func (f *fuzzRun) amount(max int64) *big.Int {
	return new(big.Int).Mul(big.NewInt(1+f.rng.Int64N(max)), big.NewInt(1e15))
}

func (f *fuzzRun) pickOpen() *fuzzStream {
	var open []*fuzzStream
	for _, s := range f.streams {
		if !s.closed {
			open = append(open, s)
		}
	}
	if len(open) == 0 {
		return nil
	}
	return open[f.rng.IntN(len(open))]
}

// allow turns an expected revert into success.
func allow(err error, names ...string) error {
	for _, n := range names {
		if IsRevert(err, n) {
			return nil
		}
	}
	return err
}

func (f *fuzzRun) record(r *types.Receipt) {
	esc := f.escrow(f.owner).Binding()
	for _, ev := range events(r, esc.UnpackStreamSettledEvent) {
		s := f.byKey[ev.Key]
		f.paid[s.consumer].Add(f.paid[s.consumer], ev.Amount)
		s.settled = true
	}
}

func (f *fuzzRun) step(op int) (string, error) {
	ctx := f.ctx
	c := f.consumers[f.rng.IntN(len(f.consumers))]
	switch op {
	case 0, 1: // deposit / top-up
		amt := f.amount(2000)
		r, err := f.escrow(c).Deposit(ctx, amt)
		if err == nil {
			f.deposited[c.Address()].Add(f.deposited[c.Address()], amt)
			f.record(r)
		}
		return "deposit " + amt.String(), err
	case 2, 3: // open
		if len(f.streams) >= 40 {
			return "open skipped", nil
		}
		p := f.providers[f.rng.IntN(len(f.providers))]
		rate := big.NewInt(1 + f.rng.Int64N(2e15))
		start := f.now() - uint64(f.rng.IntN(30))
		f.nextKey++
		key := StreamKey(fmt.Sprintf("alloc-%d", f.nextKey))
		r, err := f.escrow(f.operator).OpenStream(ctx, key, c.Address(), p.Address(), rate, start)
		if err == nil {
			s := &fuzzStream{key: key, consumer: c.Address(), provider: p}
			f.streams, f.byKey[key] = append(f.streams, s), s
			f.record(r)
			// The same key again is always refused.
			if _, err := f.escrow(f.operator).OpenStream(ctx, key, c.Address(), p.Address(), rate, 0); !IsRevert(err, "StreamExists") {
				return "reopen", fmt.Errorf("duplicate key: want StreamExists, got %v", err)
			}
		}
		return fmt.Sprintf("open rate %v", rate), allow(err, "InsufficientDeposit")
	case 4: // provider withdraws
		s := f.pickOpen()
		if s == nil {
			return "withdraw skipped", nil
		}
		r, err := f.escrow(s.provider).WithdrawFromStream(ctx, s.key)
		if err == nil {
			f.record(r)
		}
		return "provider withdraw", err
	case 5: // close, a little in the past
		s := f.pickOpen()
		if s == nil {
			return "close skipped", nil
		}
		end := max(f.now()+1-uint64(f.rng.IntN(10)), uint64(s.last.Start))
		r, err := f.escrow(f.operator).CloseStream(ctx, s.key, end)
		if err == nil {
			s.closed = true
			f.record(r)
		}
		return fmt.Sprintf("close at %d", end), allow(err, "EndOutOfRange")
	case 6: // consumer withdraws part of the refundable deposit
		acct := must(f.escrow(f.owner).Account(ctx, c.Address()))
		if acct.Refundable.Sign() == 0 {
			return "consumer withdraw skipped", nil
		}
		amt := new(big.Int).Mul(acct.Refundable, big.NewInt(1+f.rng.Int64N(1000)))
		amt.Div(amt, big.NewInt(1000))
		if amt.Sign() == 0 {
			amt.SetInt64(1)
		}
		r, err := f.escrow(c).Withdraw(ctx, amt)
		if err == nil {
			f.withdrawn[c.Address()].Add(f.withdrawn[c.Address()], amt)
			f.record(r)
		}
		// Accrual in the next block may eat into what was refundable a moment ago.
		return "consumer withdraw " + amt.String(), allow(err, "ExceedsRefundable")
	case 7: // settleMany over a random subset
		var keys [][32]byte
		for _, s := range f.streams {
			if f.rng.IntN(2) == 0 {
				keys = append(keys, s.key)
			}
		}
		r, err := f.escrow(f.operator).SettleMany(ctx, keys, noCap)
		if err == nil {
			f.record(r)
		}
		return fmt.Sprintf("settleMany %d", len(keys)), err
	case 8: // time jump
		d := time.Duration(1+f.rng.IntN(300)) * time.Second
		f.warp(d)
		return "warp " + d.String(), nil
	case 9: // slash, then replay it
		p := f.providers[f.rng.IntN(len(f.providers))]
		view := must(f.registry(f.owner).Provider(ctx, p.Address()))
		rep := SlashReport{
			Provider: p.Address(), Consumer: c.Address(), Reason: StreamKey("fuzz"), EvidenceHash: StreamKey(fmt.Sprint(f.nextKey)),
			Amount: f.amount(50_000), Nonce: new(big.Int).SetUint64(view.SlashNonce), Deadline: new(big.Int).SetUint64(f.now() + 600),
			Epoch: must(f.registry(f.owner).ConfigEpoch(ctx)),
		}
		sigs := [][]byte{must(SignSlashReport(f.owner.Key(), f.owner.ChainID(), f.addrs.Registry, rep))}
		_, err := f.registry(f.operator).Slash(ctx, rep, sigs)
		if err == nil {
			f.usedReports, f.usedSigs = append(f.usedReports, rep), append(f.usedSigs, sigs)
			if _, err := f.registry(f.operator).Slash(ctx, rep, sigs); !IsRevert(err, "InvalidNonce") {
				return "slash replay", fmt.Errorf("replayed slash: want InvalidNonce, got %v", err)
			}
		}
		return "slash " + rep.Amount.String(), err
	default: // unbond part of a stake, or add to it
		p := f.providers[f.rng.IntN(len(f.providers))]
		if f.rng.IntN(2) == 0 {
			_, err := f.registry(p).Stake(ctx, f.amount(10_000))
			return "stake", err
		}
		_, err := f.registry(p).RequestUnbond(ctx, f.amount(10_000))
		return "unbond", allow(err, "InsufficientStake")
	}
}

func (f *fuzzRun) check(where string) {
	t, ctx := f.t, f.ctx
	fail := func(format string, args ...any) {
		t.Helper()
		t.Fatalf("%s: %s", where, fmt.Sprintf(format, args...))
	}
	// Token conservation over every holder.
	holders := []common.Address{f.owner.Address(), f.addrs.Escrow, f.addrs.Registry}
	for _, u := range f.users {
		holders = append(holders, u.Address())
	}
	sum := new(big.Int)
	for _, h := range holders {
		sum.Add(sum, f.balance(h))
	}
	if supply := must(f.token(f.owner).TotalSupply(ctx)); sum.Cmp(supply) != 0 {
		fail("tokens not conserved: holders %v, supply %v", sum, supply)
	}

	esc := f.escrow(f.owner)
	owedBy := map[common.Address]*big.Int{}
	for _, c := range f.consumers {
		owedBy[c.Address()] = new(big.Int)
	}
	for _, s := range f.streams {
		v := must(esc.Stream(ctx, s.key))
		owedBy[s.consumer].Add(owedBy[s.consumer], v.Owed)
		prev := s.last
		s.last = v
		if prev.Consumer == (common.Address{}) {
			continue
		}
		if prev.End != 0 && (v.Owed.Sign() != 0 || v.SettledAt != prev.SettledAt) {
			fail("closed stream %x changed: %+v -> %+v", s.key[:4], prev, v)
		}
		if prev.HaltedAt != 0 && !s.settled && v.Owed.Cmp(prev.Owed) != 0 {
			fail("halted stream %x accrued: owed %v -> %v", s.key[:4], prev.Owed, v.Owed)
		}
	}
	escrowSum := new(big.Int)
	for _, c := range f.consumers {
		a := c.Address()
		acct := must(esc.Account(ctx, a))
		escrowSum.Add(escrowSum, acct.Balance)
		lhs := new(big.Int).Add(f.paid[a], f.withdrawn[a])
		lhs.Add(lhs, acct.Owed).Add(lhs, acct.Refundable)
		if lhs.Cmp(f.deposited[a]) != 0 {
			fail("consumer %s: paid %v + withdrawn %v + owed %v + refundable %v != deposited %v",
				a, f.paid[a], f.withdrawn[a], acct.Owed, acct.Refundable, f.deposited[a])
		}
		if acct.Owed.Cmp(owedBy[a]) != 0 {
			fail("consumer %s: account owes %v, its streams %v", a, acct.Owed, owedBy[a])
		}
		if acct.Owed.Cmp(acct.Balance) > 0 {
			fail("consumer %s owes %v beyond its balance %v", a, acct.Owed, acct.Balance)
		}
	}
	if bal := f.balance(f.addrs.Escrow); bal.Cmp(escrowSum) != 0 {
		fail("escrow holds %v, consumer balances sum to %v", bal, escrowSum)
	}

	reg := f.registry(f.owner)
	staked := new(big.Int)
	for _, p := range f.providers {
		v := must(reg.Provider(ctx, p.Address()))
		staked.Add(staked, v.Stake).Add(staked, v.Unbonding)
	}
	if bal := f.balance(f.addrs.Registry); bal.Cmp(staked) != 0 {
		fail("registry holds %v, stakes sum to %v", bal, staked)
	}
	if n := len(f.usedReports); n > 0 {
		i := f.rng.IntN(n)
		_, err := f.registry(f.operator).Slash(ctx, f.usedReports[i], f.usedSigs[i])
		if !IsRevert(err, "InvalidNonce") && !IsRevert(err, "ReportExpired") {
			fail("replayed slash report %d: want InvalidNonce or ReportExpired, got %v", i, err)
		}
	}
}
