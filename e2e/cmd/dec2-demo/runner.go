package main

import (
	"fmt"
	"log/slog"
	"os"
	"runtime"
	"sync"
)

// runner lets the demo drive the e2e harness, which expects a testing.TB: logs go to slog,
// cleanups run once in reverse order, and a fatal error cleans up before exiting.
type runner struct {
	log      *slog.Logger
	mu       sync.Mutex
	cleanups []func()
}

func newRunner(log *slog.Logger) *runner { return &runner{log: log} }

func (r *runner) Helper() {}

func (r *runner) Logf(format string, args ...any) { r.log.Info(fmt.Sprintf(format, args...)) }

func (r *runner) Fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "demo failed: %s\n", fmt.Sprintf(format, args...))
	r.runCleanups()
	os.Exit(1)
}

func (r *runner) Cleanup(f func()) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.cleanups = append(r.cleanups, f)
}

func (r *runner) runCleanups() {
	r.mu.Lock()
	fs := r.cleanups
	r.cleanups = nil
	r.mu.Unlock()
	if len(fs) > 0 {
		r.log.Info("cleaning up", "steps", len(fs))
	}
	for i := len(fs) - 1; i >= 0; i-- {
		func() {
			defer func() {
				if p := recover(); p != nil {
					r.log.Error("cleanup step panicked", "panic", p, "stack", stack())
				}
			}()
			fs[i]()
		}()
	}
}

func stack() string {
	buf := make([]byte, 4096)
	return string(buf[:runtime.Stack(buf, false)])
}
