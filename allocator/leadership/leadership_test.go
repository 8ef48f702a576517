package leadership

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/nomad/api"

	"github.com/dec2-cloud/dec2/e2e"
)

func TestNewRefusesWhatNomadWould(t *testing.T) {
	c, err := api.NewClient(&api.Config{Address: "http://127.0.0.1:1"})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		cfg  Config
		want string
	}{
		{Config{Nomad: c, Advertise: "10.0.0.5:4656"}, "not an http(s) URL"},
		{Config{Nomad: c, Advertise: "http://10.0.0.5:4656", TTL: 5 * time.Second}, "below Nomad's minimum"},
		{Config{Advertise: "http://10.0.0.5:4656"}, "no Nomad client"},
	} {
		if _, err := New(tc.cfg); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("New(%+v) = %v, want an error saying %q", tc.cfg, err, tc.want)
		}
	}
}

func TestLeaseClockKeepsAFifthInHand(t *testing.T) {
	l := &leaseClock{ttl: 10 * time.Second}
	now := time.Now()
	if l.fresh(now) {
		t.Fatal("fresh before any lease")
	}
	l.gone = make(chan struct{})
	l.extend(now)
	if !l.fresh(now.Add(7*time.Second)) || l.fresh(now.Add(8*time.Second)) {
		t.Error("a lease renewed now is not fresh for exactly four fifths of the TTL")
	}
	if !l.lapse() || l.fresh(now) {
		t.Error("lapse did not end a held lease")
	}
	select {
	case <-l.lost():
	default:
		t.Error("lapse did not signal the lease lost")
	}
	if l.lapse() {
		t.Error("a second lapse reports a lease held")
	}
}

// Two electors on a real region: one leads and advertises itself; when it stops in order it
// releases the lock, and the other leads at once rather than after the TTL.
func TestOneLeadsAndTheOtherTakesOver(t *testing.T) {
	e2e.RequireIntegration(t)
	region := e2e.StartRegion(t, e2e.Options{})
	var leading [2]atomic.Bool
	var stops [2]context.CancelFunc
	var done [2]chan struct{}
	for i, addr := range []string{"http://127.0.0.1:10001", "http://127.0.0.1:10002"} {
		e, err := New(Config{Nomad: region.API, Advertise: addr})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		stops[i], done[i] = cancel, make(chan struct{})
		t.Cleanup(cancel)
		go func() {
			defer close(done[i])
			e.Run(ctx, func(lctx context.Context) {
				leading[i].Store(true)
				<-lctx.Done()
				leading[i].Store(false)
			})
		}()
	}
	first := -1
	e2e.Poll(t, "one elector to lead", 30*time.Second, 50*time.Millisecond, func() (bool, error) {
		for i := range leading {
			if leading[i].Load() {
				first = i
			}
		}
		return first >= 0, nil
	})
	time.Sleep(2 * time.Second) // the other keeps trying meanwhile
	if leading[1-first].Load() {
		t.Fatal("both electors lead")
	}
	addr, err := ReadLeader(context.Background(), region.API, DefaultPath, "")
	if err != nil || !strings.HasSuffix(addr, []string{"10001", "10002"}[first]) {
		t.Fatalf("the lock names %q (%v), want elector %d", addr, err, first)
	}
	stops[first]()
	<-done[first]
	start := time.Now()
	e2e.Poll(t, "the other elector to lead", 10*time.Second, 50*time.Millisecond, func() (bool, error) {
		return leading[1-first].Load(), nil
	})
	t.Logf("took over %v after an orderly stop", time.Since(start).Round(10*time.Millisecond))
	stops[1-first]()
	<-done[1-first]
	if _, err := ReadLeader(context.Background(), region.API, DefaultPath, ""); !errors.Is(err, ErrNoLeader) {
		t.Errorf("after both stopped the lock names a leader: %v", err)
	}
}
