package service

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/dec2-cloud/dec2/allocator/pack"
)

// GET /dec2/packing answers the last decision's figures, and says when there is none yet.
func TestPackingAnswersTheLastDecision(t *testing.T) {
	s, err := New(Config{NomadAddr: "http://127.0.0.1:1", Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	s.now = func() time.Time { return at }
	h := s.Handler()
	read := func() Packing {
		t.Helper()
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, PackingPath, nil))
		if w.Code != http.StatusOK || w.Header().Get("Content-Type") != "application/json" {
			t.Fatalf("GET %s: %d %q\n%s", PackingPath, w.Code, w.Header().Get("Content-Type"), w.Body)
		}
		var p Packing
		if err := json.Unmarshal(w.Body.Bytes(), &p); err != nil {
			t.Fatalf("decoding %s: %v", w.Body, err)
		}
		return p
	}
	if p := read(); p.Decided || p.Stats.NodesUsed != 0 {
		t.Fatalf("before any packing: %+v, want none decided", p)
	}
	st := pack.Stats{NodesUsed: 3, LowerBound: 2, Bound: "cover", Stranded: pack.Stranded{CPUMHz: 500, MemoryMB: 256, GPUs: 1}, Algorithm: "ffd-dominant"}
	s.recordPacking(st)
	p := read()
	if !p.Decided || !p.At.Equal(at) || p.Stats.NodesUsed != 3 || p.Stats.LowerBound != 2 || p.Stats.Bound != "cover" ||
		p.Stats.Stranded != st.Stranded || p.Stats.Algorithm != "ffd-dominant" {
		t.Fatalf("after a packing: %+v, want %+v at %s", p, st, at)
	}
}
