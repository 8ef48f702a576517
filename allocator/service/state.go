package service

import (
	"sync"
	"time"

	"github.com/hashicorp/nomad/api"

	"github.com/dec2-cloud/dec2/allocator/nomadstate"
	"github.com/dec2-cloud/dec2/allocator/pack"
	"github.com/dec2-cloud/dec2/allocator/reserve"
)

// fleet is the model and the holds under one lock: a registration reads both, packs and
// holds in one critical section, so two registrations never see the same free capacity.
type fleet struct {
	mu     sync.Mutex
	model  *nomadstate.Model
	ledger reserve.Ledger
	ready  chan struct{}
	once   sync.Once
	// view is the packer's view reused by each registration, under mu.
	view []pack.Node
	// rebuilt signals (without blocking) that holds may need restoring from plans.
	rebuilt chan struct{}
	m       *metrics
}

func newFleet(m *metrics) *fleet {
	return &fleet{ready: make(chan struct{}), rebuilt: make(chan struct{}, 1), m: m}
}

func keyOf(a *nomadstate.Alloc) reserve.Key {
	return reserve.Key{Namespace: a.Namespace, Job: a.JobID, Group: a.TaskGroup, Node: a.NodeID}
}

// Reset implements nomadstate.Handler: a rebuilt model replaces the old one, and every live
// allocation in it may fill a hold taken before the rebuild.
func (f *fleet) Reset(m *nomadstate.Model) {
	f.mu.Lock()
	f.model = m
	m.Allocs(func(a *nomadstate.Alloc) { f.ledger.Observe(a.ID, keyOf(a), a.CreateIndex) })
	f.observeLocked()
	f.mu.Unlock()
	f.m.rebuilds.Inc()
	select {
	case f.rebuilt <- struct{}{}:
	default:
	}
	f.once.Do(func() { close(f.ready) })
}

func (f *fleet) NodeChanged(n *api.Node) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.model != nil {
		f.model.SetNode(n)
		f.observeLocked()
	}
}

func (f *fleet) NodeGone(id string, index uint64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.model != nil {
		f.model.DeleteNode(id)
		f.observeLocked()
	}
}

func (f *fleet) AllocChanged(a *nomadstate.Alloc, terminal bool, index uint64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.model == nil {
		return
	}
	if f.model.SetAlloc(a, terminal, index) {
		f.ledger.Observe(a.ID, keyOf(a), a.CreateIndex)
	}
	f.observeLocked()
}

// expire drops lapsed holds; called on a ticker and before every packing.
func (f *fleet) expireLocked(now time.Time) {
	if n := f.ledger.Expire(now); n > 0 {
		f.m.holdsExpired.Add(float64(n))
	}
	f.observeLocked()
}

func (f *fleet) observeLocked() {
	f.m.holds.Set(float64(f.ledger.Instances()))
	if f.model != nil {
		f.m.nodes.Set(float64(f.model.NodeCount()))
	}
}

// nodesLocked is the packer's view: schedulable nodes keep accepts, their live allocations
// less freed, plus what holds take.
func (f *fleet) nodesLocked(dst []pack.Node, keep func(string) bool, freed []*nomadstate.Alloc) []pack.Node {
	var extra map[string]nomadstate.Extra
	if held := f.ledger.ByNode(); len(held) > 0 {
		extra = make(map[string]nomadstate.Extra, len(held))
		for id, h := range held {
			extra[id] = nomadstate.Extra{Resources: h.Resources, GPUs: h.GPUs}
		}
	}
	return f.model.Nodes(dst, keep, freed, extra)
}
