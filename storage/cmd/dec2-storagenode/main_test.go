package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/dec2-cloud/dec2/cmdmain"
)

func run(ctx context.Context, args ...string) error {
	cmd := newRootCmd()
	cmd.SetArgs(args)
	cmd.SetOut(os.Stderr)
	cmd.SetErr(os.Stderr)
	return cmd.ExecuteContext(ctx)
}

func TestBadInputIsAUsageError(t *testing.T) {
	t.Setenv("DEC2_STORAGE_KEY", "")
	dir := t.TempDir()
	badKey := filepath.Join(dir, "bad.key")
	if err := os.WriteFile(badKey, []byte("not hex"), 0o600); err != nil {
		t.Fatal(err)
	}
	for name, args := range map[string][]string{
		"no data":     {"serve", "--capacity", "100"},
		"no capacity": {"serve", "--data", dir},
		"no key":      {"serve", "--data", dir, "--capacity", "100"},
		"bad key":     {"serve", "--data", dir, "--capacity", "100", "--key-file", badKey},
		"bad flag":    {"serve", "--capacity", "lots"},
	} {
		var u cmdmain.UsageError
		if err := run(context.Background(), args...); !errors.As(err, &u) {
			t.Errorf("%s: %v, want a usage error", name, err)
		}
	}
}

func TestServesUntilCancelled(t *testing.T) {
	t.Setenv("DEC2_STORAGE_KEY", "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx, "serve", "--listen", addr, "--data", t.TempDir(), "--capacity", "1000000") }()
	ok := false
	for range 100 {
		if res, err := http.Get(fmt.Sprintf("http://%s/healthz", addr)); err == nil {
			res.Body.Close()
			ok = res.StatusCode == http.StatusOK
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil || !ok {
		t.Errorf("healthz answered: %v; serve returned %v", ok, err)
	}
}
