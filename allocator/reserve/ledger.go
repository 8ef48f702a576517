// Package reserve holds capacity the allocator promised to a registration until Nomad's
// allocations for it appear (or a deadline passes), so that concurrent registrations never
// pack onto the same free space twice.
package reserve

import (
	"time"

	"github.com/dec2-cloud/dec2/allocator/pack"
)

// Key names where the instances of one task group of one job are expected.
type Key struct{ Namespace, Job, Group, Node string }

// Ticket identifies the holds one registration took, to confirm or cancel them together.
type Ticket uint64

type hold struct {
	ticket Ticket
	key    Key
	per    pack.Resources
	gpus   []string // devices the packer chose, held as a whole until the instances appear
	count  int
	// since: only allocations created after this Raft index can fill the hold.
	since   uint64
	expires time.Time
	// seen holds the allocations that filled it, by id, with their create index.
	seen map[string]uint64
}

func (h *hold) remaining() int { return h.count - len(h.seen) }

// Ledger is the set of open holds. Not safe for concurrent use; its owner locks.
type Ledger struct {
	holds []*hold
	next  Ticket
}

// Open starts a ticket for one registration.
func (l *Ledger) Open() Ticket {
	l.next++
	return l.next
}

// Hold promises count instances of per on key.Node to ticket; since is the highest index the
// caller had seen, expires when the promise lapses if Nomad never places them.
func (l *Ledger) Hold(t Ticket, key Key, per pack.Resources, gpus []string, count int, since uint64, expires time.Time) {
	if count <= 0 {
		return
	}
	l.holds = append(l.holds, &hold{ticket: t, key: key, per: per, gpus: gpus, count: count, since: since, expires: expires, seen: map[string]uint64{}})
}

// Confirm raises a ticket's since to the job's modify index from Nomad's answer: allocations
// of an earlier version that were counted in the meantime no longer fill it.
func (l *Ledger) Confirm(t Ticket, jobModifyIndex uint64) {
	for _, h := range l.holds {
		if h.ticket != t || jobModifyIndex <= h.since {
			continue
		}
		h.since = jobModifyIndex
		for id, idx := range h.seen {
			if idx <= h.since {
				delete(h.seen, id)
			}
		}
	}
}

// Cancel drops a ticket's holds (Nomad refused the registration).
func (l *Ledger) Cancel(t Ticket) {
	l.filter(func(h *hold) bool { return h.ticket != t })
}

// Observe counts a live allocation against the oldest open hold it fills; it reports
// whether one was filled. The same allocation never fills a hold twice.
func (l *Ledger) Observe(allocID string, key Key, createIndex uint64) bool {
	for _, h := range l.holds {
		if _, dup := h.seen[allocID]; dup {
			return false
		}
	}
	for _, h := range l.holds {
		if h.key == key && createIndex > h.since && h.remaining() > 0 {
			h.seen[allocID] = createIndex
			if h.remaining() == 0 {
				l.filter(func(x *hold) bool { return x != h })
			}
			return true
		}
	}
	return false
}

// Expire drops holds whose deadline passed and returns how many instances they still held.
func (l *Ledger) Expire(now time.Time) (lapsed int) {
	l.filter(func(h *hold) bool {
		if now.Before(h.expires) {
			return true
		}
		lapsed += h.remaining()
		return false
	})
	return lapsed
}

func (l *Ledger) filter(keep func(*hold) bool) {
	out := l.holds[:0]
	for _, h := range l.holds {
		if keep(h) {
			out = append(out, h)
		}
	}
	clear(l.holds[len(out):])
	l.holds = out
}

// Held is what open holds take on one node.
type Held struct {
	pack.Resources
	GPUs []string
}

// ByNode sums the open holds per node.
func (l *Ledger) ByNode() map[string]Held {
	out := map[string]Held{}
	for _, h := range l.holds {
		n := int64(h.remaining())
		r := out[h.key.Node]
		r.CPUMHz += n * h.per.CPUMHz
		r.MemoryMB += n * h.per.MemoryMB
		r.DiskMB += n * h.per.DiskMB
		r.GPUs = append(r.GPUs, h.gpus...)
		out[h.key.Node] = r
	}
	return out
}

// Holding counts the instances still held for key.
func (l *Ledger) Holding(key Key) int {
	n := 0
	for _, h := range l.holds {
		if h.key == key {
			n += h.remaining()
		}
	}
	return n
}

// Instances counts the instances still held.
func (l *Ledger) Instances() int {
	n := 0
	for _, h := range l.holds {
		n += h.remaining()
	}
	return n
}
