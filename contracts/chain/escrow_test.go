package chain

import (
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
)

// escrowSetup: consumer deposits `deposit` and authorises the operator.
type escrowSetup struct {
	*env
	consumer, provider, operator, stranger *Client
}

func newEscrowSetup(t *testing.T, deposit *big.Int) *escrowSetup {
	e := newEnv(t, DeployConfig{})
	s := &escrowSetup{env: e, consumer: e.users[0], provider: e.users[1], operator: e.users[2], stranger: e.users[3]}
	if deposit.Sign() > 0 {
		must(e.token(s.consumer).Approve(e.ctx, e.addrs.Escrow, deposit))
		must(e.escrow(s.consumer).Deposit(e.ctx, deposit))
	}
	must(e.escrow(s.consumer).SetOperator(e.ctx, s.operator.Address(), true))
	return s
}

func (s *escrowSetup) open(key string, rate int64, start uint64) [32]byte {
	k := StreamKey(key)
	must(s.escrow(s.operator).OpenStream(s.ctx, k, s.consumer.Address(), s.provider.Address(), big64(rate), start))
	return k
}

func (s *escrowSetup) stream(k [32]byte) StreamView {
	return must(s.escrow(s.owner).Stream(s.ctx, k))
}

func TestEscrowDepositWithdrawAndOperator(t *testing.T) {
	s := newEscrowSetup(t, big64(0))
	esc, c := s.escrow(s.consumer), s.consumer.Address()
	before := s.balance(c)

	must(s.token(s.consumer).Approve(s.ctx, s.addrs.Escrow, big64(1000)))
	r := must(esc.Deposit(s.ctx, big64(1000)))
	ev := oneEvent(t, r, esc.Binding().UnpackDepositedEvent)
	if ev.Consumer != c || ev.From != c || ev.Amount.Int64() != 1000 {
		t.Fatalf("Deposited event %+v", ev)
	}
	r = must(esc.DepositWithPermit(s.ctx, s.token(s.consumer), big64(500), time.Unix(int64(s.now())+3600, 0)))
	oneEvent(t, r, esc.Binding().UnpackDepositedEvent)
	eq(t, "escrow balance", s.balance(s.addrs.Escrow), big64(1500))
	acct := must(esc.Account(s.ctx, c))
	eq(t, "refundable", acct.Refundable, big64(1500))

	mustRevert(t, errOf(esc.Withdraw(s.ctx, big64(1501))), "ExceedsRefundable")
	mustRevert(t, errOf(esc.Withdraw(s.ctx, big64(0))), "ZeroAmount")
	mustRevert(t, errOf(esc.Deposit(s.ctx, big64(0))), "ZeroAmount")
	mustRevert(t, errOf(esc.Deposit(s.ctx, big64(1))), "ERC20InsufficientAllowance")
	r = must(esc.Withdraw(s.ctx, big64(1500)))
	if w := oneEvent(t, r, esc.Binding().UnpackWithdrawnEvent); w.Amount.Int64() != 1500 {
		t.Fatalf("Withdrawn event %+v", w)
	}
	eq(t, "consumer balance after round trip", s.balance(c), before)

	mustRevert(t, errOf(esc.SetOperator(s.ctx, common.Address{}, true)), "ZeroAddress")
	r = must(esc.SetOperator(s.ctx, s.stranger.Address(), true))
	if o := oneEvent(t, r, esc.Binding().UnpackOperatorSetEvent); o.Operator != s.stranger.Address() || !o.Approved {
		t.Fatalf("OperatorSet event %+v", o)
	}
	if !must(esc.IsOperator(s.ctx, c, s.stranger.Address())) {
		t.Fatal("operator not recorded")
	}
	must(esc.SetOperator(s.ctx, s.stranger.Address(), false))
	if must(esc.IsOperator(s.ctx, c, s.stranger.Address())) {
		t.Fatal("operator not revoked")
	}
}

