package downtime

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"
)

var t0 = time.Unix(1_800_000_000, 0)

const m = time.Minute

type step struct {
	at     time.Duration
	obs    *Node
	forget string
	// Due at `at`: the candidates (as cand formats them) and the nodes of the Freeze, if any.
	due      bool
	wantDue  []string
	wantFroz []string
	// Check `check` at `at`: the NotDue reason, or "" for a candidate.
	check string
	want  string
}

func obs(id, status string, at time.Duration, running int, opts ...func(*Node)) step {
	n := Node{ID: id, Status: status, Eligible: true, StatusAt: t0.Add(at), Running: running}
	for _, o := range opts {
		o(&n)
	}
	return step{at: at, obs: &n}
}
func up(id string, at time.Duration, running int, opts ...func(*Node)) step {
	return obs(id, StatusReady, at, running, opts...)
}

// down reports no running work, as Nomad does once it marked the allocations lost.
func down(id string, at time.Duration) step { return obs(id, StatusDown, at, 0) }
func due(at time.Duration, want []string, frozen ...string) step {
	return step{at: at, due: true, wantDue: want, wantFroz: frozen}
}
func check(id string, at time.Duration, reason string) step {
	return step{at: at, check: id, want: reason}
}

var (
	draining   = func(n *Node) { n.Draining = true }
	ineligible = func(n *Node) { n.Eligible = false }
	lostAfter  = func(d time.Duration) func(*Node) { return func(n *Node) { n.LostAfter = d } }
)

func cand(c Candidate) string {
	return fmt.Sprintf("%s since %s running %d grace %s", c.NodeID, c.DownSince.Sub(t0), c.Running, c.Grace)
}

// fleet brings nodes up idle at 0 so that they count as known.
func fleet(ids ...string) []step {
	var out []step
	for _, id := range ids {
		out = append(out, up(id, 0, 0))
	}
	return out
}

