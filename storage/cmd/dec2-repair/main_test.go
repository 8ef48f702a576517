package main

import (
	"errors"
	"io"
	"testing"

	"github.com/dec2-cloud/dec2/cmdmain"
)

// Bad input is a usage error (exit 2) before anything is contacted.
func TestUsageErrors(t *testing.T) {
	t.Setenv("DEC2_REPAIR_KEY", "")
	t.Setenv("DEC2_STORAGE", "")
	for _, args := range [][]string{
		{"run"}, // no --storage
		{"run", "--storage", "http://127.0.0.1:1", "--every", "0s"},
		{"run", "--storage", "http://127.0.0.1:1", "--grace", "-1s"},
		{"run", "--storage", "http://127.0.0.1:1", "--parallel", "0"},
		{"run", "--storage", "http://127.0.0.1:1"}, // no key
		{"run", "--storage", "http://127.0.0.1:1", "--key-file", "/nonexistent/key"},
		{"run", "--no-such-flag"},
	} {
		cmd := newRootCmd()
		cmd.SetArgs(args)
		cmd.SetOut(io.Discard)
		cmd.SetErr(io.Discard)
		var u cmdmain.UsageError
		if err := cmd.Execute(); !errors.As(err, &u) {
			t.Errorf("%q: %v, want a usage error", args, err)
		}
	}
}
