package nomadsource_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/hashicorp/nomad/api"

	"github.com/dec2-cloud/dec2/billing-sidecar/lifecycle"
	"github.com/dec2-cloud/dec2/billing-sidecar/nomadsource"
	"github.com/dec2-cloud/dec2/e2e"
	"github.com/dec2-cloud/dec2/metering"
	"github.com/dec2-cloud/dec2/nomad-plugins/gpu/gpuconfig"
	"github.com/dec2-cloud/dec2/pricing"
	"github.com/dec2-cloud/dec2/pricing/nomadprices"
)

// shareJob reserves one GPU share and pays from a consumer wallet, as a consumer's job does.
// gpuJob is a raw_exec job (name, consumer, command) reserving one device (the last argument).
const gpuJob = `
job %q {
  datacenters = ["*"]
  meta = { "dec2.wallet" = %q }
  group "g" {
    task "t" {
      driver = "raw_exec"
      config { command = %q }
      resources {
        cpu    = 50
        memory = 32
        device %q { count = 1 }
      }
    }
  }
}`

// A provider splits each of its two fake A100s four ways and prices an A100 at 2 tokens an
// hour; a job reserving one nvidia/gpu-share is billed 0.5 an hour, and the CLI's and
// Terraform's cost displays (Prices + Reserved) say the same. Real Nomad, real dec2-gpu.
func TestGPUSharePricedAsShare(t *testing.T) {
	e2e.RequireIntegration(t)
	const (
		provider = "0x00000000000000000000000000000000000000b0"
		consumer = "0x00000000000000000000000000000000000000c0"
		shares   = 4
	)
	dir := t.TempDir()
	devices, err := os.ReadFile(filepath.Join(e2e.RepoRoot(), "nomad-plugins/gpu/examples/a100x2.json"))
	if err != nil {
		t.Fatal(err)
	}
	devicesFile := filepath.Join(dir, "gpus.json")
	if err := os.WriteFile(devicesFile, devices, 0o644); err != nil {
		t.Fatal(err)
	}
	workload := e2e.BuildBinary(t, "./e2e/workload")
	r := e2e.StartRegion(t, e2e.Options{Clients: []e2e.Client{e2e.Client{
		Name: "gpu", RawExec: true,
		Meta: map[string]string{lifecycle.MetaWallet: provider, pricing.MetaGPUPrefix + "A100-80GB": "2", pricing.MetaCPU: "0", pricing.MetaMem: "0"},
	}.WithFakeGPUs(t, devicesFile, func(c *gpuconfig.Config) { c.SharesPerGPU = shares })}})
	nodeID := r.NodeID(t, "gpu")
	e2e.Poll(t, "the A100 shares to be fingerprinted", 60*time.Second, 500*time.Millisecond, func() (bool, error) {
		n, _, err := r.API.Nodes().Info(nodeID, nil)
		return err == nil && nomadprices.Shares(n)["A100-80GB"] != "", nil
	})

	alloc := runGPUJob(t, r, fmt.Sprintf(gpuJob, "one-share", consumer, workload, "nvidia/gpu-share"))
	if d := alloc.AllocatedResources.Tasks["t"].Devices; len(d) != 1 || d[0].Type != nomadprices.TypeShare || len(d[0].DeviceIDs) != 1 {
		t.Fatalf("allocated devices %+v, want one gpu-share", d)
	}

	terms, prices := billedAt(t, r, nodeID, alloc, "0.5") // a quarter of an A100 at 2 an hour

	// Usage records' path: the stats name the device as a share, and its device-seconds in a
	// statement cost a quarter of the A100's price, as the stream does.
	src := nomadsource.New(r.API, slog.New(slog.NewTextHandler(io.Discard, nil)))
	sctx, scancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer scancel()
	var prev, cur metering.Sample
	e2e.Poll(t, "the share's device stats", 30*time.Second, 500*time.Millisecond, func() (bool, error) {
		prev = src.Sample(sctx, alloc)
		return len(prev.GPUsInUse) > 0, nil
	})
	shareKey := pricing.SharePrefix + "A100-80GB"
	if !maps.Equal(prev.GPUsInUse, map[string]int64{shareKey: 1}) {
		t.Fatalf("devices in use %v, want one %s", prev.GPUsInUse, shareKey)
	}
	e2e.Poll(t, "a later stats sample", 30*time.Second, 500*time.Millisecond, func() (bool, error) {
		cur = src.Sample(sctx, alloc)
		return cur.At.Sub(prev.At) >= 2*time.Second, nil
	})
	rec, ok := metering.Between(prev, cur, terms.Rate)
	if !ok {
		t.Fatalf("no record between samples %+v and %+v", prev, cur)
	}
	line := metering.Statement([]metering.Record{rec})[0]
	secs := line.GPUSecs[shareKey]
	if secs < 2 || len(line.GPUSecs) != 1 {
		t.Fatalf("statement gpu_seconds %v, want %s only, 2 s or more", line.GPUSecs, shareKey)
	}
	usage, err := pricing.UsageCost(prices, line.Usage())
	hourly, _ := pricing.ParseAmount("0.5")
	want := new(big.Int).Mul(hourly, big.NewInt(secs))
	want.Add(want, big.NewInt(3599)).Quo(want, big.NewInt(3600))
	if err != nil || usage.Cmp(want) != 0 {
		t.Errorf("usage cost of %d share-seconds %v, %v; want %s", secs, usage, err, want)
	}
}

