package service_test

import (
	"bytes"
	"context"
	"log/slog"
	"math/big"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/hashicorp/nomad/api"

	"github.com/dec2-cloud/dec2/billing-sidecar/devenv"
	"github.com/dec2-cloud/dec2/billing-sidecar/ledger"
	"github.com/dec2-cloud/dec2/billing-sidecar/service"
	"github.com/dec2-cloud/dec2/contracts/chain"
	"github.com/dec2-cloud/dec2/conventions"
	"github.com/dec2-cloud/dec2/e2e"
	"github.com/dec2-cloud/dec2/pricing"
)

// Billing runs per region — each region's sidecar follows its own Nomad and signs with its own
// operator key, so their transactions never contend for a nonce — and pays from the one
// escrow on the one chain: a consumer's single deposit streams to a provider in eu and one
// in us at once, and both are paid when the work stops.
func TestBillingPaysInEveryRegionFromOneEscrow(t *testing.T) {
	e2e.RequireIntegration(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	t.Cleanup(cancel)
	env, err := devenv.Start(ctx, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(env.Close)
	node := func(name string, provider int) e2e.Client {
		return e2e.Client{Name: name, CPUMHz: 2000, MemoryMB: 2048, DiskMB: 4000, RawExec: true,
			Meta: map[string]string{conventions.MetaWallet: env.Provider(provider).Hex(), pricing.MetaCPU: "3.6", pricing.MetaMem: "0"}}
	}
	fed := e2e.StartFederation(t, e2e.FederationOptions{ACL: true, Regions: []e2e.FederatedRegion{
		{Name: "eu", Clients: []e2e.Client{node("eu-1", 0)}},
		{Name: "us", Clients: []e2e.Client{node("us-1", 1)}},
	}})
	eu, us := fed.Region(t, "eu"), fed.Region(t, "us")
	consumer := env.Consumer(0)
	eu.BindWallet(t, "default", consumer.Hex())
	e2e.Poll(t, "the namespace binding to replicate to us", time.Minute, 250*time.Millisecond, func() (bool, error) {
		ns, _, err := us.API.Namespaces().Info("default", nil)
		return err == nil && ns.Meta[conventions.MetaWallet] == consumer.Hex(), nil
	})

	// One deposit; the consumer authorises each region's operator (the dev chain's operator
	// for eu, the last dev account for us).
	if err := env.Deposit(ctx, 0, chain.Tokens(100)); err != nil {
		t.Fatal(err)
	}
	usOperator := env.Chain.Accounts[len(env.Chain.Accounts)-1]
	asConsumer := env.Owner().As(env.Key(consumer))
	if _, err := asConsumer.Escrow(env.Addrs.Escrow).SetOperator(ctx, usOperator.Address, true); err != nil {
		t.Fatalf("authorising us's operator: %v", err)
	}
	for _, r := range []struct {
		region *e2e.Region
		key    bool
	}{{eu, false}, {us, true}} {
		cfg := env.BillingConfig(r.region.Addr, fed.Token, filepath.Join(t.TempDir(), "billing.db"))
		if r.key {
			cfg.Key = usOperator.Key
		}
		// Kept for a failure's report: which region's billing did what, and when.
		logs := &lockedBuffer{}
		cfg.Log = slog.New(slog.NewTextHandler(logs, nil))
		t.Cleanup(func() {
			if t.Failed() {
				b := logs.String()
				t.Logf("%s's billing log (tail):\n%s", r.region.Name, b[max(0, len(b)-6000):])
			}
		})
		svc, err := service.New(ctx, cfg)
		if err != nil {
			t.Fatalf("starting %s's billing: %v", r.region.Name, err)
		}
		runCtx, stop := context.WithCancel(ctx)
		done := make(chan error, 1)
		go func() { done <- svc.Run(runCtx) }()
		t.Cleanup(func() {
			stop()
			if err := <-done; err != nil {
				t.Errorf("%s's billing: %v", r.region.Name, err)
			}
			svc.Close()
		})
	}

	before := map[string]*big.Int{}
	allocs := map[string]string{}
	for i, r := range []*e2e.Region{eu, us} {
		b, err := env.Balance(ctx, env.Provider(i))
		if err != nil {
			t.Fatal(err)
		}
		before[r.Name] = b
		job := api.NewServiceJob("work", "work", r.Name, 50)
		job.Datacenters = []string{"*"}
		tg := api.NewTaskGroup("g", 1)
		disk, one, cpu, mem := 10, 1, 500, 64
		tg.EphemeralDisk = &api.EphemeralDisk{SizeMB: &disk}
		task := api.NewTask("t", "raw_exec").SetConfig("command", "/bin/sleep").SetConfig("args", []string{"3600"})
		task.Require(&api.Resources{CPU: &cpu, MemoryMB: &mem})
		task.LogConfig = &api.LogConfig{MaxFiles: &one, MaxFileSizeMB: &one}
		tg.AddTask(task)
		job.AddTaskGroup(tg)
		if _, _, err := r.API.Jobs().Register(job, nil); err != nil {
			t.Fatalf("registering in %s: %v", r.Name, err)
		}
		e2e.Poll(t, "work to run in "+r.Name, 2*time.Minute, 250*time.Millisecond, func() (bool, error) {
			list, _, err := r.API.Jobs().Allocations("work", false, nil)
			for _, a := range list {
				if a.ClientStatus == api.AllocClientStatusRunning {
					allocs[r.Name] = a.ID
					return true, nil
				}
			}
			return false, err
		})
	}
	for i, r := range []*e2e.Region{eu, us} {
		e2e.Poll(t, "the stream of "+r.Name+"'s allocation to open", 2*time.Minute, 250*time.Millisecond, func() (bool, error) {
			v, err := env.Stream(ctx, ledger.StreamKey(allocs[r.Name], 0))
			if err != nil || v.Consumer == (common.Address{}) {
				return false, nil
			}
			if v.Consumer != consumer || v.Provider != env.Provider(i) || v.Rate.Sign() <= 0 {
				t.Fatalf("%s's stream: consumer %s, provider %s, rate %v; want %s paying %s", r.Name, v.Consumer.Hex(), v.Provider.Hex(), v.Rate, consumer.Hex(), env.Provider(i).Hex())
			}
			return true, nil
		})
	}
	for _, r := range []*e2e.Region{eu, us} {
		if _, _, err := r.API.Jobs().Deregister("work", false, nil); err != nil {
			t.Fatalf("stopping work in %s: %v", r.Name, err)
		}
	}
	for i, r := range []*e2e.Region{eu, us} {
		e2e.Poll(t, r.Name+"'s provider to be paid", 2*time.Minute, 250*time.Millisecond, func() (bool, error) {
			v, err := env.Stream(ctx, ledger.StreamKey(allocs[r.Name], 0))
			if err != nil || v.End == 0 {
				return false, nil
			}
			b, err := env.Balance(ctx, env.Provider(i))
			return err == nil && b.Cmp(before[r.Name]) > 0, nil
		})
	}
}

// lockedBuffer is a log sink the billing goroutines and the test share.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
