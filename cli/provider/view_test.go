package provider

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/dec2-cloud/dec2/cli/golden"
	"github.com/dec2-cloud/dec2/cli/output"
	"github.com/dec2-cloud/dec2/reputation"
)

func TestViewsGolden(t *testing.T) {
	views := map[string]output.Tabular{
		"joined": Joined{NodeID: "7d1f8984-0e85-4054-8013-1222636aeab0", Wallet: "0x976EA74026E726554dB657fA54763abd0C3a0aa9",
			ConfigPath: "/var/lib/dec2/nomad/dec2-client.hcl", Stake: "1000", Registered: true,
			Tx: "0x3333333333333333333333333333333333333333333333333333333333333333", Start: "nomad agent -config /var/lib/dec2/nomad/dec2-client.hcl"},
		"status": Status{Wallet: "0x976EA74026E726554dB657fA54763abd0C3a0aa9", NodeID: "7d1f8984-0e85-4054-8013-1222636aeab0", Node: "rig-1",
			NodeStatus: "ready", Eligibility: "eligible", Allocations: 3, Stake: "1000", Unbonding: "0", Active: true, Registered: true},
		"status-attested": Status{Wallet: "0x976EA74026E726554dB657fA54763abd0C3a0aa9", NodeID: "7d1f8984-0e85-4054-8013-1222636aeab0", Node: "rig-1",
			NodeStatus: "ready", Eligibility: "eligible", Allocations: 3, Stake: "1000", Unbonding: "0", Active: true, Registered: true, Slashes: 1,
			Attestors: []AttestorView{
				{URL: "http://10.0.0.5:4658", Attestor: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", Known: true, Uptime: 0.5, Audit: 1, Score: 0.5},
				{URL: "http://10.0.1.5:4658", Attestor: "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC", Known: true, Uptime: 0.9, Audit: 1, Score: 0.9, Eligible: true},
				{URL: "http://10.0.2.5:4658", Attestor: "0x90F79bf6EB2c4f870365E785982E1f101E93b906", Eligible: true},
				{URL: "http://10.0.3.5:4658", Error: "requesting the report: connection refused"},
			},
			Reputation: &reputation.Combined{Score: 0.9, Eligible: true, Attestors: 2}},
		"left": Left{NodeID: "7d1f8984-0e85-4054-8013-1222636aeab0", Drain: "started, deadline 1h0m0s", Unbonding: "1000",
			UnbondableAt: "2026-12-01T20:22:34Z", Tx: "0x4444444444444444444444444444444444444444444444444444444444444444"},
	}
	golden.CheckViews(t, views)
}

// The node ID is made once and kept, in the file and form Nomad reads it from.
func TestNodeIDIsStable(t *testing.T) {
	dir := t.TempDir()
	id, err := NodeID(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`).MatchString(id) {
		t.Fatalf("node ID %q is not a v4 UUID", id)
	}
	again, err := NodeID(dir)
	if err != nil || again != id {
		t.Fatalf("second NodeID = %q, %v; want %q", again, err, id)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "client", "client-id")); string(b) != id {
		t.Fatalf("client-id file holds %q", b)
	}
	if read, err := ReadNodeID(dir); err != nil || read != id {
		t.Fatalf("ReadNodeID = %q, %v", read, err)
	}
	if _, err := ReadNodeID(t.TempDir()); err == nil {
		t.Fatal("ReadNodeID of a dir that never joined succeeded")
	}
}
