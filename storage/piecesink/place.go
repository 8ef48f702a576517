package piecesink

import (
	"fmt"
	"slices"

	"github.com/ethereum/go-ethereum/common"
)

// Candidate is a storage node that placement may give a piece: Node indexes the Data's node
// list, Free is the space the node last advertised less what this write has put there since.
type Candidate struct {
	Node     int
	Provider common.Address
	Free     uint64
}

// TooFewNodes is a segment that cannot be placed: fewer nodes are up with room for its pieces
// than it has pieces, and two pieces on one node would make that node a double loss.
type TooFewNodes struct {
	Want, Have int
	PieceSize  uint64
}

func (e *TooFewNodes) Error() string {
	return fmt.Sprintf("piecesink: %d pieces of %d bytes need as many storage nodes with room, %d have it", e.Want, e.PieceSize, e.Have)
}

// Place orders the candidates with room for a piece of size bytes: one node per provider first
// (a provider's nodes may share a disk, a host or an operator), then the rest, each group by
// free space, most first, so that nodes fill evenly. The first n take the segment's pieces and
// the rest are spares for pieces whose upload fails.
//
// It is a pure function so that the packer (allocator/pack, with disk as a dimension, price and
// reputation) can take its place behind the same signature; until then this is the region's
// whole placement policy.
func Place(cands []Candidate, n int, size uint64) ([]int, error) {
	fit := make([]Candidate, 0, len(cands))
	for _, c := range cands {
		if c.Free >= size {
			fit = append(fit, c)
		}
	}
	if len(fit) < n {
		return nil, &TooFewNodes{Want: n, Have: len(fit), PieceSize: size}
	}
	slices.SortStableFunc(fit, func(a, b Candidate) int {
		switch {
		case a.Free > b.Free:
			return -1
		case a.Free < b.Free:
			return 1
		}
		return a.Node - b.Node
	})
	order := make([]int, 0, len(fit))
	var rest []int
	seen := make(map[common.Address]bool, len(fit))
	for _, c := range fit {
		if seen[c.Provider] {
			rest = append(rest, c.Node)
			continue
		}
		seen[c.Provider] = true
		order = append(order, c.Node)
	}
	return append(order, rest...), nil
}
