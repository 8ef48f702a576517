package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dec2-cloud/dec2/cli/golden"
)

// dec2 runs the CLI in-process with env as its whole environment and returns stdout, stderr.
func dec2(t *testing.T, env map[string]string, args ...string) (string, string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	return dec2Ctx(ctx, env, args...)
}

// dec2Ctx is dec2 ended by ctx, as Ctrl-C ends the real command.
func dec2Ctx(ctx context.Context, env map[string]string, args ...string) (string, string, error) {
	var out, errb bytes.Buffer
	a := &app{getenv: func(k string) string { return env[k] }, stdin: strings.NewReader(""), stdout: &out, stderr: &errb}
	root := a.root()
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	return out.String(), errb.String(), err
}

func TestMain(m *testing.M) {
	// The user's own config file must not leak into tests.
	dir, _ := os.MkdirTemp("", "dec2-cli-config-")
	os.Setenv("XDG_CONFIG_HOME", dir)
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func TestInstanceTypesGolden(t *testing.T) {
	for _, format := range []string{"table", "json"} {
		out, _, err := dec2(t, nil, "instance", "types", "--output", format)
		if err != nil {
			t.Fatal(err)
		}
		golden.Check(t, "instance-types."+format, []byte(out))
	}
}

// Every bad flag or argument is refused before anything is contacted, with the flag named.
func TestBadFlagsNameTheFlag(t *testing.T) {
	key := map[string]string{"DEC2_KEY": "59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d"}
	prices := filepath.Join(t.TempDir(), "prices.json")
	os.WriteFile(prices, []byte(`{"cpu_ghz_hour": "0.02", "mem_gb_hour": "0.005"}`), 0o600)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"instance", "types", "-o", "yaml"}, `--output "yaml"`},
		{[]string{"instance", "run", "--image", "x"}, `"type" not set`},
		{[]string{"instance", "run", "--type", "d2.small"}, `"image" not set`},
		{[]string{"instance", "run", "--type", "d2.huge", "--image", "x"}, "--type"},
		{[]string{"instance", "run", "--type", "d2.small", "--image", "x", "--count", "many"}, `"--count"`},
		{[]string{"instance", "run", "--type", "d2.small", "--image", "x", "--count", "1000"}, "--count"},
		{[]string{"instance", "run", "--type", "d2.small", "--image", "x", "--port", "70000"}, "--port"},
		{[]string{"instance", "run", "--type", "d2.small", "--image", "x", "--gpu-memory", "40GB"}, "--gpu-memory"},
		{[]string{"instance", "run", "--type", "d2.small", "--image", "x", "--gpu-memory", "40GiB"}, "--gpu-memory"},
		{[]string{"instance", "run", "--type", "d2.small", "--image", "x", "--name", "Web_1"}, "--name"},
		{[]string{"instance", "run", "--type", "d2.small", "--image", "x", "--wallet", "0x12"}, "--wallet"},
		{[]string{"instance", "run", "--type", "d2.small", "--image", "x", "--timeout", "soon"}, `"--timeout"`},
		{[]string{"instance", "logs"}, "accepts 1 arg"},
		{[]string{"instance", "ls", "--bogus"}, "unknown flag: --bogus"},
		{[]string{"wallet", "deposit", "-5"}, "unknown shorthand flag: '5'"},
		{[]string{"wallet", "deposit", "1e3"}, "amount"},
		{[]string{"wallet", "balance", "--address", "bob"}, "--address"},
		{[]string{"provider", "join", "--price-file", prices}, `"servers" not set`},
		{[]string{"provider", "join", "--servers", "10.0.0.1:4647", "--price-file", "/nonexistent.json"}, "--price-file"},
		{[]string{"provider", "join", "--servers", "10.0.0.1", "--price-file", prices}, "--servers"},
		{[]string{"provider", "join", "--servers", "10.0.0.1:4647", "--price-file", prices, "--dynamic-ports", "30000-20000"}, "--dynamic-ports"},
		{[]string{"provider", "join", "--servers", "10.0.0.1:4647", "--price-file", prices, "--stake", "lots"}, "--stake"},
		{[]string{"provider", "join", "--servers", "10.0.0.1:4647", "--price-file", prices, "--gpu-plugin", prices}, "--gpu-plugin"},
		{[]string{"provider", "join", "--servers", "10.0.0.1:4647", "--price-file", prices, "--gpu-fake-devices", prices}, "--gpu-plugin"},
		{[]string{"provider", "join", "--servers", "10.0.0.1:4647", "--price-file", prices, "--http-port", "x"}, `"--http-port"`},
		{[]string{"provider", "join", "--servers", "10.0.0.1:4647", "--price-file", prices, "--region", "EU"}, "--region"},
		{[]string{"provider", "join", "--servers", "10.0.0.1:4647", "--price-file", prices, "--storage", "/srv/p"}, "--storage-size"},
		{[]string{"provider", "join", "--servers", "10.0.0.1:4647", "--price-file", prices, "--storage-size", "1TiB"}, "needs --storage"},
		{[]string{"provider", "join", "--servers", "10.0.0.1:4647", "--price-file", prices, "--storage", "/srv/p", "--storage-size", "500GB"}, "--storage-size"},
		{[]string{"provider", "join", "--servers", "10.0.0.1:4647", "--price-file", prices, "--storage", "/srv/p", "--storage-size", "1TiB"}, "--advertise"},
		{[]string{"provider", "status", "--data-dir", t.TempDir()}, "--data-dir"},
		{[]string{"--config", "/nonexistent/dec2.json", "instance", "types"}, "--config"},
	} {
		_, _, err := dec2(t, key, tc.args...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("dec2 %s: error %v, want one containing %q", strings.Join(tc.args, " "), err, tc.want)
		}
	}
}

