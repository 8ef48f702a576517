// Package repair keeps segments at full redundancy when storage providers are lost or fail their
// audits: a checker finds the segments whose pieces sit on lost or condemned nodes, and a worker fetches k healthy pieces of
// each, rebuilds the missing ones by Reed-Solomon reconstruction of the ciphertext (no
// consumer key is involved: pieces are ciphertext and the code is linear over them), puts them
// on providers the packer chooses and swaps them into the catalog.
//
// This package is the pure core (which nodes are lost or condemned, which segments need repair
// and which pieces to rebuild); storage/repair/repairer is the worker around it.
package repair

import (
	"fmt"
	"slices"
	"time"

	"github.com/dec2-cloud/dec2/storage/meta"
)

// NodeState is a storage node as Nomad last reported it: Up when ready, Since when its status
// last changed; and Disqualified when a majority of the attestors put its audit reputation
// below the disqualification threshold (piecesink.Reputations.Disqualified).
type NodeState struct {
	ID           string
	Up           bool
	Since        time.Time
	Disqualified bool
}

// Standing is how repair treats the pieces on a node.
type Standing int

const (
	// Sound pieces are kept.
	Sound Standing = iota
	// Condemned pieces are rebuilt elsewhere, but their node may still serve them as sources
	// of the rebuild (each is checked against its recorded hash like any other).
	Condemned
	// Lost pieces are rebuilt elsewhere and not read.
	Lost
)

// Judge returns the standing of the nodes whose pieces are to be rebuilt at now (the others are
// Sound): Lost when down for longer than grace, Condemned when disqualified by audits while
// Nomad has it up or down within the grace. A node back within grace (a restart, a short
// network cut) is not repaired around; a node that fails its audits is, however up it is: it
// answers, but not with the data it signed for. Disqualification takes no grace of its own:
// the audit reputation is one already, several failed audits on most attestors.
func Judge(nodes []NodeState, now time.Time, grace time.Duration) map[string]Standing {
	out := map[string]Standing{}
	for _, n := range nodes {
		switch {
		case !n.Up && now.Sub(n.Since) > grace:
			out[n.ID] = Lost
		case n.Disqualified:
			out[n.ID] = Condemned
		}
	}
	return out
}

// Plan is what a segment needs: the indexes of its sound pieces, of its condemned ones, those
// to rebuild (every index that has no sound piece), and whether too few are left to rebuild
// any (data lost).
type Plan struct {
	Healthy   []int
	Condemned []int
	Rebuild   []int
	// DataLost: fewer than k sound and condemned pieces; nothing can rebuild the segment.
	DataLost bool
}

// Needed says whether the segment is below its repair threshold and can be repaired.
func (p Plan) Needed() bool { return len(p.Rebuild) > 0 && !p.DataLost }

// Sources are the pieces a rebuild may read, in the order to read them: sound ones by index
// (data pieces first), then condemned ones, read only when too few sound ones are.
func (p Plan) Sources() []int { return slices.Concat(p.Healthy, p.Condemned) }

// Check decides a segment's repair by the standing of each piece's node. A piece is healthy
// when the catalog lists it at its index and its node is sound; every other index of 0..n−1 is
// to be rebuilt. A condemned piece is to be rebuilt too, but it still counts towards the k a
// rebuild needs: a provider disqualified by audits may still hold most of what it was given,
// and a segment must not be given up while k of its pieces can still be read.
//
// The threshold is n: a segment is repaired at its first lost piece. With the small codes a
// region of a few providers gets (2/4 on 4–7 providers, 4/8 on 8–11) a segment tolerates only
// n − k = 2 or 4 losses; a threshold below n (Storj repairs 29/80 segments at 52 healthy
// pieces) would leave a 2/4 segment one loss from gone while it waits. Repairing at once costs
// k piece reads per lost piece, which is what any later repair would cost too.
func Check(g meta.Segment, standing func(meta.Piece) Standing) Plan {
	var p Plan
	sound := make(map[int]bool, len(g.Pieces))
	condemned := map[int]bool{}
	for _, pc := range g.Pieces {
		if pc.Index < 0 || pc.Index >= g.N || sound[pc.Index] {
			continue
		}
		switch standing(pc) {
		case Sound:
			sound[pc.Index] = true
			p.Healthy = append(p.Healthy, pc.Index)
		case Condemned:
			condemned[pc.Index] = true
		}
	}
	for i := range g.N {
		switch {
		case sound[i]:
		case condemned[i]:
			p.Condemned = append(p.Condemned, i)
			p.Rebuild = append(p.Rebuild, i)
		default:
			p.Rebuild = append(p.Rebuild, i)
		}
	}
	slices.Sort(p.Healthy)
	p.DataLost = len(p.Healthy)+len(p.Condemned) < g.K
	return p
}

// DataLost is a segment with fewer than k sound or condemned pieces: no repair can bring it
// back.
type DataLost struct {
	Ref           meta.SegmentRef
	Healthy, Need int
}

func (e *DataLost) Error() string {
	return fmt.Sprintf("repair: segment %d of tenant %s's object (version %d) has %d healthy pieces, %d needed: its data is lost",
		e.Ref.Segment, e.Ref.Tenant, e.Ref.Version, e.Healthy, e.Need)
}
