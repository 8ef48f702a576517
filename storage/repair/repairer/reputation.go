package repairer

import (
	"context"
	"errors"
	"net/http"

	"github.com/dec2-cloud/dec2/reputation/reputationclient"
	"github.com/dec2-cloud/dec2/storage/piecesink"
)

// ReadReputations asks the attestors at urls for their reports, all at once, and combines them
// (piecesink.NewReputations) with the audit threshold. The error names the attestors that gave
// no valid report; the view is nil when no more than half of them did (*piecesink.NoQuorum).
func ReadReputations(ctx context.Context, c *http.Client, urls []string, auditThreshold float64) (*piecesink.Reputations, error) {
	reports, fetchErr := reputationclient.Fetch(ctx, c, urls)
	view, err := piecesink.NewReputations(reports, len(urls), auditThreshold)
	return view, errors.Join(err, fetchErr)
}
