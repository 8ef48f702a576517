package attestor_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/hashicorp/nomad/api"

	"github.com/dec2-cloud/dec2/attestor/evidence"
	"github.com/dec2-cloud/dec2/billing-sidecar/devenv"
	"github.com/dec2-cloud/dec2/contracts/chain"
	"github.com/dec2-cloud/dec2/conventions"
	"github.com/dec2-cloud/dec2/e2e"
	"github.com/dec2-cloud/dec2/reputation"
	"github.com/dec2-cloud/dec2/storage/crypt"
	"github.com/dec2-cloud/dec2/storage/meta"
	"github.com/dec2-cloud/dec2/storage/metaapi"
	"github.com/dec2-cloud/dec2/storage/piecesink"
)

// slowAnswer is the latency put in front of the honest slow provider: well under the audit
// deadline, so it must never count as a timeout.
const (
	auditEvery    = 2 * time.Second
	auditDeadline = 5 * time.Second
	slowAnswer    = 1500 * time.Millisecond
)

// Four storage providers run dec2-storagenode as Nomad jobs, staked in the registry; a
// consumer stores two objects (2-of-4 pieces, so each provider holds two pieces); four
// attestors (k = 3) audit them through dec2-storage. The first provider's disk garbles one
// piece, the second loses one piece file; both are slashed once, on their own receipts and
// signed answers, for the piece's consumer. The third answers every challenge 1.5 s late
// through a slow proxy and the fourth is honest: neither is slashed and both keep a perfect
// audit score.
func TestStorageAuditsSlashDataLoss(t *testing.T) {
	e2e.RequireIntegration(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Minute)
	defer cancel()
	env, err := devenv.Start(ctx, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(env.Close)

	names := []string{"garbler", "deleter", "slow", "honest"}
	var clients []e2e.Client
	var providers []e2e.StorageProvider
	for i, n := range names {
		wallet := env.Chain.Accounts[8-i].Address
		p := e2e.StorageProvider{Client: n, Disk: t.TempDir(), Key: env.Key(wallet)}
		providers = append(providers, p)
		clients = append(clients, e2e.Client{Name: n, CPUMHz: 1000, MemoryMB: 1024, HostVolumes: map[string]string{e2e.StorageVolume: p.Disk},
			Meta: map[string]string{conventions.MetaWallet: wallet.Hex()}})
	}
	region := e2e.StartRegion(t, e2e.Options{Clients: clients})
	nodes := e2e.StartStorageNodes(t, region, providers, 1<<30)
	for _, n := range nodes {
		if err := env.StakeProvider(ctx, n.Provider, n.NodeID, chain.Tokens(2000)); err != nil {
			t.Fatal(err)
		}
	}
	slow := e2e.NewSlowProxy(t, nodes[2].URL, slowAnswer)
	if _, err := region.API.Nodes().Meta().Apply(&api.NodeMetaApplyRequest{NodeID: nodes[2].NodeID,
		Meta: map[string]*string{conventions.MetaStorageEndpoint: &slow.URL}}, nil); err != nil {
		t.Fatal(err)
	}

	keys, addrs := e2e.AttestorKeys(t, attestors)
	if err := env.SetAttestors(ctx, addrs, threshold); err != nil {
		t.Fatal(err)
	}
	var operators []string
	for _, a := range addrs {
		operators = append(operators, "--operator", a.Hex())
	}
	svc := e2e.StartStorageService(t, operators...)

	consumerKey, _ := crypto.GenerateKey()
	consumer := crypto.PubkeyToAddress(consumerKey.PublicKey)
	store(ctx, t, svc.URL, consumerKey, nodes)
	garbled := damage(t, nodes[0], func(path string) error {
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for i := 128; i < len(b); i++ { // the 128-byte header stays: the node still serves the piece
			b[i] ^= 0x5a
		}
		return os.WriteFile(path, b, 0o644)
	})
	deleted := damage(t, nodes[1], os.Remove)

	deployment := filepath.Join(t.TempDir(), "1337.json")
	if err := chain.WriteAddresses(deployment, env.Addrs); err != nil {
		t.Fatal(err)
	}
	att := e2e.StartAttestors(t, region, keys, e2e.AttestorOptions{Args: []string{
		"--chain-rpc", env.Chain.HTTPURL, "--deployment", deployment, "--leader-hold", "10s", "--probe-every", "2s",
		"--max-head-age", "20s", "--storage", svc.URL, "--audit-every", auditEvery.String(), "--audit-deadline", auditDeadline.String(),
	}})
	defer func() {
		if t.Failed() {
			for _, a := range att {
				t.Logf("attestor %s:\n%s", a.Addr, a.LogTail())
			}
		}
	}()

	registry := env.Owner().Registry(env.Addrs.Registry)
	slashes := func(p common.Address) []*chain.SlashedEvent {
		evs, err := registry.SlashedEvents(ctx, p, [32]byte{}, 0)
		if err != nil {
			t.Fatal(err)
		}
		return evs
	}
	start := time.Now()
	e2e.Poll(t, "the garbler and the deleter to be slashed", 4*time.Minute, time.Second, func() (bool, error) {
		return len(slashes(nodes[0].Provider)) > 0 && len(slashes(nodes[1].Provider)) > 0, nil
	})
	t.Logf("both slashed %s after the attestors started", time.Since(start).Round(time.Second))
	// Keep auditing a while: the lost pieces are drawn again and must not be slashed twice,
	// and the slow provider answers many more challenges.
	time.Sleep(20 * time.Second)

	for i, c := range []struct {
		piece   string
		outcome string
	}{{garbled, evidence.AuditCorrupt}, {deleted, evidence.AuditMissing}} {
		n := nodes[i]
		evs := slashes(n.Provider)
		if len(evs) != 1 {
			t.Fatalf("%s slashed %d times, want once for its one lost piece", n.Client, len(evs))
		}
		ev := evs[0]
		want := crypto.Keccak256Hash([]byte("dec2/data_loss/" + n.NodeID + "/0x" + c.piece))
		if ev.Reason != want || ev.Consumer != consumer || ev.Amount.Cmp(chain.Tokens(1)) != 0 {
			t.Errorf("%s's slash: reason %x (want %x), consumer %s (want %s), amount %s (want one token)",
				n.Client, ev.Reason, want, ev.Consumer.Hex(), consumer.Hex(), ev.Amount)
		}
		if rc, err := env.Owner().Backend().TransactionReceipt(ctx, ev.Raw.TxHash); err == nil {
			t.Logf("FIGURES %s: data_loss slash (%s) mined with %d gas, k = %d", n.Client, c.outcome, rc.GasUsed, threshold)
		}
		e := publishedEvidence(t, att, ev.EvidenceHash)
		if e.Kind != evidence.DataLoss || e.Audit == nil || e.Audit.Outcome != c.outcome || e.NodeID != n.NodeID ||
			e.Audit.Receipt.Provider != n.Provider || e.Audit.Answer.Found != (c.outcome == evidence.AuditCorrupt) {
			t.Errorf("%s's evidence: %+v", n.Client, e)
		}
	}
	for _, n := range nodes[2:] {
		if evs := slashes(n.Provider); len(evs) != 0 {
			t.Errorf("honest %s slashed %d times", n.Client, len(evs))
		}
	}
	// Every attestor audits on its own: 4 attestors every 2 s over ~40 s ask the slow provider
	// dozens of challenges; none may count against it.
	if got := slow.Requests(); got < 20 {
		t.Errorf("the slow provider was challenged %d times; the test proves nothing with so few", got)
	}
	for _, a := range att {
		rep := reputationOf(t, a)
		for _, n := range nodes {
			score, ok := rep[n.NodeID]
			switch {
			case !ok:
				t.Errorf("attestor %s has no audit reputation of %s", a.Addr, n.Client)
			case n.Client == "slow" || n.Client == "honest":
				if score != 1 {
					t.Errorf("attestor %s scores %s's audits %.4f, want 1", a.Addr, n.Client, score)
				}
			case score >= 1:
				t.Errorf("attestor %s scores %s's audits %.4f: it never caught the lost piece", a.Addr, n.Client, score)
			}
		}
	}
}

// store writes two objects of 300 KiB through piecesink to the four nodes and records them in
// dec2-storage under the consumer's wallet: each provider holds one piece of each.
func store(ctx context.Context, t *testing.T, storageURL string, key *ecdsa.PrivateKey, nodes []*e2e.StorageNode) {
	t.Helper()
	var sinkNodes []piecesink.Node
	for _, n := range nodes {
		sinkNodes = append(sinkNodes, piecesink.Node{Provider: n.Provider, ID: n.NodeID, URL: n.URL})
	}
	sink, err := piecesink.New(piecesink.Config{Nodes: sinkNodes, Key: key, ChainID: 1337})
	if err != nil {
		t.Fatal(err)
	}
	catalog := &metaapi.Client{URL: storageURL, Key: key}
	if _, err := catalog.CreateBucket(ctx, []byte("b")); err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		plain := bytes.Repeat([]byte{byte(i + 1)}, 300<<10)
		segs, err := sink.Write(ctx, crypt.RandomKey(), bytes.NewReader(plain))
		if err != nil {
			t.Fatal(err)
		}
		o := meta.Object{Bucket: []byte("b"), Key: []byte{'k', byte('0' + i)}, Size: int64(len(plain)), Segments: segs}
		if _, err := catalog.PutObject(ctx, o, meta.PutOptions{}); err != nil {
			t.Fatal(err)
		}
	}
}

