// Package reputation is how dec2 scores providers: per provider a beta reputation (as Storj's
// satellites keep one) for uptime and one for audits, the report an attestor publishes of them
// at GET /v1/reputation, and the combined view of several attestors' reports that consumers
// (the allocator, `dec2 provider status`) act on. It is pure: no I/O, no clock.
package reputation

import (
	"errors"
	"fmt"
	"math"
)

// Beta is a beta-distributed reputation: Alpha counts (decayed) successes and Beta failures.
// The zero value is not a newcomer; use NewBeta.
type Beta struct {
	Alpha float64 `json:"alpha"`
	Beta  float64 `json:"beta"`
}

// NewBeta is a newcomer's reputation under p: a score of 1 with the weight of a long record
// of successes, α = w/(1−λ) (where α settles when every check succeeds, Storj's initial
// alpha), β = 0. A newcomer gets work, and one failed check costs it 1−λ of its score, not
// half: with α = 1 a single missed probe would shut a new provider out. λ = 1 keeps
// everything, so there the prior is one success.
func NewBeta(p Params) Beta {
	if p.Lambda < 1 {
		return Beta{Alpha: p.Weight / (1 - p.Lambda)}
	}
	return Beta{Alpha: p.Weight}
}

// Update folds one observation in, as Storj does: α ← λα + w(1+v)/2 and β ← λβ + w(1−v)/2 with
// v = +1 on success and −1 on failure. λ < 1 forgets old observations, so a provider can
// recover from an outage and cannot live off an old record.
func (b *Beta) Update(ok bool, lambda, weight float64) {
	v := -1.0
	if ok {
		v = 1
	}
	b.Alpha = lambda*b.Alpha + weight*(1+v)/2
	b.Beta = lambda*b.Beta + weight*(1-v)/2
}

// Score is α/(α+β), in [0, 1]; a reputation with no weight at all scores 0.
func (b Beta) Score() float64 {
	if b.Alpha+b.Beta <= 0 {
		return 0
	}
	return b.Alpha / (b.Alpha + b.Beta)
}

// Params shape a Book.
type Params struct {
	// Lambda in (0, 1] is how much of the past each observation keeps (1 forgets nothing).
	Lambda float64 `json:"lambda"`
	// Weight > 0 is how much one observation counts.
	Weight float64 `json:"weight"`
	// Threshold in [0, 1]: a provider whose score is below it gets no new work.
	Threshold float64 `json:"threshold"`
}

// DefaultParams are Storj's: λ = 0.95, w = 1, and a provider below 0.6 gets no new work.
func DefaultParams() Params { return Params{Lambda: 0.95, Weight: 1, Threshold: 0.6} }

// ErrBadParams is what Validate's errors wrap.
var ErrBadParams = errors.New("bad reputation parameters")

// Validate says which parameter is out of range.
func (p Params) Validate() error {
	switch {
	case !(p.Lambda > 0 && p.Lambda <= 1):
		return fmt.Errorf("%w: lambda is %g; want 0 < lambda <= 1", ErrBadParams, p.Lambda)
	case !(p.Weight > 0) || math.IsInf(p.Weight, 0):
		return fmt.Errorf("%w: weight is %g; want a finite weight > 0", ErrBadParams, p.Weight)
	case !(p.Threshold >= 0 && p.Threshold <= 1):
		return fmt.Errorf("%w: threshold is %g; want 0 <= threshold <= 1", ErrBadParams, p.Threshold)
	}
	return nil
}
