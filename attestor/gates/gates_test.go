package gates

import (
	"errors"
	"strings"
	"testing"
	"time"
)

var t0 = time.Unix(1_800_000_000, 0)

func TestCheck(t *testing.T) {
	open := View{
		Now: t0, LeaderKnown: true, LeaderChangedAt: t0.Add(-time.Hour), ChainHead: t0.Add(-10 * time.Second),
		PeersReachable: 3, Quorum: 3,
	}
	for _, tc := range []struct {
		name   string
		cfg    Config
		modify func(*View)
		want   string // "" = open
	}{
		{"all sound", Config{}, nil, ""},
		{"no leader", Config{}, func(v *View) { v.LeaderKnown = false }, LeaderUnknown},
		{"no leader wins over the rest", Config{}, func(v *View) { v.LeaderKnown, v.PeersReachable = false, 0 }, LeaderUnknown},
		{"leader just changed", Config{}, func(v *View) { v.LeaderChangedAt = t0.Add(-time.Minute) }, LeaderChangedRecently},
		{"leader changed just under the hold", Config{}, func(v *View) { v.LeaderChangedAt = t0.Add(-DefaultLeaderHold + time.Second) }, LeaderChangedRecently},
		{"leader changed exactly the hold ago", Config{}, func(v *View) { v.LeaderChangedAt = t0.Add(-DefaultLeaderHold) }, ""},
		{"a shorter hold", Config{LeaderHold: time.Minute}, func(v *View) { v.LeaderChangedAt = t0.Add(-time.Minute) }, ""},
		{"never saw a change", Config{}, func(v *View) { v.LeaderChangedAt = time.Time{} }, ""},
		{"head stale", Config{}, func(v *View) { v.ChainHead = t0.Add(-DefaultMaxHeadAge - time.Second) }, ChainHeadStale},
		{"head at the limit", Config{}, func(v *View) { v.ChainHead = t0.Add(-DefaultMaxHeadAge) }, ""},
		{"a longer head age", Config{MaxHeadAge: time.Hour}, func(v *View) { v.ChainHead = t0.Add(-30 * time.Minute) }, ""},
		{"no block read", Config{}, func(v *View) { v.ChainHead = time.Time{} }, ChainHeadStale},
		{"peers short of quorum", Config{}, func(v *View) { v.PeersReachable = 2 }, NoPeerQuorum},
		{"more peers than quorum", Config{}, func(v *View) { v.PeersReachable = 5 }, ""},
		{"no quorum configured", Config{}, func(v *View) { v.Quorum = 0 }, NoPeerQuorum},
	} {
		v := open
		if tc.modify != nil {
			tc.modify(&v)
		}
		err := Check(tc.cfg, v)
		var c *Closed
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: %v, want open", tc.name, err)
		case tc.want != "" && !errors.As(err, &c):
			t.Errorf("%s: %v, want closed by %s", tc.name, err, tc.want)
		case tc.want != "" && (c.Reason != tc.want || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s: %v, want closed by %s", tc.name, err, tc.want)
		}
	}
}

func TestLimiter(t *testing.T) {
	const a, b = "0x00000000000000000000000000000000000000Aa", "0x00000000000000000000000000000000000000bb"
	type step struct {
		record   bool
		provider string
		at       time.Duration
		reason   string // Allow's expected refusal; "" = allowed
		until    time.Duration
	}
	allow := func(p string, at time.Duration) step { return step{provider: p, at: at} }
	refuse := func(p string, at time.Duration, reason string, until time.Duration) step {
		return step{provider: p, at: at, reason: reason, until: until}
	}
	record := func(p string, at time.Duration) step { return step{record: true, provider: p, at: at} }
	h := time.Hour
	for _, tc := range []struct {
		name     string
		cooldown time.Duration
		cap      int
		steps    []step
	}{
		{"cooldown per provider", 6 * h, 10, []step{
			allow(a, 0), record(a, 0),
			refuse(a, h, ProviderCooldown, 6*h),
			refuse(strings.ToLower(a), h, ProviderCooldown, 6*h),
			allow(b, h),
			allow(a, 6*h),
		}},
		{"a later record extends the cooldown", 6 * h, 10, []step{
			record(a, 0), record(a, 2*h), refuse(a, 7*h, ProviderCooldown, 8*h), allow(a, 8*h),
		}},
		{"an out-of-order record does not shorten it", 6 * h, 10, []step{
			record(a, 2*h), record(a, 0), refuse(a, 7*h, ProviderCooldown, 8*h),
		}},
		{"cap over a rolling day", 0, 2, []step{
			record(a, 0), record(b, 3*h), refuse("0xc", 4*h, SigningCap, 24*h),
			allow("0xc", 24*h), record("0xc", 24*h),
			refuse("0xc", 25*h, SigningCap, 27*h), allow("0xc", 27*h),
		}},
		{"records beyond the cap wait for the oldest extra", 0, 1, []step{
			record(a, 0), record(b, h), record(b, 2*h), refuse(a, 3*h, SigningCap, 26*h),
		}},
		{"cooldown is reported before the cap", h, 1, []step{
			record(a, 0), refuse(a, time.Minute, ProviderCooldown, h), refuse(b, time.Minute, SigningCap, 24*h),
		}},
		{"no cap configured signs nothing", 0, 0, []step{refuse(a, 0, SigningCap, 24*h)}},
	} {
		l := NewLimiter(tc.cooldown, tc.cap)
		for i, s := range tc.steps {
			now := t0.Add(s.at)
			if s.record {
				l.Record(s.provider, now)
				continue
			}
			err := l.Allow(s.provider, now)
			var lim *Limited
			switch {
			case s.reason == "" && err != nil:
				t.Errorf("%s step %d: %v, want allowed", tc.name, i, err)
			case s.reason != "" && !errors.As(err, &lim):
				t.Errorf("%s step %d: %v, want %s", tc.name, i, err, s.reason)
			case s.reason != "" && (lim.Reason != s.reason || !lim.Until.Equal(t0.Add(s.until))):
				t.Errorf("%s step %d: %s until %s, want %s until %s", tc.name, i, lim.Reason, lim.Until, s.reason, t0.Add(s.until))
			}
		}
	}
}
