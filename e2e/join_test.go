package e2e

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

// A config handed to Join as is starts an agent that joins the region, serves its own HTTP API,
// carries the config's meta, and goes with the region's cleanup.
func TestJoinStartsAnAgentFromAGivenConfig(t *testing.T) {
	RequireIntegration(t)
	r := StartRegion(t, Options{})
	p := ports{http: FreePort(t), rpc: FreePort(t), serf: FreePort(t)}
	p.dynamicLow, p.dynamicHigh = DynamicPorts(t)
	cfg := agentConfig("joiner", r.JoinDir("joiner")+"/data", p, false, &Client{Name: "joiner", Meta: map[string]string{"dec2.wallet": "0xabc"}}, r.Server.RPCPort)

	a := r.Join(t, "joiner", cfg, "dec2-joiner", 2*time.Minute)
	if a.HTTPAddr != fmt.Sprintf("http://127.0.0.1:%d", p.http) {
		t.Errorf("joined agent's HTTP address = %q, want port %d", a.HTTPAddr, p.http)
	}
	resp, err := http.Get(a.HTTPAddr + "/v1/agent/self")
	if err != nil {
		t.Fatalf("joined agent's own API: %v", err)
	}
	resp.Body.Close()
	n, _, err := r.API.Nodes().Info(r.NodeID(t, "joiner"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if n.Meta["dec2.wallet"] != "0xabc" {
		t.Errorf("joined node meta = %v, want the config's dec2.wallet", n.Meta)
	}
	if !strings.HasPrefix(a.Dir, r.JoinDir("joiner")) || r.Client(t, "joiner") != a {
		t.Errorf("joined agent is not one of the region's clients in its dir (dir %s)", a.Dir)
	}
}

// A config Nomad refuses fails the wait at once, naming the exited agent, rather than timing out.
func TestJoinReportsAnAgentThatExits(t *testing.T) {
	RequireIntegration(t)
	r := StartRegion(t, Options{})
	ft := &fatalRecorder{TB: t}
	func() {
		defer func() { _ = recover() }()
		r.Join(ft, "broken", "client { enabled = true\n", "", time.Minute)
	}()
	if !strings.Contains(ft.msg, "agent broken exited") {
		t.Fatalf("Join of a broken config failed with %q, want it to name the exited agent", ft.msg)
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
