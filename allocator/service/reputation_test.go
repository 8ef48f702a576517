package service

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dec2-cloud/dec2/allocator/admission"
	"github.com/dec2-cloud/dec2/allocator/pack"
	"github.com/dec2-cloud/dec2/e2e"
	"github.com/dec2-cloud/dec2/reputation"
)

// fakeAttestor serves a report whose scores the test sets; nodes it omits are newcomers.
type fakeAttestor struct {
	*httptest.Server
	mu     sync.Mutex
	scores map[string]float64
}

func startAttestor(t *testing.T, name string) *fakeAttestor {
	t.Helper()
	a := &fakeAttestor{scores: map[string]float64{}}
	a.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v1/reputation" {
			http.NotFound(w, r)
			return
		}
		a.mu.Lock()
		rep := reputation.Report{Attestor: name, At: time.Now(), Threshold: 0.6}
		for id, s := range a.scores {
			rep.Providers = append(rep.Providers, reputation.Provider{NodeID: id, Uptime: s, Audit: 1, Score: s, Eligible: s >= 0.6})
		}
		a.mu.Unlock()
		_ = json.NewEncoder(w).Encode(rep)
	}))
	t.Cleanup(a.Close)
	return a
}

func (a *fakeAttestor) set(node string, score float64) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.scores[node] = score
}