func TestEscrowOpenStreamValidation(t *testing.T) {
	s := newEscrowSetup(t, big64(1000))
	op, c, p := s.escrow(s.operator), s.consumer.Address(), s.provider.Address()
	k := StreamKey("alloc-1/run")

	mustRevert(t, errOf(s.escrow(s.stranger).OpenStream(s.ctx, k, c, p, big64(1), 0)), "NotOperator")
	mustRevert(t, errOf(op.OpenStream(s.ctx, [32]byte{}, c, p, big64(1), 0)), "ZeroKey")
	mustRevert(t, errOf(op.OpenStream(s.ctx, k, c, common.Address{}, big64(1), 0)), "ZeroAddress")
	mustRevert(t, errOf(op.OpenStream(s.ctx, k, c, p, big64(0), 0)), "ZeroRate")
	mustRevert(t, errOf(op.OpenStream(s.ctx, k, c, p, big64(1), s.now()+100)), "StartInFuture")
	mustRevert(t, errOf(op.OpenStream(s.ctx, k, c, p, big64(1), s.now()-3601)), "StartTooOld")
	re := mustRevert(t, errOf(op.OpenStream(s.ctx, k, c, p, big64(1001), 0)), "InsufficientDeposit")
	if re.Args[0].(*big.Int).Int64() != 1000 {
		t.Fatalf("InsufficientDeposit args %v", re.Args)
	}
	if must(op.StreamExists(s.ctx, k)) {
		t.Fatal("stream exists before open")
	}

	r := must(op.OpenStream(s.ctx, k, c, p, big64(3), 0))
	ev := oneEvent(t, r, op.Binding().UnpackStreamOpenedEvent)
	if ev.Key != k || ev.Consumer != c || ev.Provider != p || ev.Rate.Int64() != 3 || ev.Start != s.now() {
		t.Fatalf("StreamOpened event %+v (now %d)", ev, s.now())
	}
	mustRevert(t, errOf(op.OpenStream(s.ctx, k, c, p, big64(3), 0)), "StreamExists")
	if !must(op.StreamExists(s.ctx, k)) {
		t.Fatal("stream missing after open")
	}

	// Back-dated start: accrual counts from it.
	start := s.now() - 10
	k2 := s.open("alloc-2/run", 5, start)
	st := s.stream(k2)
	if st.Start != start || st.Owed.Int64() != 5*int64(s.now()-start) {
		t.Fatalf("back-dated stream %+v at %d", st, s.now())
	}
}

func TestEscrowProviderWithdrawsAccrued(t *testing.T) {
	s := newEscrowSetup(t, big64(10_000))
	k := s.open("a/run", 7, 0)
	start := s.stream(k).Start
	s.warp(20 * time.Second)
	if owed := s.stream(k).Owed.Int64(); owed != 7*int64(s.now()-start) {
		t.Fatalf("owed %d after %ds", owed, s.now()-start)
	}

	mustRevert(t, errOf(s.escrow(s.stranger).WithdrawFromStream(s.ctx, k)), "NotProvider")
	mustRevert(t, errOf(s.escrow(s.provider).WithdrawFromStream(s.ctx, StreamKey("nope"))), "UnknownStream")
	r := must(s.escrow(s.provider).WithdrawFromStream(s.ctx, k))
	paid := 7 * int64(s.now()-start)
	ev := oneEvent(t, r, s.escrow(s.owner).Binding().UnpackStreamSettledEvent)
	if ev.Amount.Int64() != paid || ev.SettledTo != s.now() {
		t.Fatalf("StreamSettled %+v, want amount %d to %d", ev, paid, s.now())
	}
	eq(t, "provider balance", s.balance(s.provider.Address()), new(big.Int).Add(Tokens(1_000_000), big64(paid)))
	acct := must(s.escrow(s.owner).Account(s.ctx, s.consumer.Address()))
	eq(t, "consumer balance in escrow", acct.Balance, big64(10_000-paid))
	eq(t, "owed right after withdrawal", acct.Owed, big64(0))
	eq(t, "rate", acct.Rate, big64(7))
}

