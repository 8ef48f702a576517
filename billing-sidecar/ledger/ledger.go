// Package ledger carries the journal's intents to the chain exactly once. Every action is
// written to the journal before anything is signed; a signed transaction is written before it
// is broadcast; an intent is done only when the chain shows its effect at the confirmation
// depth. After a crash, Drive re-reads each unfinished intent against the chain and resumes from
// there — rebroadcasting the very transaction it recorded, never a second one — so nothing is
// opened or closed twice and nothing intended is forgotten. The chain itself is a port (Chain).
package ledger

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"sort"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/dec2-cloud/dec2/billing-sidecar/journal"
	"github.com/dec2-cloud/dec2/billing-sidecar/lifecycle"
	"github.com/dec2-cloud/dec2/contracts/chain"
)

// Call is a stream action to sign.
type Call struct {
	Kind      journal.Kind
	StreamKey common.Hash
	Consumer  common.Address
	Provider  common.Address
	Rate      *big.Int
	At        uint64 // start (open) or end (close), unix seconds
}

// StreamState is what the chain holds for a stream key.
type StreamState struct {
	Exists   bool
	Start    uint64
	End      uint64 // 0 while open
	HaltedAt uint64 // non-zero once the consumer's deposit ran out while it ran
	Owed     *big.Int
}

// Receipt is a transaction's fate.
type Receipt struct {
	Found   bool // mined in the canonical chain
	Success bool
}

// Chain is what the ledger needs from a chain. Stream with confirmed=true reads the state at
// the confirmation depth; confirmed=false reads the latest block.
type Chain interface {
	Stream(ctx context.Context, key common.Hash, confirmed bool) (StreamState, error)
	// Sign builds and signs the call with the next nonce without broadcasting it.
	Sign(ctx context.Context, c Call) (journal.Tx, error)
	// Broadcast sends a signed transaction; one the node already has is not an error.
	// ErrNonceUsed means its nonce was taken by another transaction.
	Broadcast(ctx context.Context, tx journal.Tx) error
	// Bump re-signs tx with the same nonce and higher fees.
	Bump(ctx context.Context, tx journal.Tx) (journal.Tx, error)
	Receipt(ctx context.Context, hash common.Hash) (Receipt, error)
	// Revert explains why c fails now (nil if it would succeed).
	Revert(ctx context.Context, c Call) error
	// HeadTime is the latest block's timestamp.
	HeadTime(ctx context.Context) (uint64, error)
}

// ErrNonceUsed: a transaction's nonce was consumed by another one.
var ErrNonceUsed = errors.New("nonce already used")

// ErrConsumer marks a revert that only the consumer can cure: its deposit does not cover the
// stream, or it has not authorised the billing operator. The intent waits (and the insolvency
// monitor stops the consumer's job if it waits past the grace period).
var ErrConsumer = errors.New("waiting for the consumer")

// ErrCrash is what fault-injection hooks return to stop the ledger as a crash would.
var ErrCrash = errors.New("injected crash")

// Hooks are fault-injection points for crash tests; nil hooks do nothing.
type Hooks struct {
	AfterRecord func(key string) error // the intent (or its signed tx) is journaled, not yet sent
	AfterSend   func(key string) error // broadcast, not yet confirmed
}

// Ledger drives intents. It is not safe for concurrent Drive calls.
type Ledger struct {
	J         *journal.Journal
	C         Chain
	Log       *slog.Logger
	BumpAfter time.Duration // rebroadcast with higher fees when a tx stays unmined this long
	RetryWait time.Duration // wait before re-signing an intent whose tx reverted curably
	Hooks     Hooks
	Now       func() time.Time // the ledger's clock (retry waits, fee bumps); nil: time.Now
	// OnDone, if set, is told when an intent is confirmed or given up.
	OnDone func(journal.Intent)
}

// StreamKey is the bytes32 the contract knows an allocation's stream segment by
// (chain.AllocStreamKey, the one definition attestors share).
func StreamKey(allocID string, segment int) common.Hash {
	return chain.AllocStreamKey(allocID, segment)
}

// Seen summarises the journal's intents for an allocation's latest segment.
func (l *Ledger) Seen(allocID string) (lifecycle.Seen, error) {
	ins, err := l.J.Alloc(allocID)
	if err != nil {
		return lifecycle.Seen{}, err
	}
	var s lifecycle.Seen
	for _, in := range ins {
		if in.Segment > s.Segment {
			s = lifecycle.Seen{Segment: in.Segment}
		}
		switch in.Kind {
		case journal.KindOpen:
			s.Opened, s.Start = true, time.Unix(in.At, 0)
		case journal.KindClose:
			s.Closed = true
		}
	}
	return s, nil
}

