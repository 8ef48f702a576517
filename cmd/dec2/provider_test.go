package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/dec2-cloud/dec2/reputation"
)

// startAttestor serves an attestor's report that scores one node; it stops with the test.
func startAttestor(t *testing.T, name, nodeID string, score float64) string {
	t.Helper()
	rep := reputation.Report{Attestor: name, At: time.Now(), Threshold: 0.6, Providers: []reputation.Provider{
		{NodeID: nodeID, Uptime: score, Audit: 1, Score: score, Eligible: score >= 0.6}}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v1/reputation" {
			http.NotFound(w, r)
			return
		}
		_ = json.NewEncoder(w).Encode(rep)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// A malformed attestor address, given as a flag or in DEC2_ATTESTORS, is refused before the
// chain or Nomad is asked.
func TestProviderStatusAttestorFlag(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		env  map[string]string
		args []string
	}{
		{nil, []string{"--attestor", "10.0.0.5:4658"}},
		{map[string]string{"DEC2_ATTESTORS": "http://10.0.0.5:4658, ftp://x"}, nil},
	} {
		args := append([]string{"provider", "status", "--data-dir", dir}, tc.args...)
		_, _, err := dec2(t, tc.env, args...)
		if err == nil || !strings.Contains(err.Error(), "--attestor") || !strings.Contains(err.Error(), "DEC2_ATTESTORS") {
			t.Errorf("dec2 %s with %v: %v, want an error naming --attestor and DEC2_ATTESTORS", strings.Join(args, " "), tc.env, err)
		}
	}
}

func TestSplitList(t *testing.T) {
	got := splitList(" http://a:1, ,http://b:2,")
	if len(got) != 2 || got[0] != "http://a:1" || got[1] != "http://b:2" {
		t.Errorf("splitList = %q", got)
	}
	if splitList("") != nil {
		t.Error("an empty list is not empty")
	}
}