func TestEscrowCloseStream(t *testing.T) {
	s := newEscrowSetup(t, big64(10_000))
	k := s.open("a/run", 10, 0)
	start := s.stream(k).Start
	s.warp(30 * time.Second)
	end := start + 12 // Nomad saw the stop 18s before the close lands

	op := s.escrow(s.operator)
	mustRevert(t, errOf(s.escrow(s.stranger).CloseStream(s.ctx, k, end)), "NotOperatorOrProvider")
	mustRevert(t, errOf(op.CloseStream(s.ctx, StreamKey("nope"), end)), "UnknownStream")
	mustRevert(t, errOf(op.CloseStream(s.ctx, k, start-1)), "EndOutOfRange")
	mustRevert(t, errOf(op.CloseStream(s.ctx, k, s.now()+5)), "EndOutOfRange")

	r := must(op.CloseStream(s.ctx, k, end))
	closed := oneEvent(t, r, op.Binding().UnpackStreamClosedEvent)
	settled := oneEvent(t, r, op.Binding().UnpackStreamSettledEvent)
	if closed.End != end || settled.Amount.Int64() != 120 {
		t.Fatalf("close events %+v %+v, want end %d amount 120", closed, settled, end)
	}
	mustRevert(t, errOf(op.CloseStream(s.ctx, k, end)), "StreamClosedAlready")

	s.warp(time.Hour)
	st := s.stream(k)
	if st.End != end || st.Owed.Sign() != 0 {
		t.Fatalf("closed stream accrues: %+v", st)
	}
	acct := must(s.escrow(s.owner).Account(s.ctx, s.consumer.Address()))
	eq(t, "refundable after close", acct.Refundable, big64(10_000-120))
	eq(t, "rate after close", acct.Rate, big64(0))

	// A provider may close its own stream; time it already withdrew stays paid.
	k2 := s.open("b/run", 1, 0)
	start2 := s.stream(k2).Start
	s.warp(10 * time.Second)
	must(s.escrow(s.provider).WithdrawFromStream(s.ctx, k2))
	paidTo := s.stream(k2).SettledAt
	r = must(s.escrow(s.provider).CloseStream(s.ctx, k2, start2+1))
	if c := oneEvent(t, r, op.Binding().UnpackStreamClosedEvent); c.End != paidTo {
		t.Fatalf("close before settledAt ended at %d, want %d", c.End, paidTo)
	}
	if len(events(r, op.Binding().UnpackStreamSettledEvent)) != 0 {
		t.Fatal("nothing left to pay, yet a settlement was emitted")
	}
}

func TestEscrowInsolvencyHaltsStreams(t *testing.T) {
	s := newEscrowSetup(t, big64(100))
	k1 := s.open("a/run", 3, 0)
	k2 := s.open("b/run", 2, 0)
	t1 := s.stream(k1).Start // k2 started a second later: 3 accrued by then, 97 left at 5/s
	fundedUntil := t1 + 1 + 97/5
	esc := s.escrow(s.owner)
	if since := must(esc.InsolventSince(s.ctx, s.consumer.Address())); since != 0 {
		t.Fatalf("solvent consumer reported insolvent since %d", since)
	}
	s.warp(time.Minute)
	if since := must(esc.InsolventSince(s.ctx, s.consumer.Address())); since != fundedUntil {
		t.Fatalf("insolvent since %d, want %d", since, fundedUntil)
	}
	st1, st2 := s.stream(k1), s.stream(k2)
	if st1.HaltedAt != fundedUntil || st2.HaltedAt != fundedUntil {
		t.Fatalf("halted at %d/%d, want %d", st1.HaltedAt, st2.HaltedAt, fundedUntil)
	}
	owed := new(big.Int).Add(st1.Owed, st2.Owed)
	eq(t, "owed at halt", owed, big64(3*int64(fundedUntil-t1)+2*int64(fundedUntil-t1-1)))
	if owed.Int64() > 100 {
		t.Fatalf("owed %v exceeds deposit", owed)
	}

	// The first transaction after the halt records it; a top-up does not revive the streams.
	must(s.token(s.consumer).Approve(s.ctx, s.addrs.Escrow, big64(1000)))
	r := must(s.escrow(s.consumer).Deposit(s.ctx, big64(1000)))
	if ins := oneEvent(t, r, esc.Binding().UnpackInsolventEvent); ins.Since != fundedUntil {
		t.Fatalf("Insolvent event %+v", ins)
	}
	if since := must(esc.InsolventSince(s.ctx, s.consumer.Address())); since != 0 {
		t.Fatalf("top-up left insolventSince %d", since)
	}
	s.warp(time.Minute)
	eq(t, "owed after top-up", new(big.Int).Add(s.stream(k1).Owed, s.stream(k2).Owed), owed)
	mustRevert(t, errOf(s.escrow(s.stranger).SettleMany(s.ctx, [][32]byte{k1, StreamKey("nope")}, noCap)), "UnknownStream")
	must(s.escrow(s.stranger).SettleMany(s.ctx, [][32]byte{k1, k2}, noCap))
	eq(t, "provider paid the owed part", s.balance(s.provider.Address()), new(big.Int).Add(Tokens(1_000_000), owed))
	// Closing a halted stream is still how the billing service retires it.
	must(s.escrow(s.operator).CloseStream(s.ctx, k1, s.now()))
	if st := s.stream(k1); st.End != fundedUntil {
		t.Fatalf("halted stream closed at %d, want its halt %d", st.End, fundedUntil)
	}
	// New streams run on the topped-up deposit.
	k3 := s.open("c/run", 1, 0)
	s.warp(5 * time.Second)
	if st := s.stream(k3); st.HaltedAt != 0 || st.Owed.Int64() != 5 {
		t.Fatalf("new stream after top-up: %+v", st)
	}
}

