// Package lifecycle is the heart of billing: a pure reducer from what Nomad says about an
// allocation (and what the journal already intends for it) to the stream actions to take.
// Nomad's view is the only truth used: a provider's own claims never enter here.
package lifecycle

import (
	"errors"
	"fmt"
	"maps"
	"math/big"
	"slices"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/dec2-cloud/dec2/conventions"
	"github.com/dec2-cloud/dec2/pricing"
	"github.com/dec2-cloud/dec2/tenancy"
)

// Nomad client statuses the reducer cares about.
const (
	StatusPending  = "pending"
	StatusRunning  = "running"
	StatusComplete = "complete"
	StatusFailed   = "failed"
	StatusLost     = "lost"
)

// MetaWallet is the job and node meta key holding a wallet (CONVENTIONS).
const MetaWallet = conventions.MetaWallet

// Alloc is an allocation as Nomad last reported it, with the facts the reducer needs.
type Alloc struct {
	ID, JobID, Namespace, NodeID string
	Status                       string    // Nomad's ClientStatus
	StartedAt                    time.Time // the first task start Nomad recorded; zero if none yet
	FinishedAt                   time.Time // when Nomad saw it stop (last task finish, else its last update)
	NodeLastSeen                 time.Time // the node's last sign of life: the end of a lost allocation
	Terms                        Terms
	TermsErr                     error // why Terms could not be resolved; nothing is paid then
}

// Terms are who pays whom and how fast.
type Terms struct {
	Consumer common.Address
	Provider common.Address
	Rate     *big.Int // base units per second
}

// Seen is what the journal already holds for the allocation's latest stream segment.
type Seen struct {
	Segment int
	Opened  bool
	Closed  bool
	Start   time.Time
}

// Kind of action.
type Kind int

const (
	Open Kind = iota + 1
	Close
	Problem
)

// Action is one decision.
type Action struct {
	Kind    Kind
	Segment int
	At      time.Time // start (Open) or end (Close)
	Terms   Terms     // Open only
	Reason  string    // Problem only: a metric label
	Err     error     // Problem only
}

// Config bounds the reducer's time arithmetic.
type Config struct {
	// MaxBackdate is how far in the past the contract lets a stream start, less a margin for
	// the transaction's own latency.
	MaxBackdate time.Duration
}

// Decide returns the actions that bring the chain in line with Nomad's view of a. It never
// opens a segment twice (Seen.Opened) and never closes one twice (Seen.Closed); restarts of
// tasks inside a running allocation do not change its client status, so they decide nothing.
func Decide(cfg Config, a Alloc, s Seen, now time.Time) []Action {
	switch a.Status {
	case StatusRunning:
		if s.Opened {
			return nil
		}
		if a.TermsErr != nil {
			return []Action{problem(a.TermsErr)}
		}
		return []Action{{Kind: Open, Segment: s.Segment, At: clampStart(cfg, a.StartedAt, now), Terms: a.Terms}}
	case StatusComplete, StatusFailed, StatusLost:
		end := a.FinishedAt
		if a.Status == StatusLost && !a.NodeLastSeen.IsZero() {
			end = a.NodeLastSeen
		}
		if s.Opened {
			if s.Closed {
				return nil
			}
			return []Action{{Kind: Close, Segment: s.Segment, At: clampEnd(end, s.Start, now)}}
		}
		// It ran and stopped while the sidecar was not looking: bill the time Nomad saw it run.
		if a.StartedAt.IsZero() || end.IsZero() || !end.After(a.StartedAt) || now.Sub(a.StartedAt) > cfg.MaxBackdate {
			return nil
		}
		if a.TermsErr != nil {
			return []Action{problem(a.TermsErr)}
		}
		start := clampStart(cfg, a.StartedAt, now)
		return []Action{
			{Kind: Open, Segment: s.Segment, At: start, Terms: a.Terms},
			{Kind: Close, Segment: s.Segment, At: clampEnd(end, start, now)},
		}
	}
	return nil
}

// Resume continues a halted segment after the consumer topped up: the halted segment closes at
// its halt and the next one starts there, so the provider loses no paid time.
func Resume(s Seen, haltedAt time.Time, terms Terms) []Action {
	if !s.Opened || s.Closed {
		return nil
	}
	return []Action{
		{Kind: Close, Segment: s.Segment, At: haltedAt},
		{Kind: Open, Segment: s.Segment + 1, At: haltedAt, Terms: terms},
	}
}

func clampStart(cfg Config, start, now time.Time) time.Time {
	if start.IsZero() || start.After(now) {
		return now
	}
	if oldest := now.Add(-cfg.MaxBackdate); start.Before(oldest) {
		return oldest
	}
	return start
}

func clampEnd(end, start, now time.Time) time.Time {
	if end.IsZero() || end.After(now) {
		end = now
	}
	if end.Before(start) {
		return start
	}
	return end
}

func problem(err error) Action {
	var te *TermsError
	reason := "unknown"
	if errors.As(err, &te) {
		reason = te.Reason
	}
	return Action{Kind: Problem, Reason: reason, Err: err}
}

