// Package amount computes how much a downtime slash takes, from on-chain data only, so that
// every attestor asked to sign reaches the same number and a report's amount can be checked
// rather than trusted.
//
// The formula, in token base units:
//
//	hours  = ceil((WindowEnd − DownSince) / 1h), at least 1
//	base   = Σ rates × 3600 × hours × Multiplier, at least Floor
//	factor = 1 + min(Slashes, 3) if LastSlashedAt lies within Window strictly before DownSince, else 1
//	cap    = (Stake + Unbonding) × CapBps / 10000
//	amount = min(base × factor, cap)
//
// Why each term: consumers lose what they would have paid for the outage, and a multiple of
// that makes vanishing costlier than staying; the Floor makes an outage of free or unpriced
// work still cost something; escalation punishes repeat offenders, but only for earlier
// incidents (a slash at or after DownSince is a sibling report of this same incident and must
// not escalate it); the cap leaves the provider something to withdraw or to be slashed for
// next time, so a single report cannot wipe out a stake over a rate mistake.
package amount

import (
	"errors"
	"fmt"
	"math/big"
	"time"
)

// Defaults of DefaultParams.
const (
	DefaultMultiplier = 10
	DefaultCapBps     = 5000
	DefaultWindow     = 30 * 24 * time.Hour
	maxEscalation     = 3
	bps               = 10_000
)

// Params are the deployment's slashing policy; all attestors must run the same ones.
type Params struct {
	Multiplier uint64        // times the lost streams' value
	CapBps     uint16        // at most this share of stake+unbonding, in basis points
	Floor      *big.Int      // a vanish costs at least this (still capped)
	Window     time.Duration // an earlier slash within it escalates
}

// DefaultParams: 10× the lost value, at least one token (1e18 base units), at most half of
// stake+unbonding, escalating over 30 days.
func DefaultParams() Params {
	return Params{
		Multiplier: DefaultMultiplier,
		CapBps:     DefaultCapBps,
		Floor:      new(big.Int).Exp(big.NewInt(10), big.NewInt(18), nil),
		Window:     DefaultWindow,
	}
}

// Validate refuses parameters that would make every slash zero or exceed the stake.
func (p Params) Validate() error {
	switch {
	case p.Multiplier == 0:
		return errors.New("amount: multiplier must be positive")
	case p.CapBps == 0 || p.CapBps > bps:
		return fmt.Errorf("amount: cap %d bps outside 1..%d", p.CapBps, bps)
	case p.Floor == nil || p.Floor.Sign() <= 0:
		// A positive floor keeps every amount positive: the registry reverts a zero slash.
		return errors.New("amount: floor must be positive")
	case p.Window < 0:
		return fmt.Errorf("amount: negative escalation window %s", p.Window)
	}
	return nil
}

// Inputs are the report's facts and the provider's on-chain state.
type Inputs struct {
	Rates                []*big.Int // per-second rates of this report's lost streams
	DownSince, WindowEnd time.Time
	Stake, Unbonding     *big.Int
	Slashes              uint32    // the provider's slash count on chain
	LastSlashedAt        time.Time // zero if never
}

// ErrNothingToSlash is returned when the provider's cap is zero: a report would revert or
// take nothing, so none should be signed.
var ErrNothingToSlash = errors.New("amount: provider has nothing slashable")

// Compute returns the slash amount (see the package doc); it is positive whenever it returns
// no error.
func Compute(p Params, in Inputs) (*big.Int, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if !in.WindowEnd.After(in.DownSince) {
		return nil, fmt.Errorf("amount: window end %s not after down since %s", in.WindowEnd, in.DownSince)
	}
	held := new(big.Int)
	for _, v := range []*big.Int{in.Stake, in.Unbonding} {
		if v == nil || v.Sign() < 0 {
			return nil, errors.New("amount: stake and unbonding must be set and non-negative")
		}
		held.Add(held, v)
	}
	limit := held.Mul(held, big.NewInt(int64(p.CapBps)))
	limit.Quo(limit, big.NewInt(bps))
	if limit.Sign() == 0 {
		return nil, ErrNothingToSlash
	}

	sum := new(big.Int)
	for i, r := range in.Rates {
		if r == nil || r.Sign() < 0 {
			return nil, fmt.Errorf("amount: rate %d must be set and non-negative", i)
		}
		sum.Add(sum, r)
	}
	span := in.WindowEnd.Sub(in.DownSince)
	hours := int64(span / time.Hour)
	if span%time.Hour != 0 {
		hours++
	}
	base := sum.Mul(sum, big.NewInt(3600*hours))
	base.Mul(base, new(big.Int).SetUint64(p.Multiplier))
	if base.Cmp(p.Floor) < 0 {
		base.Set(p.Floor)
	}
	base.Mul(base, big.NewInt(escalation(p, in)))
	if base.Cmp(limit) > 0 {
		return limit, nil
	}
	return base, nil
}

func escalation(p Params, in Inputs) int64 {
	last := in.LastSlashedAt
	if last.IsZero() || !last.Before(in.DownSince) || in.DownSince.Sub(last) > p.Window {
		return 1
	}
	return 1 + int64(min(in.Slashes, maxEscalation))
}
