// Package gates decides whether an attestor may sign a slash at all. A slash is irreversible
// and an attestor's view can be wrong in ways it cannot see from inside, so each gate closes
// on a sign that the attestor's own view, not the provider, may be at fault; it then signs
// nothing, and the report waits for attestors whose view is sound.
package gates

import (
	"fmt"
	"time"
)

// Defaults of Config.
const (
	DefaultLeaderHold = 300 * time.Second
	DefaultMaxHeadAge = 120 * time.Second
)

// Reasons a gate closes; stable metric labels.
const (
	LeaderUnknown         = "nomad_leader_unknown"
	LeaderChangedRecently = "leader_changed_recently"
	ChainHeadStale        = "chain_head_stale"
	NoPeerQuorum          = "no_peer_quorum"
)

// Config tunes Check; zero fields take the defaults.
type Config struct {
	// LeaderHold is how long after a Nomad leader change signing stays closed. A new leader
	// rebuilds node heartbeat timers and may mark nodes down that merely missed heartbeats
	// during the election; its view settles after the nodes' heartbeat TTLs.
	LeaderHold time.Duration
	// MaxHeadAge is how old the latest block read may be. An attestor behind the chain prices
	// a slash on stale stake and nonce, and a stalled head often means its own network is cut.
	MaxHeadAge time.Duration
}

// WithDefaults fills zero fields.
func (c Config) WithDefaults() Config {
	if c.LeaderHold == 0 {
		c.LeaderHold = DefaultLeaderHold
	}
	if c.MaxHeadAge == 0 {
		c.MaxHeadAge = DefaultMaxHeadAge
	}
	return c
}

// View is what an attestor knows of its own health at a check.
type View struct {
	Now             time.Time
	LeaderKnown     bool      // this attestor currently sees a Nomad leader
	LeaderChangedAt time.Time // last time it saw the leader change or become unreachable
	ChainHead       time.Time // timestamp of the latest block it read
	PeersReachable  int       // attestors (itself included) it reached recently
	Quorum          int       // k
}

// Closed says which gate is shut; Reason is one of the constants above.
type Closed struct {
	Reason string
	Detail string
}

func (e *Closed) Error() string {
	var todo string
	switch e.Reason {
	case LeaderUnknown:
		todo = "check this attestor's reach to the Nomad servers and their raft leadership"
	case LeaderChangedRecently:
		todo = "signing resumes once the new Nomad leader's view has settled"
	case ChainHeadStale:
		todo = "check this attestor's RPC endpoint and that the chain is producing blocks"
	case NoPeerQuorum:
		todo = "check this attestor's network reach to its peers; it may be the one cut off"
	}
	return fmt.Sprintf("signing closed (%s): %s; %s", e.Reason, e.Detail, todo)
}

// Check returns a *Closed when the attestor must not sign, nil when it may.
func Check(cfg Config, v View) error {
	cfg = cfg.WithDefaults()
	if !v.LeaderKnown {
		return &Closed{LeaderUnknown, "no Nomad leader seen"}
	}
	if since := v.Now.Sub(v.LeaderChangedAt); since < cfg.LeaderHold {
		return &Closed{LeaderChangedRecently, fmt.Sprintf("Nomad leader changed %s ago, hold %s", since, cfg.LeaderHold)}
	}
	if v.ChainHead.IsZero() {
		return &Closed{ChainHeadStale, "no block read yet"}
	}
	if age := v.Now.Sub(v.ChainHead); age > cfg.MaxHeadAge {
		return &Closed{ChainHeadStale, fmt.Sprintf("latest block is %s old, at most %s", age, cfg.MaxHeadAge)}
	}
	// An attestor that reaches fewer than k attestors cannot tell whether the provider or
	// it is partitioned; a quorum of 0 is a misconfiguration and closes too.
	if v.Quorum < 1 || v.PeersReachable < v.Quorum {
		return &Closed{NoPeerQuorum, fmt.Sprintf("%d attestors reachable, quorum %d", v.PeersReachable, v.Quorum)}
	}
	return nil
}
