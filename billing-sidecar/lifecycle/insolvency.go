package lifecycle

import "time"

// Solvency is what billing knows of one consumer at a check: since when the contract has
// called it insolvent (zero if it does not), since when an open of its waits for funds (zero
// if none), and whether billing already flagged it (Known: checked before).
type Solvency struct {
	InsolventSince, UnfundedSince time.Time
	Flagged, Known                bool
}

// InsolvencyAction is what to do about a consumer.
type InsolvencyAction struct {
	Resume bool      // solvent again (or never checked): continue its halted streams
	Flag   bool      // newly insolvent: say so
	From   time.Time // when it became insolvent
	Stop   bool      // insolvent for the whole grace: stop its jobs
}

// Insolvency decides, at chain time now, what billing does about a consumer: the contract's
// own word (InsolventSince) wins over an open waiting for funds; jobs stop only after grace.
func Insolvency(c Solvency, now time.Time, grace time.Duration) InsolvencyAction {
	from := c.InsolventSince
	if from.IsZero() {
		from = c.UnfundedSince
	}
	if from.IsZero() {
		return InsolvencyAction{Resume: c.Flagged || !c.Known}
	}
	return InsolvencyAction{Flag: !c.Flagged, From: from, Stop: now.Sub(from) >= grace}
}
