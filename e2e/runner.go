package e2e

import (
	"fmt"
	"log/slog"
	"os"
	"runtime"
	"sync"
)

// Runner lets a program or a TestMain drive the harness, which expects a testing.TB: logs go
// to Log, cleanups run once in reverse order (RunCleanups), and a fatal error cleans up and
// exits the process, naming who failed.
type Runner struct {
	Log      *slog.Logger
	name     string
	mu       sync.Mutex
	cleanups []func()
}

// NewRunner returns a Runner whose fatal errors say "<name> failed".
func NewRunner(name string, log *slog.Logger) *Runner { return &Runner{Log: log, name: name} }

func (r *Runner) Helper() {}

func (r *Runner) Logf(format string, args ...any) { r.Log.Info(fmt.Sprintf(format, args...)) }

func (r *Runner) Fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "%s failed: %s\n", r.name, fmt.Sprintf(format, args...))
	r.RunCleanups()
	os.Exit(1)
}

func (r *Runner) Cleanup(f func()) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.cleanups = append(r.cleanups, f)
}

// RunCleanups runs the cleanups registered so far, last first; a panicking step is logged and
// the rest still run.
func (r *Runner) RunCleanups() {
	r.mu.Lock()
	fs := r.cleanups
	r.cleanups = nil
	r.mu.Unlock()
	if len(fs) > 0 {
		r.Log.Info("cleaning up", "steps", len(fs))
	}
	for i := len(fs) - 1; i >= 0; i-- {
		func() {
			defer func() {
				if p := recover(); p != nil {
					buf := make([]byte, 4096)
					r.Log.Error("cleanup step panicked", "panic", p, "stack", string(buf[:runtime.Stack(buf, false)]))
				}
			}()
			fs[i]()
		}()
	}
}

var _ TB = (*Runner)(nil)
