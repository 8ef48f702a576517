package view

import "time"

// Operator is what an operator would otherwise look up in Nomad's UI for dec2's work (Nomad
// built from module source serves no UI): the jobs, allocations, nodes, evaluations and
// recent events the console's token may read.
type Operator struct {
	Jobs        []OpJob
	Allocations []OpAlloc
	Evaluations []OpEval
	Nodes       []Node
	Events      []OpEvent
	// EventsError says why no events are shown (the token may not read the event stream).
	EventsError string
}

// OpJob is one job with its allocations' counts by client status.
type OpJob struct {
	ID, Namespace, Type, Status string
	Running, Pending, Failed    int
	Complete, Lost              int
}

// OpAlloc is one allocation.
type OpAlloc struct {
	ID, Namespace, Job, Group, Node string
	Client, Desired                 string // client status (running, failed …) and desired (run, stop)
	Modified                        time.Time
}

// OpEval is one evaluation: why Nomad scheduled, and what came of it.
type OpEval struct {
	ID, Namespace, Job, TriggeredBy, Status, Description string
	Modified                                             time.Time
}

// OpEvent is one event of Nomad's event stream, newest first on the page.
type OpEvent struct {
	Index            uint64
	Topic, Type, Key string
	Seen             time.Time // when the console read it (Nomad's events carry no time)
}

// Events keeps the latest of Nomad's events, at most Cap; the zero value keeps none.
type Events struct {
	Cap  int
	last []OpEvent // oldest first
}

// Add appends e, dropping the oldest beyond Cap.
func (r *Events) Add(e OpEvent) {
	if r.Cap <= 0 {
		return
	}
	r.last = append(r.last, e)
	if over := len(r.last) - r.Cap; over > 0 {
		r.last = append(r.last[:0], r.last[over:]...)
	}
}

// Newest are the events kept, newest first.
func (r *Events) Newest() []OpEvent {
	out := make([]OpEvent, len(r.last))
	for i, e := range r.last {
		out[len(out)-1-i] = e
	}
	return out
}
