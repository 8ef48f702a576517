package reputation

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"strings"
	"testing"
	"time"
)

func near(a, b float64) bool { return math.Abs(a-b) < 1e-12 }

// Storj's update, worked by hand from α = 1, β = 0: a failure with λ = 0.95 gives α = 0.95,
// β = 1; a success after it α = 0.95·0.95 + 1, β = 0.95.
func TestBetaUpdate(t *testing.T) {
	b := Beta{Alpha: 1}
	b.Update(false, 0.95, 1)
	if !near(b.Alpha, 0.95) || !near(b.Beta, 1) || !near(b.Score(), 0.95/1.95) {
		t.Fatalf("after a failure: %+v score %g", b, b.Score())
	}
	b.Update(true, 0.95, 1)
	if !near(b.Alpha, 0.95*0.95+1) || !near(b.Beta, 0.95) {
		t.Fatalf("after a success: %+v", b)
	}
	b.Update(true, 0.95, 2)
	if !near(b.Alpha, 0.95*(0.95*0.95+1)+2) || !near(b.Beta, 0.95*0.95) {
		t.Fatalf("a success of weight 2: %+v", b)
	}
	// λ < 1 forgets: a long run of successes outweighs an old outage.
	for range 100 {
		b.Update(true, 0.95, 1)
	}
	if b.Score() < 0.99 {
		t.Fatalf("after 100 successes the score is %g", b.Score())
	}
	if (Beta{}).Score() != 0 {
		t.Fatal("a reputation with no weight scores above 0")
	}
}

// A newcomer scores 1, keeps its work after one missed check (0.95 under the defaults), and
// falls below the threshold only after a run of failures.
func TestNewcomer(t *testing.T) {
	p := DefaultParams()
	b := NewBeta(p)
	if b.Score() != 1 || !near(b.Alpha, 20) {
		t.Fatalf("newcomer %+v scores %g", b, b.Score())
	}
	b.Update(false, p.Lambda, p.Weight)
	if !near(b.Score(), 0.95) {
		t.Fatalf("after one failure the score is %g, want 0.95", b.Score())
	}
	fails := 1
	for b.Score() >= p.Threshold {
		b.Update(false, p.Lambda, p.Weight)
		fails++
	}
	if fails < 5 || fails > 15 {
		t.Fatalf("%d failures in a row bring a newcomer below %g", fails, p.Threshold)
	}
	if NewBeta(Params{Lambda: 1, Weight: 1}).Score() != 1 {
		t.Fatal("with λ = 1 a newcomer does not score 1")
	}
}

func TestParamsValidate(t *testing.T) {
	if err := DefaultParams().Validate(); err != nil {
		t.Fatalf("defaults: %v", err)
	}
	for _, p := range []Params{
		{Lambda: 0, Weight: 1, Threshold: 0.6},
		{Lambda: 1.01, Weight: 1, Threshold: 0.6},
		{Lambda: math.NaN(), Weight: 1, Threshold: 0.6},
		{Lambda: 0.9, Weight: 0, Threshold: 0.6},
		{Lambda: 0.9, Weight: math.Inf(1), Threshold: 0.6},
		{Lambda: 0.9, Weight: 1, Threshold: -0.1},
		{Lambda: 0.9, Weight: 1, Threshold: math.NaN()},
	} {
		if err := p.Validate(); !errors.Is(err, ErrBadParams) {
			t.Errorf("%+v: %v, want ErrBadParams", p, err)
		}
		if _, err := NewBook(p); err == nil {
			t.Errorf("NewBook(%+v) succeeded", p)
		}
	}
}

