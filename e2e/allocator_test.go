package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestAllocatorInFrontOfARegion(t *testing.T) {
	RequireIntegration(t)
	r := StartRegion(t, Options{Clients: []Client{{Name: "p1", CPUMHz: 2000, MemoryMB: 2048, RawExec: true}}})
	a := StartAllocator(t, r, "--pack-all")
	job := filepath.Join(t.TempDir(), "sleep.nomad.hcl")
	if err := os.WriteFile(job, []byte(`job "sleep" {
  group "g" {
    ephemeral_disk { size = 150 }
    task "t" {
      driver = "raw_exec"
      config {
        command = "/bin/sleep"
        args    = ["300"]
      }
      resources {
        cpu    = 100
        memory = 64
      }
    }
  }
}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := a.Nomad(t, "job", "run", "-detach", job); err != nil {
		t.Fatalf("nomad job run through the allocator: %v\n%s", err, out)
	}
	got, _, err := r.API.Jobs().Info("sleep", nil)
	if err != nil {
		t.Fatal(err)
	}
	if plan := got.Meta["dec2.plan"]; !strings.Contains(plan, r.NodeID(t, "p1")) {
		t.Errorf("the job went through without a plan naming p1 (meta %v); allocator log:\n%s", got.Meta, a.logTail())
	}
}
