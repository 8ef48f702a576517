package cmdmain

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"testing"
	"time"
)

func TestBadFlagsAreUsageErrors(t *testing.T) {
	root := Root("tool", "a tool")
	root.SetArgs([]string{"--no-such-flag"})
	root.SetOut(io.Discard)
	err := root.Execute()
	if !errors.As(err, new(UsageError)) {
		t.Fatalf("a bad flag: %v, want a UsageError (exit 2)", err)
	}
	if wrapped := fmt.Errorf("reading config: %w", Usage(errors.New("bad"))); !errors.As(wrapped, new(UsageError)) {
		t.Error("a wrapped usage error is not found")
	}
}

func TestServeStopsWithTheContext(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- Serve(ctx, ln, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "ok") }), time.Second)
	}()
	res, err := http.Get("http://" + ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if string(body) != "ok" {
		t.Errorf("served %q", body)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Serve after the context ended: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Serve did not return after its context ended")
	}
}
