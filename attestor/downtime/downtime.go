// Package downtime decides which Nomad nodes are due for a downtime report: a node that
// vanished while it ran consumer work and stayed away past a grace. It is a deterministic
// state machine over what Nomad says of its nodes; the service feeds it every node update and
// asks it, at the time it passes, which nodes are due.
//
// Each rule exists to keep an honest provider from being slashed:
//
//   - Only a transition counts: a node first seen down has no history here, so nothing is
//     known of the work it ran. Attestors judge what they watched happen.
//   - Only a node that ran consumer work when last seen ready: an idle node going away costs
//     no consumer anything.
//   - A drain, or `dec2 provider leave` (a drain plus ineligibility), is a graceful exit: the
//     provider handed its work back through Nomad, and leaving is its right. Marking a node
//     ineligible without draining it is graceful only when nothing ran there.
//   - A grace (10 minutes by default, and never shorter than the longest
//     disconnect.lost_after of the node's work) before a node is due: reboots, upgrades and
//     short network faults are normal, and Storj, for one, tolerates hours of downtime before
//     it penalises. Work that said it tolerates a longer disconnect is not lost until then.
//   - Coming back ready ends the incident: a node that returns within the grace is not
//     reported, however often it flaps; each new outage starts its own grace.
//   - A mass outage freezes: when two or more nodes, more than FreezeShare of the known ones
//     (idle ones included, graceful exits not), go down within FreezeWindow of each other,
//     the likelier fault is between the Nomad servers (or this attestor) and the nodes, not
//     in the providers. Akash's early uptime checks showed how
//     a probe-side network fault reads as a fleet of providers failing at once. Frozen nodes
//     are never due for this incident, even after some of their neighbours come back.
package downtime

import (
	"fmt"
	"slices"
	"time"
)

// Nomad node statuses.
const (
	StatusReady        = "ready"
	StatusDown         = "down"
	StatusDisconnected = "disconnected"
	StatusInitializing = "initializing"
)

// Reasons a node is not due (NotDue.Reason); stable labels peers return.
const (
	UnknownNode    = "unknown_node"
	NotDown        = "not_down"
	NotSeenReady   = "not_seen_ready" // down since before this attestor watched: no history to judge
	GracefulExit   = "graceful_exit"
	NoConsumerWork = "no_consumer_work"
	WithinGrace    = "within_grace"
	Frozen         = "frozen"
)

// Defaults of Config.
const (
	DefaultGrace       = 10 * time.Minute
	DefaultFreezeShare = 0.34
)

// Node is what Nomad says of a node at an update.
type Node struct {
	ID        string
	Status    string // Nomad node status: "ready", "down", "disconnected", "initializing"
	Eligible  bool   // scheduling eligibility
	Draining  bool
	StatusAt  time.Time     // Nomad's StatusUpdatedAt
	Running   int           // consumer allocations running on it as last seen (0 once Nomad marked them lost; the Watch remembers the count from before)
	LostAfter time.Duration // the largest disconnect.lost_after among those allocations' groups
}

// Config tunes a Watch; zero fields take the defaults.
type Config struct {
	// Grace defaults to 10m; the effective grace of a node is max(Grace, its LostAfter,
	// FreezeWindow).
	Grace time.Duration
	// FreezeShare: more than this share of known nodes down within FreezeWindow freezes
	// slashing for them (default 0.34; 1 never freezes).
	FreezeShare float64
	// FreezeWindow (default Grace): a node is judged no sooner than a window after it went
	// down, so that every node of a mass outage it belongs to has been seen by then (Nomad's
	// heartbeat timers mark the nodes of one outage down seconds apart).
	FreezeWindow time.Duration
}

// WithDefaults fills zero fields.
func (c Config) WithDefaults() Config {
	if c.Grace == 0 {
		c.Grace = DefaultGrace
	}
	if c.FreezeShare == 0 {
		c.FreezeShare = DefaultFreezeShare
	}
	if c.FreezeWindow == 0 {
		c.FreezeWindow = c.Grace
	}
	return c
}

// Validate checks a config after WithDefaults.
func (c Config) Validate() error {
	switch {
	case c.Grace <= 0:
		return fmt.Errorf("downtime: grace %s must be positive", c.Grace)
	case !(c.FreezeShare > 0 && c.FreezeShare <= 1):
		return fmt.Errorf("downtime: freeze share %v outside (0, 1]", c.FreezeShare)
	case c.FreezeWindow <= 0:
		return fmt.Errorf("downtime: freeze window %s must be positive", c.FreezeWindow)
	}
	return nil
}

// Candidate is a node down while it ran consumer work.
type Candidate struct {
	NodeID    string
	DownSince time.Time
	Running   int
	Grace     time.Duration
}

// Freeze describes nodes newly frozen by a mass outage, for one logged event: Down is the most
// nodes that went down within one FreezeWindow, of Known.
type Freeze struct {
	At          time.Time
	Down, Known int
	Nodes       []string
}

// NotDue says why Check refuses a node.
type NotDue struct {
	NodeID, Reason string
}

func (e *NotDue) Error() string { return fmt.Sprintf("node %s not due: %s", e.NodeID, e.Reason) }

// Watch follows nodes. It is not safe for concurrent use.
type Watch struct {
	cfg   Config
	nodes map[string]*node
}

type node struct {
	status   string
	statusAt time.Time
	ready    *Node     // as last seen ready; nil if never
	lastDown time.Time // its latest down transition that counts toward a mass outage
	incident *incident // from a down transition until it is ready again
}