func TestEscrowSettleMany(t *testing.T) {
	s := newEscrowSetup(t, big64(1_000_000))
	var keys [][32]byte
	for i := range 5 {
		keys = append(keys, s.open("alloc/"+string(rune('a'+i)), int64(i+1), 0))
	}
	s.warp(100 * time.Second)
	want := new(big.Int)
	for _, k := range keys {
		want.Add(want, s.stream(k).Owed)
	}
	// settleMany's block is one second later than the views above.
	want.Add(want, big64(1+2+3+4+5))
	r := must(s.escrow(s.stranger).SettleMany(s.ctx, keys, noCap))
	got := new(big.Int)
	for _, ev := range events(r, s.escrow(s.owner).Binding().UnpackStreamSettledEvent) {
		got.Add(got, ev.Amount)
	}
	eq(t, "settled", got, want)
	eq(t, "provider balance", s.balance(s.provider.Address()), new(big.Int).Add(Tokens(1_000_000), want))
	for _, k := range keys {
		if st := s.stream(k); st.Owed.Sign() != 0 || st.SettledAt != s.now() {
			t.Fatalf("stream after settleMany %+v", st)
		}
	}
}

// noCap lets settleMany pay up to the block time.
const noCap = ^uint64(0)

// A settlement capped at until pays no later time, and a close before the mined block's time
// then pays exactly up to its end: what the billing operator relies on to never overpay.
func TestEscrowSettleManyStopsAtUntil(t *testing.T) {
	s := newEscrowSetup(t, big64(1_000_000))
	k := s.open("alloc/capped", 3, 0)
	start := s.stream(k).Start
	s.warp(100 * time.Second)
	until := start + 40
	must(s.escrow(s.stranger).SettleMany(s.ctx, [][32]byte{k}, until))
	if st := s.stream(k); st.SettledAt != until {
		t.Fatalf("settled to %d, want the cap %d", st.SettledAt, until)
	}
	eq(t, "provider paid up to the cap", s.balance(s.provider.Address()), new(big.Int).Add(Tokens(1_000_000), big64(3*40)))
	// A cap below what is already settled pays nothing more.
	must(s.escrow(s.stranger).SettleMany(s.ctx, [][32]byte{k}, start+10))
	if st := s.stream(k); st.SettledAt != until {
		t.Fatalf("a lower cap moved settledAt to %d", st.SettledAt)
	}
	must(s.escrow(s.operator).CloseStream(s.ctx, k, start+60))
	eq(t, "provider paid up to the close", s.balance(s.provider.Address()), new(big.Int).Add(Tokens(1_000_000), big64(3*60)))
}