func quietServer(t *testing.T, cfg Config) *Server {
	t.Helper()
	cfg.NomadAddr, cfg.Logger = "http://127.0.0.1:1", slog.New(slog.NewTextHandler(io.Discard, nil))
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// The refresher combines what the attestors that answer say, counts the nodes kept out, and
// forgets the view once no attestor has answered for staleAfter intervals.
func TestReputationRefresh(t *testing.T) {
	a, b, c := startAttestor(t, "a"), startAttestor(t, "b"), startAttestor(t, "c")
	for _, at := range []*fakeAttestor{a, b} {
		at.set("low", 0.2)
		at.set("high", 0.9)
	}
	c.set("low", 1)  // alone, it cannot vouch for a node two others rate low
	c.set("high", 0) // nor keep out one they rate well
	s := quietServer(t, Config{ReputationURLs: []string{a.URL, b.URL, c.URL}, ReputationEvery: time.Minute})
	now := time.Now()
	s.now = func() time.Time { return now }
	client := &http.Client{}
	ctx := context.Background()

	if rep := s.rep.Load(); !rep.eligible("low") {
		t.Fatal("before the first refresh a node is kept out")
	}
	s.refreshReputationsOnce(ctx, client)
	rep := s.rep.Load()
	if rep.eligible("low") || !rep.eligible("high") || !rep.eligible("newcomer") {
		t.Fatalf("combined view: %+v", rep.nodes)
	}
	nodes := []pack.Node{{ID: "low"}, {ID: "high"}, {ID: "newcomer"}}
	rep.score(nodes)
	if nodes[0].Reputation != 0.2 || nodes[1].Reputation != 0.9 || nodes[2].Reputation != 1 {
		t.Errorf("reputations: %+v", nodes)
	}
	if body := metricsBody(t, s); !strings.Contains(body, "dec2_allocator_ineligible_nodes 1") {
		t.Errorf("metrics lack 1 ineligible node:\n%s", grepLines(body, "ineligible"))
	}

	// One attestor down: the two left decide, and split one to one they keep nobody out.
	a.Close()
	s.refreshReputationsOnce(ctx, client)
	if rep := s.rep.Load(); !rep.eligible("low") || rep.nodes["low"].Attestors != 2 {
		t.Errorf("with one attestor down: %+v", rep.nodes)
	}
	// All down: the last view holds for a while, then every node gets work again.
	b.Close()
	c.Close()
	now = now.Add(staleAfter * time.Minute)
	s.refreshReputationsOnce(ctx, client)
	if s.rep.Load() == nil {
		t.Fatal("the view was dropped before it went stale")
	}
	now = now.Add(2 * time.Minute)
	s.refreshReputationsOnce(ctx, client)
	if rep := s.rep.Load(); rep != nil || !rep.eligible("low") {
		t.Errorf("a stale view still keeps nodes out: %+v", rep)
	}
	if body := metricsBody(t, s); !strings.Contains(body, "dec2_allocator_ineligible_nodes 0") {
		t.Errorf("metrics still count ineligible nodes:\n%s", grepLines(body, "ineligible"))
	}
}

func metricsBody(t *testing.T, s *Server) string {
	t.Helper()
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	return rec.Body.String()
}

func TestReputationConfig(t *testing.T) {
	for _, u := range []string{"10.0.0.5:4658", "ftp://x", "http://"} {
		if _, err := New(Config{NomadAddr: "http://127.0.0.1:4646", ReputationURLs: []string{u}}); err == nil || !strings.Contains(err.Error(), u) {
			t.Errorf("attestor URL %q: %v", u, err)
		}
	}
}

// A refusal says when nodes were left out for their reputation, and only then.
func TestExplainReputationRefusal(t *testing.T) {
	noRoom := admission.Refuse(admission.Unplaceable, `cannot place job "j" in namespace "ns" on the 1 node(s) it may use: group "g": no room`)
	if got := explain(noRoom, "j", "ns", 1, 0); got != noRoom {
		t.Errorf("nothing excluded, yet the refusal changed: %v", got)
	}
	bad := admission.Refuse(admission.BadInput, "malformed")
	if got := explain(bad, "j", "ns", 0, 3); got != bad {
		t.Errorf("bad input got a reputation reason: %v", got)
	}
	got := explain(noRoom, "j", "ns", 1, 2)
	if r, ok := got.(*admission.Refusal); !ok || r.Kind != admission.Unplaceable || !strings.HasPrefix(r.Msg, noRoom.Msg) ||
		!strings.Contains(r.Msg, "2 more node(s) get no new work") {
		t.Errorf("some excluded: %v", got)
	}
	got = explain(noRoom, "j", "ns", 0, 2)
	if r, ok := got.(*admission.Refusal); !ok || r.Kind != admission.Unplaceable || !strings.Contains(r.Msg, `job "j" in namespace "ns": all 2 node(s) it may use get no new work`) {
		t.Errorf("all excluded: %v", got)
	}
}

// On real Nomad: a node a majority of attestors rate low gets no new instance, while what
// already runs on it stays, and a refusal names the nodes kept out.
func TestLowReputationGetsNoNewWork(t *testing.T) {
	e2e.RequireIntegration(t)
	region := e2e.StartRegion(t, e2e.Options{Clients: []e2e.Client{
		{Name: "a", CPUMHz: 4000, MemoryMB: 2048, RawExec: true},
		{Name: "b", CPUMHz: 4000, MemoryMB: 2048, RawExec: true},
	}})
	nodeA, nodeB := region.NodeID(t, "a"), region.NodeID(t, "b")
	one, two := startAttestor(t, "one"), startAttestor(t, "two")
	al := startAllocator(t, region, func(c *Config) {
		c.ReputationURLs, c.ReputationEvery = []string{one.URL, two.URL}, 100*time.Millisecond
	})
	waitView := func(eligibleA bool) {
		e2e.Poll(t, "the attestors' view", 10*time.Second, 50*time.Millisecond, func() (bool, error) {
			rep := al.rep.Load()
			return rep != nil && rep.eligible(nodeA) == eligibleA, nil
		})
	}
	waitView(true)

	// One instance of 1200 MiB per node: both nodes in use.
	early := writeJob(t, "early", rawJob("early", 2, 100, 1200, true))
	if out, err := nomadVia(t, al.Addr, "", "job", "run", "-detach", early); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	before := waitRunning(t, region.API, "early", 2)

	one.set(nodeA, 0.1)
	two.set(nodeA, 0.3)
	waitView(false)

	if out, err := nomadVia(t, al.Addr, "", "job", "run", "-detach", writeJob(t, "late", rawJob("late", 1, 100, 256, true))); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if late := waitRunning(t, region.API, "late", 1); late[0].NodeID != nodeB {
		t.Errorf("a new instance went to the node the attestors rate low (%s), not to %s", late[0].NodeID, nodeB)
	}
	// Resubmitted unchanged, the job already running on the low node stays where it is.
	if out, err := nomadVia(t, al.Addr, "", "job", "run", "-detach", early); err != nil {
		t.Fatalf("resubmitting a job running on the low node: %v\n%s", err, out)
	}
	if after := waitRunning(t, region.API, "early", 2); !slices.Equal(allocIDs(before), allocIDs(after)) {
		t.Errorf("the running instances moved: %v → %v", allocIDs(before), allocIDs(after))
	}
	// 800 MiB fits only on node a (b has 2048 − 1200 − 256 left): refused, saying why.
	out, err := nomadVia(t, al.Addr, "", "job", "run", "-detach", writeJob(t, "more", rawJob("more", 1, 100, 800, true)))
	if err == nil || !strings.Contains(out, "1 more node(s) get no new work, their reputation with the attestors being below the threshold") {
		t.Errorf("a job only the low node could take: err %v, CLI printed:\n%s", err, out)
	}
	t.Logf("refused for reputation, as the CLI prints it:\n%s", out)

	// Rated well again, it takes work again.
	one.set(nodeA, 0.9)
	waitView(true)
	if out, err := nomadVia(t, al.Addr, "", "job", "run", "-detach", writeJob(t, "more", rawJob("more", 1, 100, 800, true))); err != nil {
		t.Fatalf("after the node recovered: %v\n%s", err, out)
	}
	if more := waitRunning(t, region.API, "more", 1); more[0].NodeID != nodeA {
		t.Errorf("the recovered node took no work: placed on %s", more[0].NodeID)
	}
}
