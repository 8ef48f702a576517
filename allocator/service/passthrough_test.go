package service

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/nomad/api"

	"github.com/dec2-cloud/dec2/e2e"
)

// Through the allocator, the nomad CLI works as against Nomad: status, job run and status,
// logs -f (a stream), alloc exec (a websocket), and blocking queries; and a packed job's
// allocations land exactly where its plan says.
func TestPassThroughFidelity(t *testing.T) {
	e2e.RequireIntegration(t)
	region := e2e.StartRegion(t, e2e.Options{Clients: []e2e.Client{
		{Name: "small", CPUMHz: 2000, MemoryMB: 2048, RawExec: true},
		{Name: "big1", CPUMHz: 4000, MemoryMB: 4096, RawExec: true},
		{Name: "big2", CPUMHz: 4000, MemoryMB: 4096, RawExec: true},
	}})
	al := startAllocator(t, region, nil)

	if out, err := nomadVia(t, al.Addr, "", "node", "status"); err != nil || strings.Count(out, "ready") != 3 {
		t.Fatalf("nomad node status through the allocator: %v\n%s", err, out)
	}

	// A blocking query on the job list, released by the registration below.
	code, _, hdr := httpGet(t, al.Addr+"/v1/jobs")
	if code != http.StatusOK || hdr.Get("X-Nomad-Index") == "" {
		t.Fatalf("GET /v1/jobs through the allocator: %d, X-Nomad-Index %q", code, hdr.Get("X-Nomad-Index"))
	}
	// An empty job table answers index 0, which never blocks.
	index, _ := strconv.ParseUint(hdr.Get("X-Nomad-Index"), 10, 64)
	index = max(index, 1)
	blocked := make(chan uint64, 1)
	go func() {
		resp, err := http.Get(fmt.Sprintf("%s/v1/jobs?index=%d&wait=60s", al.Addr, index))
		if err != nil {
			blocked <- 0
			return
		}
		resp.Body.Close()
		n, _ := strconv.ParseUint(resp.Header.Get("X-Nomad-Index"), 10, 64)
		blocked <- n
	}()

	out, err := nomadVia(t, al.Addr, "", "job", "run", "-detach", writeJob(t, "ticker", rawJob("ticker", 3, 500, 256, true)))
	if err != nil {
		t.Fatalf("nomad job run through the allocator: %v", err)
	}
	t.Logf("nomad job run:\n%s", out)
	select {
	case n := <-blocked:
		if n <= index {
			t.Errorf("blocking query returned index %d, want > %d once a job was registered", n, index)
		}
	case <-time.After(90 * time.Second):
		t.Errorf("blocking query through the allocator did not return after a registration")
	}

	live := waitRunning(t, region.API, "ticker", 3)
	checkPlan(t, region.API, "ticker", live)

	if out, err := nomadVia(t, al.Addr, "", "job", "status", "ticker"); err != nil || !strings.Contains(out, "running") {
		t.Errorf("nomad job status through the allocator: %v\n%s", err, out)
	}

	// logs -f: a stream that only ever ends when we stop it.
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	logs := exec.CommandContext(ctx, e2e.NomadBinary(t), "alloc", "logs", "-f", live[0].ID, "t")
	logs.Env = append(cleanEnv(), "NOMAD_ADDR="+al.Addr)
	stdout, err := logs.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := logs.Start(); err != nil {
		t.Fatalf("starting nomad alloc logs -f: %v", err)
	}
	sc := bufio.NewScanner(stdout)
	ticks := 0
	started := time.Now()
	for ticks < 3 && sc.Scan() {
		if sc.Text() == "tick" {
			ticks++
		}
	}
	// Three ticks a second apart prove lines arrive as written, not when the stream ends.
	if ticks < 3 || time.Since(started) < time.Second {
		t.Errorf("nomad alloc logs -f through the allocator: %d ticks after %s", ticks, time.Since(started))
	}
	cancel()
	_ = logs.Wait()

	out, err = nomadVia(t, al.Addr, "", "alloc", "exec", "-task", "t", live[1].ID, "/bin/echo", "hello-through-websocket")
	if err != nil || !strings.Contains(out, "hello-through-websocket") {
		t.Errorf("nomad alloc exec through the allocator: %v\n%s", err, out)
	}

	_, metrics, _ := httpGet(t, al.Addr+"/metrics")
	if !strings.Contains(metrics, `dec2_allocator_decisions_total{call="register",outcome="packed"} 1`) {
		t.Errorf("metrics lack the packed registration:\n%s", grepLines(metrics, "dec2_"))
	}
}

func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

var _ = api.AllocClientStatusRunning
