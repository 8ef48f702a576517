package service_test

import (
	"context"

	"fmt"
	"io"
	"log/slog"
	"maps"
	"math/big"
	"net/http"
	"net/http/httptest"

	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/hashicorp/nomad/api"

	"github.com/dec2-cloud/dec2/billing-sidecar/devenv"
	"github.com/dec2-cloud/dec2/billing-sidecar/ledger"
	"github.com/dec2-cloud/dec2/billing-sidecar/service"
	"github.com/dec2-cloud/dec2/contracts/devchain"
	"github.com/dec2-cloud/dec2/conventions"
	"github.com/dec2-cloud/dec2/e2e"
	"github.com/dec2-cloud/dec2/pricing"
	"github.com/dec2-cloud/dec2/tenancy"
)

// Provider prices: 3.6 tokens per GHz-hour = 1e15 base units per MHz... per GHz-second.
const cpuMHz = 500

var rate = big.NewInt(500_000_000_000_000) // 500 MHz × 3.6 tokens/GHz-h / 3600 s

type world struct {
	t      *testing.T
	ctx    context.Context
	region *e2e.Region
	chain  *devenv.Env
	svc    *service.Service
	proxy  *e2e.Proxy
	image  string
	metric string // /metrics URL
}

// BillingPolicy is the ACL policy the README documents for the sidecar's Nomad token: read
// everything it bills, stop jobs of insolvent consumers.
const BillingPolicy = `
namespace "*" {
  policy       = "read"
  capabilities = ["submit-job"]
}
node {
  policy = "read"
}
`

func start(t *testing.T) *world { return startWith(t, false) }

// startWith starts the world; with acl, Nomad enforces ACLs and the sidecar holds a token of
// BillingPolicy only.
func startWith(t *testing.T, acl bool) *world {
	e2e.RequireIntegration(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Minute)
	t.Cleanup(cancel)
	w := &world{t: t, ctx: ctx, image: e2e.WorkloadImage(t)}
	var err error
	if w.chain, err = devenv.Start(ctx, time.Second); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.chain.Close)
	node := func(name string, provider int, extra map[string]string) e2e.Client {
		meta := map[string]string{"dec2.wallet": w.chain.Provider(provider).Hex(), pricing.MetaCPU: "3.6", pricing.MetaMem: "0", "billing_test": "good"}
		for k, v := range extra {
			meta[k] = v
		}
		return e2e.Client{Name: name, CPUMHz: 2000, MemoryMB: 2048, Meta: meta}
	}
	clients := []e2e.Client{node("prov-a", 0, nil), node("prov-b", 1, nil),
		node("bad", 2, map[string]string{pricing.MetaCPU: "3,6", "billing_test": "bad"})}
	if acl {
		clients = clients[:1]
	}
	w.region = e2e.StartRegion(t, e2e.Options{Clients: clients, ACL: acl})
	// The tenant here is `default`, bound to consumer 0; other consumers pay for its jobs
	// through delegations (register).
	w.region.BindWallet(t, "default", w.chain.Consumer(0).Hex())
	token := w.region.Token
	if acl {
		if _, err := w.region.API.ACLPolicies().Upsert(&api.ACLPolicy{Name: "dec2-billing", Rules: BillingPolicy}, nil); err != nil {
			t.Fatalf("creating the billing ACL policy: %v", err)
		}
		tok, _, err := w.region.API.ACLTokens().Create(&api.ACLToken{Name: "dec2-billing", Type: "client", Policies: []string{"dec2-billing"}}, nil)
		if err != nil {
			t.Fatalf("creating the billing token: %v", err)
		}
		token = tok.SecretID
	}
	// The sidecar reaches the chain through a proxy the test can cut (the RPC outage).
	w.proxy = e2e.NewProxy(t, strings.TrimPrefix(w.chain.Chain.HTTPURL, "http://"))
	cfg := w.chain.BillingConfig(w.region.Addr, token, filepath.Join(t.TempDir(), "billing.db"))
	cfg.ChainRPC = "http://" + w.proxy.Addr
	cfg.InsolvencyGrace = 12 * time.Second
	cfg.Log = slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelInfo}))
	if w.svc, err = service.New(ctx, cfg); err != nil {
		t.Fatal(err)
	}
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- w.svc.Run(runCtx) }()
	t.Cleanup(func() {
		stop()
		if err := <-done; err != nil {
			t.Errorf("billing service: %v", err)
		}
		w.svc.Close()
	})
	srv := httptest.NewServer(w.svc.Handler())
	t.Cleanup(srv.Close)
	w.metric = srv.URL + "/metrics"
	return w
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// run registers a one-task Docker job.
func (w *world) run(id string, meta map[string]string, constraint string) {
	w.t.Helper()
	// Two restarts ride out a container start that fails on a loaded machine; they stay
	// inside the allocation, so its stream is the same.
	w.register(id, meta, constraint, []string{"-cpu", "0.05"}, 2)
}

