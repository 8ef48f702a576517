package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dec2-cloud/dec2/allocator/pack"
	"github.com/dec2-cloud/dec2/allocator/packcli"
)

func run(t *testing.T, stdin string, args ...string) (string, int, error) {
	t.Helper()
	var out bytes.Buffer
	cmd := newRootCmd(strings.NewReader(stdin), &out)
	cmd.SetArgs(args)
	err := cmd.Execute()
	code := 0
	if err != nil {
		code = packcli.ExitCode(err)
	}
	return out.String(), code, err
}

const problem = `{"nodes":[
 {"id":"n1","cpu_mhz":8000,"memory_mb":16384,"disk_mb":100000,"used":{"cpu_mhz":0,"memory_mb":0,"disk_mb":0},
  "gpus":[{"id":"g0","model":"L4","memory_mb":23034,"healthy":true}],"used_gpus":[],"attributes":{"region":"eu"},
  "price_per_hour":0.2,"dedicated_tenant":""},
 {"id":"n2","cpu_mhz":8000,"memory_mb":16384,"disk_mb":100000,"used":{"cpu_mhz":0,"memory_mb":0,"disk_mb":0},
  "attributes":{"region":"us"},"price_per_hour":0.1}],
 "groups":[{"id":"web","count":3,"cpu_mhz":2000,"memory_mb":4096,"disk_mb":1000,
  "constraints":[{"attribute":"region","operator":"=","value":"eu"}],"distinct_hosts":false,"tenant":"","max_price_per_hour":0},
  {"id":"infer","count":1,"cpu_mhz":1000,"memory_mb":1024,"disk_mb":100,"gpu":{"count":1,"model":"L4","min_memory_mb":16000}}]}`

func TestPackWritesTheResult(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "problem.json")
	outPath := filepath.Join(dir, "result.json")
	if err := os.WriteFile(in, []byte(problem), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, code, err := run(t, "", "pack", "--in", in, "--out", outPath, "--budget", "50ms"); code != 0 {
		t.Fatalf("exit %d: %v", code, err)
	}
	data, err := os.ReadFile(outPath)
	if err != nil {
		t.Fatal(err)
	}
	var res pack.Result
	if err := json.Unmarshal(data, &res); err != nil {
		t.Fatal(err)
	}
	if len(res.Placements) != 4 || len(res.Unplaced) != 0 || res.Stats.NodesUsed != 1 {
		t.Fatalf("got %s", data)
	}
	for _, key := range []string{`"placements"`, `"unplaced"`, `"nodes_used"`, `"lower_bound"`, `"elapsed_ms"`, `"stranded"`, `"gpus": [`} {
		if !bytes.Contains(data, []byte(key)) {
			t.Errorf("output lacks %s", key)
		}
	}
}

func TestPackReadsStandardInput(t *testing.T) {
	out, code, err := run(t, problem, "pack", "--in", "-")
	if code != 0 || !strings.Contains(out, `"node": "n1"`) {
		t.Fatalf("exit %d (%v): %s", code, err, out)
	}
}

func TestBadInputExitsTwoNamingFieldAndID(t *testing.T) {
	for name, tc := range map[string]struct {
		stdin string
		args  []string
		want  string
	}{
		"negative size":   {`{"nodes":[{"id":"n1","cpu_mhz":-1}],"groups":[]}`, nil, `nodes.cpu_mhz (id "n1")`},
		"unknown field":   {`{"nodes":[],"groups":[],"extra":1}`, nil, `unknown field "extra"`},
		"never fits":      {`{"nodes":[{"id":"n1","cpu_mhz":10}],"groups":[{"id":"big","count":1,"cpu_mhz":20}]}`, nil, `groups (id "big")`},
		"duplicate group": {`{"nodes":[{"id":"n1","cpu_mhz":10}],"groups":[{"id":"a","count":0},{"id":"a","count":0}]}`, nil, `groups.id (id "a")`},
		"not JSON":        {`nodes:`, nil, "decoding JSON"},
		"no such file":    {"", []string{"--in", "/nonexistent/problem.json"}, "reading the problem"},
		"bad flag":        {problem, []string{"--budgett", "1s"}, "unknown flag"},
	} {
		t.Run(name, func(t *testing.T) {
			args := append([]string{"pack", "--in", "-"}, tc.args...)
			_, code, err := run(t, tc.stdin, args...)
			if code != 2 || err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("exit %d, error %v; want exit 2 naming %q", code, err, tc.want)
			}
		})
	}
}
