package main

import (
	"bufio"
	"bytes"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/dec2-cloud/dec2/e2e"
)

// TestDemoRunsAndCleansUp runs the demo as `make demo` does, waits until it is ready, presses
// Ctrl-C, and checks that it exits cleanly and its region is gone.
func TestDemoRunsAndCleansUp(t *testing.T) {
	e2e.RequireIntegration(t)
	bin := e2e.BuildBinary(t, "./e2e/cmd/dec2-demo")
	cmd := exec.Command(bin)
	cmd.Dir = e2e.RepoRoot()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting the demo: %v", err)
	}
	exited := make(chan error, 1)
	var out strings.Builder
	ready := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			out.WriteString(sc.Text() + "\n")
			if strings.HasPrefix(sc.Text(), "demo ready") {
				close(ready)
			}
		}
		exited <- cmd.Wait()
	}()
	t.Cleanup(func() { _ = cmd.Process.Kill() })

	select {
	case <-ready:
	case err := <-exited:
		t.Fatalf("demo exited before it was ready: %v\nstdout:\n%s\nstderr:\n%s", err, out.String(), stderr.String())
	case <-time.After(5 * time.Minute):
		t.Fatalf("demo not ready after 5 minutes\nstderr:\n%s", stderr.String())
	}
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("demo exited with %v after Ctrl-C\nstderr:\n%s", err, stderr.String())
		}
	case <-time.After(2 * time.Minute):
		_ = cmd.Process.Signal(syscall.SIGKILL)
		t.Fatalf("demo did not stop within 2 minutes of Ctrl-C\nstderr:\n%s", stderr.String())
	}

	text := out.String()
	for _, want := range []string{"laptop", "desktop", "rack-server", "2× nvidia/A100-80GB", "It answers at http://127.0.0.1:",
		"signed in with its wallet (Sign-In with Ethereum): namespace t-", "through the allocator in t-",
		"It holds nvidia/gpu/A100-80GB GPU-", "Billing: stream open for web", "Billing: stream open for train",
		`Stopped "web"`, "Attestor:   http://127.0.0.1:", "REPUTATION", "Billing: stream close for web", "Billing: stream close for train",
		"nas", "Stored s3://holiday/photos/beach.raw", "MiB HELD", "Deleted s3://holiday/photos/beach.raw",
		"dec2-storage snapshots its database onto the providers every 10s"} {
		if !strings.Contains(text, want) {
			t.Errorf("demo output lacks %q:\n%s", want, text)
		}
	}
	// Pay moved while each instance ran, and after the stop nothing is owed and the provider
	// holds what was streamed. The GPU box costs more than the nano one.
	rates := map[string]string{}
	for _, name := range []string{"web", "train"} {
		pay := regexp.MustCompile(`(?:Paying as it runs|Paid in all) \(\+ *\d+s\): `+name+` .* rate (\d+\.\d+) DEC2/h .*earned (\d+\.\d+) \| still owed (\d+\.\d+)`).FindAllStringSubmatch(text, -1)
		if len(pay) < 4 {
			t.Fatalf("want at least 4 pay lines for %s (3 while running, 1 after the stop):\n%s", name, text)
		}
		first, last := pay[0], pay[len(pay)-1]
		if last[2] == "0.000000" || last[3] != "0.000000" {
			t.Errorf("%s: after the stop its provider earned %s and %s is still owed; want earnings and nothing owed", name, last[2], last[3])
		}
		if first[2] == last[2] && first[3] == last[3] {
			t.Errorf("%s: pay did not move while it ran:\n%s", name, text)
		}
		rates[name] = last[1]
	}
	if web, train := rates["web"], rates["train"]; len(train) < len(web) || (len(train) == len(web) && train <= web) {
		t.Errorf("the GPU instance's rate %s is not above the nano instance's %s", train, web)
	}
	// The stored file is paid for at each of the four providers holding its pieces.
	storagePay := regexp.MustCompile(`Paying as it runs: storage on (\S+) +rate (\d+\.\d+) DEC2/h`).FindAllStringSubmatch(text, -1)
	paid := map[string]bool{}
	for _, m := range storagePay {
		if m[2] != "0.000000" {
			paid[m[1]] = true
		}
	}
	if len(paid) != 4 {
		t.Errorf("storage streams pay %d providers (%v), want the 4 holding pieces:\n%s", len(paid), paid, text)
	}
	addr := regexp.MustCompile(`NOMAD_ADDR=(\S+)`).FindStringSubmatch(text)
	if addr == nil {
		t.Fatalf("demo printed no NOMAD_ADDR:\n%s", text)
	}
	if resp, err := http.Get(addr[1] + "/v1/status/leader"); err == nil {
		resp.Body.Close()
		t.Errorf("the demo's Nomad server at %s still answers after the demo stopped", addr[1])
	}
}