// register submits a one-task Docker job running the workload with args; restarts is how
// often Nomad restarts the task in place before failing the allocation.
func (w *world) register(id string, meta map[string]string, constraint string, args []string, restarts int) {
	w.t.Helper()
	w.registerWith(id, meta, constraint, args, restarts, nil)
}

// registerWith is register with more Docker options for the task.
func (w *world) registerWith(id string, meta map[string]string, constraint string, args []string, restarts int, docker map[string]any) {
	w.t.Helper()
	job := api.NewServiceJob(id, id, "global", 50)
	job.Datacenters, job.Meta = []string{"*"}, w.delegated(meta)
	if constraint != "" {
		job.Constrain(api.NewConstraint("${node.unique.name}", "=", constraint))
	} else {
		job.Constrain(api.NewConstraint("${meta.billing_test}", "=", "good"))
	}
	task := api.NewTask("work", "docker").
		SetConfig("image", w.image).SetConfig("args", args).
		Require(&api.Resources{CPU: ptr(cpuMHz), MemoryMB: ptr(64)})
	for k, v := range docker {
		task.SetConfig(k, v)
	}
	tg := api.NewTaskGroup("g", 1).AddTask(task)
	tg.EphemeralDisk = &api.EphemeralDisk{SizeMB: ptr(200)}
	tg.RestartPolicy = &api.RestartPolicy{Attempts: ptr(restarts), Interval: ptr(10 * time.Minute), Delay: ptr(time.Second), Mode: ptr("fail")}
	tg.ReschedulePolicy = &api.ReschedulePolicy{Attempts: ptr(0), Unlimited: ptrB(false)}
	job.AddTaskGroup(tg)
	if _, _, err := w.region.API.Jobs().Register(job, nil); err != nil {
		w.t.Fatalf("registering job %s: %v", id, err)
	}
}

// delegated adds a delegation to `default` signed by the job's dec2.wallet where that is a
// dev consumer other than the namespace's own.
func (w *world) delegated(meta map[string]string) map[string]string {
	wallet := common.HexToAddress(meta[conventions.MetaWallet])
	if !common.IsHexAddress(meta[conventions.MetaWallet]) || wallet == w.chain.Consumer(0) {
		return meta
	}
	for i := 1; i < 3; i++ {
		if wallet != w.chain.Consumer(i) {
			continue
		}
		d, err := tenancy.Sign(w.chain.Key(wallet), tenancy.Delegation{Namespace: "default", Until: time.Now().Add(time.Hour)}, big.NewInt(devchain.ChainID))
		if err != nil {
			w.t.Fatalf("delegating: %v", err)
		}
		maps.Copy(meta, d.Meta())
	}
	return meta
}

func ptr[T any](v T) *T { return &v }
func ptrB(v bool) *bool { return &v }

