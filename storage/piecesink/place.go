package piecesink

import (
	"cmp"
	"fmt"
	"math"
	"math/big"
	"slices"
	"sync"

	"github.com/ethereum/go-ethereum/common"

	"github.com/dec2-cloud/dec2/allocator/pack"
)

// Candidate is a storage node that placement may give a piece: Node indexes the Data's node
// list, Free is the space the node last advertised less what this write has put there since,
// and the rest is Node's: datacenter, price per GiB-hour (token base units; 0 for none) and
// reputation (0 to 1: 0 when no attestor was asked, 1 for a node they do not know yet; Barred,
// below 0, for a node that gets no new pieces; see Reputations.Apply).
type Candidate struct {
	Node       int
	Provider   common.Address
	Free       uint64
	Datacenter string
	Price      float64
	Reputation float64
}

// TooFewNodes is a segment that cannot be placed: fewer providers are up, not barred and with
// room for its pieces than it has pieces, and two pieces with one provider would make its loss a double one.
type TooFewNodes struct {
	Want, Have int
	PieceSize  uint64
}

// Unavailable says that the write may succeed later, when nodes come back or free space: the
// gateway answers S3's 503 ServiceUnavailable, which clients retry.
func (e *TooFewNodes) Unavailable() bool { return true }

func (e *TooFewNodes) Error() string {
	return fmt.Sprintf("piecesink: %d pieces of %d bytes need as many providers with room on a storage node, %d have it", e.Want, e.PieceSize, e.Have)
}

// datacenterAttr is the packer's attribute for a node's datacenter.
const datacenterAttr = "datacenter"

// Place is the packer's placement of a segment's n pieces of size bytes (allocator/pack's
// PlaceDistinct): one piece per provider — a provider's nodes may share a disk, a host or an
// operator, so its node with the most room stands for it —, spread over as many datacenters
// as the providers with room are in (pack.EvenSpread), cheaper and better-reputed providers
// first while nodes fill evenly; barred nodes (a reputation below 0) get nothing, not even as
// spares. It returns node indices: the first n take the pieces, the
// rest are spares for pieces whose upload fails, the other providers in the packer's order,
// then the providers' other nodes with room, most free first.
func Place(cands []Candidate, n int, size uint64) ([]int, error) {
	w := scratchPool.Get().(*scratch)
	defer scratchPool.Put(w)
	hosts, others := w.byProvider(cands, size)
	nodes := w.packNodes(cands, hosts)
	g := pack.Group{ID: "segment", Count: n, DiskMB: clampInt64(size),
		Spread: []pack.Spread{pack.EvenSpread(nodes, datacenterAttr, n)}}
	order, placed, err := pack.PlaceDistinct(nodes, &g)
	if err != nil {
		return nil, fmt.Errorf("piecesink: placing a segment: %w", err)
	}
	if placed < n {
		return nil, &TooFewNodes{Want: n, Have: placed, PieceSize: size}
	}
	out := make([]int, 0, len(order)+len(others))
	for _, i := range order {
		out = append(out, cands[hosts[i]].Node)
	}
	for _, i := range others {
		out = append(out, cands[i].Node)
	}
	return out, nil
}

// scratch is what a Place call works in, kept between calls: on a region of thousands of
// nodes, allocating it afresh for every segment cost more than the placement itself (memory
// the processor has to fetch and the collector to reclaim).
type scratch struct {
	at            map[common.Address]int
	hosts, others []int
	nodes         []pack.Node
	dcs           map[string]map[string]string
}

var scratchPool = sync.Pool{New: func() any {
	return &scratch{at: map[common.Address]int{}, dcs: map[string]map[string]string{}}
}}

// byProvider splits the candidates with room for size bytes and not barred (by their index in
// cands) into one per provider, the one with the most free space (the lowest node on a tie),
// in the order the providers first appear, and the others, most free space first.
func (w *scratch) byProvider(cands []Candidate, size uint64) (hosts, others []int) {
	clear(w.at)
	hosts, others = w.hosts[:0], w.others[:0]
	for i, c := range cands {
		if c.Free < size || c.Reputation < 0 {
			continue
		}
		h, seen := w.at[c.Provider]
		switch {
		case !seen:
			w.at[c.Provider] = len(hosts)
			hosts = append(hosts, i)
		case moreFree(&c, &cands[hosts[h]]) < 0:
			others = append(others, hosts[h])
			hosts[h] = i
		default:
			others = append(others, i)
		}
	}
	slices.SortFunc(others, func(a, b int) int { return moreFree(&cands[a], &cands[b]) })
	w.hosts, w.others = hosts, others
	return hosts, others
}

// moreFree orders candidates by free space, most first, then by node index.
func moreFree(a, b *Candidate) int {
	if c := cmp.Compare(b.Free, a.Free); c != 0 {
		return c
	}
	return a.Node - b.Node
}

// packNodes describes each host to the packer. Its disk dimension is counted in bytes here,
// not megabytes: the packer only compares and divides amounts, and the pieces of a small
// object are far smaller than a megabyte. The node's price is that of its whole free space,
// so that the packer's instance price is the piece's. Nodes of one datacenter share one
// attribute map: the packer only reads it, and a map per node would cost more than the rest
// of the placement. Nodes that name no datacenter count as one datacenter: they may well
// share one, and the packer would otherwise put no limit on them.
func (w *scratch) packNodes(cands []Candidate, hosts []int) []pack.Node {
	if cap(w.nodes) < len(hosts) {
		w.nodes = make([]pack.Node, len(hosts))
	}
	nodes := w.nodes[:len(hosts)]
	clear(w.dcs)
	for i, h := range hosts {
		c := &cands[h]
		// Field by field: these are the only fields ever set, and copying a whole Node would
		// write its empty pointers again.
		n := &nodes[i]
		n.DiskMB = clampInt64(c.Free)
		n.PricePerHour = c.Price * float64(n.DiskMB) / (1 << 30)
		n.Reputation = c.Reputation
		attrs, ok := w.dcs[c.Datacenter]
		if !ok {
			attrs = map[string]string{datacenterAttr: c.Datacenter}
			w.dcs[c.Datacenter] = attrs
		}
		n.Attributes = attrs
	}
	return nodes
}

func clampInt64(x uint64) int64 { return int64(min(x, math.MaxInt64)) }

// priceOf is a price in token base units as a float64: placement compares prices and takes
// their ratios, for which 53 bits of mantissa are plenty. Nil (no price set) is 0.
func priceOf(x *big.Int) float64 {
	if x == nil {
		return 0
	}
	f, _ := new(big.Float).SetInt(x).Float64()
	return f
}
