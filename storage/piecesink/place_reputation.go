package piecesink

import (
	"errors"
	"fmt"

	"github.com/ethereum/go-ethereum/common"

	"github.com/dec2-cloud/dec2/reputation"
)

// DefaultAuditThreshold is the audit reputation below which a storage node is disqualified:
// it gets no new pieces, and repair moves the pieces it holds. Storj disqualifies below 0.96
// with a forgetting factor of 0.999, a memory of about 1,000 audits. The attestors keep the
// audit reputation with the uptime's parameters (λ = 0.95, w = 1, reputation.DefaultParams),
// a memory of about 20 audits, under which α + β stays 20 and the score is 1 − β/20, β being
// the failures, each decayed by 0.95 per audit since. At 0.96 one failed audit (0.95) would
// disqualify a provider for its next five audits and have every piece it holds rebuilt for one
// bad sector, which the data_loss slash of that piece already answers. At 0.9 it takes β > 2:
// three failures close together (three in a row score 0.857), or a steady failure rate above
// about 10 %, on more than half of the attestors that audit it.
const DefaultAuditThreshold = 0.9

// Barred is the Reputation of a node that gets no new pieces (Reputations.Apply): Place leaves
// out every candidate whose reputation is below 0.
const Barred = -1.0

// ErrAuditThreshold is what CheckAuditThreshold's errors wrap.
var ErrAuditThreshold = errors.New("bad audit threshold")

// CheckAuditThreshold refuses a threshold outside 0..1: above 1 every provider would be
// disqualified and repair would move every piece.
func CheckAuditThreshold(t float64) error {
	if !(t >= 0 && t <= 1) {
		return fmt.Errorf("%w: %g; want 0..1", ErrAuditThreshold, t)
	}
	return nil
}

// NoQuorum is a set of attestor reports too small to act on: no more than half of the
// attestors asked answered, and those that did may be the ones that lie or are cut off.
type NoQuorum struct {
	Answered, Asked int
}

func (e *NoQuorum) Error() string {
	return fmt.Sprintf("piecesink: %d of %d attestors answered, more than half are needed to act on their reputations", e.Answered, e.Asked)
}

// Reputations is the attestors' view of the storage nodes as placement and repair act on it.
// A nil *Reputations is no view: every node keeps the reputation it has and none is barred or
// disqualified, as without attestors.
type Reputations struct {
	combined  map[string]reputation.Combined
	audit     map[string]float64
	threshold float64
}

// NewReputations combines the reports of the attestors that answered out of asked
// (reputation.Combine and reputation.AuditScores: medians, so a minority of attestors neither
// bars nor clears a node). With no more than half of them answering it returns *NoQuorum:
// disqualifying a provider moves all its pieces, which a lone attestor must not be able to
// cause.
func NewReputations(reports []reputation.Report, asked int, auditThreshold float64) (*Reputations, error) {
	if err := CheckAuditThreshold(auditThreshold); err != nil {
		return nil, err
	}
	if 2*len(reports) <= asked {
		return nil, &NoQuorum{Answered: len(reports), Asked: asked}
	}
	return &Reputations{combined: reputation.Combine(reports), audit: reputation.AuditScores(reports), threshold: auditThreshold}, nil
}

// Disqualified reports whether more than half of the attestors that audit the node put its
// audit reputation below the threshold: it gets no new pieces, and repair moves those it
// holds. A node no attestor knows is not.
func (r *Reputations) Disqualified(nodeID string) bool {
	if r == nil {
		return false
	}
	a, ok := r.audit[nodeID]
	return ok && a < r.threshold
}

// BarredNode is a node Apply barred from new pieces, and why.
type BarredNode struct {
	ID       string
	Provider common.Address
	// Score is the attestors' combined score (uptime × audit), Audit their audit score.
	Score, Audit float64
	// Disqualified: by audits (Audit below the threshold); otherwise the score is below the
	// attestors' own threshold, as the allocator excludes nodes from compute.
	Disqualified bool
}

// Apply sets each node's Reputation from the attestors: their combined score, 1 for a node
// none of them knows (a newcomer, as the allocator takes it), and Barred for a node that is
// disqualified by audits or that the attestors would give no new work (reputation.Combined's
// Eligible). It returns the barred nodes. A nil *Reputations changes nothing.
func (r *Reputations) Apply(nodes []Node) []BarredNode {
	if r == nil {
		return nil
	}
	var barred []BarredNode
	for i := range nodes {
		n := &nodes[i]
		c, known := r.combined[n.ID]
		if !known {
			n.Reputation = 1
			continue
		}
		n.Reputation = c.Score
		if dq := r.Disqualified(n.ID); dq || !c.Eligible {
			n.Reputation = Barred
			barred = append(barred, BarredNode{ID: n.ID, Provider: n.Provider, Score: c.Score, Audit: r.audit[n.ID], Disqualified: dq})
		}
	}
	return barred
}

// Rate sets the nodes' reputations for the writes that start from now on: view applied to the
// nodes (Apply), or their own reputations for a nil view, the nodes Join adds later included.
// It returns the nodes view bars, and logs when that changes the code writes use (codeFor). A
// gateway calls it whenever it reads the attestors again, so that a provider barred after it
// started gets no new pieces.
func (d *Data) Rate(view *Reputations) []BarredNode {
	d.rateMu.Lock()
	defer d.rateMu.Unlock()
	d.view = view
	before := d.fleet.Load()
	after := before.clone()
	barred := after.rate(view)
	d.swap(before, after)
	return barred
}

// swap makes after the fleet writes place over, logging when that changes their code. The
// caller holds rateMu.
func (d *Data) swap(before, after *fleet) {
	was, _ := d.codeFor(before)
	d.fleet.Store(after)
	now, err := d.codeFor(after)
	switch {
	case err != nil && was != nil:
		d.cfg.Log.Warn("piecesink: writes refused while the attestors bar storage providers", "err", err)
	case now == was || now == nil:
	case now == d.code:
		d.cfg.Log.Info("piecesink: writes use the region's code again", "k", now.K(), "n", now.N())
	default:
		d.cfg.Log.Warn("piecesink: writes narrowed while the attestors bar storage providers: segments survive fewer lost pieces until repair widens them",
			"k", now.K(), "n", now.N(), "region_n", d.code.N())
	}
}