// runGPUJob registers a job and returns its first running allocation.
func runGPUJob(t *testing.T, r *e2e.Region, hcl string) *api.Allocation {
	t.Helper()
	job, err := r.API.Jobs().ParseHCL(hcl, true)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := r.API.Jobs().Register(job, nil); err != nil {
		t.Fatal(err)
	}
	var alloc *api.Allocation
	e2e.Poll(t, *job.ID+" to run", 90*time.Second, 500*time.Millisecond, func() (bool, error) {
		stubs, _, err := r.API.Jobs().Allocations(*job.ID, false, nil)
		if err != nil {
			return false, nil
		}
		for _, s := range stubs {
			if s.ClientStatus == api.AllocClientStatusRunning {
				alloc, _, err = r.API.Allocations().Info(s.ID, nil)
				return err == nil, nil
			}
		}
		return false, nil
	})
	return alloc
}

// A provider with an A100 in MIG mode (the fake backend's two 3g.20gb instances of 19968 of its
// 40960 MiB) prices only the card: a job reserving one instance is billed the card's price
// times the plugin's fraction, on the sidecar's path and the cost displays' alike.
func TestMIGSlicePricedAsPartOfItsCard(t *testing.T) {
	e2e.RequireIntegration(t)
	const (
		provider = "0x00000000000000000000000000000000000000b0"
		consumer = "0x00000000000000000000000000000000000000c0"
		slice    = "A100-SXM4-40GB-MIG-3g.20gb"
	)
	r := e2e.StartRegion(t, e2e.Options{Clients: []e2e.Client{e2e.Client{
		Name: "mig", RawExec: true,
		Meta: map[string]string{lifecycle.MetaWallet: provider, pricing.MetaGPUPrefix + "A100-SXM4-40GB": "2", pricing.MetaCPU: "0", pricing.MetaMem: "0"},
	}.WithFakeGPUs(t, filepath.Join(e2e.RepoRoot(), "nomad-plugins/gpu/testdata/mixed.json"), nil)}})
	nodeID := r.NodeID(t, "mig")
	e2e.Poll(t, "the MIG instances to be fingerprinted", 60*time.Second, 500*time.Millisecond, func() (bool, error) {
		n, _, err := r.API.Nodes().Info(nodeID, nil)
		return err == nil && nomadprices.Slices(n)[slice].Model != "", nil
	})
	alloc := runGPUJob(t, r, fmt.Sprintf(gpuJob, "one-slice", consumer, e2e.BuildBinary(t, "./e2e/workload"), "nvidia/gpu/"+slice))
	billedAt(t, r, nodeID, alloc, "0.975") // 2 × 0.4875 (19968 / 40960)
}

// billedAt checks that alloc costs hourly tokens an hour on both of billing's paths: the
// sidecar's (the facts it gathers from Nomad, resolved to a stream rate) and the cost displays'
// (the node's prices and the allocation's reservation). It returns the terms and the prices.
func billedAt(t *testing.T, r *e2e.Region, nodeID string, alloc *api.Allocation, hourly string) (lifecycle.Terms, pricing.Prices) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	r.BindWallet(t, alloc.Namespace, alloc.Job.Meta[lifecycle.MetaWallet]) // the job's wallet is its tenant's
	facts, err := nomadsource.New(r.API, slog.New(slog.NewTextHandler(io.Discard, nil))).Facts(ctx, alloc)
	if err != nil {
		t.Fatal(err)
	}
	terms, err := lifecycle.ResolveTerms(facts)
	if err != nil {
		t.Fatalf("resolving terms: %v", err)
	}
	h, _ := pricing.ParseAmount(hourly)
	if want := new(big.Int).Quo(new(big.Int).Add(h, big.NewInt(3599)), big.NewInt(3600)); terms.Rate.Cmp(want) != 0 {
		t.Errorf("rate %s base units/s, want %s (%s an hour)", terms.Rate, want, hourly)
	}
	node, _, err := r.API.Nodes().Info(nodeID, nil)
	if err != nil {
		t.Fatal(err)
	}
	prices, err := nomadprices.Prices(node)
	if err != nil {
		t.Fatal(err)
	}
	if cost, err := pricing.HourlyCost(prices, nomadprices.Reserved(alloc)); err != nil || pricing.FormatAmount(cost) != hourly {
		t.Errorf("hourly cost %v, %v; want %s", cost, err, hourly)
	}
	return terms, prices
}

