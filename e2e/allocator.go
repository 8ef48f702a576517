package e2e

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// Allocator is `dec2-allocator serve` running as a process in front of a region, as users run
// it: the nomad CLI pointed at Addr packs opted-in jobs onto the region's providers.
type Allocator struct {
	Addr string // http://127.0.0.1:port
	// Log is the allocator's log file.
	Log string

	region *Region
	cmd    *exec.Cmd
	exited chan struct{}
}

// StartAllocator builds dec2-allocator, serves it on a free port in front of r (with r's
// token for its own reads), waits until it has built its model of the region, and stops it at
// cleanup. args are added to `serve`, e.g. "--pack-all".
func StartAllocator(t TB, r *Region, args ...string) *Allocator {
	t.Helper()
	bin := BuildBinary(t, "./allocator/cmd/dec2-allocator")
	dir, err := os.MkdirTemp("", "dec2-allocator-")
	if err != nil {
		t.Fatalf("creating the allocator's dir: %v", err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	a := &Allocator{Addr: fmt.Sprintf("http://127.0.0.1:%d", FreePort(t)), Log: filepath.Join(dir, "allocator.log"), region: r, exited: make(chan struct{})}
	logFile, err := os.Create(a.Log)
	if err != nil {
		t.Fatalf("creating the allocator's log: %v", err)
	}
	defer logFile.Close()
	a.cmd = exec.Command(bin, append([]string{"serve", "--listen", strings.TrimPrefix(a.Addr, "http://"), "--nomad-addr", r.Addr}, args...)...)
	a.cmd.Env = append(withoutEnv(os.Environ(), "NOMAD_ADDR", "NOMAD_TOKEN"), "NOMAD_TOKEN="+r.Token)
	a.cmd.Stdout, a.cmd.Stderr = logFile, logFile
	a.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := a.cmd.Start(); err != nil {
		t.Fatalf("starting dec2-allocator: %v", err)
	}
	go func() { _ = a.cmd.Wait(); close(a.exited) }()
	t.Cleanup(a.stop)
	// The model is built once the first rebuild is counted on /metrics.
	Poll(t, "dec2-allocator to read the region", time.Minute, 200*time.Millisecond, func() (bool, error) {
		select {
		case <-a.exited:
			return false, fmt.Errorf("dec2-allocator exited:\n%s", a.logTail())
		default:
		}
		resp, err := http.Get(a.Addr + "/metrics")
		if err != nil {
			return false, nil
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return strings.Contains(string(body), "\ndec2_allocator_state_rebuilds_total 1"), nil
	})
	return a
}

// Nomad runs the real nomad CLI through the allocator, with the region's token.
func (a *Allocator) Nomad(t TB, args ...string) (string, error) {
	t.Helper()
	via := *a.region
	via.Addr = a.Addr
	return via.Nomad(t, args...)
}

func (a *Allocator) stop() {
	_ = a.cmd.Process.Signal(syscall.SIGTERM)
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	select {
	case <-a.exited:
	case <-ctx.Done():
		_ = syscall.Kill(-a.cmd.Process.Pid, syscall.SIGKILL)
		<-a.exited
	}
}

func (a *Allocator) logTail() string {
	b, _ := os.ReadFile(a.Log)
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	return strings.Join(lines[max(0, len(lines)-20):], "\n")
}
