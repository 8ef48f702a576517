package attestor_test

import (
	"context"
	"crypto/ecdsa"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/hashicorp/nomad/api"

	"github.com/dec2-cloud/dec2/attestor/evidence"
	"github.com/dec2-cloud/dec2/attestor/peers"
	"github.com/dec2-cloud/dec2/attestor/service"
	"github.com/dec2-cloud/dec2/billing-sidecar/devenv"
	billing "github.com/dec2-cloud/dec2/billing-sidecar/service"
	"github.com/dec2-cloud/dec2/contracts/chain"
	"github.com/dec2-cloud/dec2/conventions"
	"github.com/dec2-cloud/dec2/e2e"
	"github.com/dec2-cloud/dec2/pricing"
)

const (
	attestors = 4
	threshold = 3
	grace     = 5 * time.Second
	// freezeWindow spans Nomad's heartbeat jitter: killed together, nodes are marked down
	// seconds apart.
	freezeWindow = 30 * time.Second
)

// world is a region of four providers staked in the registry, billing, and four attestor
// processes (k = 3); the last attestor reads Nomad through a proxy the test can cut.
type world struct {
	t         *testing.T
	ctx       context.Context
	region    *e2e.Region
	chain     *devenv.Env
	billing   *billing.Service
	providers map[string]common.Address // node name → wallet
	keys      []*ecdsa.PrivateKey
	att       []*e2e.Attestor
	nomadCut  *e2e.Proxy // between the last attestor and Nomad
	chainCut  *e2e.Proxy // between every attestor and the chain
	image     string
}

var names = []string{"p1", "p2", "p3", "p4"}

func start(t *testing.T) *world {
	e2e.RequireIntegration(t)
	ctx, cancel := context.WithTimeout(context.Background(), 25*time.Minute)
	t.Cleanup(cancel)
	w := &world{t: t, ctx: ctx, providers: map[string]common.Address{}, image: e2e.WorkloadImage(t)}
	var err error
	if w.chain, err = devenv.Start(ctx, time.Second); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.chain.Close)
	var clients []e2e.Client
	for i, n := range names {
		wallet := w.chain.Chain.Accounts[8-i].Address // 8, 7, 6, 5: the dev chain's spare and provider accounts
		w.providers[n] = wallet
		clients = append(clients, e2e.Client{Name: n, CPUMHz: 2000, MemoryMB: 2048,
			Meta: map[string]string{conventions.MetaWallet: wallet.Hex(), pricing.MetaCPU: "3.6", pricing.MetaMem: "0"}})
	}
	w.region = e2e.StartRegion(t, e2e.Options{Clients: clients})
	w.region.BindWallet(t, "default", w.chain.Consumer(0).Hex())
	w.stakeProviders()
	w.rotateAttestors()
	w.startBilling()
	if err := w.chain.Deposit(ctx, 0, chain.Tokens(1000)); err != nil {
		t.Fatal(err)
	}
	w.startAttestors()
	return w
}

// stakeProviders registers each provider's node under its wallet.
func (w *world) stakeProviders() {
	for _, n := range names {
		if err := w.chain.StakeProvider(w.ctx, w.providers[n], w.region.NodeID(w.t, n), chain.Tokens(2000)); err != nil {
			w.t.Fatal(err)
		}
	}
}

// rotateAttestors replaces the deployer by four fresh attestors with k = 3.
func (w *world) rotateAttestors() {
	var addrs []common.Address
	w.keys, addrs = e2e.AttestorKeys(w.t, attestors)
	if err := w.chain.SetAttestors(w.ctx, addrs, threshold); err != nil {
		w.t.Fatal(err)
	}
}

func (w *world) startBilling() {
	cfg := w.chain.BillingConfig(w.region.Addr, "", filepath.Join(w.t.TempDir(), "billing.db"))
	cfg.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	var err error
	if w.billing, err = billing.New(w.ctx, cfg); err != nil {
		w.t.Fatal(err)
	}
	runCtx, stop := context.WithCancel(w.ctx)
	done := make(chan error, 1)
	go func() { done <- w.billing.Run(runCtx) }()
	w.t.Cleanup(func() { stop(); <-done; w.billing.Close() })
}