// damage applies f to the first of node's piece files (by name) and returns the piece's id.
func damage(t *testing.T, n *e2e.StorageNode, f func(path string) error) string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(n.Disk, "pieces", "*", "*"))
	if err != nil || len(files) == 0 {
		t.Fatalf("%s's disk holds no piece files (%v)", n.Client, err)
	}
	if err := f(files[0]); err != nil {
		t.Fatalf("damaging %s's piece %s: %v", n.Client, files[0], err)
	}
	return filepath.Base(files[0])
}

// publishedEvidence fetches evidence from whichever attestor signed it and checks its hash.
func publishedEvidence(t *testing.T, att []*e2e.Attestor, hash [32]byte) evidence.Evidence {
	t.Helper()
	for _, a := range att {
		res, err := http.Get(fmt.Sprintf("%s/v1/evidence/%x", a.URL, hash))
		if err != nil {
			continue
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			continue
		}
		if crypto.Keccak256Hash(b) != hash {
			t.Fatalf("attestor %s publishes evidence hashing to %s for %x", a.Addr, crypto.Keccak256Hash(b), hash)
		}
		e, err := evidence.Parse(b)
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	t.Fatalf("no attestor publishes evidence %x", hash)
	return evidence.Evidence{}
}

// reputationOf is an attestor's audit score per node.
func reputationOf(t *testing.T, a *e2e.Attestor) map[string]float64 {
	t.Helper()
	res, err := http.Get(a.URL + "/v1/reputation")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var rep reputation.Report
	if err := json.NewDecoder(res.Body).Decode(&rep); err != nil {
		t.Fatal(err)
	}
	out := map[string]float64{}
	for _, p := range rep.Providers {
		out[p.NodeID] = p.Audit
	}
	return out
}
