package ledger

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/dec2-cloud/dec2/billing-sidecar/journal"
)

func TestSight(t *testing.T) {
	open := journal.Intent{Kind: journal.KindOpen}
	cls := journal.Intent{Kind: journal.KindClose}
	none, running, ended := StreamState{}, StreamState{Exists: true, Start: 10}, StreamState{Exists: true, Start: 10, End: 20}
	for _, tc := range []struct {
		name         string
		in           journal.Intent
		conf, latest StreamState
		want         sighting
	}{
		{"open, nothing on chain", open, none, none, unseen},
		{"open, mined not deep", open, none, running, mined},
		{"open, at depth", open, running, running, buried},
		{"open, at depth, since closed", open, running, ended, buried},
		{"close, stream running", cls, running, running, unseen},
		{"close, mined not deep", cls, running, ended, mined},
		{"close, at depth", cls, ended, ended, buried},
		{"close, no stream", cls, none, none, noStream},
		{"close, stream opened but not deep", cls, none, running, unseen},
	} {
		if got := sight(tc.in, tc.conf, tc.latest); got != tc.want {
			t.Errorf("%s: sight = %d, want %d", tc.name, got, tc.want)
		}
	}
}

func TestRevertReason(t *testing.T) {
	for _, tc := range []struct {
		why     error
		reason  journal.Reason
		message string
	}{
		{nil, journal.ReasonReverted, "reverted; retrying"},
		{fmt.Errorf("%w: deposit too small", ErrConsumer), journal.ReasonConsumer, "waiting for the consumer: deposit too small"},
		{errors.New("execution reverted: unknown provider"), journal.ReasonRefused, "execution reverted: unknown provider"},
	} {
		reason, msg := revertReason(tc.why)
		if reason != tc.reason || msg != tc.message {
			t.Errorf("revertReason(%v) = %q %q, want %q %q", tc.why, reason, msg, tc.reason, tc.message)
		}
	}
}

// fakeChain is a scripted Chain that records what the ledger asks of it.
type fakeChain struct {
	conf, latest StreamState
	receipt      Receipt // of every transaction
	revert       error   // what Revert says
	broadcast    error   // what Broadcast returns
	calls        []string
	nonce        uint64
}

func (f *fakeChain) Stream(_ context.Context, _ common.Hash, confirmed bool) (StreamState, error) {
	if confirmed {
		return f.conf, nil
	}
	return f.latest, nil
}

func (f *fakeChain) Sign(_ context.Context, c Call) (journal.Tx, error) {
	f.nonce++
	f.calls = append(f.calls, "sign")
	return journal.Tx{Hash: fmt.Sprintf("0x%064x", f.nonce), Nonce: f.nonce}, nil
}

func (f *fakeChain) Broadcast(_ context.Context, tx journal.Tx) error {
	f.calls = append(f.calls, "broadcast "+tx.Hash[len(tx.Hash)-2:])
	return f.broadcast
}

func (f *fakeChain) Bump(_ context.Context, tx journal.Tx) (journal.Tx, error) {
	f.calls = append(f.calls, "bump")
	return journal.Tx{Hash: fmt.Sprintf("0x%064x", 0xb0+tx.Nonce), Nonce: tx.Nonce}, nil
}

func (f *fakeChain) Receipt(context.Context, common.Hash) (Receipt, error) {
	f.calls = append(f.calls, "receipt")
	return f.receipt, nil
}

func (f *fakeChain) Revert(context.Context, Call) error {
	f.calls = append(f.calls, "revert")
	return f.revert
}

func (f *fakeChain) HeadTime(context.Context) (uint64, error) { return 2_000_000_000, nil }

