// Package repair keeps segments at full redundancy when storage providers are lost: a checker
// finds the segments whose pieces sit on lost nodes, and a worker fetches k healthy pieces of
// each, rebuilds the missing ones by Reed-Solomon reconstruction of the ciphertext (no
// consumer key is involved: pieces are ciphertext and the code is linear over them), puts them
// on providers the packer chooses and swaps them into the catalog.
//
// This package is the pure core (which nodes are lost, which segments need repair and which
// pieces to rebuild); storage/repair/repairer is the worker around it.
package repair

import (
	"fmt"
	"slices"
	"time"

	"github.com/dec2-cloud/dec2/storage/meta"
)

// NodeState is a storage node as Nomad last reported it: Up when ready, Since when its status
// last changed.
type NodeState struct {
	ID    string
	Up    bool
	Since time.Time
}

// Lost returns the ids of the nodes whose pieces count as lost at now: down for longer than
// grace. A node back within grace (a restart, a short network cut) is not repaired around.
func Lost(nodes []NodeState, now time.Time, grace time.Duration) map[string]bool {
	out := map[string]bool{}
	for _, n := range nodes {
		if !n.Up && now.Sub(n.Since) > grace {
			out[n.ID] = true
		}
	}
	return out
}

// Plan is what a segment needs: the indexes of its healthy pieces, those to rebuild, and
// whether too few are left to rebuild any (data lost).
type Plan struct {
	Healthy []int
	Rebuild []int
	// DataLost: fewer than k healthy pieces; nothing can rebuild the segment.
	DataLost bool
}

// Needed says whether the segment is below its repair threshold and can be repaired.
func (p Plan) Needed() bool { return len(p.Rebuild) > 0 && !p.DataLost }

// Check decides a segment's repair. A piece is healthy when the catalog lists it at its index
// and lost does not hold of it; every other index of 0..n−1 is to be rebuilt.
//
// The threshold is n: a segment is repaired at its first lost piece. With the small codes a
// region of a few providers gets (2/4 on 4–7 providers, 4/8 on 8–11) a segment tolerates only
// n − k = 2 or 4 losses; a threshold below n (Storj repairs 29/80 segments at 52 healthy
// pieces) would leave a 2/4 segment one loss from gone while it waits. Repairing at once costs
// k piece reads per lost piece, which is what any later repair would cost too.
func Check(g meta.Segment, lost func(meta.Piece) bool) Plan {
	var p Plan
	at := make(map[int]bool, len(g.Pieces))
	for _, pc := range g.Pieces {
		if pc.Index >= 0 && pc.Index < g.N && !at[pc.Index] && !lost(pc) {
			at[pc.Index] = true
			p.Healthy = append(p.Healthy, pc.Index)
		}
	}
	slices.Sort(p.Healthy)
	for i := range g.N {
		if !at[i] {
			p.Rebuild = append(p.Rebuild, i)
		}
	}
	p.DataLost = len(p.Healthy) < g.K
	return p
}

// DataLost is a segment with fewer than k healthy pieces: no repair can bring it back.
type DataLost struct {
	Ref           meta.SegmentRef
	Healthy, Need int
}

func (e *DataLost) Error() string {
	return fmt.Sprintf("repair: segment %d of tenant %s's object (version %d) has %d healthy pieces, %d needed: its data is lost",
		e.Ref.Segment, e.Ref.Tenant, e.Ref.Version, e.Healthy, e.Need)
}
