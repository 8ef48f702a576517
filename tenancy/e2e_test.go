package tenancy_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/crypto"
	"github.com/hashicorp/nomad/api"

	"github.com/dec2-cloud/dec2/billing-sidecar/lifecycle"
	"github.com/dec2-cloud/dec2/billing-sidecar/nomadsource"
	"github.com/dec2-cloud/dec2/conventions"
	"github.com/dec2-cloud/dec2/e2e"
	"github.com/dec2-cloud/dec2/identity/client"
	tenantns "github.com/dec2-cloud/dec2/identity/tenant"
	"github.com/dec2-cloud/dec2/tenancy"
)

// tenant is a wallet signed in through dec2-identity: its namespace and Nomad clients with its
// token, straight to Nomad and through the allocator.
type tenant struct {
	key     *ecdsa.PrivateKey
	session client.Session
	nomad   *api.Client
	via     *api.Client
}

type rig struct {
	region   *e2e.Region
	identity *e2e.Identity
	alloc    *e2e.Allocator
}

// signIn signs key in (a new wallet when nil) through dec2-identity.
func (r *rig) signIn(t *testing.T, key *ecdsa.PrivateKey) *tenant {
	t.Helper()
	var err error
	if key == nil {
		if key, err = crypto.GenerateKey(); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s, err := client.Login(ctx, r.identity.URL, r.region.Addr, key)
	if err != nil {
		t.Fatalf("signing in: %v", err)
	}
	tn := &tenant{key: key, session: s}
	for addr, c := range map[string]**api.Client{r.region.Addr: &tn.nomad, r.alloc.Addr: &tn.via} {
		if *c, err = api.NewClient(&api.Config{Address: addr, SecretID: s.NomadToken, Namespace: s.Namespace}); err != nil {
			t.Fatal(err)
		}
	}
	return tn
}

// webJob opts in to packing and registers a Nomad service, so that B has a job, allocations,
// a service and logs for A to reach for.
func webJob(id, ns string, meta map[string]string) *api.Job {
	job := api.NewServiceJob(id, id, "global", 50)
	job.Namespace, job.Meta = &ns, map[string]string{conventions.MetaPack: "true"}
	for k, v := range meta {
		job.Meta[k] = v
	}
	task := api.NewTask("t", "raw_exec").SetConfig("command", "/bin/sh").
		SetConfig("args", []string{"-c", "while true; do echo secret-of-" + ns + "; sleep 1; done"})
	task.Require(&api.Resources{CPU: ptr(100), MemoryMB: ptr(64)})
	tg := api.NewTaskGroup("g", 1).AddTask(task)
	tg.EphemeralDisk = &api.EphemeralDisk{SizeMB: ptr(150)}
	tg.Services = []*api.Service{{Name: id, Provider: "nomad"}}
	job.AddTaskGroup(tg)
	return job
}

func ptr[T any](v T) *T { return &v }

// denied: Nomad or the allocator refused (403 from Nomad; 403 or 409 from the allocator),
// never a success and never a transport failure passed off as a refusal.
func denied(err error) bool {
	if err == nil {
		return false
	}
	var ue api.UnexpectedResponseError
	if errors.As(err, &ue) {
		return ue.StatusCode() == 403 || ue.StatusCode() == 409
	}
	return strings.Contains(err.Error(), "403") || strings.Contains(err.Error(), "Permission denied")
}

func running(t *testing.T, c *api.Client, ns, job string) *api.Allocation {
	t.Helper()
	var alloc *api.Allocation
	e2e.Poll(t, "job "+ns+"/"+job+" to run", 2*time.Minute, 500*time.Millisecond, func() (bool, error) {
		stubs, _, err := c.Jobs().Allocations(job, false, &api.QueryOptions{Namespace: ns})
		if err != nil {
			return false, err
		}
		for _, s := range stubs {
			if s.ClientStatus == "running" {
				alloc, _, err = c.Allocations().Info(s.ID, &api.QueryOptions{Namespace: ns})
				return err == nil, err
			}
		}
		return false, nil
	})
	return alloc
}

// logs reads an allocation's stdout once; what it got, or the error.
func logs(c *api.Client, alloc *api.Allocation, q *api.QueryOptions) (string, error) {
	cancel := make(chan struct{})
	defer close(cancel)
	frames, errs := c.AllocFS().Logs(alloc, false, "t", "stdout", "start", 0, cancel, q)
	var out bytes.Buffer
	timeout := time.After(20 * time.Second)
	for {
		select {
		case f, ok := <-frames:
			if !ok {
				return out.String(), nil
			}
			if f != nil {
				out.Write(f.Data)
			}
		case err := <-errs:
			return out.String(), err
		case <-timeout:
			return out.String(), errors.New("no answer in 20s")
		}
	}
}

// billedTo resolves, as billing does, who would pay for a running allocation.
func billedTo(t *testing.T, r *e2e.Region, alloc *api.Allocation) (lifecycle.Terms, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	facts, err := nomadsource.New(r.API, slog.New(slog.NewTextHandler(io.Discard, nil))).Facts(ctx, alloc)
	if err != nil {
		t.Fatalf("billing's facts of %s: %v", alloc.ID, err)
	}
	facts.ChainID, facts.At = big.NewInt(1337), time.Now()
	return lifecycle.ResolveTerms(facts)
}

func reason(err error) string {
	var te *lifecycle.TermsError
	if errors.As(err, &te) {
		return te.Reason
	}
	return ""
}

// Tenant A, signed in with its wallet, tries every way into tenant B — straight to Nomad and
// through the allocator — and each is refused, while B itself reaches all of it; A's attempts
// to bill B or to borrow B's dedicated provider are refused up front by the allocator and,
// where Nomad alone lets them through, never billed.
func TestTenantCannotReachAnotherTenant(t *testing.T) {
	e2e.RequireIntegration(t)
	keyB, _ := crypto.GenerateKey()
	walletB := crypto.PubkeyToAddress(keyB.PublicKey)
	nsB := tenantns.Namespace(walletB)
	prices := func(extra ...string) map[string]string {
		m := map[string]string{conventions.MetaWallet: "0x00000000000000000000000000000000000000b0", "dec2.price.cpu_ghz_hour": "1"}
		for i := 0; i+1 < len(extra); i += 2 {
			m[extra[i]] = extra[i+1]
		}
		return m
	}
	region := e2e.StartRegion(t, e2e.Options{ACL: true, Clients: []e2e.Client{
		{Name: "shared", CPUMHz: 4000, MemoryMB: 4096, RawExec: true, Meta: prices()},
		{Name: "b-rig", CPUMHz: 4000, MemoryMB: 4096, RawExec: true, Meta: prices(conventions.MetaDedicatedTenant, nsB)},
		{Name: "sandboxed", CPUMHz: 2000, MemoryMB: 2048, RawExec: true, Sandbox: e2e.SandboxGVisor, Meta: prices()},
	}})
	r := &rig{region: region, identity: e2e.StartIdentity(t, region), alloc: e2e.StartAllocator(t, region)}
	a, b := r.signIn(t, nil), r.signIn(t, keyB)
	nsA := a.session.Namespace
	if b.session.Namespace != nsB {
		t.Fatalf("B signed in to %s, want %s", b.session.Namespace, nsB)
	}

	// B's own work, reachable by B.
	if _, _, err := b.via.Jobs().Register(webJob("b-web", nsB, nil), nil); err != nil {
		t.Fatalf("B's own job through the allocator: %v", err)
	}
	bAlloc := running(t, b.nomad, nsB, "b-web")
	if _, _, err := b.nomad.Variables().Create(&api.Variable{Namespace: nsB, Path: "b/secret", Items: api.VariableItems{"password": "hunter2"}}, nil); err != nil {
		t.Fatalf("B's variable: %v", err)
	}
	qB := &api.QueryOptions{Namespace: nsB}
	e2e.Poll(t, "B's own logs, service and variable", time.Minute, time.Second, func() (bool, error) {
		out, err := logs(b.nomad, bAlloc, qB)
		svc, _, serr := b.nomad.Services().Get("b-web", qB)
		_, _, verr := b.nomad.Variables().Read("b/secret", qB)
		return err == nil && strings.Contains(out, "secret-of-"+nsB) && serr == nil && len(svc) > 0 && verr == nil, nil
	})

	wB := &api.WriteOptions{Namespace: nsB}
	for via, c := range map[string]*api.Client{"straight to Nomad": a.nomad, "through the allocator": a.via} {
		t.Run(via, func(t *testing.T) {
			check := func(what string, err error) {
				t.Helper()
				if !denied(err) {
					t.Errorf("A %s, %s: %v; want a refusal", what, via, err)
				}
			}
			_, _, err := c.Jobs().Info("b-web", qB)
			check("reads B's job", err)
			if jobs, _, err := c.Jobs().List(qB); err == nil && len(jobs) > 0 {
				t.Errorf("A lists B's jobs %s: %d jobs", via, len(jobs))
			}
			_, _, err = c.Jobs().Deregister("b-web", false, wB)
			check("stops B's job", err)
			_, _, err = c.Jobs().Scale("b-web", "g", ptr(3), "", false, nil, wB)
			check("scales B's job", err)
			_, _, err = c.Jobs().Plan(webJob("b-web", nsB, nil), false, wB)
			check("plans B's job", err)
			_, _, err = c.Jobs().Register(webJob("a-in-b", nsB, nil), wB)
			check("registers into B's namespace", err)
			// Nomad answers an allocation another namespace holds as unknown: not even its existence leaks.
			if al, _, err := c.Allocations().Info(bAlloc.ID, qB); al != nil || (!denied(err) && !strings.Contains(fmt.Sprint(err), "Unknown allocation")) {
				t.Errorf("A reads B's allocation %s: %v, %v; want a refusal", via, al != nil, err)
			}
			_, _, err = c.AllocFS().List(bAlloc, "/", qB)
			check("lists B's allocation's files", err)
			out, err := logs(c, bAlloc, qB)
			if strings.Contains(out, "secret-of") || !denied(err) {
				t.Errorf("A reads B's logs %s: %q, %v", via, out, err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			var stdout bytes.Buffer
			_, err = c.Allocations().Exec(ctx, bAlloc, "t", false, []string{"/bin/echo", "in"}, strings.NewReader(""), &stdout, io.Discard, nil, qB)
			cancel()
			if stdout.Len() > 0 || !denied(err) {
				t.Errorf("A execs in B's allocation %s: %q, %v", via, stdout.String(), err)
			}
			check("signals B's task", c.Allocations().Signal(bAlloc, qB, "t", "SIGTERM"))
			check("restarts B's task", c.Allocations().Restart(bAlloc, "t", qB))
			_, _, err = c.Variables().Read("b/secret", qB)
			check("reads B's variable", err)
			_, _, err = c.Services().Get("b-web", qB)
			check("reads B's service", err)
			checkEvents(t, c, nsB, via)
		})
	}
	if got := running(t, b.nomad, nsB, "b-web"); got.ID != bAlloc.ID {
		t.Errorf("B's allocation changed from %s to %s while A tried", bAlloc.ID, got.ID)
	}

	// Billing B's wallet from A's namespace: the allocator refuses; straight to Nomad the job
	// runs, but billing charges nobody for it.
	payB := map[string]string{conventions.MetaWallet: walletB.Hex()}
	if _, _, err := a.via.Jobs().Register(webJob("a-pays-b", nsA, payB), nil); !denied(err) || !strings.Contains(err.Error(), conventions.MetaWallet) {
		t.Errorf("A's job billed to B's wallet through the allocator: %v; want a refusal naming %s", err, conventions.MetaWallet)
	}
	if _, _, err := a.nomad.Jobs().Register(webJob("a-pays-b", nsA, payB), nil); err != nil {
		t.Fatalf("A's job billed to B straight to Nomad: %v", err)
	}
	if terms, err := billedTo(t, region, running(t, a.nomad, nsA, "a-pays-b")); reason(err) != tenancy.ReasonNotNamespaces {
		t.Errorf("billing would charge %s for A's job naming B's wallet (%v); want %s", terms.Consumer.Hex(), err, tenancy.ReasonNotNamespaces)
	}
	// A paying for itself is billed to A: the check above can fail.
	if _, _, err := a.via.Jobs().Register(webJob("a-own", nsA, nil), nil); err != nil {
		t.Fatalf("A's own job: %v", err)
	}
	if terms, err := billedTo(t, region, running(t, a.nomad, nsA, "a-own")); err != nil || terms.Consumer.Hex() != a.session.Wallet {
		t.Errorf("A's own job is billed to %s (%v), want A's wallet %s", terms.Consumer.Hex(), err, a.session.Wallet)
	}

	// A way out of the sandbox is refused before placement.
	escape := webJob("a-escape", nsA, nil)
	escape.TaskGroups[0].Tasks[0] = api.NewTask("t", "docker").SetConfig("image", "dec2-none:latest").SetConfig("pid_mode", "host")
	if _, _, err := a.via.Jobs().Register(escape, nil); err == nil || !strings.Contains(err.Error(), "pid_mode") {
		t.Errorf("A's job sharing the host's pid namespace through the allocator: %v; want a refusal naming pid_mode", err)
	}

	// A job that requires gVisor is packed onto the provider that advertises it.
	sandboxed := webJob("a-sandboxed", nsA, nil)
	sandboxed.Constrain(api.NewConstraint("${meta."+conventions.MetaSandbox+"}", "=", e2e.SandboxGVisor))
	if _, _, err := a.via.Jobs().Register(sandboxed, nil); err != nil {
		t.Fatalf("A's job requiring gVisor: %v", err)
	}
	if got, want := running(t, a.nomad, nsA, "a-sandboxed").NodeID, region.NodeID(t, "sandboxed"); got != want {
		t.Errorf("A's job requiring gVisor runs on %s, want the gVisor provider %s", got, want)
	}

	// B's dedicated provider: the allocator will not pack A there; pinned straight through
	// Nomad, the work is never billed (and billing stops it).
	pinned := webJob("a-on-b-rig", nsA, nil)
	pinned.Constrain(api.NewConstraint("${node.unique.name}", "=", "b-rig"))
	if _, _, err := a.via.Jobs().Register(pinned, nil); !denied(err) {
		t.Errorf("A's job pinned to B's dedicated rig through the allocator: %v; want 409", err)
	}
	pinned.Meta = nil
	if _, _, err := a.nomad.Jobs().Register(pinned, nil); err != nil {
		t.Fatalf("A's job pinned to B's rig straight to Nomad: %v", err)
	}
	if _, err := billedTo(t, region, running(t, a.nomad, nsA, "a-on-b-rig")); reason(err) != "dedicated_to_another_tenant" {
		t.Errorf("A's work on B's dedicated rig: billing says %v, want dedicated_to_another_tenant", err)
	}
}

// checkEvents: A's event stream for B's namespace is refused, closed with nothing, or carries
// nothing of B's (through the allocator's proxy a refused stream can arrive as a bare EOF).
func checkEvents(t *testing.T, c *api.Client, nsB, via string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	ch, err := c.EventStream().Stream(ctx, map[api.Topic][]string{api.TopicAll: {"*"}}, 0, &api.QueryOptions{Namespace: nsB})
	if err != nil {
		if !denied(err) && !errors.Is(err, io.EOF) && !strings.HasSuffix(err.Error(), "EOF") {
			t.Errorf("A's event stream of B's namespace %s: %v; want a refusal", via, err)
		}
		return
	}
	for {
		select {
		case ev, ok := <-ch:
			if !ok || ev == nil {
				return
			}
			if ev.Err != nil {
				if !denied(ev.Err) && !errors.Is(ev.Err, io.EOF) && !strings.HasSuffix(ev.Err.Error(), "EOF") {
					t.Errorf("A's event stream of B's namespace %s: %v; want a refusal", via, ev.Err)
				}
				return
			}
			for _, e := range ev.Events {
				if strings.Contains(fmt.Sprint(e.Payload), nsB) {
					t.Errorf("A sees B's event %s %s %s", e.Topic, e.Type, e.Key)
					return
				}
			}
		case <-ctx.Done():
			return
		}
	}
}