func (w *world) startAttestors() {
	deployment := filepath.Join(w.t.TempDir(), "1337.json")
	if err := chain.WriteAddresses(deployment, w.chain.Addrs); err != nil {
		w.t.Fatal(err)
	}
	w.chainCut = e2e.NewProxy(w.t, strings.TrimPrefix(w.chain.Chain.HTTPURL, "http://"))
	w.nomadCut = e2e.NewProxy(w.t, strings.TrimPrefix(w.region.Addr, "http://"))
	w.att = e2e.StartAttestors(w.t, w.region, w.keys, e2e.AttestorOptions{
		// The last attestor reads Nomad through a proxy the test cuts (the partition).
		NomadAddr: func(i int) string {
			if i == attestors-1 {
				return "http://" + w.nomadCut.Addr
			}
			return w.region.Addr
		},
		Args: []string{"--chain-rpc", "http://" + w.chainCut.Addr, "--deployment", deployment,
			"--grace", grace.String(), "--freeze-window", freezeWindow.String(), "--leader-hold", "15s", "--probe-every", "2s", "--stage", "6s",
			"--max-head-age", "20s", "--cooldown", "1h"},
	})
	w.t.Cleanup(func() {
		if w.t.Failed() {
			for i, a := range w.att {
				w.t.Logf("attestor %d (%s):\n%s", i, a.Addr, a.LogTail())
			}
		}
	})
}

// run starts count allocations of a one-task job on distinct nodes other than those in avoid,
// paid by consumer 0.
func (w *world) run(id string, count int, avoid ...string) {
	w.t.Helper()
	job := api.NewServiceJob(id, id, "global", 50)
	job.Datacenters, job.Meta = []string{"*"}, map[string]string{conventions.MetaWallet: w.chain.Consumer(0).Hex()}
	for _, n := range avoid {
		job.Constrain(api.NewConstraint("${node.unique.name}", "!=", n))
	}
	job.Constrain(api.NewConstraint("", "distinct_hosts", "true"))
	task := api.NewTask("work", "docker").SetConfig("image", w.image).SetConfig("args", []string{"-cpu", "0.02"}).
		Require(&api.Resources{CPU: ptr(200), MemoryMB: ptr(32)})
	tg := api.NewTaskGroup("g", count).AddTask(task)
	tg.EphemeralDisk = &api.EphemeralDisk{SizeMB: ptr(200)}
	job.AddTaskGroup(tg)
	if _, _, err := w.region.API.Jobs().Register(job, nil); err != nil {
		w.t.Fatalf("registering %s: %v", id, err)
	}
	e2e.Poll(w.t, id+" running", 3*time.Minute, time.Second, func() (bool, error) {
		allocs, _, err := w.region.API.Jobs().Allocations(id, false, nil)
		running := 0
		for _, a := range allocs {
			if a.ClientStatus == api.AllocClientStatusRunning {
				running++
			}
		}
		return running == count, err
	})
}

// placed returns job's one running allocation and the name of its node.
func (w *world) placed(job string) (*api.AllocationListStub, string) {
	allocs, _, err := w.region.API.Jobs().Allocations(job, false, nil)
	if err != nil {
		w.t.Fatal(err)
	}
	for _, a := range allocs {
		if a.ClientStatus == api.AllocClientStatusRunning {
			for _, n := range names {
				if w.region.NodeID(w.t, n) == a.NodeID {
					return a, n
				}
			}
		}
	}
	w.t.Fatalf("no running allocation of %s", job)
	return nil, ""
}

// streamOf waits for billing to open allocID's stream and returns it.
func (w *world) streamOf(allocID string, what string, ok func(chain.StreamView) bool) chain.StreamView {
	var st chain.StreamView
	e2e.Poll(w.t, what, 3*time.Minute, time.Second, func() (bool, error) {
		var err error
		st, err = w.chain.Stream(w.ctx, chain.AllocStreamKey(allocID, 0))
		return err == nil && st.Consumer != (common.Address{}) && ok(st), nil
	})
	return st
}

func (w *world) slashes(provider common.Address) []*chain.SlashedEvent {
	evs, err := w.chain.Owner().Registry(w.chain.Addrs.Registry).SlashedEvents(w.ctx, provider, [32]byte{}, 0)
	if err != nil {
		w.t.Fatal(err)
	}
	return evs
}

func (w *world) allSlashes() int {
	n := 0
	for _, p := range w.providers {
		n += len(w.slashes(p))
	}
	return n
}