type incident struct {
	downSince time.Time
	running   int
	grace     time.Duration
	exit      string // GracefulExit or NoConsumerWork: never due
	frozen    bool
	announced bool // in a Freeze Due returned
}

// New returns a Watch; cfg gets its defaults and should pass Validate.
func New(cfg Config) *Watch {
	return &Watch{cfg: cfg.WithDefaults(), nodes: map[string]*node{}}
}

// Observe takes every update or snapshot of a node; at is when it was read, standing in for
// a missing StatusAt. An update older than the last (by StatusAt) is stale and ignored.
func (w *Watch) Observe(n Node, at time.Time) {
	statusAt := n.StatusAt
	if statusAt.IsZero() {
		statusAt = at
	}
	s := w.nodes[n.ID]
	if s == nil {
		s = &node{}
		w.nodes[n.ID] = s
	} else if statusAt.Before(s.statusAt) {
		return
	}
	s.status, s.statusAt = n.Status, statusAt
	switch {
	case n.Status == StatusReady:
		r := n
		s.ready, s.incident = &r, nil
	case isDown(n.Status) && s.incident != nil:
		// Allocations marked lost report a smaller LostAfter; keep the longest seen.
		s.incident.grace = max(s.incident.grace, n.LostAfter)
	case isDown(n.Status) && s.ready != nil:
		r := s.ready
		in := &incident{downSince: statusAt, running: r.Running, grace: max(w.cfg.Grace, w.cfg.FreezeWindow, r.LostAfter, n.LostAfter)}
		switch {
		// A drain (dec2 provider leave drains) hands the work back; marking the node
		// ineligible alone does not, so work still running there was abandoned.
		case r.Draining || !r.Eligible && r.Running == 0:
			in.exit = GracefulExit
		case r.Running == 0:
			in.exit = NoConsumerWork
		}
		if in.exit != GracefulExit {
			s.lastDown = statusAt
		}
		s.incident = in
	}
}

// Forget drops a node Nomad no longer knows (garbage-collected).
func (w *Watch) Forget(id string) { delete(w.nodes, id) }

// Due returns the nodes due for a report at now, by node id, and a Freeze when a mass outage
// froze nodes since the last call.
func (w *Watch) Due(now time.Time) (due []Candidate, frozen *Freeze) {
	down := w.freeze()
	var fresh []string
	for _, id := range w.ids() {
		s := w.nodes[id]
		in := s.incident
		if in == nil || !isDown(s.status) || in.exit != "" {
			continue
		}
		if in.frozen {
			if !in.announced {
				in.announced = true
				fresh = append(fresh, id)
			}
			continue
		}
		if !now.Before(in.downSince.Add(in.grace)) {
			due = append(due, candidate(id, in))
		}
	}
	if len(fresh) > 0 {
		frozen = &Freeze{At: now, Down: down, Known: len(w.nodes), Nodes: fresh}
	}
	return due, frozen
}

// Check says whether nodeID is due at now, for a peer asked to sign its report; the error is
// a *NotDue.
func (w *Watch) Check(nodeID string, now time.Time) (Candidate, error) {
	w.freeze()
	s := w.nodes[nodeID]
	notDue := func(reason string) (Candidate, error) { return Candidate{}, &NotDue{nodeID, reason} }
	switch {
	case s == nil:
		return notDue(UnknownNode)
	case !isDown(s.status):
		return notDue(NotDown)
	case s.incident == nil:
		return notDue(NotSeenReady)
	case s.incident.exit != "":
		return notDue(s.incident.exit)
	case s.incident.frozen:
		return notDue(Frozen)
	case now.Before(s.incident.downSince.Add(s.incident.grace)):
		return notDue(WithinGrace)
	}
	return candidate(nodeID, s.incident), nil
}

// freeze marks the open incidents that lie in a mass outage and returns the most nodes down
// within one window that froze (0 if none did). Windows of FreezeWindow start at each counted transition;
// every incident inside a window of at least two nodes whose count exceeds FreezeShare of the
// known nodes freezes.
func (w *Watch) freeze() int {
	type drop struct {
		at time.Time
		in *incident // nil for a node no longer in an incident it could be reported for
	}
	var drops []drop
	for _, id := range w.ids() {
		s := w.nodes[id]
		if s.lastDown.IsZero() {
			continue
		}
		d := drop{at: s.lastDown}
		if s.incident != nil && s.incident.exit == "" && s.incident.downSince.Equal(s.lastDown) {
			d.in = s.incident
		}
		drops = append(drops, d)
	}
	slices.SortStableFunc(drops, func(a, b drop) int { return a.at.Compare(b.at) })
	known, most := float64(len(w.nodes)), 0
	end := 0
	for start := range drops {
		for end < len(drops) && !drops[end].at.After(drops[start].at.Add(w.cfg.FreezeWindow)) {
			end++
		}
		// One node is never a mass outage, however small the fleet: else a fleet of one or
		// two could never be slashed.
		n := end - start
		if n < 2 || float64(n)/known <= w.cfg.FreezeShare {
			continue
		}
		most = max(most, n)
		for _, d := range drops[start:end] {
			if d.in != nil {
				d.in.frozen = true
			}
		}
	}
	return most
}

func (w *Watch) ids() []string {
	ids := make([]string, 0, len(w.nodes))
	for id := range w.nodes {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

func candidate(id string, in *incident) Candidate {
	return Candidate{NodeID: id, DownSince: in.downSince, Running: in.running, Grace: in.grace}
}

func isDown(status string) bool { return status == StatusDown || status == StatusDisconnected }
