package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/dec2-cloud/dec2/allocator/pack"
	"github.com/dec2-cloud/dec2/allocator/packcli"
)

// Nomad's scheduler places a small problem through the shared pack command; bad input exits 2.
func TestPackWithNomadsScheduler(t *testing.T) {
	const problem = `{"nodes":[{"id":"n1","cpu_mhz":8000,"memory_mb":16384,"disk_mb":100000},
 {"id":"n2","cpu_mhz":8000,"memory_mb":16384,"disk_mb":100000}],
 "groups":[{"id":"web","count":3,"cpu_mhz":2000,"memory_mb":4096,"disk_mb":1000}]}`
	var out bytes.Buffer
	cmd := newCmd()
	cmd.SetIn(strings.NewReader(problem))
	cmd.SetOut(&out)
	cmd.SetArgs([]string{"--in", "-"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	var res pack.Result
	if err := json.Unmarshal(out.Bytes(), &res); err != nil || len(res.Placements) != 3 || len(res.Unplaced) != 0 {
		t.Fatalf("result %s, %v", out.String(), err)
	}
	cmd = newCmd()
	cmd.SetIn(strings.NewReader(`{"nodes":[{"id":"n1","cpu_mhz":-1}],"groups":[]}`))
	cmd.SetArgs([]string{"--in", "-"})
	if err := cmd.Execute(); packcli.ExitCode(err) != 2 {
		t.Fatalf("negative size: %v, exit %d; want 2", err, packcli.ExitCode(err))
	}
}
