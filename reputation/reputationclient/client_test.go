package reputationclient

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/dec2-cloud/dec2/reputation"
)

func attestor(t *testing.T, h http.HandlerFunc) string {
	t.Helper()
	s := httptest.NewServer(h)
	t.Cleanup(s.Close)
	return s.URL
}

func serving(r reputation.Report) http.HandlerFunc {
	return func(w http.ResponseWriter, req *http.Request) {
		if req.Method != http.MethodGet || req.URL.Path != Path {
			http.NotFound(w, req)
			return
		}
		_ = json.NewEncoder(w).Encode(r)
	}
}

// The attestors that answer are returned in order; each one that does not is named in the error.
func TestFetch(t *testing.T) {
	b, _ := reputation.NewBook(reputation.DefaultParams())
	b.ObserveUptime("n1", true)
	one := attestor(t, serving(b.Report("0x1", time.Unix(1, 0))))
	two := attestor(t, serving(b.Report("0x2", time.Unix(2, 0))))
	broken := attestor(t, func(w http.ResponseWriter, _ *http.Request) { http.Error(w, "boom", http.StatusInternalServerError) })
	lying := attestor(t, func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte(`{"attestor":"0x3","threshold":0.6,"providers":[{"node_id":"n1","uptime":7,"audit":1,"score":7}]}`))
	})
	closed := httptest.NewServer(nil)
	gone := closed.URL
	closed.Close()
	reports, err := Fetch(context.Background(), nil, []string{one, broken, two + "/", lying, gone})
	if len(reports) != 2 || reports[0].Attestor != "0x1" || reports[1].Attestor != "0x2" {
		t.Fatalf("reports: %+v", reports)
	}
	for _, want := range []string{broken + ": GET /v1/reputation: 500 Internal Server Error: boom", lying, gone} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v does not name %s", err, want)
		}
	}
	var fe *FetchError
	if !errors.As(err, &fe) {
		t.Errorf("error %v holds no *FetchError", err)
	}
	each := FetchEach(context.Background(), nil, []string{broken, one})
	if len(each) != 2 || each[0].URL != broken || each[0].Err == nil || each[1].URL != one || each[1].Err != nil || each[1].Report.Attestor != "0x1" {
		t.Errorf("FetchEach: %+v", each)
	}
	if !errors.Is(err, reputation.ErrBadReport) {
		t.Errorf("the lying attestor's error does not wrap ErrBadReport: %v", err)
	}
}

// A hung attestor costs the caller no more than its context allows.
func TestFetchBounded(t *testing.T) {
	release := make(chan struct{})
	hung := attestor(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	defer close(release)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	reports, err := Fetch(ctx, nil, []string{hung})
	if len(reports) != 0 || !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 5*time.Second {
		t.Fatalf("a hung attestor: %v, %v after %s", reports, err, time.Since(start))
	}
}
