package e2e

import (
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
)

var repoRoot = sync.OnceValue(func() string {
	// This file's own location is the most robust anchor: tests run from their package
	// directory, the demo from anywhere.
	_, file, _, ok := runtime.Caller(0)
	if ok && fileExists(filepath.Join(filepath.Dir(file), "..", "go.mod")) {
		return filepath.Clean(filepath.Join(filepath.Dir(file), ".."))
	}
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err == nil {
		return filepath.Dir(strings.TrimSpace(string(out)))
	}
	return "."
})

// RepoRoot is the directory holding the repository's go.mod.
func RepoRoot() string { return repoRoot() }

// NomadBinary is bin/nomad, installed by `make tools`.
func NomadBinary(t TB) string {
	t.Helper()
	path := filepath.Join(RepoRoot(), "bin", "nomad")
	if !fileExists(path) {
		t.Fatalf("no Nomad binary at %s: run `make tools` first", path)
	}
	return path
}
