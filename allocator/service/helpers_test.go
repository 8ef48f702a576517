package service

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/nomad/api"

	"github.com/dec2-cloud/dec2/allocator/rewrite"
	"github.com/dec2-cloud/dec2/e2e"
)

// allocator is a server under test, running in-process in front of a region.
type allocator struct {
	*Server
	Addr string
	stop func()
}

// startAllocator serves the allocator in front of region; `default` is a tenant bound to
// e2e.TenantWallet, since these tests pack jobs there.
func startAllocator(t *testing.T, region *e2e.Region, mod func(*Config)) *allocator {
	t.Helper()
	region.BindWallet(t, "default", e2e.TenantWallet)
	cfg := Config{NomadAddr: region.Addr, Token: region.Token, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if testing.Verbose() {
		cfg.Logger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	}
	if mod != nil {
		mod(&cfg)
	}
	s, err := New(cfg)
	if err != nil {
		t.Fatalf("creating the allocator: %v", err)
	}
	ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", e2e.FreePort(t)))
	if err != nil {
		t.Fatalf("listening: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := s.Serve(ctx, ln); err != nil {
			t.Errorf("allocator: %v", err)
		}
	}()
	a := &allocator{Server: s, Addr: "http://" + ln.Addr().String()}
	a.stop = func() {
		cancel()
		select {
		case <-done:
		case <-time.After(15 * time.Second):
			t.Errorf("allocator did not stop within 15s")
		}
	}
	t.Cleanup(a.stop)
	select {
	case <-s.Ready():
	case <-time.After(60 * time.Second):
		t.Fatalf("allocator built no model of the region within 60s")
	}
	return a
}

// api returns a Nomad API client that talks to the allocator.
func (a *allocator) api(t *testing.T, token string) *api.Client {
	t.Helper()
	c, err := api.NewClient(&api.Config{Address: a.Addr, Region: "global", SecretID: token})
	if err != nil {
		t.Fatalf("api client: %v", err)
	}
	return c
}

// nomadVia runs the real nomad CLI against addr.
func nomadVia(t *testing.T, addr, token string, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, e2e.NomadBinary(t), args...)
	cmd.Env = append(cleanEnv(), "NOMAD_ADDR="+addr, "NOMAD_TOKEN="+token)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return string(out), fmt.Errorf("nomad %s: %w\n%s", strings.Join(args, " "), err, out)
	}
	return string(out), nil
}

func cleanEnv() []string {
	var out []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "NOMAD_") {
			out = append(out, kv)
		}
	}
	return out
}

// rawJob is a raw_exec service: count instances of a shell loop that prints a tick a second.
func rawJob(name string, count, cpu, mem int, pack bool) string {
	meta := ""
	if pack {
		meta = `  meta = { "dec2.pack" = "true" }` + "\n"
	}
	return fmt.Sprintf(`job %q {
  type = "service"
%s  group "g" {
    count = %d
    ephemeral_disk { size = 150 }
    task "t" {
      driver = "raw_exec"
      config {
        command = "/bin/sh"
        args    = ["-c", "while true; do echo tick; sleep 1; done"]
      }
      resources {
        cpu    = %d
        memory = %d
      }
    }
  }
}
`, name, meta, count, cpu, mem)
}

func writeJob(t *testing.T, name, hcl string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name+".nomad.hcl")
	if err := os.WriteFile(p, []byte(hcl), 0o644); err != nil {
		t.Fatalf("writing job file: %v", err)
	}
	return p
}

// liveAllocs lists a job's allocations that are not terminal.
func liveAllocs(t *testing.T, c *api.Client, job string) []*api.AllocationListStub {
	t.Helper()
	allocs, _, err := c.Jobs().Allocations(job, false, nil)
	if err != nil {
		t.Fatalf("listing allocations of %s: %v", job, err)
	}
	var out []*api.AllocationListStub
	for _, a := range allocs {
		if a.DesiredStatus == api.AllocDesiredStatusRun && a.ClientStatus != api.AllocClientStatusComplete &&
			a.ClientStatus != api.AllocClientStatusFailed && a.ClientStatus != api.AllocClientStatusLost {
			out = append(out, a)
		}
	}
	return out
}

// waitRunning waits until job has n running allocations and returns them.
func waitRunning(t *testing.T, c *api.Client, job string, n int) []*api.AllocationListStub {
	t.Helper()
	var live []*api.AllocationListStub
	e2e.Poll(t, fmt.Sprintf("%d running allocations of %s", n, job), 3*time.Minute, 500*time.Millisecond, func() (bool, error) {
		// Right after an update the old version's allocations still run: wait for the new one's.
		j, _, err := c.Jobs().Info(job, nil)
		if err != nil {
			return false, nil
		}
		live = liveAllocs(t, c, job)
		running := 0
		for _, a := range live {
			if a.ClientStatus == api.AllocClientStatusRunning && a.JobVersion == *j.Version {
				running++
			}
		}
		return running == n && len(live) == n, nil
	})
	return live
}

// checkPlan fails t unless every live allocation of job sits where its dec2.plan put it,
// instance for instance.
func checkPlan(t *testing.T, c *api.Client, jobID string, live []*api.AllocationListStub) {
	t.Helper()
	job, _, err := c.Jobs().Info(jobID, nil)
	if err != nil {
		t.Fatalf("reading job %s: %v", jobID, err)
	}
	plan, err := rewrite.ReadPlan(job)
	if err != nil || plan == nil {
		t.Fatalf("job %s has no readable dec2.plan (err %v); meta %v", jobID, err, job.Meta)
	}
	want := map[[2]string]int{}
	for _, g := range plan.Groups {
		for _, p := range g.Parts {
			for _, n := range p.Nodes {
				want[[2]string{p.Name, n}] += p.PerNode
			}
		}
	}
	got := map[[2]string]int{}
	for _, a := range live {
		got[[2]string{a.TaskGroup, a.NodeID}]++
	}
	for k, n := range got {
		if want[k] != n {
			b, _ := json.Marshal(plan)
			t.Errorf("job %s: %d allocation(s) of %s on node %s, the plan says %d (plan %s)", jobID, n, k[0], k[1], want[k], b)
		}
	}
	for k, n := range want {
		if got[k] != n {
			t.Errorf("job %s: plan puts %d of %s on node %s, Nomad has %d there", jobID, n, k[0], k[1], got[k])
		}
	}
}

func httpGet(t *testing.T, url string) (int, string, http.Header) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}
