package piecesink_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/dec2-cloud/dec2/reputation"
	"github.com/dec2-cloud/dec2/storage/piecesink"
)

// auditReport is one attestor's report of nodes with the given audit scores (uptime 1).
func auditReport(attestor string, audits map[string]float64) reputation.Report {
	r := reputation.Report{Attestor: attestor, Threshold: 0.6}
	for id, a := range audits {
		r.Providers = append(r.Providers, reputation.Provider{NodeID: id, Uptime: 1, Audit: a, Score: a, Eligible: a >= 0.6})
	}
	return r
}

// The default threshold, under the attestors' own parameters: one or two failed audits (one
// lost piece, one more caught later) do not disqualify a provider, three in a row do, and a
// provider that passes again is qualified once the failures have faded.
func TestDefaultAuditThresholdUnderTheAttestorsParameters(t *testing.T) {
	audited := func(outcomes ...bool) *piecesink.Reputations {
		t.Helper()
		b, err := reputation.NewBook(reputation.DefaultParams())
		if err != nil {
			t.Fatal(err)
		}
		for _, ok := range outcomes {
			b.ObserveAudit("n", ok)
		}
		r, err := piecesink.NewReputations([]reputation.Report{b.Report("a", time.Unix(0, 0))}, 1, piecesink.DefaultAuditThreshold)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	pass := func(n int) []bool { return slices.Repeat([]bool{true}, n) }
	for _, tc := range []struct {
		name     string
		outcomes []bool
		want     bool
	}{
		{"a newcomer", nil, false},
		{"one failure", []bool{false}, false},
		{"two failures in a row", []bool{false, false}, false},
		{"two failures apart", append(append([]bool{false}, pass(3)...), false), false},
		{"three failures in a row", []bool{false, false, false}, true},
		{"three failures among four", []bool{false, true, false, false}, true},
		{"three failures, then twenty passes", append([]bool{false, false, false}, pass(20)...), false},
	} {
		if got := audited(tc.outcomes...).Disqualified("n"); got != tc.want {
			t.Errorf("%s: disqualified %v, want %v", tc.name, got, tc.want)
		}
	}
}

// A node is disqualified only when more than half of the attestors that audit it say so, and
// only when more than half of the attestors asked answered at all.
func TestReputationsMajority(t *testing.T) {
	low := map[string]float64{"n": 0.5}
	high := map[string]float64{"n": 1}
	for _, tc := range []struct {
		name    string
		reports []reputation.Report
		asked   int
		want    bool
	}{
		{"two of three", []reputation.Report{auditReport("a", low), auditReport("b", low), auditReport("c", high)}, 3, true},
		{"one of three", []reputation.Report{auditReport("a", low), auditReport("b", high), auditReport("c", high)}, 3, false},
		{"two of four", []reputation.Report{auditReport("a", low), auditReport("b", low), auditReport("c", high), auditReport("d", high)}, 4, false},
		{"the one of three that knows the node", []reputation.Report{auditReport("a", low), auditReport("b", nil), auditReport("c", nil)}, 3, true},
	} {
		r, err := piecesink.NewReputations(tc.reports, tc.asked, piecesink.DefaultAuditThreshold)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if got := r.Disqualified("n"); got != tc.want {
			t.Errorf("%s: disqualified %v, want %v", tc.name, got, tc.want)
		}
		if r.Disqualified("unknown") {
			t.Errorf("%s: a node no attestor knows is disqualified", tc.name)
		}
	}
	// Two of four attestors answered, both condemning: not enough to act on.
	r, err := piecesink.NewReputations([]reputation.Report{auditReport("a", low), auditReport("b", low)}, 4, piecesink.DefaultAuditThreshold)
	var nq *piecesink.NoQuorum
	if !errors.As(err, &nq) || nq.Answered != 2 || nq.Asked != 4 || r.Disqualified("n") {
		t.Errorf("two of four answered: %v, %v; want NoQuorum{2, 4} and nobody disqualified", r, err)
	}
	for _, bad := range []float64{-0.1, 1.01} {
		if _, err := piecesink.NewReputations(nil, 0, bad); !errors.Is(err, piecesink.ErrAuditThreshold) {
			t.Errorf("threshold %g: %v, want ErrAuditThreshold", bad, err)
		}
	}
}

// Apply gives nodes the attestors' combined score, newcomers 1, and bars the disqualified and
// those the attestors would give no work; no view changes nothing.
func TestReputationsApply(t *testing.T) {
	nodes := func() []piecesink.Node {
		return []piecesink.Node{{ID: "good", Provider: prov(0)}, {ID: "lossy", Provider: prov(1)}, {ID: "down-a-lot", Provider: prov(2)}, {ID: "new", Provider: prov(3)}}
	}
	report := func(attestor string) reputation.Report {
		return reputation.Report{Attestor: attestor, Threshold: 0.6, Providers: []reputation.Provider{
			{NodeID: "good", Uptime: 0.95, Audit: 1, Score: 0.95, Eligible: true},
			{NodeID: "lossy", Uptime: 1, Audit: 0.85, Score: 0.85, Eligible: true},
			{NodeID: "down-a-lot", Uptime: 0.5, Audit: 1, Score: 0.5},
		}}
	}
	r, err := piecesink.NewReputations([]reputation.Report{report("a"), report("b")}, 2, piecesink.DefaultAuditThreshold)
	if err != nil {
		t.Fatal(err)
	}
	got := nodes()
	barred := r.Apply(got)
	want := []float64{0.95, piecesink.Barred, piecesink.Barred, 1}
	for i, n := range got {
		if n.Reputation != want[i] {
			t.Errorf("%s: reputation %g, want %g", n.ID, n.Reputation, want[i])
		}
	}
	wantBarred := []piecesink.BarredNode{
		{ID: "lossy", Provider: prov(1), Score: 0.85, Audit: 0.85, Disqualified: true},
		{ID: "down-a-lot", Provider: prov(2), Score: 0.5, Audit: 1},
	}
	if !slices.Equal(barred, wantBarred) {
		t.Errorf("barred %+v, want %+v", barred, wantBarred)
	}
	var none *piecesink.Reputations
	untouched := nodes()
	if b := none.Apply(untouched); b != nil || !slices.Equal(untouched, nodes()) {
		t.Errorf("no view: barred %v, nodes %+v; want nothing changed", b, untouched)
	}
}

// Barred candidates get no piece and are no spare; with them left out, too few providers is
// TooFewNodes.
func TestPlaceLeavesOutBarred(t *testing.T) {
	cands := own(
		piecesink.Candidate{Free: 100, Reputation: piecesink.Barred},
		piecesink.Candidate{Free: 90, Reputation: 1},
		piecesink.Candidate{Free: 80, Reputation: 0.9},
		piecesink.Candidate{Free: 70, Reputation: piecesink.Barred},
		piecesink.Candidate{Free: 60},
	)
	got, err := piecesink.Place(cands, 2, 10)
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(got, 0) || slices.Contains(got, 3) || len(got) != 3 {
		t.Errorf("Place = %v: want nodes 1, 2 and 4 only", got)
	}
	var few *piecesink.TooFewNodes
	if _, err := piecesink.Place(cands, 4, 10); !errors.As(err, &few) || few.Have != 3 {
		t.Errorf("four pieces over three providers not barred: %v, want TooFewNodes with 3", err)
	}
}
