package e2e

import (
	"net/http"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hashicorp/nomad/api"

	"github.com/dec2-cloud/dec2/cli/clientconfig"
)

func TestFreePortsAreExclusive(t *testing.T) {
	seen := map[int]bool{}
	for range 50 {
		p := FreePort(t)
		if seen[p] {
			t.Fatalf("port %d handed out twice", p)
		}
		if p < portLow || p >= portHigh {
			t.Fatalf("port %d outside %d-%d", p, portLow, portHigh)
		}
		seen[p] = true
		// Another process's claim is an flock on a fresh open file: it must fail while we hold it.
		if release, ok := claim(strconv.Itoa(p)); ok {
			release()
			t.Fatalf("port %d could be claimed twice", p)
		}
	}
	low, high := dynamicPorts(t)
	low2, _ := dynamicPorts(t)
	if low == low2 || high-low+1 != dynamicBlock {
		t.Fatalf("dynamic blocks %d-%d and %d-...: want distinct blocks of %d", low, high, low2, dynamicBlock)
	}
}

func TestAgentConfigIsLoopbackOnlyAndDeniesCloudFingerprinters(t *testing.T) {
	p := ports{http: 1, rpc: 2, serf: 3, dynamicLow: 20100, dynamicHigh: 20199}
	server := agentConfig("server", "/d", p, regionConfig{acl: true}, nil, 0)
	client := agentConfig("c1", "/d", p, regionConfig{}, &Client{Name: "c1", CPUMHz: 1000, DiskMB: 5000, Meta: map[string]string{"dec2.wallet": "0xabc"}}, 2)
	for name, cfg := range map[string]string{"server": server, "client": client} {
		for _, want := range []string{`"fingerprint.denylist" = "env_aws,env_gce,env_azure,env_digitalocean"`, `bind_addr = "127.0.0.1"`, `serf = "127.0.0.1"`} {
			if !strings.Contains(strings.Join(strings.Fields(cfg), " "), want) {
				t.Errorf("%s config lacks %s:\n%s", name, want, cfg)
			}
		}
	}
	set, err := clientconfig.Settings([]byte(client))
	if err != nil {
		t.Fatal(err)
	}
	for k, want := range map[string]string{"client.servers": `["127.0.0.1:2"]`, "client.network_interface": `"lo"`,
		"client.min_dynamic_port": "20100", `plugin."docker".config.allow_privileged`: "false",
		`plugin."docker".config.gc.image`: "false", `client.meta."dec2.wallet"`: `"0xabc"`, "client.cpu_total_compute": "1000",
		"client.disk_total_mb": "5000", `plugin."raw_exec".config.enabled`: "false"} {
		if set[k] != want {
			t.Errorf("client config: %s = %s, want %s:\n%s", k, set[k], want, client)
		}
	}
	if !strings.Contains(server, "acl {") || strings.Contains(client, "acl {") {
		t.Errorf("acl block must follow the option: server has it %v, client %v", strings.Contains(server, "acl {"), strings.Contains(client, "acl {"))
	}
}

func TestMixedFleetAndProviderLoss(t *testing.T) {
	RequireIntegration(t)
	clients := []Client{
		{Name: "laptop", CPUMHz: 2000, MemoryMB: 2048, Meta: map[string]string{"dec2.price.cpu_ghz_hour": "0.01"}},
		{Name: "rig", CPUMHz: 16000, MemoryMB: 65536, DiskMB: 500_000, NodePool: "gpu", Meta: map[string]string{"dec2.dedicated_tenant": "acme"}},
	}
	r := StartRegion(t, Options{Clients: clients})
	for _, want := range clients {
		n, _, err := r.API.Nodes().Info(r.NodeID(t, want.Name), nil)
		if err != nil {
			t.Fatalf("reading node %s: %v", want.Name, err)
		}
		if got := n.NodeResources.Cpu.CpuShares; got != int64(want.CPUMHz) {
			t.Errorf("%s: cpu = %d MHz, want %d", want.Name, got, want.CPUMHz)
		}
		if got := n.NodeResources.Memory.MemoryMB; got != int64(want.MemoryMB) {
			t.Errorf("%s: memory = %d MB, want %d", want.Name, got, want.MemoryMB)
		}
		for k, v := range want.Meta {
			if n.Meta[k] != v {
				t.Errorf("%s: meta %s = %q, want %q", want.Name, k, n.Meta[k], v)
			}
		}
		if got := n.NodeResources.Disk.DiskMB; want.DiskMB > 0 && got != int64(want.DiskMB) {
			t.Errorf("%s: disk = %d MB, want %d", want.Name, got, want.DiskMB)
		}
		if pool := want.NodePool; pool != "" && n.NodePool != pool {
			t.Errorf("%s: node pool = %q, want %q", want.Name, n.NodePool, pool)
		}
		for attr := range n.Attributes {
			if strings.HasPrefix(attr, "platform.aws") || strings.HasPrefix(attr, "unique.platform.aws") || strings.HasPrefix(attr, "platform.gce") {
				t.Errorf("%s: cloud fingerprint attribute %s present; the denylist did not apply", want.Name, attr)
			}
		}
	}

	// A provider that vanishes: SIGKILL, no leave. The server must mark its node down, and the
	// agent's processes must be gone.
	laptop := r.Client(t, "laptop")
	pid := laptop.PID()
	laptop.Kill()
	if syscall.Kill(pid, 0) == nil && !isZombie(pid) {
		t.Errorf("agent %d still alive after Kill", pid)
	}
	id := r.NodeID(t, "laptop")
	Poll(t, "the killed provider's node to go down", 2*time.Minute, time.Second, func() (bool, error) {
		n, _, err := r.API.Nodes().Info(id, nil)
		return err == nil && n.Status == api.NodeStatusDown, nil
	})
}

func TestACLModeBootstrapsAManagementToken(t *testing.T) {
	RequireIntegration(t)
	r := StartRegion(t, Options{ACL: true, Clients: []Client{{Name: "solo", CPUMHz: 1000, MemoryMB: 1024}}})
	if r.Token == "" {
		t.Fatal("ACL region returned no management token")
	}
	resp, err := http.Get(r.Addr + "/v1/jobs")
	if err != nil {
		t.Fatalf("anonymous request: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("anonymous job list: status %d, want 403", resp.StatusCode)
	}
	if _, _, err := r.API.Jobs().List(nil); err != nil {
		t.Errorf("job list with the management token: %v", err)
	}
	if out, err := r.Nomad(t, "node", "status"); err != nil || !strings.Contains(out, "solo") {
		t.Errorf("nomad node status with the token: %v\n%s", err, out)
	}
}

// Cleanup removes only a client's own cgroups: a parent that is not a plain name would reach
// the whole hierarchy.
func TestRemoveCgroupsRefusesAnythingButAName(t *testing.T) {
	for _, parent := range []string{"", ".", "..", "a/b", "/nomad"} {
		if err := removeCgroups(parent); err == nil {
			t.Errorf("removeCgroups(%q) went ahead", parent)
		}
	}
}