// A tenant's namespace created while billing follows the event stream (a first sign-in) is
// followed too: with a token that is not a management token, Nomad's all-namespace stream
// carries only the namespaces that existed when it opened.
func TestWatchFollowsNamespacesCreatedLater(t *testing.T) {
	e2e.RequireIntegration(t)
	r := e2e.StartRegion(t, e2e.Options{ACL: true, Clients: []e2e.Client{{Name: "c", CPUMHz: 2000, MemoryMB: 2048, RawExec: true}}})
	if _, err := r.API.ACLPolicies().Upsert(&api.ACLPolicy{Name: "reader", Rules: `namespace "*" { policy = "read" }
node { policy = "read" }`}, nil); err != nil {
		t.Fatal(err)
	}
	tok, _, err := r.API.ACLTokens().Create(&api.ACLToken{Name: "billing", Type: "client", Policies: []string{"reader"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	reader, err := api.NewClient(&api.Config{Address: r.Addr, SecretID: tok.SecretID})
	if err != nil {
		t.Fatal(err)
	}
	src := nomadsource.New(reader, slog.New(slog.NewTextHandler(io.Discard, nil)))
	src.NamespacePoll = 300 * time.Millisecond
	seen := make(chan string, 1000)
	streaming := make(chan struct{}, 1000)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- src.Watch(ctx, 0, func(as []*api.Allocation) {
			for _, a := range as {
				seen <- a.Namespace + "/" + a.JobID
			}
		}, func(uint64) error { streaming <- struct{}{}; return nil })
	}()
	t.Cleanup(func() { cancel(); <-done })

	// Events of a job in an existing namespace show the stream is open; only then the tenant.
	register(t, r, "default", "early")
	select {
	case <-streaming:
	case <-time.After(60 * time.Second):
		t.Fatal("the event stream delivered nothing")
	}
	r.BindWallet(t, "t-late", e2e.TenantWallet)
	register(t, r, "t-late", "late")
	timeout := time.After(60 * time.Second)
	for {
		select {
		case got := <-seen:
			if got == "t-late/late" {
				return
			}
		case <-timeout:
			t.Fatal("billing's source never saw the allocation in the namespace created after its stream opened")
		}
	}
}

func register(t *testing.T, r *e2e.Region, ns, id string) {
	t.Helper()
	job := api.NewBatchJob(id, id, "global", 50)
	job.Datacenters, job.Namespace = []string{"*"}, &ns
	task := api.NewTask("t", "raw_exec").SetConfig("command", "/bin/sleep").SetConfig("args", []string{"30"})
	cpu, mem := 50, 32
	task.Require(&api.Resources{CPU: &cpu, MemoryMB: &mem})
	job.AddTaskGroup(api.NewTaskGroup("g", 1).AddTask(task))
	if _, _, err := r.API.Jobs().Register(job, &api.WriteOptions{Namespace: ns}); err != nil {
		t.Fatalf("registering %s/%s: %v", ns, id, err)
	}
}

// DiskPrices reads each provider wallet's disk price from its node's meta, through a real
// Nomad: a priced node's price, a malformed one as its error naming the node, nothing for a
// node without a wallet.
func TestDiskPricesByWallet(t *testing.T) {
	e2e.RequireIntegration(t)
	const priced, broken = "0x00000000000000000000000000000000000000b1", "0x00000000000000000000000000000000000000b2"
	r := e2e.StartRegion(t, e2e.Options{Clients: []e2e.Client{
		{Name: "priced", RawExec: true, Meta: map[string]string{lifecycle.MetaWallet: priced, pricing.MetaDisk: "0.36"}},
		{Name: "broken", RawExec: true, Meta: map[string]string{lifecycle.MetaWallet: broken, pricing.MetaDisk: "1e3"}},
	}})
	src := nomadsource.New(r.API, slog.New(slog.NewTextHandler(io.Discard, nil)))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	got, err := src.DiskPrices(ctx)
	if err != nil {
		t.Fatal(err)
	}
	p, b := got[common.HexToAddress(priced)], got[common.HexToAddress(broken)]
	if len(got) != 2 || p.Err != nil || p.PerGiBHour.String() != "360000000000000000" {
		t.Errorf("prices %+v: want %s at 0.36 tokens per GiB-hour", got, priced)
	}
	if b.Err == nil || !strings.Contains(b.Err.Error(), "broken") || !strings.Contains(b.Err.Error(), pricing.MetaDisk) {
		t.Errorf("malformed price of %s: %v, want an error naming the node and the key", broken, b.Err)
	}
}
