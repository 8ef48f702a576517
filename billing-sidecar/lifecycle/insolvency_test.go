package lifecycle

import (
	"testing"
	"time"
)

func TestInsolvency(t *testing.T) {
	t0 := time.Unix(1_800_000_000, 0)
	grace := 5 * time.Minute
	for _, tc := range []struct {
		name string
		c    Solvency
		now  time.Time
		want InsolvencyAction
	}{
		{"solvent, never checked: resume what a crash left halted", Solvency{}, t0, act(true, false, time.Time{}, false)},
		{"solvent, checked before", Solvency{Known: true}, t0, act(false, false, time.Time{}, false)},
		{"topped up after a flag", Solvency{Known: true, Flagged: true}, t0, act(true, false, time.Time{}, false)},
		{"newly insolvent", Solvency{InsolventSince: t0, Known: true}, t0.Add(time.Minute), act(false, true, t0, false)},
		{"insolvent past the grace", Solvency{InsolventSince: t0, Known: true, Flagged: true}, t0.Add(grace), act(false, false, t0, true)},
		{"an open waiting for funds counts", Solvency{UnfundedSince: t0}, t0.Add(grace + time.Second), act(false, true, t0, true)},
		{"the contract's time wins", Solvency{InsolventSince: t0.Add(time.Minute), UnfundedSince: t0}, t0.Add(grace), act(false, true, t0.Add(time.Minute), false)},
	} {
		if got := Insolvency(tc.c, tc.now, grace); got != tc.want {
			t.Errorf("%s: %+v, want %+v", tc.name, got, tc.want)
		}
	}
}

func act(resume, flag bool, from time.Time, stop bool) InsolvencyAction {
	return InsolvencyAction{Resume: resume, Flag: flag, From: from, Stop: stop}
}
