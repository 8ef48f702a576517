package service

import (
	"context"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/nomad/api"

	"github.com/dec2-cloud/dec2/e2e"
)

// With ACLs on: a tenant (namespace) packs onto shared nodes and those dedicated to it only,
// and only onto nodes its token may see; other tenants' work never lands on a dedicated node.
// `dec2-allocator plan` shows the choice and what is left, with the tenant's token.
func TestTenancyAndACL(t *testing.T) {
	e2e.RequireIntegration(t)
	region := e2e.StartRegion(t, e2e.Options{ACL: true, Clients: []e2e.Client{
		{Name: "shared", CPUMHz: 4000, MemoryMB: 2048, RawExec: true},
		{Name: "acme-rig", CPUMHz: 4000, MemoryMB: 8192, RawExec: true, Meta: map[string]string{"dec2.dedicated_tenant": "acme"}},
	}})
	mgmt := region.API
	region.BindWallet(t, "acme", "0x00000000000000000000000000000000000000a1")
	policy := func(name, rules string) {
		if _, err := mgmt.ACLPolicies().Upsert(&api.ACLPolicy{Name: name, Rules: rules}, nil); err != nil {
			t.Fatalf("policy %s: %v", name, err)
		}
	}
	policy("acme-dev", `namespace "acme" { policy = "write" }
node { policy = "read" }`)
	policy("acme-blind", `namespace "acme" { policy = "write" }`)
	token := func(p string) string {
		tok, _, err := mgmt.ACLTokens().Create(&api.ACLToken{Name: p, Type: "client", Policies: []string{p}}, nil)
		if err != nil {
			t.Fatalf("token for %s: %v", p, err)
		}
		return tok.SecretID
	}
	acme, blind := token("acme-dev"), token("acme-blind")
	al := startAllocator(t, region, nil)

	// Anonymous callers get Nomad's own refusal, untouched.
	if code, body, _ := httpGet(t, al.Addr+"/v1/jobs"); code != 403 {
		t.Errorf("anonymous GET /v1/jobs through the allocator: %d %s, want Nomad's 403", code, body)
	}

	big := writeJob(t, "big", rawJob("big", 1, 500, 4096, true))
	if out, err := nomadVia(t, al.Addr, acme, "job", "run", "-detach", "-namespace", "acme", big); err != nil {
		t.Fatalf("acme's job: %v\n%s", err, out)
	}
	acmeAPI, _ := api.NewClient(&api.Config{Address: region.Addr, SecretID: region.Token, Namespace: "acme"})
	live := waitRunning(t, acmeAPI, "big", 1)
	checkPlan(t, acmeAPI, "big", live)
	if rig := region.NodeID(t, "acme-rig"); live[0].NodeID != rig {
		t.Errorf("acme's job runs on %s, want its dedicated rig %s", live[0].NodeID, rig)
	}

	out, err := nomadVia(t, al.Addr, region.Token, "job", "run", "-detach", big)
	if err == nil || !strings.Contains(out, "409") {
		t.Errorf("a default-namespace job too big for the shared node was not refused (the rig is acme's): %v\n%s", err, out)
	}
	out, err = nomadVia(t, al.Addr, blind, "job", "run", "-detach", "-namespace", "acme", writeJob(t, "small", rawJob("small", 1, 100, 128, true)))
	if err == nil || !strings.Contains(out, "node:read") {
		t.Errorf("a token that may not see nodes packed anyway: %v\n%s", err, out)
	}

	// The plan command, as a user runs it: through the allocator, with the tenant's token.
	bin := e2e.BuildBinary(t, "./allocator/cmd/dec2-allocator")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	plan := exec.CommandContext(ctx, bin, "plan", "-f", writeJob(t, "more", `job "more" {
  namespace = "acme"
  meta = { "dec2.pack" = "true" }
  group "g" {
    count = 2
    ephemeral_disk { size = 150 }
    task "t" {
      driver = "raw_exec"
      config { command = "/bin/sleep" }
      resources {
        cpu    = 500
        memory = 1024
      }
    }
  }
}`))
	plan.Env = append(cleanEnv(), "NOMAD_ADDR="+al.Addr, "NOMAD_TOKEN="+acme, "NOMAD_NAMESPACE=acme")
	pout, err := plan.CombinedOutput()
	if err != nil {
		t.Fatalf("dec2-allocator plan: %v\n%s", err, pout)
	}
	t.Logf("dec2-allocator plan:\n%s", pout)
	// 8192 − 4096 − 2 × 1024 MiB stay on the rig, after the job above and these two.
	if !strings.Contains(string(pout), "acme-rig") || !strings.Contains(string(pout), "2048") {
		t.Errorf("plan output lacks the rig and the 2048 MiB left on it:\n%s", pout)
	}
}