// Terms returns the terms the allocation's latest stream segment was opened with.
func (l *Ledger) Terms(allocID string) (lifecycle.Terms, bool, error) {
	ins, err := l.J.Alloc(allocID)
	if err != nil {
		return lifecycle.Terms{}, false, err
	}
	for i := len(ins) - 1; i >= 0; i-- {
		if in := ins[i]; in.Kind == journal.KindOpen {
			rate, ok := new(big.Int).SetString(in.Rate, 10)
			return lifecycle.Terms{Consumer: common.HexToAddress(in.Consumer), Provider: common.HexToAddress(in.Provider), Rate: rate}, ok, nil
		}
	}
	return lifecycle.Terms{}, false, nil
}

// Record journals the open and close actions for an allocation (idempotently: an action whose
// key is already there is skipped). Problem actions are not journaled.
func (l *Ledger) Record(allocID string, acts []lifecycle.Action) ([]journal.Intent, error) {
	return l.RecordAll(map[string][]lifecycle.Action{allocID: acts})
}

// RecordAll journals the actions of many allocations in one transaction and returns the
// intents that were new.
func (l *Ledger) RecordAll(acts map[string][]lifecycle.Action) ([]journal.Intent, error) {
	ids := make([]string, 0, len(acts))
	for id := range acts {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var ins []journal.Intent
	for _, allocID := range ids {
		for _, a := range acts[allocID] {
			in := journal.Intent{AllocID: allocID, Segment: a.Segment, StreamKey: StreamKey(allocID, a.Segment).Hex(), At: a.At.Unix()}
			switch a.Kind {
			case lifecycle.Open:
				in.Kind, in.Consumer, in.Provider, in.Rate = journal.KindOpen, a.Terms.Consumer.Hex(), a.Terms.Provider.Hex(), a.Terms.Rate.String()
			case lifecycle.Close:
				in.Kind = journal.KindClose
			default:
				continue
			}
			in.Key = journal.IntentKey(allocID, a.Segment, in.Kind)
			ins = append(ins, in)
		}
	}
	if len(ins) == 0 {
		return nil, nil
	}
	added, err := l.J.AddMany(ins)
	if err != nil {
		return nil, fmt.Errorf("journaling %d intents: %w", len(ins), err)
	}
	if l.Hooks.AfterRecord != nil {
		for _, in := range added {
			if err := l.Hooks.AfterRecord(in.Key); err != nil {
				return added, err
			}
		}
	}
	return added, nil
}

// Drive takes every unfinished intent one step further and returns how many are still
// unfinished. Transient chain errors are logged and left for the next call (the stream carries
// time, so a late action loses no accrual); an injected crash is returned.
func (l *Ledger) Drive(ctx context.Context) (int, error) {
	ins, err := l.J.Unfinished()
	if err != nil {
		return 0, err
	}
	open := 0
	for _, in := range ins {
		st, err := l.Step(ctx, in)
		if errors.Is(err, ErrCrash) || ctx.Err() != nil {
			return open, err
		}
		if err != nil {
			l.Log.Warn("chain action deferred", "intent", in.Key, "err", err)
		}
		if st != journal.Done && st != journal.Failed {
			open++
		}
	}
	return open, nil
}

// now is the ledger's clock: Now, or time.Now when unset.
func (l *Ledger) now() time.Time {
	if l.Now != nil {
		return l.Now()
	}
	return time.Now()
}

func effect(in journal.Intent, s StreamState) bool {
	if in.Kind == journal.KindOpen {
		return s.Exists
	}
	return s.Exists && s.End != 0
}

// sighting is what the chain shows of an intent's effect.
type sighting int

const (
	unseen   sighting = iota // no effect on chain: the intent's state has work to do
	buried                   // the effect is at the confirmation depth: done
	mined                    // the effect is in the latest block, not yet deep enough: wait
	noStream                 // a close of a stream the chain does not hold at all
)

// sight reads an intent's effect off the stream's state at depth and at the latest block.
func sight(in journal.Intent, conf, latest StreamState) sighting {
	switch {
	case effect(in, conf):
		return buried
	case effect(in, latest):
		return mined
	case in.Kind == journal.KindClose && !latest.Exists:
		return noStream
	}
	return unseen
}

// look asks the chain about an intent (the latest block only when the depth does not show it).
func (l *Ledger) look(ctx context.Context, in journal.Intent) (sighting, error) {
	key := common.HexToHash(in.StreamKey)
	conf, err := l.C.Stream(ctx, key, true)
	if err != nil {
		return unseen, fmt.Errorf("reading stream %s at depth: %w", in.Key, err)
	}
	if effect(in, conf) {
		return buried, nil
	}
	latest, err := l.C.Stream(ctx, key, false)
	if err != nil {
		return unseen, fmt.Errorf("reading stream %s: %w", in.Key, err)
	}
	return sight(in, conf, latest), nil
}

// Step moves one intent along. Whatever its state, the chain is asked first: done once it
// shows the effect at depth, waiting while the effect is mined but not yet deep enough. Then
// the state's own step: Signed follows its journaled transaction (never signing a second one
// while one is journaled), Pending signs and sends. Done and Failed are final.
func (l *Ledger) Step(ctx context.Context, in journal.Intent) (journal.State, error) {
	if in.State == journal.Done || in.State == journal.Failed {
		return in.State, nil
	}
	seen, err := l.look(ctx, in)
	if err != nil {
		return in.State, err
	}
	switch seen {
	case buried:
		return l.finish(in, journal.Done, "", "")
	case mined:
		return in.State, nil
	case noStream:
		return l.orphanClose(in)
	}
	if len(in.Txs) > 0 {
		return l.stepSigned(ctx, in)
	}
	return l.stepPending(ctx, in)
}

// orphanClose handles a close whose stream the chain does not hold: it fails if its open
// failed or was never journaled, and waits while the open is still on its way.
func (l *Ledger) orphanClose(in journal.Intent) (journal.State, error) {
	op, ok, err := l.J.Get(journal.IntentKey(in.AllocID, in.Segment, journal.KindOpen))
	if err != nil {
		return in.State, err
	}
	if !ok || op.State == journal.Failed {
		return l.finish(in, journal.Failed, journal.ReasonNeverOpened, "its stream was never opened")
	}
	return in.State, nil
}

// stepSigned follows an intent whose transaction is journaled: a mined success is waited on
// (the state read raced the block), a mined revert is classified (reverted), an unmined
// transaction is sent again (resend).
func (l *Ledger) stepSigned(ctx context.Context, in journal.Intent) (journal.State, error) {
	for _, tx := range in.Txs {
		r, err := l.C.Receipt(ctx, common.HexToHash(tx.Hash))
		if err != nil {
			return in.State, fmt.Errorf("receipt of %s: %w", tx.Hash, err)
		}
		switch {
		case r.Found && r.Success:
			return in.State, nil
		case r.Found:
			return l.reverted(ctx, in)
		}
	}
	return l.resend(ctx, in)
}

// resend broadcasts the latest journaled transaction again, first re-signed with higher fees
// and the same nonce (journaled before it is sent) once it stayed unmined past BumpAfter. If
// another transaction took the nonce, none of ours was mined: back to Pending, to sign afresh.
func (l *Ledger) resend(ctx context.Context, in journal.Intent) (journal.State, error) {
	last := in.Txs[len(in.Txs)-1]
	if l.BumpAfter > 0 && l.now().Sub(in.Updated) > l.BumpAfter {
		bumped, err := l.C.Bump(ctx, last)
		if err != nil {
			return in.State, fmt.Errorf("bumping %s: %w", in.Key, err)
		}
		if _, err := l.J.Update(in.Key, func(x *journal.Intent) error { x.Txs = append(x.Txs, bumped); return nil }); err != nil {
			return in.State, err
		}
		last = bumped
	}
	err := l.C.Broadcast(ctx, last)
	if errors.Is(err, ErrNonceUsed) {
		_, err = l.J.Update(in.Key, func(x *journal.Intent) error { x.Txs, x.State = nil, journal.Pending; return nil })
		return journal.Pending, err
	}
	return in.State, err
}

// stepPending signs and sends an intent with nothing signed. One that failed before (it has a
// Reason) waits RetryWait first, and is tried dry before gas is spent on it: while the
// consumer is still the reason, it keeps waiting.
func (l *Ledger) stepPending(ctx context.Context, in journal.Intent) (journal.State, error) {
	if in.Reason != "" && l.now().Sub(in.Updated) < l.RetryWait {
		return in.State, nil
	}
	call, err := l.call(ctx, in)
	if err != nil {
		return in.State, err
	}
	if in.Reason != "" {
		if why := l.C.Revert(ctx, call); errors.Is(why, ErrConsumer) {
			_, err := l.J.Update(in.Key, func(x *journal.Intent) error {
				x.Err, x.Reason = why.Error(), journal.ReasonConsumer
				return nil
			})
			return in.State, err
		}
	}
	return l.signAndSend(ctx, in, call)
}

// signAndSend journals a signed transaction (state Signed) before it broadcasts it: a crash in
// between leaves a transaction to send again, never a reason to sign a second one.
func (l *Ledger) signAndSend(ctx context.Context, in journal.Intent, call Call) (journal.State, error) {
	tx, err := l.C.Sign(ctx, call)
	if err != nil {
		return in.State, fmt.Errorf("signing %s: %w", in.Key, err)
	}
	in, err = l.J.Update(in.Key, func(x *journal.Intent) error {
		x.Txs, x.State, x.At = []journal.Tx{tx}, journal.Signed, int64(call.At)
		return nil
	})
	if err != nil {
		return journal.Pending, err
	}
	if l.Hooks.AfterRecord != nil {
		if err := l.Hooks.AfterRecord(in.Key); err != nil {
			return in.State, err
		}
	}
	if err := l.C.Broadcast(ctx, tx); err != nil {
		return in.State, fmt.Errorf("sending %s: %w", in.Key, err)
	}
	if l.Hooks.AfterSend != nil {
		if err := l.Hooks.AfterSend(in.Key); err != nil {
			return in.State, err
		}
	}
	return in.State, nil
}

// call builds the chain call of an intent. A start older than the contract's back-dating
// window (the intent waited for funds) moves to the window's edge.
func (l *Ledger) call(ctx context.Context, in journal.Intent) (Call, error) {
	c := Call{Kind: in.Kind, StreamKey: common.HexToHash(in.StreamKey), At: uint64(in.At)}
	if in.Kind == journal.KindOpen {
		rate, ok := new(big.Int).SetString(in.Rate, 10)
		if !ok {
			return c, fmt.Errorf("intent %s: bad rate %q", in.Key, in.Rate)
		}
		c.Consumer, c.Provider, c.Rate = common.HexToAddress(in.Consumer), common.HexToAddress(in.Provider), rate
		head, err := l.C.HeadTime(ctx)
		if err != nil {
			return c, err
		}
		if oldest := head - uint64(MaxBackdate/time.Second) + uint64(backdateMargin/time.Second); c.At < oldest {
			c.At = oldest
		}
	}
	return c, nil
}

// MaxBackdate mirrors StreamEscrow.MAX_BACKDATE; backdateMargin leaves room for inclusion delay.
const (
	MaxBackdate    = time.Hour
	backdateMargin = 5 * time.Minute
)

// reverted handles a mined, failed transaction: one the consumer can cure, or one whose cause
// is gone, is retried after RetryWait (the insolvency monitor stops the consumer's jobs if the
// wait lasts); anything else is final.
func (l *Ledger) reverted(ctx context.Context, in journal.Intent) (journal.State, error) {
	call, err := l.call(ctx, in)
	if err != nil {
		return in.State, err
	}
	reason, msg := revertReason(l.C.Revert(ctx, call))
	if reason == journal.ReasonRefused {
		return l.finish(in, journal.Failed, reason, msg)
	}
	_, err = l.J.Update(in.Key, func(x *journal.Intent) error {
		x.Txs, x.State, x.Err, x.Reason = nil, journal.Pending, msg, reason
		return nil
	})
	return journal.Pending, err
}

// revertReason classifies a reverted transaction by why its call fails now (Chain.Revert):
// not at all (the cause passed: retry), for want of the consumer (wait for it), or otherwise
// (final).
func revertReason(why error) (journal.Reason, string) {
	switch {
	case why == nil:
		return journal.ReasonReverted, "reverted; retrying"
	case errors.Is(why, ErrConsumer):
		return journal.ReasonConsumer, why.Error()
	default:
		return journal.ReasonRefused, why.Error()
	}
}

func (l *Ledger) finish(in journal.Intent, st journal.State, reason journal.Reason, why string) (journal.State, error) {
	out, err := l.J.Update(in.Key, func(x *journal.Intent) error { x.State, x.Reason, x.Err = st, reason, why; return nil })
	if err != nil {
		return in.State, err
	}
	if st == journal.Failed {
		l.Log.Error("chain action failed for good", "intent", in.Key, "why", why)
	}
	if l.OnDone != nil {
		l.OnDone(out)
	}
	return st, nil
}