func TestWatch(t *testing.T) {
	ten := "grace 10m0s"
	for _, tc := range []struct {
		name  string
		cfg   Config
		steps []step
	}{
		{"a vanish is due after the grace", Config{}, []step{
			up("a", 0, 2), down("a", m),
			due(11*m-time.Second, nil), check("a", 11*m-time.Second, WithinGrace),
			due(11*m, []string{"a since 1m0s running 2 " + ten}), check("a", 11*m, ""),
			due(60*m, []string{"a since 1m0s running 2 " + ten}),
		}},
		{"back ready within the grace", Config{}, []step{
			up("a", 0, 2), down("a", m), up("a", 5*m, 2),
			due(20*m, nil), check("a", 20*m, NotDown),
		}},
		{"flapping: each outage has its own grace", Config{}, []step{
			up("a", 0, 2), down("a", m), up("a", 5*m, 2), down("a", 6*m), up("a", 8*m, 2), down("a", 9*m),
			due(12*m, nil), check("a", 12*m, WithinGrace),
			due(19*m, []string{"a since 9m0s running 2 " + ten}),
		}},
		{"flapping after its work was rescheduled", Config{}, []step{
			up("a", 0, 2), down("a", m), up("a", 9*m, 0), down("a", 10*m),
			due(30*m, nil), check("a", 30*m, NoConsumerWork),
		}},
		{"a drain is a graceful exit", Config{}, []step{
			up("a", 0, 2, draining), down("a", m),
			due(30*m, nil), check("a", 30*m, GracefulExit),
		}},
		{"provider leave (drained, ineligible) is a graceful exit", Config{}, []step{
			up("a", 0, 2), up("a", m, 0, draining, ineligible), up("a", 2*m, 0, ineligible), down("a", 3*m),
			due(30*m, nil), check("a", 30*m, GracefulExit),
		}},
		{"ineligible with work still running and no drain is no exit: it vanished", Config{}, []step{
			up("a", 0, 2, ineligible), down("a", m), check("a", 30*m, ""),
		}},
		{"an idle node is never due", Config{}, []step{
			up("a", 0, 0), down("a", m), due(30*m, nil), check("a", 30*m, NoConsumerWork),
		}},
		{"a node first seen down has no history", Config{}, []step{
			down("a", m), due(30*m, nil), check("a", 30*m, NotSeenReady),
		}},
		{"unknown and forgotten nodes", Config{}, []step{
			check("x", 0, UnknownNode),
			up("a", 0, 2), down("a", m), {at: 5 * m, forget: "a"},
			due(30*m, nil), check("a", 30*m, UnknownNode),
		}},
		{"a ready node is not down", Config{}, []step{up("a", 0, 2), check("a", 30*m, NotDown)}},
		{"lost_after longer than the grace", Config{}, []step{
			up("a", 0, 2, lostAfter(30*m)), down("a", m),
			due(20*m, nil), check("a", 20*m, WithinGrace),
			due(31*m, []string{"a since 1m0s running 2 grace 30m0s"}),
		}},
		{"lost_after shorter than the grace", Config{}, []step{
			up("a", 0, 2, lostAfter(m)), down("a", m), due(5*m, nil),
			due(11*m, []string{"a since 1m0s running 2 " + ten}),
		}},
		{"a configured grace", Config{Grace: time.Hour}, []step{
			up("a", 0, 1), down("a", m), due(60*m, nil),
			due(61*m, []string{"a since 1m0s running 1 grace 1h0m0s"}),
		}},
		{"disconnected then down: the outage began at the disconnect", Config{}, []step{
			up("a", 0, 2), obs("a", StatusDisconnected, m, 2), down("a", 5*m),
			due(11*m, []string{"a since 1m0s running 2 " + ten}),
		}},
		{"disconnected alone is due too", Config{}, []step{
			up("a", 0, 2), obs("a", StatusDisconnected, m, 2),
			due(11*m, []string{"a since 1m0s running 2 " + ten}),
		}},
		{"initializing is not down; falling again resumes the outage", Config{}, []step{
			up("a", 0, 2), down("a", m), obs("a", StatusInitializing, 3*m, 0),
			due(11*m, nil), check("a", 11*m, NotDown),
			down("a", 12*m), due(12*m, []string{"a since 1m0s running 2 " + ten}),
		}},
		{"a stale ready update is ignored", Config{}, []step{
			up("a", 0, 2), down("a", m), up("a", 0, 2),
			due(11*m, []string{"a since 1m0s running 2 " + ten}),
		}},
		{"the running count is the one seen last while ready", Config{}, []step{
			up("a", 0, 1), up("a", 0, 3), down("a", m),
			due(11*m, []string{"a since 1m0s running 3 " + ten}),
		}},
		{"due nodes come sorted", Config{}, append(fleet("n1", "n2", "n3", "n4", "n5", "n6", "n7"),
			up("b", 0, 1), up("a", 0, 1), down("b", m), down("a", 12*m),
			due(30*m, []string{"a since 12m0s running 1 " + ten, "b since 1m0s running 1 " + ten}),
		)},
		{"mass outage freezes, announced once", Config{}, append(fleet("c", "d", "e"),
			up("a", 0, 1), up("b", 0, 1), down("a", m), down("b", 2*m),
			due(3*m, nil, "a", "b"), due(30*m, nil), check("a", 30*m, Frozen), check("b", 30*m, Frozen),
		)},
		{"a freeze stays when some nodes come back", Config{}, append(fleet("c", "d", "e"),
			up("a", 0, 1), up("b", 0, 1), down("a", m), down("b", 2*m), up("b", 3*m, 1),
			due(30*m, nil, "a"), check("a", 30*m, Frozen),
		)},
		{"a node that came back still counts toward the outage", Config{}, append(fleet("c", "d", "e"),
			up("a", 0, 1), up("b", 0, 1), down("a", m), down("b", 2*m), up("b", 3*m, 1),
			check("a", 30*m, Frozen), due(30*m, nil, "a"), due(31*m, nil),
		)},
		{"a late joiner is announced on its own", Config{}, append(fleet("d", "e"),
			up("a", 0, 1), up("b", 0, 1), up("c", 0, 1), down("a", m), down("b", 2*m),
			due(3*m, nil, "a", "b"), down("c", 4*m), due(5*m, nil, "c"), due(30*m, nil),
		)},
		{"outages apart from each other do not freeze", Config{}, append(fleet("c", "d", "e"),
			up("a", 0, 1), up("b", 0, 1), down("a", m), down("b", 12*m),
			due(11*m, []string{"a since 1m0s running 1 " + ten}),
			due(22*m, []string{"a since 1m0s running 1 " + ten, "b since 12m0s running 1 " + ten}),
		)},
		{"at the share, nothing freezes", Config{FreezeShare: 0.5}, append(fleet("c", "d"),
			up("a", 0, 1), up("b", 0, 1), down("a", m), down("b", 2*m),
			due(12*m, []string{"a since 1m0s running 1 " + ten, "b since 2m0s running 1 " + ten}),
		)},
		{"idle nodes going down count toward a mass outage", Config{}, append(fleet("b", "c", "d", "e", "f"),
			up("a", 0, 1), down("a", m), down("b", m), down("c", 2*m),
			due(30*m, nil, "a"), check("a", 30*m, Frozen),
		)},
		{"graceful exits do not count toward a mass outage", Config{}, append(fleet("d", "e", "f"),
			up("a", 0, 1), up("b", 0, 0, draining), up("c", 0, 0, ineligible),
			down("a", m), down("b", m), down("c", 2*m),
			due(30*m, []string{"a since 1m0s running 1 " + ten}),
		)},
		{"a longer freeze window joins outages further apart", Config{FreezeWindow: 20 * m}, append(fleet("c", "d", "e"),
			up("a", 0, 1), up("b", 0, 1), down("a", m),
			due(11*m, nil), check("a", 11*m, WithinGrace), // not judged before its window closes
			down("b", 12*m), due(12*m, nil, "a", "b"), check("a", 30*m, Frozen),
		)},
	} {
		w := New(tc.cfg)
		for i, s := range tc.steps {
			now := t0.Add(s.at)
			where := fmt.Sprintf("%s, step %d", tc.name, i)
			switch {
			case s.obs != nil:
				w.Observe(*s.obs, now)
			case s.forget != "":
				w.Forget(s.forget)
			case s.due:
				got, fr := w.Due(now)
				var names []string
				for _, c := range got {
					names = append(names, cand(c))
				}
				if !slices.Equal(names, s.wantDue) {
					t.Errorf("%s: due %q, want %q", where, names, s.wantDue)
				}
				switch {
				case fr == nil && s.wantFroz != nil:
					t.Errorf("%s: no freeze, want %v", where, s.wantFroz)
				case fr != nil && !slices.Equal(fr.Nodes, s.wantFroz):
					t.Errorf("%s: freeze %+v, want nodes %v", where, fr, s.wantFroz)
				case fr != nil && (!fr.At.Equal(now) || fr.Known != len(w.nodes) || fr.Down*100 <= fr.Known*34):
					t.Errorf("%s: freeze %+v", where, fr)
				}
			case s.check != "":
				c, err := w.Check(s.check, now)
				var nd *NotDue
				switch {
				case s.want == "" && err != nil:
					t.Errorf("%s: check %s: %v, want due", where, s.check, err)
				case s.want == "" && c.NodeID != s.check:
					t.Errorf("%s: check %s: candidate %+v", where, s.check, c)
				case s.want != "" && !errors.As(err, &nd):
					t.Errorf("%s: check %s: %v, want %s", where, s.check, err, s.want)
				case s.want != "" && (nd.Reason != s.want || nd.NodeID != s.check):
					t.Errorf("%s: check %s: %v, want %s", where, s.check, err, s.want)
				}
			}
		}
	}
}

func TestConfig(t *testing.T) {
	d := Config{}.WithDefaults()
	if d.Grace != DefaultGrace || d.FreezeShare != DefaultFreezeShare || d.FreezeWindow != DefaultGrace {
		t.Errorf("defaults %+v", d)
	}
	if w := (Config{Grace: time.Hour}).WithDefaults().FreezeWindow; w != time.Hour {
		t.Errorf("the freeze window follows the grace: %s", w)
	}
	for _, tc := range []struct {
		c  Config
		ok bool
	}{
		{d, true},
		{Config{Grace: time.Minute, FreezeShare: 1, FreezeWindow: time.Second}, true},
		{Config{Grace: -1, FreezeShare: 0.3, FreezeWindow: 1}, false},
		{Config{Grace: 1, FreezeShare: 0, FreezeWindow: 1}, false},
		{Config{Grace: 1, FreezeShare: 1.01, FreezeWindow: 1}, false},
		{Config{Grace: 1, FreezeShare: 0.3, FreezeWindow: -1}, false},
	} {
		if err := tc.c.Validate(); (err == nil) != tc.ok {
			t.Errorf("%+v: %v, want ok=%v", tc.c, err, tc.ok)
		}
	}
}