// running waits for a running allocation of the job other than those in skip.
func (w *world) running(job string, skip ...string) *api.Allocation {
	w.t.Helper()
	var id string
	e2e.Poll(w.t, "job "+job+" to run", 3*time.Minute, 250*time.Millisecond, func() (bool, error) {
		allocs, _, err := w.region.API.Jobs().Allocations(job, true, nil)
		if err != nil {
			return false, nil
		}
		for _, a := range allocs {
			if a.ClientStatus == api.AllocClientStatusRunning && !contains(skip, a.ID) {
				id = a.ID
				return true, nil
			}
			if a.ClientStatus == api.AllocClientStatusFailed {
				var events []string
				for task, st := range a.TaskStates {
					for _, e := range st.Events {
						events = append(events, fmt.Sprintf("%s: %s %s", task, e.Type, e.DisplayMessage))
					}
				}
				return false, fmt.Errorf("allocation %s failed:\n%s", a.ID, strings.Join(events, "\n"))
			}
		}
		return false, nil
	})
	return w.alloc(id)
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

func (w *world) alloc(id string) *api.Allocation {
	a, _, err := w.region.API.Allocations().Info(id, nil)
	if err != nil {
		w.t.Fatalf("reading allocation %s: %v", id, err)
	}
	return a
}

func startedAt(a *api.Allocation) time.Time {
	var s time.Time
	for _, ts := range a.TaskStates {
		if s.IsZero() || ts.StartedAt.Before(s) {
			s = ts.StartedAt
		}
	}
	return s
}

// stream waits until the allocation's segment exists on chain.
func (w *world) stream(allocID string, seg int, what string, done func(end uint64) bool) (st streamView) {
	w.t.Helper()
	e2e.Poll(w.t, what, 3*time.Minute, 100*time.Millisecond, func() (bool, error) {
		v, err := w.chain.Stream(w.ctx, ledger.StreamKey(allocID, seg))
		if err != nil {
			return false, nil
		}
		st = streamView{Exists: v.Consumer != [20]byte{}, Provider: v.Provider.Hex(), Rate: v.Rate, Start: v.Start, End: v.End, HaltedAt: v.HaltedAt, Owed: v.Owed}
		return st.Exists && done(st.End), nil
	})
	return st
}

type streamView struct {
	Exists     bool
	Provider   string
	Rate, Owed *big.Int
	Start, End uint64
	HaltedAt   uint64
}

func (w *world) event(kind, allocOrConsumer string, timeout time.Duration) service.Event {
	w.t.Helper()
	var got service.Event
	e2e.Poll(w.t, "billing event "+kind+" for "+allocOrConsumer, timeout, 200*time.Millisecond, func() (bool, error) {
		for _, e := range w.svc.Events() {
			if e.Kind == kind && (e.AllocID == allocOrConsumer || strings.EqualFold(e.Consumer, allocOrConsumer) || e.JobID == allocOrConsumer) {
				got = e
				return true, nil
			}
		}
		return false, nil
	})
	return got
}

func (w *world) stop(job string) {
	w.t.Helper()
	if out, err := w.region.Nomad(w.t, "job", "stop", "-detach", job); err != nil {
		w.t.Fatalf("nomad job stop %s: %v\n%s", job, err, out)
	}
}

func (w *world) terminal(allocID string) *api.Allocation {
	w.t.Helper()
	var a *api.Allocation
	e2e.Poll(w.t, "allocation "+allocID+" to stop", 3*time.Minute, 250*time.Millisecond, func() (bool, error) {
		a = w.alloc(allocID)
		return a.ClientTerminalStatus(), nil
	})
	return a
}

func finishedAt(a *api.Allocation) time.Time {
	var f time.Time
	for _, ts := range a.TaskStates {
		if ts.FinishedAt.After(f) {
			f = ts.FinishedAt
		}
	}
	return f
}

func abs(d int64) int64 {
	if d < 0 {
		return -d
	}
	return d
}

// TestBillingEndToEnd runs the sidecar against a real Nomad region with Docker and the dev
// chain: pay while running (through an RPC outage), bad input, insolvency with and without a
// top-up, and provider loss with rescheduling.
func TestBillingEndToEnd(t *testing.T) {
	w := start(t)
	ctx := w.ctx

	t.Run("pays while running and stops paying on job stop, through an RPC outage", func(t *testing.T) {
		w.t = t
		if err := w.chain.Deposit(ctx, 0, big.NewInt(0).Mul(big.NewInt(1000), big.NewInt(1e18))); err != nil {
			t.Fatal(err)
		}
		w.run("paid", map[string]string{"dec2.wallet": w.chain.Consumer(0).Hex()}, "prov-a")
		a := w.running("paid")
		runAt := startedAt(a)
		st := w.stream(a.ID, 0, "the stream to open", func(uint64) bool { return true })
		t.Logf("stream visible on chain %v after Nomad started the task", time.Since(runAt).Round(time.Millisecond))
		if abs(int64(st.Start)-runAt.Unix()) > 1 || st.Rate.Cmp(rate) != 0 || st.Provider != w.chain.Provider(0).Hex() {
			t.Fatalf("stream %+v; want start %d, rate %s, provider %s", st, runAt.Unix(), rate, w.chain.Provider(0).Hex())
		}
		// Withdrawable grows at the rate: owed is rate × seconds since the last settlement.
		time.Sleep(3 * time.Second)
		st2 := w.stream(a.ID, 0, "the stream", func(uint64) bool { return true })
		if st2.Owed.Sign() <= 0 || new(big.Int).Mod(st2.Owed, rate).Sign() != 0 {
			t.Fatalf("owed %s is not a positive multiple of the rate %s", st2.Owed, rate)
		}

		// The chain goes away for a minute; Nomad stops the job meanwhile.
		w.proxy.SetDown(true)
		time.Sleep(5 * time.Second)
		w.stop("paid")
		stopped := w.terminal(a.ID)
		time.Sleep(55 * time.Second)
		w.proxy.SetDown(false)

		end := w.stream(a.ID, 0, "the stream to close after the outage", func(end uint64) bool { return end != 0 })
		ran := finishedAt(stopped).Sub(startedAt(stopped))
		billed := time.Duration(end.End-end.Start) * time.Second
		t.Logf("allocation ran %v, billed %v", ran, billed)
		if d := ran - billed; d > time.Second+500*time.Millisecond || d < -time.Second-500*time.Millisecond {
			t.Fatalf("billed %v for %v of running time", billed, ran)
		}
		paid, err := w.chain.Balance(ctx, w.chain.Provider(0))
		if err != nil {
			t.Fatal(err)
		}
		want := new(big.Int).Mul(rate, big.NewInt(int64(end.End-end.Start)))
		if paid.Cmp(want) != 0 {
			t.Fatalf("provider received %s, want rate × billed seconds = %s", paid, want)
		}
	})

	t.Run("task restarts inside an allocation keep one stream", func(t *testing.T) {
		w.t = t
		if err := w.chain.Deposit(ctx, 0, new(big.Int).Mul(big.NewInt(100), big.NewInt(1e18))); err != nil {
			t.Fatal(err)
		}
		// The task exits 1 after 2 s; Nomad restarts it in place twice, then fails the allocation.
		w.register("flaky", map[string]string{"dec2.wallet": w.chain.Consumer(0).Hex()}, "prov-a",
			[]string{"-duration", "2s", "-exit", "1"}, 2)
		a := w.running("flaky")
		w.stream(a.ID, 0, "the stream to open", func(uint64) bool { return true })
		failed := w.terminal(a.ID)
		restarts := uint64(0)
		for _, ts := range failed.TaskStates {
			restarts += ts.Restarts
		}
		if failed.ClientStatus != api.AllocClientStatusFailed || restarts != 2 {
			t.Fatalf("allocation %s after %d restarts, want failed after 2", failed.ClientStatus, restarts)
		}
		st := w.stream(a.ID, 0, "the stream to close", func(end uint64) bool { return end != 0 })
		if abs(int64(st.End)-finishedAt(failed).Unix()) > 1 {
			t.Errorf("stream ended %d, the allocation failed at %d", st.End, finishedAt(failed).Unix())
		}
		if v, _ := w.chain.Stream(ctx, ledger.StreamKey(a.ID, 1)); v.Consumer != [20]byte{} {
			t.Fatalf("a restart opened a second segment: %+v", v)
		}
		for _, e := range w.svc.Events() {
			if e.AllocID == a.ID && e.Kind == "stream_open" && !strings.Contains(e.Detail, "segment 0") {
				t.Fatalf("second open: %+v", e)
			}
		}
	})

	t.Run("bad input is reported and paid for by nobody", func(t *testing.T) {
		w.t = t
		// A wallet that never delegated to `default`: someone else's money.
		w.run("foreign", map[string]string{"dec2.wallet": w.chain.Provider(1).Hex()}, "prov-a")
		w.run("malformed", map[string]string{"dec2.wallet": "0xnot-an-address"}, "prov-a")
		w.run("badprice", map[string]string{"dec2.wallet": w.chain.Consumer(0).Hex()}, "bad")
		for job, reason := range map[string]string{"foreign": tenancy.ReasonNotNamespaces, "malformed": tenancy.ReasonBadJobWallet, "badprice": "bad_price"} {
			a := w.running(job)
			e := w.event("bad_input", a.ID, time.Minute)
			t.Logf("%s: %s", job, e.Detail)
			if !strings.Contains(e.Detail, reason) {
				t.Errorf("%s: event %q does not name %s", job, e.Detail, reason)
			}
			if v, _ := w.chain.Stream(ctx, ledger.StreamKey(a.ID, 0)); v.Consumer != [20]byte{} {
				t.Errorf("%s: a stream was opened: %+v", job, v)
			}
			w.stop(job)
		}
		// A Docker option Nomad lets through but the tenant contract forbids (straight to Nomad,
		// no allocator in front): never billed, and billing stops the job.
		// (label=disable is harmless on this host without SELinux, so the container runs.)
		w.registerWith("unlabelled", map[string]string{"dec2.wallet": w.chain.Consumer(0).Hex()}, "prov-a", []string{"-cpu", "0.05"}, 2,
			map[string]any{"security_opt": []string{"label=disable"}})
		stopped := w.event("job_stopped", "unlabelled", 2*time.Minute)
		if !strings.Contains(stopped.Detail, "security_opt") {
			t.Errorf("unlabelled: job_stopped event %q does not name the option", stopped.Detail)
		}
		if e := w.event("bad_input", stopped.AllocID, time.Minute); !strings.Contains(e.Detail, tenancy.ReasonForbiddenTask) {
			t.Errorf("unlabelled: event %q does not name %s", e.Detail, tenancy.ReasonForbiddenTask)
		}
		if v, _ := w.chain.Stream(ctx, ledger.StreamKey(stopped.AllocID, 0)); v.Consumer != [20]byte{} {
			t.Errorf("unlabelled: a stream was opened: %+v", v)
		}
		body := httpGet(t, w.metric)
		for _, reason := range []string{tenancy.ReasonNotNamespaces, tenancy.ReasonBadJobWallet, "bad_price"} {
			if !strings.Contains(body, `dec2_billing_bad_input_total{reason="`+reason+`"} 1`) {
				t.Errorf("metrics lack bad input %s:\n%s", reason, grep(body, "bad_input"))
			}
		}
	})

	t.Run("insolvent consumer's job stops after the grace period", func(t *testing.T) {
		w.t = t
		// Eight seconds of pay.
		if err := w.chain.Deposit(ctx, 1, new(big.Int).Mul(rate, big.NewInt(8))); err != nil {
			t.Fatal(err)
		}
		w.run("broke", map[string]string{"dec2.wallet": w.chain.Consumer(1).Hex()}, "prov-b")
		a := w.running("broke")
		w.stream(a.ID, 0, "the stream to open", func(uint64) bool { return true })
		w.event("insolvent", w.chain.Consumer(1).Hex(), time.Minute)
		stopEv := w.event("job_stopped", a.ID, time.Minute)
		t.Logf("job stopped: %s", stopEv.Detail)
		w.terminal(a.ID)
		acct, err := w.chain.Account(ctx, 1)
		if err != nil {
			t.Fatal(err)
		}
		if acct.Balance.Sign() != 0 && acct.Refundable.Cmp(acct.Balance) > 0 {
			t.Fatalf("account after insolvency %+v", acct)
		}
	})

	t.Run("topping up within the grace period keeps the job running", func(t *testing.T) {
		w.t = t
		if err := w.chain.Deposit(ctx, 2, new(big.Int).Mul(rate, big.NewInt(6))); err != nil {
			t.Fatal(err)
		}
		w.run("saved", map[string]string{"dec2.wallet": w.chain.Consumer(2).Hex()}, "prov-b")
		a := w.running("saved")
		w.stream(a.ID, 0, "the stream to open", func(uint64) bool { return true })
		w.event("insolvent", w.chain.Consumer(2).Hex(), time.Minute)
		if err := w.chain.Deposit(ctx, 2, new(big.Int).Mul(big.NewInt(1000), big.NewInt(1e18))); err != nil {
			t.Fatal(err)
		}
		w.event("resumed", w.chain.Consumer(2).Hex(), time.Minute)
		seg0 := w.stream(a.ID, 0, "the halted segment to close", func(end uint64) bool { return end != 0 })
		seg1 := w.stream(a.ID, 1, "the next segment to open", func(uint64) bool { return true })
		if seg1.Start != seg0.End || seg0.HaltedAt == 0 {
			t.Fatalf("segments do not join: %+v then %+v", seg0, seg1)
		}
		time.Sleep(15 * time.Second) // past the grace period
		if cur := w.alloc(a.ID); cur.ClientStatus != api.AllocClientStatusRunning {
			t.Fatalf("allocation %s after top-up", cur.ClientStatus)
		}
		for _, e := range w.svc.Events() {
			if e.Kind == "job_stopped" && e.AllocID == a.ID {
				t.Fatalf("job stopped despite the top-up: %+v", e)
			}
		}
		w.stop("saved")
		w.stream(a.ID, 1, "the segment to close", func(end uint64) bool { return end != 0 })
	})

	t.Run("lost provider: stream ends at its last heartbeat, the replacement pays the new one", func(t *testing.T) {
		w.t = t
		w.run("moving", map[string]string{"dec2.wallet": w.chain.Consumer(0).Hex()}, "")
		a := w.running("moving")
		w.stream(a.ID, 0, "the stream to open", func(uint64) bool { return true })
		time.Sleep(3 * time.Second)
		var victim string
		for _, name := range []string{"prov-a", "prov-b"} {
			if w.region.NodeID(t, name) == a.NodeID {
				victim = name
			}
		}
		killedAt := time.Now()
		w.region.Client(t, victim).Kill()
		st := w.stream(a.ID, 0, "the lost allocation's stream to close", func(end uint64) bool { return end != 0 })
		lost := w.alloc(a.ID)
		t.Logf("killed %s at %d, stream ended %d, Nomad marked the allocation %s", victim, killedAt.Unix(), st.End, lost.ClientStatus)
		if lost.ClientStatus != api.AllocClientStatusLost {
			t.Fatalf("allocation %s, want lost", lost.ClientStatus)
		}
		// The last stats poll the node answered is at most one interval (1 s) before the kill;
		// a settlement in flight may have paid up to one more block.
		if d := int64(st.End) - killedAt.Unix(); d > 3 || d < -3 {
			t.Fatalf("stream ended %ds from the loss; want within the stats interval and a block", d)
		}
		next := w.running("moving", a.ID)
		st2 := w.stream(next.ID, 0, "the replacement's stream", func(uint64) bool { return true })
		if next.NodeID == a.NodeID || strings.EqualFold(st2.Provider, w.stream(a.ID, 0, "", func(uint64) bool { return true }).Provider) {
			t.Fatalf("replacement %s on node %s pays %s", next.ID, next.NodeID, st2.Provider)
		}
		w.stop("moving")
		w.stream(next.ID, 0, "the replacement's stream to close", func(end uint64) bool { return end != 0 })
	})
}

// The sidecar works with the documented least-privilege token: it follows events, reads
// stats, and stops an insolvent consumer's job.
func TestBillingWithPolicyToken(t *testing.T) {
	w := startWith(t, true)
	if err := w.chain.Deposit(w.ctx, 1, new(big.Int).Mul(rate, big.NewInt(8))); err != nil {
		t.Fatal(err)
	}
	w.run("acl-broke", map[string]string{"dec2.wallet": w.chain.Consumer(1).Hex()}, "prov-a")
	a := w.running("acl-broke")
	w.stream(a.ID, 0, "the stream to open", func(uint64) bool { return true })
	w.event("job_stopped", a.ID, 2*time.Minute)
	w.terminal(a.ID)
	w.stream(a.ID, 0, "the stream to close", func(end uint64) bool { return end != 0 })
	if !strings.Contains(httpGet(t, w.metric), "dec2_billing_usage_memory_mib_seconds_total{consumer=") {
		t.Error("no usage metered with the policy token")
	}
}

func httpGet(t *testing.T, url string) string {
	t.Helper()
	resp, err := httpClient.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

func grep(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

var httpClient = &http.Client{Timeout: 10 * time.Second}
