package e2e

import (
	"os"
	"testing"
)

// TB is the part of testing.TB the harness needs, so the demo can drive it outside `go test`.
type TB interface {
	Helper()
	Logf(format string, args ...any)
	Fatalf(format string, args ...any)
	Cleanup(func())
}

// RequireIntegration skips t under `go test -short`: the test needs real Nomad agents and Docker.
// In full runs (make test, CI) such tests always run.
func RequireIntegration(t testing.TB) {
	t.Helper()
	if testing.Short() {
		t.Skip("needs real Nomad and Docker; runs in `make test`, skipped under -short")
	}
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
