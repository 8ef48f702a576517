package instances_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/nomad/api"

	"github.com/dec2-cloud/dec2/instances"
)

// fakeNomad answers the reads and writes instances.Client makes, from a script: each path's
// answers are served in turn, the last one repeated; it records the requests it got.
type fakeNomad struct {
	mu      sync.Mutex
	answers map[string][]any
	got     []string
}

func (f *fakeNomad) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	key := r.Method + " " + r.URL.Path
	if r.URL.Query().Get("purge") == "true" {
		key += "?purge"
	}
	f.got = append(f.got, key)
	as := f.answers[key]
	if len(as) == 0 {
		http.Error(w, "job not found", http.StatusNotFound)
		return
	}
	a := as[0]
	if len(as) > 1 {
		f.answers[key] = as[1:]
	}
	w.Header().Set("X-Nomad-Index", "1")
	w.Header().Set("X-Nomad-LastContact", "0")
	w.Header().Set("X-Nomad-KnownLeader", "true")
	json.NewEncoder(w).Encode(a)
}

func (f *fakeNomad) requests() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Compact(slices.Clone(f.got))
}

func client(t *testing.T, f *fakeNomad) *instances.Client {
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	cfg := api.DefaultConfig()
	cfg.Address = srv.URL
	c, err := api.NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ic := instances.New(c, nil)
	ic.Poll = time.Millisecond
	return ic
}

// Stop with purge stops the job, waits until its allocations stop, and only then purges it.
func TestStopPurgesAfterTheAllocationsStop(t *testing.T) {
	f := &fakeNomad{answers: map[string][]any{
		"GET /v1/job/web":          {job()},
		"DELETE /v1/job/web":       {api.JobDeregisterResponse{EvalID: "e"}},
		"DELETE /v1/job/web?purge": {api.JobDeregisterResponse{}},
		"GET /v1/job/web/allocations": {
			[]*api.AllocationListStub{stub("web.instance[0]", 2, "stop", "running")},
			[]*api.AllocationListStub{stub("web.instance[0]", 2, "stop", "complete")},
		},
	}}
	if err := client(t, f).Stop(context.Background(), "web", true, true); err != nil {
		t.Fatal(err)
	}
	want := []string{"GET /v1/job/web", "DELETE /v1/job/web", "GET /v1/job/web/allocations", "DELETE /v1/job/web?purge"}
	if got := f.requests(); !slices.Equal(got, want) {
		t.Errorf("requests %q, want %q", got, want)
	}

	f = &fakeNomad{answers: map[string][]any{}}
	if err := client(t, f).Stop(context.Background(), "web", false, true); !errors.Is(err, instances.ErrNotFound) {
		t.Errorf("stopping an unknown instance: %v, want ErrNotFound", err)
	}

	f = &fakeNomad{answers: map[string][]any{
		"GET /v1/job/web":             {job()},
		"DELETE /v1/job/web":          {api.JobDeregisterResponse{}},
		"GET /v1/job/web/allocations": {[]*api.AllocationListStub{stub("web.instance[0]", 2, "stop", "running")}},
	}}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	var late *instances.StillRunningError
	if err := client(t, f).Stop(ctx, "web", true, true); !errors.As(err, &late) || !errors.Is(err, context.DeadlineExceeded) ||
		!slices.Equal(late.Live, []string{"web.instance[0] on p1"}) {
		t.Errorf("allocations that do not stop: %v", err)
	}
	if slices.Contains(f.requests(), "DELETE /v1/job/web?purge") {
		t.Error("purged a job whose allocations still run")
	}
}

// Wait follows the registration's evaluation, then the copies, then their health, saying so.
func TestWaitUntilHealthy(t *testing.T) {
	running := []*api.AllocationListStub{
		stub("web.instance[0]", 2, "run", "running"), stub("web.instance#2[0]", 2, "run", "running"), stub("web.instance#2[1]", 2, "run", "running")}
	f := &fakeNomad{answers: map[string][]any{
		"GET /v1/evaluation/e1": {api.Evaluation{Status: "pending"}, api.Evaluation{Status: "complete"}},
		"GET /v1/job/web":       {job()},
		"GET /v1/job/web/allocations": {
			[]*api.AllocationListStub{stub("web.instance[0]", 2, "run", "pending")},
			running,
		},
		"GET /v1/job/web/deployment": {
			api.Deployment{JobVersion: 2, Status: "running"}, api.Deployment{JobVersion: 2, Status: "running"},
			api.Deployment{JobVersion: 2, Status: "successful"}},
	}}
	var said []string
	if err := client(t, f).Wait(context.Background(), "web", "e1", func(s string) { said = append(said, s) }); err != nil {
		t.Fatal(err)
	}
	want := []string{"placing web (evaluation pending)", "web: 0/3 running, 1 starting", "web: 3/3 running, 0 starting, deployment running"}
	if said = slices.Compact(said); !slices.Equal(said, want) {
		t.Errorf("progress %q, want %q", said, want)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	f.answers["GET /v1/job/web/deployment"] = []any{api.Deployment{JobVersion: 2, Status: "running"}}
	var late *instances.NotRunningError
	err := client(t, f).Wait(ctx, "web", "", nil)
	if !errors.As(err, &late) || !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(late.State.Detail(), "3 of 3 running at version 2") {
		t.Errorf("never healthy: %v", err)
	}
}