func TestBookReport(t *testing.T) {
	b, err := NewBook(DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	b.ObserveUptime("n2", true)
	for range 10 { // from a newcomer's prior, k failures score 0.95^k; 0.95^10 < 0.6
		b.ObserveUptime("n1", false)
	}
	b.SetWallet("n1", "0xabc")
	b.SetSlashes("n1", 2)
	b.ObserveAudit("n3", true)
	b.ObserveUptime("n3", false)
	b.ObserveUptime("n3", true)
	b.ObserveUptime("n3", true)
	b.ObserveAudit("n3", false)
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	r := b.Report("0xattestor", at)
	if r.Attestor != "0xattestor" || !r.At.Equal(at) || r.Threshold != 0.6 || len(r.Providers) != 3 {
		t.Fatalf("report: %+v", r)
	}
	for i, id := range []string{"n1", "n2", "n3"} {
		if r.Providers[i].NodeID != id {
			t.Fatalf("providers not sorted by node ID: %+v", r.Providers)
		}
	}
	n1, n2, n3 := r.Providers[0], r.Providers[1], r.Providers[2]
	if n1.Wallet != "0xabc" || n1.Slashes != 2 || n1.Eligible || !near(n1.Score, math.Pow(0.95, 10)) || n1.Audit != 1 {
		t.Errorf("n1: %+v", n1)
	}
	if !n2.Eligible || n2.Score != 1 {
		t.Errorf("n2: %+v", n2)
	}
	if !near(n3.Score, n3.Uptime*n3.Audit) || n3.Uptime == 1 || n3.Audit == 1 || n3.Eligible != (n3.Score >= 0.6) {
		t.Errorf("n3: %+v", n3)
	}
	if err := r.Validate(); err != nil {
		t.Errorf("a book's own report is invalid: %v", err)
	}
}

// A book keeps each lost piece once, the newest MaxLost, and its report lists them.
func TestBookLostPieces(t *testing.T) {
	b, err := NewBook(DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	b.ObserveLoss(LostPiece{NodeID: "n1", Provider: "0xabc", PieceID: "p0", Outcome: "missing", At: at})
	b.ObserveLoss(LostPiece{NodeID: "n1", Provider: "0xabc", PieceID: "p0", Outcome: "corrupt", At: at.Add(time.Hour)})
	if r := b.Report("a", at); len(r.Lost) != 1 || r.Lost[0].Outcome != "missing" {
		t.Fatalf("a piece observed lost twice: %+v, want its first record once", r.Lost)
	}
	for i := 1; i <= MaxLost; i++ {
		b.ObserveLoss(LostPiece{NodeID: "n2", PieceID: fmt.Sprintf("p%d", i), Outcome: "corrupt", At: at})
	}
	r := b.Report("a", at)
	if len(r.Lost) != MaxLost || r.Lost[0].PieceID != "p1" || r.Lost[MaxLost-1].PieceID != fmt.Sprintf("p%d", MaxLost) {
		t.Fatalf("after %d more losses: %d kept, first %s: want the newest %d", MaxLost, len(r.Lost), r.Lost[0].PieceID, MaxLost)
	}
	data, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	got, err := ParseReport(data)
	if err != nil || len(got.Lost) != MaxLost || got.Lost[0] != r.Lost[0] {
		t.Fatalf("round trip of the lost pieces: %d, %v", len(got.Lost), err)
	}
}

func report(attestor string, threshold float64, scores map[string]float64) Report {
	r := Report{Attestor: attestor, Threshold: threshold}
	for id, s := range scores {
		r.Providers = append(r.Providers, Provider{NodeID: id, Uptime: s, Audit: 1, Score: s, Eligible: s >= threshold})
	}
	return r
}

func TestCombine(t *testing.T) {
	a := report("a", 0.6, map[string]float64{"good": 0.9, "bad": 0.2, "split": 0.9, "one": 0.3})
	b := report("b", 0.6, map[string]float64{"good": 0.95, "bad": 0.3, "split": 0.1})
	liar := report("liar", 0.6, map[string]float64{"good": 0, "bad": 1})
	for _, tc := range []struct {
		name    string
		reports []Report
		want    map[string]Combined
	}{
		{"one liar of three excludes nobody and includes nobody", []Report{a, b, liar}, map[string]Combined{
			"good": {Score: 0.9, Eligible: true, Attestors: 3}, "bad": {Score: 0.3, Eligible: false, Attestors: 3},
			"split": {Score: 0.9, Eligible: true, Attestors: 2}, "one": {Score: 0.3, Eligible: false, Attestors: 1}}},
		{"of two, one alone cannot exclude", []Report{a, liar}, map[string]Combined{
			"good": {Score: 0.9, Eligible: true, Attestors: 2}, "bad": {Score: 1, Eligible: true, Attestors: 2},
			"split": {Score: 0.9, Eligible: true, Attestors: 1}, "one": {Score: 0.3, Eligible: false, Attestors: 1}}},
		{"none", nil, map[string]Combined{}},
	} {
		got := Combine(tc.reports)
		if len(got) != len(tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
		for id, w := range tc.want {
			if g := got[id]; g != w {
				t.Errorf("%s: %s = %+v, want %+v", tc.name, id, g, w)
			}
		}
	}
	// Each attestor is judged by its own threshold: 0.5 passes a 0.4 threshold, not a 0.6 one.
	lenient := report("lenient", 0.4, map[string]float64{"n": 0.5})
	strict := report("strict", 0.6, map[string]float64{"n": 0.5})
	if c := Combine([]Report{lenient, lenient, strict})["n"]; !c.Eligible {
		t.Errorf("two lenient attestors of three: %+v", c)
	}
	if c := Combine([]Report{lenient, strict, strict})["n"]; c.Eligible {
		t.Errorf("two strict attestors of three: %+v", c)
	}
}

// AuditScores is the upper median of the audit scores of the attestors that know a node: one
// attestor of three cannot push a node below a bar, nor lift it above one.
func TestAuditScores(t *testing.T) {
	audits := func(attestor string, a map[string]float64) Report {
		r := Report{Attestor: attestor, Threshold: 0.6}
		for id, v := range a {
			r.Providers = append(r.Providers, Provider{NodeID: id, Uptime: 1, Audit: v, Score: v})
		}
		return r
	}
	got := AuditScores([]Report{
		audits("a", map[string]float64{"good": 1, "lossy": 0.85, "one": 0.5}),
		audits("b", map[string]float64{"good": 0.99, "lossy": 0.8}),
		audits("liar", map[string]float64{"good": 0, "lossy": 1}),
	})
	want := map[string]float64{"good": 0.99, "lossy": 0.85, "one": 0.5}
	if !maps.Equal(got, want) {
		t.Errorf("AuditScores = %v, want %v", got, want)
	}
	if got := AuditScores(nil); len(got) != 0 {
		t.Errorf("no reports: %v", got)
	}
}

func TestParseReport(t *testing.T) {
	b, _ := NewBook(DefaultParams())
	for range 10 {
		b.ObserveUptime("n1", false)
	}
	b.SetWallet("n1", "0xabc")
	want := b.Report("0xattestor", time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
	data, err := json.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{`"node_id":"n1"`, `"wallet":"0xabc"`, `"eligible":false`, `"slashes":0`, `"threshold":0.6`, `"at":"2026-01-02T03:04:05Z"`} {
		if !strings.Contains(string(data), key) {
			t.Errorf("the wire form %s lacks %s", data, key)
		}
	}
	got, err := ParseReport(data)
	if err != nil || got.Attestor != want.Attestor || !got.At.Equal(want.At) || len(got.Providers) != 1 || got.Providers[0] != want.Providers[0] {
		t.Fatalf("round trip: %+v, %v; want %+v", got, err, want)
	}
	if _, err := ParseReport([]byte(`{"attestor":"a","threshold":0.6,"providers":[],"future":1}`)); err != nil {
		t.Errorf("an unknown field is refused: %v", err)
	}
	for _, bad := range []string{
		`{`,
		`{"attestor":"a","threshold":0.6} {}`,
		`{"threshold":0.6}`,
		`{"attestor":"a","threshold":1.5}`,
		`{"attestor":"a","threshold":0.6,"providers":[{"uptime":1,"audit":1,"score":1}]}`,
		`{"attestor":"a","threshold":0.6,"providers":[{"node_id":"n","uptime":1,"audit":1,"score":1},{"node_id":"n","uptime":1,"audit":1,"score":1}]}`,
		`{"attestor":"a","threshold":0.6,"providers":[{"node_id":"n","uptime":-0.1,"audit":1,"score":1}]}`,
		`{"attestor":"a","threshold":0.6,"providers":[{"node_id":"n","uptime":1,"audit":2,"score":1}]}`,
		`{"attestor":"a","threshold":0.6,"providers":[{"node_id":"n","uptime":1,"audit":1,"score":1e400}]}`,
		`{"attestor":"a","threshold":0.6,"providers":[],"lost":[{"node_id":"n","piece_id":""}]}`,
		`{"attestor":"a","threshold":0.6,"providers":[],"lost":[{"piece_id":"p"}]}`,
	} {
		if _, err := ParseReport([]byte(bad)); !errors.Is(err, ErrBadReport) {
			t.Errorf("ParseReport(%s) = %v, want ErrBadReport", bad, err)
		}
	}
}

// Whatever bytes come from an attestor, a report that parses is one Combine may take: every
// score finite and in [0, 1], each node once.
func FuzzParseReport(f *testing.F) {
	f.Add([]byte(`{"attestor":"a","at":"2026-01-02T03:04:05Z","threshold":0.6,"providers":[{"node_id":"n","uptime":0.5,"audit":1,"score":0.5,"eligible":false,"slashes":1}]}`))
	f.Add([]byte(`{"attestor":"a","threshold":0.6,"providers":[{"node_id":"n","uptime":-1,"audit":1,"score":1}]}`))
	f.Add([]byte(`{"attestor":"a","threshold":0.6,"providers":null}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := ParseReport(data)
		if err != nil {
			if !errors.Is(err, ErrBadReport) {
				t.Fatalf("error %v does not wrap ErrBadReport", err)
			}
			return
		}
		seen := map[string]bool{}
		for _, p := range r.Providers {
			if seen[p.NodeID] || p.NodeID == "" {
				t.Fatalf("node %q twice or unnamed", p.NodeID)
			}
			seen[p.NodeID] = true
			for _, v := range []float64{p.Uptime, p.Audit, p.Score} {
				if !(v >= 0 && v <= 1) {
					t.Fatalf("score %g out of range in %s", v, data)
				}
			}
		}
		for id, c := range Combine([]Report{r, r}) {
			if !(c.Score >= 0 && c.Score <= 1) || c.Attestors != 2 {
				t.Fatalf("combined %s = %+v", id, c)
			}
		}
	})
}