// TermsError says why an allocation cannot be billed; Reason is a stable metric label.
type TermsError struct {
	Reason string
	Err    error
}

func (e *TermsError) Error() string { return e.Reason + ": " + e.Err.Error() }
func (e *TermsError) Unwrap() error { return e.Err }

// Job and node facts ResolveTerms reads.
type Facts struct {
	Namespace       string
	JobMeta         map[string]string
	NamespaceWallet string // the namespace's bound wallet; "" if none
	// DockerTasks are the job's Docker task configs by task name.
	DockerTasks map[string]map[string]any
	// ChainID and At are where and when a delegation in JobMeta must hold.
	ChainID  *big.Int
	At       time.Time
	Node     string // the node as errors about its devices name it
	NodeMeta map[string]string
	// NodeShares is, per gpu-share model on the node, its pricing.AttrShares attribute as
	// Nomad shows it ("" where the group has none).
	NodeShares map[string]string
	// NodeSlices is, per MIG device on the node, its model and fraction attributes.
	NodeSlices map[string]pricing.SliceAttrs
	Reserved   pricing.Reserved
}

// ResolveTerms works out who pays whom and the rate for an allocation.
func ResolveTerms(f Facts) (Terms, error) {
	consumer, err := tenancy.Payer(tenancy.Job{Namespace: f.Namespace, Meta: f.JobMeta, NamespaceWallet: f.NamespaceWallet}, f.ChainID, f.At)
	if err != nil {
		var te *tenancy.Error
		if errors.As(err, &te) {
			return Terms{}, &TermsError{te.Reason, err}
		}
		return Terms{}, &TermsError{"bad_consumer_wallet", err}
	}
	ownNode := f.NodeMeta[conventions.MetaDedicatedTenant] != "" && f.NodeMeta[conventions.MetaDedicatedTenant] == f.Namespace
	for _, name := range slices.Sorted(maps.Keys(f.DockerTasks)) {
		if err := tenancy.CheckDockerTask(name, f.DockerTasks[name], ownNode); err != nil {
			return Terms{}, &TermsError{tenancy.ReasonForbiddenTask, err}
		}
	}
	// Nomad lets any token place work on any node; a node dedicated to one tenant is paid by that
	// tenant alone, so billing never charges, and the allocator never packs, another's work there.
	if d := f.NodeMeta[conventions.MetaDedicatedTenant]; d != "" && d != f.Namespace {
		return Terms{}, &TermsError{"dedicated_to_another_tenant", fmt.Errorf("node %s is dedicated to tenant %q, not to namespace %q: run the job without pinning it there", f.Node, d, f.Namespace)}
	}
	providerStr, ok := f.NodeMeta[MetaWallet]
	if !ok || strings.TrimSpace(providerStr) == "" {
		return Terms{}, &TermsError{"no_provider_wallet", errors.New("the node has no " + MetaWallet + " meta: rejoin it with `dec2 provider join`")}
	}
	provider, err := tenancy.ParseWallet(providerStr)
	if err != nil {
		return Terms{}, &TermsError{"bad_provider_wallet", fmt.Errorf("node meta %s: %w", MetaWallet, err)}
	}
	prices, err := pricing.ParsePrices(f.NodeMeta)
	if err != nil {
		return Terms{}, &TermsError{"bad_price", err}
	}
	if prices.GPUShares, err = pricing.ParseShares(f.NodeShares); err != nil {
		return Terms{}, &TermsError{"bad_gpu_shares", fmt.Errorf("node %s: %w", f.Node, err)}
	}
	// A malformed MIG device matters only to the allocations that reserve it.
	prices.Slices, err = pricing.ParseSlices(f.NodeSlices)
	for name := range f.Reserved.GPUs {
		if _, bad := f.NodeSlices[name]; bad && prices.Slices[name].Model == "" && err != nil {
			return Terms{}, &TermsError{"bad_mig_slice", fmt.Errorf("node %s: %w", f.Node, err)}
		}
	}
	rate, err := pricing.Rate(prices, f.Reserved)
	if errors.Is(err, pricing.ErrUnknownGPU) {
		return Terms{}, &TermsError{"unknown_gpu", err}
	}
	if errors.Is(err, pricing.ErrUnknownShares) {
		return Terms{}, &TermsError{"unknown_gpu_shares", fmt.Errorf("node %s: %w", f.Node, err)}
	}
	if err != nil {
		return Terms{}, &TermsError{"bad_reservation", err}
	}
	if rate.Sign() == 0 {
		return Terms{}, &TermsError{"zero_rate", errors.New("the node's prices make this allocation free: nothing to stream")}
	}
	if rate.BitLen() > 96 {
		return Terms{}, &TermsError{"rate_overflow", fmt.Errorf("rate %s base units/s exceeds the contract's uint96", rate)}
	}
	if consumer == provider {
		return Terms{}, &TermsError{"self_payment", fmt.Errorf("consumer and provider are both %s", consumer.Hex())}
	}
	return Terms{Consumer: consumer, Provider: provider, Rate: rate}, nil
}
