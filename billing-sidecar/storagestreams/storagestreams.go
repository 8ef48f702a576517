// Package storagestreams decides the payment streams of stored pieces: one stream per
// (consumer, provider) pair, from the consumer's escrow to the provider, at the provider's disk
// price (dec2.price.disk_gb_hour) times the bytes of the pieces it holds for the consumer. Over
// all its providers a consumer so pays n/k × its logical bytes (see docs/storage.md).
//
// The contract has no rate change: a stream is opened with a rate and closed. A new rate is
// a new segment of the pair's stream: the current one closes and the next opens at the same
// instant. It is pure: a usage snapshot, prices and where each pair's stream stands in the
// journal come in; actions and the pairs nobody pays for go out.
package storagestreams

import (
	"bytes"
	"fmt"
	"math/big"
	"slices"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/dec2-cloud/dec2/pricing"
)

// Pair is who pays whom for stored pieces.
type Pair struct {
	Consumer, Provider common.Address
}

// AllocPrefix starts the allocation id under which billing journals a pair's stream; a
// Nomad allocation id (a UUID) never starts so.
const AllocPrefix = "storage/"

// StreamID is the allocation id of a pair's stream in the journal and in statements:
// storage/<consumer>/<provider>, both in lowercase hex.
func StreamID(p Pair) string {
	return AllocPrefix + strings.ToLower(p.Consumer.Hex()) + "/" + strings.ToLower(p.Provider.Hex())
}

// ParseStreamID is the pair of a StreamID; ok is false for any other id (a Nomad allocation).
func ParseStreamID(id string) (p Pair, ok bool) {
	rest, ok := strings.CutPrefix(id, AllocPrefix)
	if !ok {
		return Pair{}, false
	}
	c, pr, ok := strings.Cut(rest, "/")
	if !ok || !common.IsHexAddress(c) || !common.IsHexAddress(pr) {
		return Pair{}, false
	}
	p = Pair{common.HexToAddress(c), common.HexToAddress(pr)}
	return p, StreamID(p) == id
}

// Holding is what a provider holds for a consumer: the pieces and the sum of their sizes.
type Holding struct {
	Pair
	Pieces, Bytes int64
}

// Price is a provider's disk price per GiB-hour in token base units, or why it has none
// usable. A provider missing from the prices has no node in the region.
type Price struct {
	PerGiBHour *big.Int
	Err        error // a malformed price
}

// Lowest is the price of a provider with several nodes: the lowest well-formed one, so a
// consumer never pays more than the provider asks on some node; the first error when none is
// well-formed. A node without a disk price counts as free.
func Lowest(prices []Price) Price {
	var best Price
	for _, p := range prices {
		switch {
		case p.Err != nil:
			if best.PerGiBHour == nil && best.Err == nil {
				best = p
			}
		case p.PerGiBHour == nil:
			best = Price{PerGiBHour: new(big.Int)}
		case best.PerGiBHour == nil || p.PerGiBHour.Cmp(best.PerGiBHour) < 0:
			best = p
		}
	}
	return best
}

// Stream is where a pair's stream stands in the journal: its latest segment.
type Stream struct {
	Segment int
	Open    bool      // the segment's open is journaled and its close is not
	Busy    bool      // the segment's latest intent is still on its way to the chain
	Refused bool      // the chain refused the segment's open for good
	Rate    *big.Int  // the segment's rate, base units per second
	Since   time.Time // the segment's start
}

// Policy says when a changed rate is worth a new segment. Each one costs two transactions
// (close and open), so a pair whose bytes change by a little (a small write, a delete of a
// few pieces) keeps its rate until the change passes Hysteresis or the segment is MinInterval
// old: the consumer pays at most Hysteresis off its holdings, for at most MinInterval, and
// the operator at most two transactions per pair per MinInterval for small changes. A large
// change (an upload of many GiB, a deleted bucket) is re-rated at the next snapshot.
type Policy struct {
	HysteresisBP int64         // a rate change above this many basis points of the rate re-rates at once
	MinInterval  time.Duration // any rate change re-rates once the segment is this old
}

// DefaultPolicy re-rates changes over 2% at once and any change hourly.
func DefaultPolicy() Policy { return Policy{HysteresisBP: 200, MinInterval: time.Hour} }

// Kind of action.
type Kind int

const (
	Open Kind = iota + 1
	Close
)

// Action is a stream action on a pair's segment: open at Rate from At, or close at At.
type Action struct {
	Kind    Kind
	Pair    Pair
	Segment int
	At      time.Time
	Rate    *big.Int // Open only
	Bytes   int64    // the bytes held that Rate pays for (Open only)
}

// Why a pair holding bytes pays nothing (Unpaid.Reason, a metric label).
const (
	ReasonUnknownProvider = "unknown_provider" // no node of the region has the provider's wallet
	ReasonNoPrice         = "no_disk_price"    // the provider's disk price is absent or zero
	ReasonBadPrice        = "bad_price"        // the provider's disk price is malformed
	ReasonSelfPayment     = "self_payment"     // the provider holds its own pieces
	ReasonRateOverflow    = "rate_overflow"    // the rate exceeds the contract's uint96
	ReasonRefused         = "refused"          // the chain refused this very rate for good
)

