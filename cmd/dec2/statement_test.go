package main

import (
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/dec2-cloud/dec2/billing-sidecar/journal"
	"github.com/dec2-cloud/dec2/billing-sidecar/service"
	"github.com/dec2-cloud/dec2/cli/golden"
	"github.com/dec2-cloud/dec2/metering"
)

const (
	consumerA = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"
	consumerB = "0x90F79bf6EB2c4f870365E785982E1f101E93b906"
	providerA = "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc"
)

// billingSidecar serves, as dec2-billing does, the usage it journals: two allocations of
// consumer A (one over two intervals) and one of consumer B, all on provider A, and consumer
// A's storage on provider A (1.5 GiB, then 3 GiB). It returns the DEC2_BILLING_URL environment.
func billingSidecar(t *testing.T) map[string]string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "billing.db")
	j, err := journal.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	rec := func(alloc, job, consumer string, from, secs int, charged string) metering.Record {
		return metering.Record{AllocID: alloc, JobID: job, Namespace: "default", NodeID: "n1", Consumer: consumer, Provider: providerA,
			From: t0.Add(time.Duration(from) * time.Second), To: t0.Add(time.Duration(from+secs) * time.Second),
			CPUMHzSecs: int64(500 * secs), MemMBSecs: int64(256 * secs), Rate: "3152777777778", Charged: charged}
	}
	storage := func(from, secs int, bytes int64, charged string) metering.Record {
		return metering.Record{Kind: metering.KindStorage, AllocID: "storage/" + strings.ToLower(consumerA) + "/" + strings.ToLower(providerA),
			Consumer: consumerA, Provider: providerA, From: t0.Add(time.Duration(from) * time.Second), To: t0.Add(time.Duration(from+secs) * time.Second),
			StoredBytes: bytes, Rate: "150000000000000", Charged: charged}
	}
	if err := j.AddUsage(
		rec("a1b2c3d4-0000-0000-0000-000000000001", "web", consumerA, 0, 1800, "5675000000000400"),
		rec("a1b2c3d4-0000-0000-0000-000000000001", "web", consumerA, 1800, 1800, "5675000000000400"),
		rec("b2c3d4e5-0000-0000-0000-000000000002", "batch", consumerA, 600, 60, "189166666666680"),
		rec("c3d4e5f6-0000-0000-0000-000000000003", "db", consumerB, 0, 3600, "11350000000000800"),
		storage(0, 1800, 3<<29, "270000000000000000"),
		storage(1800, 600, 3<<30, "180000000000000000"),
	); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(service.StatementHandler(j.Usage))
	t.Cleanup(func() { srv.Close(); j.Close() })
	return map[string]string{"DEC2_BILLING_URL": srv.URL}
}

func TestStatementsFromTheBillingSidecar(t *testing.T) {
	env := billingSidecar(t)
	for _, c := range []struct{ name, wallet string }{{"wallet", consumerA}, {"provider", providerA}} {
		args := []string{c.name, "statement", "--address", c.wallet}
		if c.name == "provider" {
			args[1] = "earnings"
		}
		for _, format := range []string{"table", "json"} {
			out := mustRun(t, env, append(args, "-o", format)...)
			golden.Check(t, c.name+"-statement."+format, []byte(out))
		}
	}
	// Consumer A's total is its two allocations and its storage; the provider earned all.
	out := mustRun(t, env, "wallet", "statement", "--address", consumerA)
	if !strings.Contains(out, "0.46153916666666748") {
		t.Errorf("consumer A's statement total:\n%s", out)
	}
	// Storage is labelled, with the GiB held at the line's end.
	if !regexp.MustCompile(`(?m)^storage +- +` + consumerA + ` +` + providerA + ` .* 3\.000 GiB +0\.45$`).MatchString(out) {
		t.Errorf("consumer A's storage line:\n%s", out)
	}
	if out := mustRun(t, env, "wallet", "statement", "--address", consumerA, "--since", "2026-11-24T10:31:00Z"); strings.Contains(out, "batch") {
		t.Errorf("--since left in an allocation that ended before it:\n%s", out)
	}
}

func TestStatementErrorsSayWhatToDo(t *testing.T) {
	_, _, err := dec2(t, map[string]string{"DEC2_BILLING_URL": "http://127.0.0.1:1"}, "wallet", "statement", "--address", consumerA)
	if err == nil || !strings.Contains(err.Error(), "billing sidecar at http://127.0.0.1:1") || !strings.Contains(err.Error(), "dec2-billing statement --journal") {
		t.Errorf("an unreachable sidecar: %v", err)
	}
	_, _, err = dec2(t, billingSidecar(t), "wallet", "statement", "--address", consumerA, "--since", "yesterday")
	if err == nil || !strings.Contains(err.Error(), "--since") {
		t.Errorf("a bad --since: %v", err)
	}
}
