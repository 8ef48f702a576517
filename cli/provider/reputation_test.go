package provider

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/dec2-cloud/dec2/reputation"
)

func attestor(t *testing.T, name string, scores map[string]float64) string {
	t.Helper()
	rep := reputation.Report{Attestor: name, At: time.Unix(0, 0), Threshold: 0.6}
	for id, s := range scores {
		rep.Providers = append(rep.Providers, reputation.Provider{NodeID: id, Uptime: s, Audit: 1, Score: s, Eligible: s >= 0.6})
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _ = json.NewEncoder(w).Encode(rep) }))
	t.Cleanup(srv.Close)
	return srv.URL
}

// Each attestor is shown as it answered, in the order asked, and the combined view is the
// allocator's: the median of those that know the node.
func TestReadReputation(t *testing.T) {
	low := attestor(t, "0xlow", map[string]float64{"n": 0.2})
	high := attestor(t, "0xhigh", map[string]float64{"n": 0.9})
	higher := attestor(t, "0xhigher", map[string]float64{"n": 0.95})
	stranger := attestor(t, "0xstranger", map[string]float64{"other": 1})
	closed := httptest.NewServer(nil)
	gone := closed.URL
	closed.Close()

	views, c := ReadReputation(context.Background(), nil, []string{low, gone, high, stranger, higher}, "n")
	if len(views) != 5 {
		t.Fatalf("views: %+v", views)
	}
	if v := views[0]; v.URL != low || v.Attestor != "0xlow" || !v.Known || v.Score != 0.2 || v.Eligible || v.Error != "" {
		t.Errorf("the low attestor: %+v", v)
	}
	if v := views[1]; v.URL != gone || !strings.Contains(v.Error, "connection refused") || strings.HasPrefix(v.Error, "attestor ") || v.Eligible {
		t.Errorf("the unreachable attestor: %+v", v)
	}
	if v := views[3]; v.Known || !v.Eligible || v.Attestor != "0xstranger" {
		t.Errorf("the attestor that does not know the node: %+v", v)
	}
	if c == nil || *c != (reputation.Combined{Score: 0.9, Eligible: true, Attestors: 3}) {
		t.Errorf("combined: %+v", c)
	}
	if _, c := ReadReputation(context.Background(), nil, []string{stranger}, "n"); c != nil {
		t.Errorf("no attestor knows the node, yet combined is %+v", c)
	}
}
