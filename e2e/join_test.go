package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// A client started from an outside config joins, shows its meta, and stops with the region.
func TestJoinClientFromAConfig(t *testing.T) {
	RequireIntegration(t)
	r := StartRegion(t, Options{})
	p := ports{http: FreePort(t), rpc: FreePort(t), serf: FreePort(t)}
	p.dynamicLow, p.dynamicHigh = dynamicPorts(t)
	cfg := agentConfig("outside", r.AgentDir("outside")+"/data", p, regionConfig{},
		&Client{Name: "outside", CPUMHz: 1000, MemoryMB: 1024, Meta: map[string]string{"dec2.wallet": "0x1"}}, r.Server.RPCPort)
	a := r.JoinClient(t, "outside", "dec2-outside", cfg)
	node, _, err := r.API.Nodes().Info(r.NodeID(t, "outside"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if node.Meta["dec2.wallet"] != "0x1" || node.Status != "ready" {
		t.Errorf("joined node: status %s, meta %v", node.Status, node.Meta)
	}
	if a.HTTPAddr != fmt.Sprintf("http://127.0.0.1:%d", p.http) {
		t.Errorf("joined agent's HTTP address = %q, want port %d", a.HTTPAddr, p.http)
	}
	if !a.Running() || len(r.Clients) != 1 {
		t.Fatalf("agent running %t, region clients %d", a.Running(), len(r.Clients))
	}
	a.Stop(20 * time.Second)
	Poll(t, "the node to leave", time.Minute, 500*time.Millisecond, func() (bool, error) {
		n, _, err := r.API.Nodes().Info(node.ID, nil)
		if err != nil {
			return false, fmt.Errorf("reading node: %w", err)
		}
		return n.Status == "down", nil
	})
}

// A config Nomad refuses fails the wait at once, naming the exited agent, rather than timing out.
func TestJoinClientReportsAnAgentThatExits(t *testing.T) {
	RequireIntegration(t)
	r := StartRegion(t, Options{})
	ft := &fatalRecorder{TB: t}
	func() {
		defer func() { _ = recover() }()
		r.JoinClient(ft, "broken", "", "client { enabled = true\n")
	}()
	if !strings.Contains(ft.msg, "client broken exited") {
		t.Fatalf("JoinClient of a broken config failed with %q, want it to name the exited agent", ft.msg)
	}
}

// fatalRecorder keeps the failure message and stops the caller like t.Fatalf does.
type fatalRecorder struct {
	TB
	msg string
}

func (f *fatalRecorder) Fatalf(format string, args ...any) {
	f.msg = fmt.Sprintf(format, args...)
	panic(f.msg)
}