// status reads attestor i's /v1/status.
func (w *world) status(i int) service.Status {
	var st service.Status
	res, err := http.Get(w.att[i].URL + "/v1/status")
	if err != nil {
		w.t.Fatal(err)
	}
	defer res.Body.Close()
	if err := json.NewDecoder(res.Body).Decode(&st); err != nil {
		w.t.Fatal(err)
	}
	return st
}

func (w *world) waitDown(node string) time.Time {
	id := w.region.NodeID(w.t, node)
	var at time.Time
	e2e.Poll(w.t, node+" marked down", 2*time.Minute, time.Second, func() (bool, error) {
		n, _, err := w.region.API.Nodes().Info(id, nil)
		if err == nil && n.Status == api.NodeStatusDown {
			at = time.Unix(n.StatusUpdatedAt, 0)
		}
		return !at.IsZero(), nil
	})
	return at
}

func ptr[T any](v T) *T { return &v }

// TestAttestorsSlashAVanishAndNothingElse runs the fault runs on one region in turn: a
// vanish while one attestor is cut from Nomad and the chain RPC blinks, a graceful leave, a
// Nomad server restart, a mass outage, and bad reports sent straight to an attestor.
func TestAttestorsSlashAVanishAndNothingElse(t *testing.T) {
	w := start(t)
	w.run("work", 1)
	a, victim := w.placed("work")
	w.run("moves", 1, victim)
	_, leaver := w.placed("moves")
	var rest []string // the two nodes neither killed nor left
	for _, n := range names {
		if n != victim && n != leaver {
			rest = append(rest, n)
		}
	}
	open := w.streamOf(a.ID, "billing to open the stream of work", func(chain.StreamView) bool { return true })
	consumer := w.chain.Consumer(0)
	epoch, err := w.chain.Owner().Registry(w.chain.Addrs.Registry).ConfigEpoch(w.ctx)
	if err != nil {
		t.Fatal(err)
	}
	var mined service.SignRequest // the vanish's report, replayed later
	before, err := w.chain.Balance(w.ctx, consumer)
	if err != nil {
		t.Fatal(err)
	}

	t.Run("vanish with one attestor partitioned and a chain RPC outage", func(t *testing.T) {
		w.t = t
		w.nomadCut.SetDown(true)
		defer w.nomadCut.SetDown(false)
		vanished := time.Now()
		w.region.Client(t, victim).Kill()
		downAt := w.waitDown(victim)
		// The chain blinks for every attestor while the grace runs out: they retry.
		w.chainCut.SetDown(true)
		time.Sleep(freezeWindow)
		w.chainCut.SetDown(false)

		closed := w.streamOf(a.ID, "billing to close the lost stream", func(s chain.StreamView) bool { return s.End != 0 })
		payStop := time.Since(vanished)
		if end := time.Unix(int64(closed.End), 0); end.After(downAt) || end.Before(vanished.Add(-30*time.Second)) {
			t.Errorf("the stream ends at %s; the node vanished at %s and was marked down at %s", end, vanished, downAt)
		}
		e2e.Poll(t, "the Slashed event", 3*time.Minute, time.Second, func() (bool, error) {
			return len(w.slashes(w.providers[victim])) > 0, nil
		})
		slashAfter := time.Since(vanished)
		e2e.Poll(t, "work rescheduled", 2*time.Minute, time.Second, func() (bool, error) {
			allocs, _, err := w.region.API.Jobs().Allocations("work", false, nil)
			for _, x := range allocs {
				if x.ID != a.ID && x.ClientStatus == api.AllocClientStatusRunning {
					return true, nil
				}
			}
			return false, err
		})
		// Nothing is submitted twice: wait past two more stages and count again.
		time.Sleep(15 * time.Second)
		evs := w.slashes(w.providers[victim])
		if len(evs) != 1 {
			t.Fatalf("%d Slashed events for %s, want exactly 1", len(evs), victim)
		}
		ev := evs[0]
		if ev.Consumer != consumer || ev.ToConsumer.Sign() <= 0 {
			t.Fatalf("slash paid consumer %s %s, want consumer 0 (%s) a share", ev.Consumer.Hex(), ev.ToConsumer, consumer.Hex())
		}
		after, _ := w.chain.Balance(w.ctx, consumer)
		if got := new(big.Int).Sub(after, before); got.Cmp(ev.ToConsumer) < 0 {
			t.Errorf("consumer's balance grew by %s, its share was %s", got, ev.ToConsumer)
		}
		mined = service.SignRequest{Evidence: w.checkEvidence(ev, victim, open.Rate), Report: service.ReportFields{
			Provider: ev.Provider, Consumer: ev.Consumer, Reason: ev.Reason, EvidenceHash: ev.EvidenceHash, Amount: (*hexutil.Big)(ev.Amount),
			Nonce: 0, Deadline: uint64(time.Now().Add(10 * time.Minute).Unix()), Epoch: epoch}}
		if strings.Contains(w.att[attestors-1].Log(), "signed a slash report") {
			t.Errorf("the attestor cut off from Nomad signed:\n%s", w.att[attestors-1].LogTail())
		}
		t.Logf("FIGURES vanish→pay stop observed %s (stream end %s after the kill); vanish→slash mined %s; slashed %s, consumer got %s",
			payStop.Round(time.Second), time.Unix(int64(closed.End), 0).Sub(vanished).Round(time.Second), slashAfter.Round(time.Second), ev.Amount, ev.ToConsumer)
	})

	t.Run("graceful leave", func(t *testing.T) {
		w.t = t
		id := w.region.NodeID(t, leaver)
		if _, err := w.region.API.Nodes().UpdateDrain(id, &api.DrainSpec{Deadline: time.Minute}, true, nil); err != nil {
			t.Fatal(err)
		}
		e2e.Poll(t, leaver+" drained", 2*time.Minute, time.Second, func() (bool, error) {
			n, _, err := w.region.API.Nodes().Info(id, nil)
			return err == nil && n.DrainStrategy == nil, err
		})
		w.region.Client(t, leaver).Stop(20 * time.Second)
		w.waitDown(leaver)
		time.Sleep(freezeWindow + 20*time.Second)
		if n := len(w.slashes(w.providers[leaver])); n != 0 {
			t.Fatalf("a provider that drained and left was slashed %d times", n)
		}
	})

	t.Run("bad reports are refused and logged", func(t *testing.T) { w.t = t; w.badReports(mined, victim) })

	t.Run("leader change", func(t *testing.T) {
		w.t = t
		n := w.allSlashes()
		w.region.RestartServer(t)
		time.Sleep(freezeWindow + 20*time.Second)
		if got := w.allSlashes(); got != n {
			t.Fatalf("%d slashes after a Nomad server restart with every provider healthy", got-n)
		}
	})

	t.Run("mass outage freezes slashing", func(t *testing.T) {
		w.t = t
		n := w.allSlashes()
		w.run("spread", 2) // on the last two nodes up
		for _, n := range rest {
			w.region.Client(t, n).Kill()
		}
		for _, n := range rest {
			w.waitDown(n)
		}
		e2e.Poll(t, "a freeze event at every attestor that sees Nomad", time.Minute, time.Second, func() (bool, error) {
			for i := range w.att {
				frozen := false
				for _, e := range w.status(i).Events {
					frozen = frozen || e.Kind == "slashing_frozen"
				}
				if !frozen {
					return false, nil
				}
			}
			return true, nil
		})
		time.Sleep(freezeWindow + 20*time.Second)
		if got := w.allSlashes(); got != n {
			t.Fatalf("%d slashes in a mass outage", got-n)
		}
	})
}

