package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dec2-cloud/dec2/cmdmain"
)

// serve answers a visitor with the sign-in page before any user or backend exists: it needs
// no chain, Nomad or identity service to start.
func TestServeAnswersTheSignInPage(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithCancel(context.Background())
	root := newRootCmd()
	root.SetArgs([]string{"serve", "--listen", addr, "--identity", "http://127.0.0.1:1", "--nomad-addr", "http://127.0.0.1:1"})
	var logs bytes.Buffer
	root.SetErr(&logs)
	done := make(chan error, 1)
	go func() { done <- root.ExecuteContext(ctx) }()
	var resp *http.Response
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if resp, err = http.Get("http://" + addr + "/"); err == nil || time.Now().After(deadline) {
			break
		}
	}
	if err != nil {
		t.Fatalf("the console never answered: %v\n%s", err, logs.String())
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Request.URL.Path != "/signin" || !strings.Contains(string(body), `id="signin"`) {
		t.Errorf("GET /: %d at %s\n%s", resp.StatusCode, resp.Request.URL, body)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve after its context ended: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop with its context")
	}
}

func TestBadPublicURLIsAUsageError(t *testing.T) {
	root := newRootCmd()
	root.SetArgs([]string{"serve", "--public-url", "console.example"})
	if err := root.Execute(); !errors.As(err, new(cmdmain.UsageError)) || !strings.Contains(err.Error(), "--public-url") {
		t.Errorf("--public-url without a scheme: %v, want a usage error naming the flag", err)
	}
}

// --sessions names the file the sessions are kept in: serve makes it (0600, it holds Nomad
// tokens) before it answers, and refuses one it cannot read as sessions.
func TestSessionsFlag(t *testing.T) {
	path := filepath.Join(t.TempDir(), "data", "sessions.json")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithCancel(context.Background())
	root := newRootCmd()
	root.SetArgs([]string{"serve", "--listen", addr, "--identity", "http://127.0.0.1:1", "--nomad-addr", "http://127.0.0.1:1", "--sessions", path})
	root.SetErr(io.Discard)
	done := make(chan error, 1)
	go func() { done <- root.ExecuteContext(ctx) }()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		resp, err := http.Get("http://" + addr + "/signin")
		if err == nil {
			resp.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the console never answered: %v", err)
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("serve: %v", err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("the sessions file: %v, %v; want it made with mode 0600", fi, err)
	}

	if err := os.WriteFile(path, []byte("not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	root = newRootCmd()
	root.SetArgs([]string{"serve", "--listen", "127.0.0.1:0", "--identity", "http://127.0.0.1:1", "--nomad-addr", "http://127.0.0.1:1", "--sessions", path})
	if err := root.Execute(); !errors.As(err, new(cmdmain.UsageError)) || !strings.Contains(err.Error(), "--sessions") {
		t.Errorf("a sessions file that is not one: %v, want a usage error naming the flag", err)
	}
}

// The storage flags' bad input is a usage error naming the flag at fault; the key itself is
// never echoed.
func TestStorageFlagsUsageErrors(t *testing.T) {
	t.Setenv(meterKeyEnv, "")
	keyFile := filepath.Join(t.TempDir(), "meter.key")
	if err := os.WriteFile(keyFile, []byte("0xnot-a-key-secret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--storage", "http://127.0.0.1:4659"}, "--storage-key-file or set " + meterKeyEnv},
		{[]string{"--storage", "127.0.0.1:4659", "--storage-key-file", keyFile}, "--storage \"127.0.0.1:4659\""},
		{[]string{"--storage-key-file", keyFile}, "--storage-key-file: given without --storage"},
		{[]string{"--storage", "http://127.0.0.1:4659", "--storage-key-file", keyFile}, "--storage-key-file " + keyFile + " is not a hex"},
		{[]string{"--storage", "http://127.0.0.1:4659", "--storage-key-file", keyFile + ".missing"}, "--storage-key-file: open"},
		{[]string{"--storage", "http://127.0.0.1:4659", "--storage-key-file", keyFile, "--storage-every", "0s"}, "--storage-every 0s"},
	} {
		root := newRootCmd()
		root.SetArgs(append([]string{"serve", "--listen", "127.0.0.1:0", "--identity", "http://127.0.0.1:1", "--nomad-addr", "http://127.0.0.1:1"}, c.args...))
		root.SetErr(io.Discard)
		err := root.Execute()
		if !errors.As(err, new(cmdmain.UsageError)) || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "secret") {
			t.Errorf("serve %v: %v, want a usage error with %q", c.args, err, c.want)
		}
	}
}