func TestNoWalletSaysWhatToDo(t *testing.T) {
	_, _, err := dec2(t, nil, "instance", "run", "--type", "d2.small", "--image", "x")
	if err == nil || !strings.Contains(err.Error(), "DEC2_KEY") || !strings.Contains(err.Error(), "--wallet") {
		t.Fatalf("run without a wallet: %v, want it to name DEC2_KEY and --wallet", err)
	}
}

func TestCompletion(t *testing.T) {
	out, _, err := dec2(t, nil, "completion", "bash")
	if err != nil || !strings.Contains(out, "__start_dec2") {
		t.Fatalf("bash completion: %v\n%.200s", err, out)
	}
	out, _, err = dec2(t, nil, "__complete", "instance", "run", "--type", "g1.")
	if err != nil || !strings.Contains(out, "g1.a100x1\t") || strings.Contains(out, "d2.small") {
		t.Fatalf("completing --type g1.: %v\n%s", err, out)
	}
}

func TestDefaultName(t *testing.T) {
	for image, prefix := range map[string]string{"nginx:1.27-alpine": "nginx-", "ghcr.io/acme/My_App@sha256:ab": "my-app-", ":::": "instance-"} {
		if got := defaultName(image); !strings.HasPrefix(got, prefix) || len(got) != len(prefix)+4 {
			t.Errorf("defaultName(%q) = %q, want %s and 4 hex digits", image, got, prefix)
		}
	}
}

// The config file is read when no flag or variable says otherwise; a flag beats it.
func TestConfigFile(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "config.json")
	os.WriteFile(cfg, []byte(`{"rpc_url": "http://127.0.0.1:1/from-file"}`), 0o600)
	_, _, err := dec2(t, nil, "--config", cfg, "wallet", "balance", "--address", consumerA)
	if err == nil || !strings.Contains(err.Error(), "http://127.0.0.1:1/from-file") {
		t.Errorf("rpc_url from the config file: %v", err)
	}
	_, _, err = dec2(t, map[string]string{"DEC2_RPC_URL": "http://127.0.0.1:1/from-env"}, "--config", cfg, "wallet", "balance", "--address", consumerA)
	if err == nil || !strings.Contains(err.Error(), "from-env") {
		t.Errorf("DEC2_RPC_URL over the config file: %v", err)
	}
	_, _, err = dec2(t, map[string]string{"DEC2_RPC_URL": "http://127.0.0.1:1/from-env"}, "--config", cfg, "--rpc-url", "http://127.0.0.1:1/from-flag", "wallet", "balance", "--address", consumerA)
	if err == nil || !strings.Contains(err.Error(), "from-flag") {
		t.Errorf("--rpc-url over everything: %v", err)
	}
}
