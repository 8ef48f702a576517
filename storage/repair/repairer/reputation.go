package repairer

import (
	"context"
	"errors"
	"net/http"

	"github.com/dec2-cloud/dec2/reputation"
	"github.com/dec2-cloud/dec2/reputation/reputationclient"
	"github.com/dec2-cloud/dec2/storage/piecesink"
)

// Attestors is what the attestors say of the storage nodes: their combined view (nil without
// a quorum) and the pieces their audits found missing or corrupt, each once.
type Attestors struct {
	View *piecesink.Reputations
	// Lost needs no quorum: one attestor's word only makes a round read the piece, and the
	// round rebuilds it only when it finds it bad itself.
	Lost []reputation.LostPiece
}

// ReadReputations asks the attestors at urls for their reports, all at once, and combines them
// (piecesink.NewReputations) with the audit threshold. The error names the attestors that gave
// no valid report; the view is nil when no more than half of them did (*piecesink.NoQuorum).
func ReadReputations(ctx context.Context, c *http.Client, urls []string, auditThreshold float64) (Attestors, error) {
	reports, fetchErr := reputationclient.Fetch(ctx, c, urls)
	view, err := piecesink.NewReputations(reports, len(urls), auditThreshold)
	a := Attestors{View: view}
	seen := map[string]bool{}
	for _, r := range reports {
		for _, l := range r.Lost {
			if !seen[l.PieceID] {
				seen[l.PieceID] = true
				a.Lost = append(a.Lost, l)
			}
		}
	}
	return a, errors.Join(err, fetchErr)
}
