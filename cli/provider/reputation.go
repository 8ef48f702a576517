package provider

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/dec2-cloud/dec2/reputation"
	"github.com/dec2-cloud/dec2/reputation/reputationclient"
)

// AttestorView is what one attestor says of the node.
type AttestorView struct {
	URL      string `json:"url"`
	Attestor string `json:"attestor,omitempty"`
	// Known is false when the attestor answered but does not list the node (a newcomer to it).
	Known    bool    `json:"known"`
	Uptime   float64 `json:"uptime"`
	Audit    float64 `json:"audit"`
	Score    float64 `json:"score"`
	Eligible bool    `json:"eligible"`
	// Error says why the attestor gave no report.
	Error string `json:"error,omitempty"`
}

func (v AttestorView) text() string {
	switch {
	case v.Error != "":
		return "no report: " + v.Error
	case !v.Known:
		return fmt.Sprintf("%s does not know this node (a newcomer: eligible)", v.Attestor)
	}
	return fmt.Sprintf("%.3f (uptime %.3f, audit %.3f), %s, by %s", v.Score, v.Uptime, v.Audit, eligibility(v.Eligible), v.Attestor)
}

func eligibility(ok bool) string {
	if ok {
		return "eligible"
	}
	return "ineligible: no new work"
}

// ReadReputation asks the attestors at urls what they say of nodeID, and combines their
// reports as the allocator does. An attestor that gives no report is shown with why; the
// combined view is nil when no attestor that answered knows the node.
func ReadReputation(ctx context.Context, c *http.Client, urls []string, nodeID string) ([]AttestorView, *reputation.Combined) {
	var views []AttestorView
	var reports []reputation.Report
	for _, r := range reputationclient.FetchEach(ctx, c, urls) {
		v := AttestorView{URL: r.URL, Eligible: true}
		if r.Err != nil {
			// The row names the URL already: show the cause alone.
			v.Eligible, v.Error = false, r.Err.Error()
			if fe := (*reputationclient.FetchError)(nil); errors.As(r.Err, &fe) {
				v.Error = fe.Err.Error()
			}
			views = append(views, v)
			continue
		}
		reports = append(reports, r.Report)
		v.Attestor = r.Report.Attestor
		for _, p := range r.Report.Providers {
			if p.NodeID == nodeID {
				v.Known, v.Uptime, v.Audit, v.Score, v.Eligible = true, p.Uptime, p.Audit, p.Score, p.Eligible
			}
		}
		views = append(views, v)
	}
	combined, ok := reputation.Combine(reports)[nodeID]
	if !ok {
		return views, nil
	}
	return views, &combined
}
