package nomadview

import (
	"context"
	"time"
)

// leaderState is what the attestor knows of Nomad's leadership. A restart of the one server or
// an unreachable leader counts as a change: the attestor cannot tell whether heartbeats were
// missed because of it, so it holds its signature for a while after any of them.
type leaderState struct {
	known     bool
	addr      string
	term      uint64
	changedAt time.Time
}

// Leader reports whether a leader is visible now and when leadership last changed (or became
// invisible); before the first check, it reports no leader.
func (v *View) Leader() (known bool, changedAt time.Time) {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.leader.known, v.leader.changedAt
}

func (v *View) watchLeader(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		v.checkLeader(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func (v *View) checkLeader(ctx context.Context) {
	addr, err := v.Short.Status().Leader()
	if ctx.Err() != nil {
		return
	}
	// The raft term tells a re-elected leader at the same address from a steady one; it needs
	// operator:read, and without it the address and reachability still count.
	var term uint64
	if h, _, err := v.Short.Operator().AutopilotServerHealth(nil); err == nil && h != nil {
		for _, s := range h.Servers {
			if s.Leader {
				term = s.LastTerm
			}
		}
	}
	now := time.Now()
	v.mu.Lock()
	defer v.mu.Unlock()
	l := &v.leader
	switch {
	case err != nil || addr == "":
		if l.known || l.changedAt.IsZero() {
			l.changedAt = now
		}
		l.known = false
	case !l.known, addr != l.addr, term != 0 && l.term != 0 && term != l.term:
		l.known, l.addr, l.changedAt = true, addr, now
	}
	if term != 0 {
		l.term = term
	}
}
