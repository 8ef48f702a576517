package reputation

import (
	"slices"
	"strings"
	"time"
)

// Book is one attestor's record of every provider it watches. It is not safe for concurrent
// use: its owner locks.
type Book struct {
	p     Params
	nodes map[string]*entry
	// lost is the pieces audits found lost, oldest first, at most MaxLost.
	lost []LostPiece
}

type entry struct {
	uptime, audit Beta
	slashes       uint32
	wallet        string
}

// NewBook returns an empty book that updates with p.
func NewBook(p Params) (*Book, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return &Book{p: p, nodes: map[string]*entry{}}, nil
}

func (b *Book) entry(nodeID string) *entry {
	e, ok := b.nodes[nodeID]
	if !ok {
		e = &entry{uptime: NewBeta(b.p), audit: NewBeta(b.p)}
		b.nodes[nodeID] = e
	}
	return e
}

// ObserveUptime records whether the node answered an uptime check.
func (b *Book) ObserveUptime(nodeID string, ok bool) {
	b.entry(nodeID).uptime.Update(ok, b.p.Lambda, b.p.Weight)
}

// ObserveAudit records whether the node passed an audit of data it stores.
func (b *Book) ObserveAudit(nodeID string, ok bool) {
	b.entry(nodeID).audit.Update(ok, b.p.Lambda, b.p.Weight)
}

// SetSlashes records how often the chain slashed the node's provider.
func (b *Book) SetSlashes(nodeID string, n uint32) { b.entry(nodeID).slashes = n }

// SetWallet records the provider wallet the node is paid to.
func (b *Book) SetWallet(nodeID, wallet string) { b.entry(nodeID).wallet = wallet }

// MaxLost bounds the lost pieces a book keeps, and a report lists: the newest, since a
// repairer rebuilds what it reads each round and a piece rebuilt leaves the catalog.
const MaxLost = 1000

// ObserveLoss records a piece an audit found missing or corrupt, on the provider's own signed
// answer; a piece recorded already keeps its first record.
func (b *Book) ObserveLoss(l LostPiece) {
	if slices.ContainsFunc(b.lost, func(x LostPiece) bool { return x.PieceID == l.PieceID }) {
		return
	}
	if len(b.lost) == MaxLost {
		b.lost = slices.Delete(b.lost, 0, 1)
	}
	b.lost = append(b.lost, l)
}

// Report is the book as attestor publishes it at time at, providers sorted by node ID.
func (b *Book) Report(attestor string, at time.Time) Report {
	r := Report{Attestor: attestor, At: at, Threshold: b.p.Threshold, Providers: make([]Provider, 0, len(b.nodes))}
	for id, e := range b.nodes {
		u, a := e.uptime.Score(), e.audit.Score()
		r.Providers = append(r.Providers, Provider{NodeID: id, Wallet: e.wallet, Uptime: u, Audit: a, Score: u * a,
			Eligible: u*a >= b.p.Threshold, Slashes: e.slashes})
	}
	slices.SortFunc(r.Providers, func(x, y Provider) int { return strings.Compare(x.NodeID, y.NodeID) })
	r.Lost = slices.Clone(b.lost)
	return r
}