// Each state's step, on a real journal and a scripted chain, with the ledger's clock set to
// just after the intent was written ("fresh") or an hour later ("stale": past RetryWait and
// BumpAfter).
func TestStepByState(t *testing.T) {
	consumerErr := fmt.Errorf("%w: deposit too small", ErrConsumer)
	signedTx := []journal.Tx{{Hash: fmt.Sprintf("0x%064x", 0x07), Nonce: 7}}
	pending := func(x *journal.Intent) {}
	signed := func(x *journal.Intent) { x.State, x.Txs = journal.Signed, signedTx }
	waiting := func(r journal.Reason) func(*journal.Intent) {
		return func(x *journal.Intent) { x.Reason, x.Err = r, "earlier failure" }
	}
	running := StreamState{Exists: true, Start: 1}
	for _, tc := range []struct {
		name   string
		kind   journal.Kind
		setup  func(*journal.Intent)
		chain  fakeChain
		stale  bool
		want   journal.State // returned and journaled
		reason journal.Reason
		txs    int
		calls  string
	}{
		// Any state: the chain is asked first.
		{name: "pending, at depth: done", setup: pending, chain: fakeChain{conf: running, latest: running}, want: journal.Done},
		{name: "signed, at depth: done", setup: signed, chain: fakeChain{conf: running, latest: running}, want: journal.Done, txs: 1},
		{name: "signed, mined not deep: waits", setup: signed, chain: fakeChain{latest: running}, want: journal.Signed, txs: 1},
		{name: "close without open: fails", kind: journal.KindClose, setup: pending, want: journal.Failed, reason: journal.ReasonNeverOpened},

		// Pending.
		{name: "pending: signs, journals, sends", setup: pending, want: journal.Signed, txs: 1, calls: "sign,broadcast 01"},
		{name: "pending after a revert, within RetryWait: waits", setup: waiting(journal.ReasonReverted), want: journal.Pending, reason: journal.ReasonReverted},
		{name: "pending for the consumer, still broke: dry run only", setup: waiting(journal.ReasonConsumer), stale: true,
			chain: fakeChain{revert: consumerErr}, want: journal.Pending, reason: journal.ReasonConsumer, calls: "revert"},
		{name: "pending for the consumer, topped up: signs", setup: waiting(journal.ReasonConsumer), stale: true,
			want: journal.Signed, reason: journal.ReasonConsumer, txs: 1, calls: "revert,sign,broadcast 01"},

		// Signed.
		{name: "signed, unmined: sends the same tx again", setup: signed, want: journal.Signed, txs: 1, calls: "receipt,broadcast 07"},
		{name: "signed, unmined past BumpAfter: same nonce, higher fees", setup: signed, stale: true, want: journal.Signed, txs: 2, calls: "receipt,bump,broadcast b7"},
		{name: "signed, nonce taken: back to pending", setup: signed, chain: fakeChain{broadcast: ErrNonceUsed}, want: journal.Pending, calls: "receipt,broadcast 07"},
		{name: "signed, mined ok but state raced: waits", setup: signed, chain: fakeChain{receipt: Receipt{Found: true, Success: true}}, want: journal.Signed, txs: 1, calls: "receipt"},
		{name: "signed, reverted for the consumer: waits for it", setup: signed, chain: fakeChain{receipt: Receipt{Found: true}, revert: consumerErr},
			want: journal.Pending, reason: journal.ReasonConsumer, calls: "receipt,revert"},
		{name: "signed, reverted, cause gone: retried", setup: signed, chain: fakeChain{receipt: Receipt{Found: true}},
			want: journal.Pending, reason: journal.ReasonReverted, calls: "receipt,revert"},
		{name: "signed, reverted for good: fails", setup: signed, chain: fakeChain{receipt: Receipt{Found: true}, revert: errors.New("execution reverted: bad stream")},
			want: journal.Failed, reason: journal.ReasonRefused, txs: 1, calls: "receipt,revert"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			j, err := journal.Open(filepath.Join(t.TempDir(), "j.db"))
			if err != nil {
				t.Fatal(err)
			}
			defer j.Close()
			kind := tc.kind
			if kind == "" {
				kind = journal.KindOpen
			}
			in := journal.Intent{Key: journal.IntentKey("a", 0, kind), Kind: kind, AllocID: "a", StreamKey: StreamKey("a", 0).Hex(),
				Consumer: "0xc0", Provider: "0xb0", Rate: "5", At: 1_999_999_000}
			if err := j.Add(in); err != nil {
				t.Fatal(err)
			}
			if in, err = j.Update(in.Key, func(x *journal.Intent) error { tc.setup(x); return nil }); err != nil {
				t.Fatal(err)
			}
			at := time.Now()
			if tc.stale {
				at = at.Add(time.Hour)
			}
			chain := tc.chain
			var done []journal.Intent
			l := &Ledger{J: j, C: &chain, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), BumpAfter: time.Minute, RetryWait: time.Minute,
				Now: func() time.Time { return at }, OnDone: func(in journal.Intent) { done = append(done, in) }}
			st, err := l.Step(context.Background(), in)
			if err != nil {
				t.Fatal(err)
			}
			got, _, _ := j.Get(in.Key)
			if st != tc.want || got.State != tc.want || got.Reason != tc.reason || len(got.Txs) != tc.txs {
				t.Fatalf("Step = %s; journaled %s, reason %q, %d txs; want %s, %q, %d", st, got.State, got.Reason, len(got.Txs), tc.want, tc.reason, tc.txs)
			}
			if calls := strings.Join(chain.calls, ","); calls != tc.calls {
				t.Fatalf("chain calls %q, want %q", calls, tc.calls)
			}
			final := tc.want == journal.Done || tc.want == journal.Failed
			if final != (len(done) == 1) {
				t.Fatalf("OnDone told %d times", len(done))
			}
			// A final intent is left alone.
			if final {
				chain.calls = nil
				if st, err := l.Step(context.Background(), got); st != tc.want || err != nil || len(chain.calls) != 0 {
					t.Fatalf("stepping a final intent: %s %v %v", st, err, chain.calls)
				}
			}
		})
	}
}