// Unpaid is a pair that holds bytes for which no stream runs, and why.
type Unpaid struct {
	Pair   Pair
	Bytes  int64
	Reason string
	Err    error
}

// Decision is what a snapshot decides.
type Decision struct {
	Actions []Action
	Unpaid  []Unpaid
}

// maxRateBits is the contract's rate type, uint96.
const maxRateBits = 96

// Decide brings the pairs' streams in line with a usage snapshot taken at now: it opens a
// stream where a pair starts holding bytes at a price, re-rates one whose rate changed as the
// policy says, and closes one whose pair holds nothing (or whose provider lost its price). A
// pair whose last action is still on its way to the chain waits for it. held may list a pair
// once; streams holds the journal's latest segment of every pair it has one for.
func Decide(p Policy, now time.Time, held []Holding, prices map[common.Address]Price, streams map[Pair]Stream) Decision {
	bytesOf := map[Pair]int64{}
	pairs := make([]Pair, 0, len(held)+len(streams))
	for _, h := range held {
		if h.Bytes > 0 {
			bytesOf[h.Pair] += h.Bytes
			pairs = append(pairs, h.Pair)
		}
	}
	for pr, st := range streams {
		if st.Open {
			pairs = append(pairs, pr)
		}
	}
	slices.SortFunc(pairs, func(a, b Pair) int {
		if c := bytes.Compare(a.Consumer[:], b.Consumer[:]); c != 0 {
			return c
		}
		return bytes.Compare(a.Provider[:], b.Provider[:])
	})
	pairs = slices.Compact(pairs)

	var d Decision
	for _, pr := range pairs {
		st, known := streams[pr]
		if known && st.Busy {
			continue
		}
		n := bytesOf[pr]
		rate, unpaid := terms(pr, n, prices)
		at := now
		if known && st.Since.After(at) {
			at = st.Since
		}
		switch {
		case rate == nil:
			if unpaid != nil {
				d.Unpaid = append(d.Unpaid, *unpaid)
			}
			if known && st.Open {
				d.Actions = append(d.Actions, Action{Kind: Close, Pair: pr, Segment: st.Segment, At: at})
			}
		case !known:
			d.Actions = append(d.Actions, Action{Kind: Open, Pair: pr, Segment: 0, At: now, Rate: rate, Bytes: n})
		case !st.Open && st.Refused && st.Rate != nil && st.Rate.Cmp(rate) == 0:
			d.Unpaid = append(d.Unpaid, Unpaid{Pair: pr, Bytes: n, Reason: ReasonRefused,
				Err: fmt.Errorf("the chain refused segment %d at %s base units/s for good; a changed rate is tried again", st.Segment, rate)})
		case !st.Open:
			d.Actions = append(d.Actions, Action{Kind: Open, Pair: pr, Segment: st.Segment + 1, At: now, Rate: rate, Bytes: n})
		case st.Rate != nil && st.Rate.Cmp(rate) == 0:
			// Paid as it should be.
		case st.Rate == nil || beyond(st.Rate, rate, p.HysteresisBP) || !now.Before(st.Since.Add(p.MinInterval)):
			d.Actions = append(d.Actions,
				Action{Kind: Close, Pair: pr, Segment: st.Segment, At: at},
				Action{Kind: Open, Pair: pr, Segment: st.Segment + 1, At: at, Rate: rate, Bytes: n})
		}
	}
	return d
}

// terms is the rate a pair holding n bytes pays, or nil and why it pays nothing (nil when it
// holds nothing).
func terms(pr Pair, n int64, prices map[common.Address]Price) (*big.Int, *Unpaid) {
	if n <= 0 {
		return nil, nil
	}
	unpaid := func(reason string, err error) (*big.Int, *Unpaid) {
		return nil, &Unpaid{Pair: pr, Bytes: n, Reason: reason, Err: err}
	}
	price, ok := prices[pr.Provider]
	switch {
	case !ok:
		return unpaid(ReasonUnknownProvider, fmt.Errorf("no node of the region has dec2.wallet %s", pr.Provider.Hex()))
	case price.Err != nil:
		return unpaid(ReasonBadPrice, price.Err)
	case price.PerGiBHour == nil || price.PerGiBHour.Sign() <= 0:
		return unpaid(ReasonNoPrice, fmt.Errorf("provider %s sets no dec2.price.disk_gb_hour: its storage is free", pr.Provider.Hex()))
	case pr.Consumer == pr.Provider:
		return unpaid(ReasonSelfPayment, fmt.Errorf("provider %s holds its own pieces", pr.Provider.Hex()))
	}
	rate := pricing.StorageRate(n, price.PerGiBHour)
	if rate.BitLen() > maxRateBits {
		return unpaid(ReasonRateOverflow, fmt.Errorf("rate %s base units/s exceeds the contract's uint96", rate))
	}
	return rate, nil
}

// beyond reports whether to differs from from by more than bp basis points of from.
func beyond(from, to *big.Int, bp int64) bool {
	if from.Sign() == 0 {
		return true
	}
	diff := new(big.Int).Sub(to, from)
	diff.Abs(diff).Mul(diff, big.NewInt(10_000))
	return diff.Cmp(new(big.Int).Mul(from, big.NewInt(bp))) > 0
}
