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
		{"watch", "--storage", "http://127.0.0.1:1", "--var-file", "/dev/null"},                                               // no --nomad-addr
		{"watch", "--storage", "http://127.0.0.1:1", "--nomad-addr", "http://127.0.0.1:1"},                                    // no --var-file
		{"watch", "--storage", "http://127.0.0.1:1", "--nomad-addr", "http://127.0.0.1:1", "--var-file", "/nonexistent/vars"}, // unreadable
		{"watch", "--storage", "http://127.0.0.1:1", "--nomad-addr", "http://127.0.0.1:1", "--var-file", "/dev/null", "--jobspec", "/nonexistent/job.hcl"},
		{"watch", "--storage", "http://127.0.0.1:1", "--nomad-addr", "http://127.0.0.1:1", "--var-file", "/dev/null"}, // no key
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

// Bad attestor URLs and thresholds are usage errors too, with a key that would otherwise be
// good: one round (--once) against nothing would be an error of another kind.
func TestReputationFlags(t *testing.T) {
	t.Setenv("DEC2_REPAIR_KEY", "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318")
	for _, args := range [][]string{
		{"--reputation-url", "10.0.0.5:4658"},
		{"--reputation-url", "http://10.0.0.5:4658", "--reputation-url", "ftp://10.0.0.6"},
		{"--audit-threshold", "1.5"},
		{"--audit-threshold", "-0.1"},
	} {
		cmd := newRootCmd()
		cmd.SetArgs(append([]string{"run", "--once", "--storage", "http://127.0.0.1:1", "--nomad-addr", "http://127.0.0.1:1"}, args...))
		cmd.SetOut(io.Discard)
		cmd.SetErr(io.Discard)
		var u cmdmain.UsageError
		if err := cmd.Execute(); !errors.As(err, &u) {
			t.Errorf("%q: %v, want a usage error", args, err)
		}
	}
}