// checkEvidence fetches the evidence from a signer and checks its hash and content.
func (w *world) checkEvidence(ev *chain.SlashedEvent, victim string, rate *big.Int) []byte {
	var body []byte
	for _, a := range w.att[:attestors-1] {
		res, err := http.Get(fmt.Sprintf("%s/v1/evidence/%x", a.URL, ev.EvidenceHash))
		if err != nil {
			continue
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode == http.StatusOK {
			body = b
			break
		}
	}
	if body == nil {
		w.t.Fatalf("no attestor publishes evidence %x", ev.EvidenceHash)
	}
	if got := crypto.Keccak256Hash(body); got != ev.EvidenceHash {
		w.t.Fatalf("published evidence hashes to %s, the slash names %x", got, ev.EvidenceHash)
	}
	e, err := evidence.Parse(body)
	if err != nil {
		w.t.Fatal(err)
	}
	if e.NodeID != w.region.NodeID(w.t, victim) || len(e.Lost) != 1 || e.Lost[0].Rate != rate.String() || len(e.Observations) < threshold {
		w.t.Fatalf("evidence: %s", body)
	}
	return body
}

// badReports sends an attestor reports that must each be refused without a signature.
func (w *world) badReports(mined service.SignRequest, victim string) {
	a := w.att[0]
	peerKey := w.keys[1]
	stranger, _ := crypto.GenerateKey()
	node := w.region.NodeID(w.t, victim)
	var lost []evidence.LostAlloc // the vanish's own, from the mined evidence
	if ev, err := evidence.Parse(mined.Evidence); err == nil {
		lost = ev.Lost
	}
	good := func() service.SignRequest {
		ev := evidence.Evidence{Kind: evidence.Downtime, ChainID: 1337, Registry: w.chain.Addrs.Registry.Hex(),
			Provider: w.providers[victim].Hex(), NodeID: node, DownSince: time.Now().Add(-time.Hour).Unix(), WindowEnd: time.Now().Unix(),
			NomadIndex: 1, Evals: []string{}, Lost: lost, Nonce: 0, Epoch: mined.Report.Epoch}
		for _, k := range w.keys[1:] {
			o := evidence.Observation{NodeID: node, Epoch: mined.Report.Epoch, NodeDown: true, Probes: []evidence.Probe{}, At: time.Now().Unix(), NomadIndex: 1}
			if err := o.Sign(k); err != nil {
				w.t.Fatal(err)
			}
			ev.Observations = append(ev.Observations, o)
		}
		body, err := ev.Canonical()
		if err != nil {
			w.t.Fatal(err)
		}
		h, _ := ev.Hash()
		return service.SignRequest{Evidence: body, Report: service.ReportFields{Provider: w.providers[victim], Reason: ev.Incident(), Epoch: mined.Report.Epoch,
			EvidenceHash: h, Amount: (*hexutil.Big)(big.NewInt(1)), Nonce: 0, Deadline: uint64(time.Now().Add(time.Minute).Unix())}}
	}
	cases := map[string]struct {
		key    *ecdsa.PrivateKey
		req    service.SignRequest
		reason string
	}{
		"forged (not an attestor)":  {stranger, good(), "unauthenticated"},
		"replayed (a mined report)": {peerKey, mined, "stale_nonce"},
		"evidence other than the hash": {peerKey, func() service.SignRequest {
			r := good()
			r.Report.EvidenceHash = common.Hash{1}
			return r
		}(), "evidence_mismatch"},
		"unknown node": {peerKey, func() service.SignRequest {
			r := good()
			var ev evidence.Evidence
			_ = json.Unmarshal(r.Evidence, &ev)
			ev.NodeID = "00000000-0000-0000-0000-000000000000"
			for i := range ev.Observations {
				ev.Observations[i].NodeID = ev.NodeID
				_ = ev.Observations[i].Sign(w.keys[i+1])
			}
			r.Evidence, _ = ev.Canonical()
			h, _ := ev.Hash()
			r.Report.EvidenceHash, r.Report.Reason = h, ev.Incident()
			return r
		}(), "unknown_node"},
		"a peer's observation over other evidence": {peerKey, func() service.SignRequest {
			r := mined
			var ev evidence.Evidence
			_ = json.Unmarshal(r.Evidence, &ev)
			ev.Observations[0].At++ // its signature no longer covers it
			r.Evidence, _ = ev.Canonical()
			h, _ := ev.Hash()
			r.Report.EvidenceHash = h
			return r
		}(), "bad_evidence"}, // evidence checks every observation's signature as it parses
	}
	c := &peers.Client{HTTP: http.DefaultClient, Now: time.Now}
	for name, tc := range cases {
		c.Key = tc.key
		var res service.SignResponse
		err := c.Post(w.ctx, peers.Peer{Addr: crypto.PubkeyToAddress(w.keys[0].PublicKey), URL: a.URL}, "/v1/sign", tc.req, &res)
		rf, ok := err.(*peers.Refused)
		if !ok || len(res.Signature) != 0 {
			w.t.Errorf("%s: got signature %x, err %v; want a refusal", name, []byte(res.Signature), err)
			continue
		}
		if rf.Reason != tc.reason {
			w.t.Errorf("%s: refused for %q (%d), want %q", name, rf.Reason, rf.Status, tc.reason)
		}
	}
	if n := strings.Count(a.Log(), "refused to sign"); n < len(cases) {
		w.t.Errorf("%d refusals logged, want %d:\n%s", n, len(cases), a.LogTail())
	}
}
