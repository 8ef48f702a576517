package attestor_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/hashicorp/nomad/api"

	"github.com/dec2-cloud/dec2/attestor/evidence"
	"github.com/dec2-cloud/dec2/attestor/gates"
	"github.com/dec2-cloud/dec2/attestor/peers"
	"github.com/dec2-cloud/dec2/attestor/service"
	"github.com/dec2-cloud/dec2/billing-sidecar/devenv"
	"github.com/dec2-cloud/dec2/contracts/chain"
	"github.com/dec2-cloud/dec2/conventions"
	"github.com/dec2-cloud/dec2/e2e"
	"github.com/dec2-cloud/dec2/reputation"
	"github.com/dec2-cloud/dec2/storage/audit"
	"github.com/dec2-cloud/dec2/storage/crypt"
	"github.com/dec2-cloud/dec2/storage/meta"
	"github.com/dec2-cloud/dec2/storage/metaapi"
	"github.com/dec2-cloud/dec2/storage/nodeapi"
	"github.com/dec2-cloud/dec2/storage/piecesink"
	"github.com/dec2-cloud/dec2/storage/piecestore"
	"github.com/dec2-cloud/dec2/storage/receipt"
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
	// The honest provider is reached through a path the test cuts for a moment (a restart).
	cut := e2e.NewProxy(t, strings.TrimPrefix(nodes[3].URL, "http://"))
	for i, url := range map[int]string{2: slow.URL, 3: "http://" + cut.Addr} {
		if _, err := region.API.Nodes().Meta().Apply(&api.NodeMetaApplyRequest{NodeID: nodes[i].NodeID,
			Meta: map[string]*string{conventions.MetaStorageEndpoint: &url}}, nil); err != nil {
			t.Fatal(err)
		}
	}

	keys, addrs := e2e.AttestorKeys(t, attestors)
	if err := env.SetAttestors(ctx, addrs, threshold); err != nil {
		t.Fatal(err)
	}
	// The repair worker's wallet is paid a fifth of every slash: the repair of what was lost
	// comes out of the loser's stake.
	repairKey, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	repairFund := crypto.PubkeyToAddress(repairKey.PublicKey)
	if _, err := env.Owner().Registry(env.Addrs.Registry).SetRepairFund(ctx, repairFund, 2000); err != nil {
		t.Fatalf("setting the repair fund: %v", err)
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
	// Three attestors run as processes; the fourth runs in this test's process, so that the
	// race detector watches the audit loop, containment and the signing path.
	inProcess := fmt.Sprintf("http://127.0.0.1:%d", e2e.FreePort(t))
	att := e2e.StartAttestors(t, region, keys[:attestors-1], e2e.AttestorOptions{Args: []string{
		"--chain-rpc", env.Chain.HTTPURL, "--deployment", deployment, "--leader-hold", "10s", "--probe-every", "2s",
		"--max-head-age", "20s", "--storage", svc.URL, "--audit-every", auditEvery.String(), "--audit-deadline", auditDeadline.String(),
		"--peer", addrs[attestors-1].Hex() + "=" + inProcess,
	}})
	logFile := filepath.Join(t.TempDir(), "attestor.log")
	startInProcess(ctx, t, inProcess, logFile, service.Config{
		NomadAddr: region.Addr, ChainRPC: env.Chain.HTTPURL, Registry: env.Addrs.Registry, Escrow: env.Addrs.Escrow, DeployedAt: env.Addrs.Block,
		Key: keys[attestors-1], Peers: peersOf(att), Gates: gates.Config{LeaderHold: 10 * time.Second, MaxHeadAge: 20 * time.Second},
		ProbeEvery: 2 * time.Second,
		Storage:    svc.URL, AuditEvery: auditEvery, AuditDeadline: auditDeadline,
	})
	urls := []string{inProcess}
	for _, a := range att {
		urls = append(urls, a.URL)
	}
	defer func() {
		if t.Failed() {
			for _, a := range att {
				t.Logf("attestor %s:\n%s", a.Addr, a.LogTail())
			}
			b, _ := os.ReadFile(logFile)
			t.Logf("in-process attestor:\n%s", b[max(0, len(b)-8000):])
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
		e := publishedEvidence(t, urls, ev.EvidenceHash)
		if e.Kind != evidence.DataLoss || e.Audit == nil || e.Audit.Outcome != c.outcome || e.NodeID != n.NodeID ||
			e.Audit.Receipt.Provider != n.Provider || e.Audit.Answer.Found != (c.outcome == evidence.AuditCorrupt) {
			t.Errorf("%s's evidence: %+v", n.Client, e)
		}
	}
	// Two slashes of one token each: a fifth of each paid the repair fund.
	if got, err := env.Balance(ctx, repairFund); err != nil || got.Cmp(new(big.Int).Div(chain.Tokens(2), big.NewInt(5))) != 0 {
		t.Errorf("the repair fund holds %v (%v), want a fifth of the two slashes, 0.4 tokens", got, err)
	}
	badDataLossReports(ctx, t, env, att[0], keys[attestors-1], svc.URL, consumerKey,
		[]*chain.SlashedEvent{slashes(nodes[0].Provider)[0], slashes(nodes[1].Provider)[0]}, urls, nodes[3])
	// A short outage of the honest provider (3 s: at most two rounds of each attestor time
	// out) is containment, not a failure: the same challenges are asked again and pass.
	cut.SetDown(true)
	time.Sleep(3 * time.Second)
	cut.SetDown(false)
	time.Sleep(3 * auditEvery)
	contained := 0.0
	for _, u := range urls {
		contained += metric(t, u, `dec2_attestor_audits_total{verdict="contained"}`)
	}
	if contained == 0 {
		t.Error("no attestor held a challenge in containment during the honest provider's outage")
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
	t.Logf("FIGURES slow provider: %d challenges answered with %d bytes of body (%d a challenge; pieces of 3 leaves, the last shorter)",
		slow.Requests(), slow.Sent(), slow.Sent()/max(slow.Requests(), 1))
	for _, u := range urls {
		rep := reputationOf(t, u)
		for _, n := range nodes {
			score, ok := rep[n.NodeID]
			switch {
			case !ok:
				t.Errorf("attestor %s has no audit reputation of %s", u, n.Client)
			case n.Client == "slow" || n.Client == "honest":
				if score != 1 {
					t.Errorf("attestor %s scores %s's audits %.4f, want 1", u, n.Client, score)
				}
			case score >= 1:
				t.Errorf("attestor %s scores %s's audits %.4f: it never caught the lost piece", u, n.Client, score)
			}
		}
	}
	// The attestors publish the pieces they caught with their reputations, for repairers to
	// rebuild exactly those: the two lost ones, on their nodes, and no honest provider's.
	lost := map[string]string{}
	for _, u := range urls {
		for _, l := range reportOf(t, u).Lost {
			lost[l.PieceID] = l.NodeID
		}
	}
	if len(lost) != 2 || lost[garbled] != nodes[0].NodeID || lost[deleted] != nodes[1].NodeID {
		t.Errorf("the attestors report the lost pieces %v; want %s on %s and %s on %s", lost, garbled, nodes[0].NodeID, deleted, nodes[1].NodeID)
	}
}

// badDataLossReports sends the first attestor data_loss reports that must each be refused
// without a signature: the garbler's mined report replayed, the deleter's evidence with
// another seed block, an honest provider's passing answer called corrupt, and a frame — an
// owner that asked an honest node about a piece id before uploading it holds a genuine signed
// "no such piece" under a receipt the catalog lists, but the node proves the piece when asked
// again.
func badDataLossReports(ctx context.Context, t *testing.T, env *devenv.Env, to *e2e.Attestor, from *ecdsa.PrivateKey,
	storageURL string, consumerKey *ecdsa.PrivateKey, mined []*chain.SlashedEvent, urls []string, honest *e2e.StorageNode) {
	t.Helper()
	consumer := crypto.PubkeyToAddress(consumerKey.PublicKey)
	head, err := env.Owner().Backend().HeaderByNumber(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	epoch, err := env.Owner().Registry(env.Addrs.Registry).ConfigEpoch(ctx)
	if err != nil {
		t.Fatal(err)
	}
	request := func(ev evidence.Evidence) service.SignRequest {
		body, err := ev.Canonical()
		if err != nil {
			t.Fatal(err)
		}
		h, _ := ev.Hash()
		return service.SignRequest{Evidence: body, Report: service.ReportFields{Provider: common.HexToAddress(ev.Provider), Consumer: consumer,
			Reason: ev.Incident(), EvidenceHash: h, Amount: (*hexutil.Big)(chain.Tokens(1)), Nonce: ev.Nonce,
			Deadline: uint64(time.Now().Add(10 * time.Minute).Unix()), Epoch: epoch}}
	}
	auditor := crypto.PubkeyToAddress(from.PublicKey)
	dataLoss := func(n *e2e.StorageNode, outcome string, rc receipt.Signed, a audit.Answer) evidence.Evidence {
		return evidence.Evidence{Kind: evidence.DataLoss, ChainID: 1337, Registry: env.Addrs.Registry.Hex(), Provider: n.Provider.Hex(),
			NodeID: n.NodeID, DownSince: int64(head.Time), WindowEnd: int64(head.Time) + 1, NomadIndex: 1, Epoch: epoch,
			Audit: &evidence.Audit{Outcome: outcome, Consumer: consumer.Hex(), Auditor: auditor.Hex(), SeedBlock: head.Number.Uint64(), Receipt: rc, Answer: a}}
	}
	seed := audit.AuditorSeed(head.Hash(), auditor)
	node := &nodeapi.Client{URL: honest.URL, Key: consumerKey, ChainID: 1337}

	// The honest provider's own answer, passing, called corrupt.
	held, err := (&metaapi.Client{URL: storageURL, Key: from}).PiecesOn(ctx, honest.Provider, "", 1)
	if err != nil || len(held) == 0 {
		t.Fatalf("the honest provider's pieces: %v, %v", held, err)
	}
	var rc receipt.Signed
	if err := json.Unmarshal(held[0].Receipt, &rc); err != nil {
		t.Fatal(err)
	}
	passing, err := node.Challenge(ctx, honest.Provider, audit.Draw(seed, rc.Receipt))
	if err != nil {
		t.Fatal(err)
	}

	// The frame: asked before the upload, the node signs that it has no such piece.
	data := bytes.Repeat([]byte("framed"), 20_000)
	id := piecestore.ID(crypto.Keccak256Hash([]byte("framed piece"), seed[:]))
	pre := receipt.Receipt{PieceID: common.Hash(id), Size: uint64(len(data))}
	missing, err := node.Challenge(ctx, honest.Provider, audit.Draw(seed, pre))
	if err != nil || missing.Found {
		t.Fatalf("asking about a piece not yet uploaded: found %v, %v", missing.Found, err)
	}
	framed, err := node.Put(ctx, id, data, uint64(time.Now().Add(24*time.Hour).Unix()))
	if err != nil {
		t.Fatal(err)
	}
	receiptJSON, _ := json.Marshal(framed)
	seg := meta.Segment{K: 1, N: 1, PlainSize: int64(len(data)), CipherSize: int64(len(data)), WrappedKey: []byte{1},
		Pieces: []meta.Piece{{Provider: honest.Provider.Hex(), NodeID: honest.NodeID, PieceID: id.String(),
			MerkleRoot: framed.MerkleRoot[:], Size: int64(len(data)), Receipt: receiptJSON}}}
	if _, err := (&metaapi.Client{URL: storageURL, Key: consumerKey}).PutObject(ctx,
		meta.Object{Bucket: []byte("b"), Key: []byte("framed"), Size: int64(len(data)), Segments: []meta.Segment{seg}}, meta.PutOptions{}); err != nil {
		t.Fatal(err)
	}

	deleter := publishedEvidence(t, urls, mined[1].EvidenceHash)
	deleter.Audit.SeedBlock--
	deleter.DownSince, deleter.WindowEnd = int64(head.Time), int64(head.Time)+1
	garbler := publishedEvidence(t, urls, mined[0].EvidenceHash)
	replay := request(garbler)
	replay.Report.Amount = (*hexutil.Big)(mined[0].Amount)

	client := &peers.Client{HTTP: &http.Client{Timeout: time.Minute}, Key: from, Now: time.Now}
	peer := peers.Peer{Addr: common.HexToAddress(to.Addr), URL: to.URL}
	for name, c := range map[string]struct {
		req    service.SignRequest
		reason string
	}{
		"the garbler's mined report, replayed":     {replay, "stale_nonce"},
		"the deleter's evidence, another seed":     {request(deleter), "bad_seed"},
		"an honest answer called corrupt":          {request(dataLoss(honest, evidence.AuditCorrupt, rc, passing)), "not_data_loss"},
		"a frame: asked before the piece was sent": {request(dataLoss(honest, evidence.AuditMissing, framed, missing)), "node_answers"},
	} {
		var res service.SignResponse
		err := client.Post(ctx, peer, "/v1/sign", c.req, &res)
		var refused *peers.Refused
		if !errors.As(err, &refused) || refused.Reason != c.reason {
			t.Errorf("%s: %v (signature %x), want refused %s", name, err, res.Signature, c.reason)
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
func publishedEvidence(t *testing.T, urls []string, hash [32]byte) evidence.Evidence {
	t.Helper()
	for _, u := range urls {
		res, err := http.Get(fmt.Sprintf("%s/v1/evidence/%x", u, hash))
		if err != nil {
			continue
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			continue
		}
		if crypto.Keccak256Hash(b) != hash {
			t.Fatalf("attestor %s publishes evidence hashing to %s for %x", u, crypto.Keccak256Hash(b), hash)
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

// startInProcess serves an attestor in this process at url until the test ends.
func startInProcess(ctx context.Context, t *testing.T, url, logFile string, cfg service.Config) {
	t.Helper()
	f, err := os.Create(logFile)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	cfg.Logger = slog.New(slog.NewTextHandler(f, nil))
	ln, err := net.Listen("tcp", strings.TrimPrefix(url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	runCtx, stop := context.WithCancel(ctx)
	svc, err := service.New(runCtx, cfg)
	if err != nil {
		stop()
		t.Fatal(err)
	}
	srv := &http.Server{Handler: svc.Handler(), ReadHeaderTimeout: 10 * time.Second}
	done := make(chan struct{}, 2)
	go func() { svc.Run(runCtx); done <- struct{}{} }()
	go func() { _ = srv.Serve(ln); done <- struct{}{} }()
	t.Cleanup(func() { stop(); srv.Close(); <-done; <-done })
}

// peersOf are the attestor processes as peers of another.
func peersOf(att []*e2e.Attestor) []peers.Peer {
	var out []peers.Peer
	for _, a := range att {
		out = append(out, peers.Peer{Addr: common.HexToAddress(a.Addr), URL: a.URL})
	}
	return out
}

// metric is the value of one sample line of an attestor's /metrics, 0 when absent.
func metric(t *testing.T, url, name string) float64 {
	t.Helper()
	res, err := http.Get(url + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, name+" "); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				t.Fatalf("metric %s: %q", name, v)
			}
			return f
		}
	}
	return 0
}

// reputationOf is an attestor's audit score per node.
func reputationOf(t *testing.T, url string) map[string]float64 {
	t.Helper()
	out := map[string]float64{}
	for _, p := range reportOf(t, url).Providers {
		out[p.NodeID] = p.Audit
	}
	return out
}

// reportOf is an attestor's reputation report.
func reportOf(t *testing.T, url string) reputation.Report {
	t.Helper()
	res, err := http.Get(url + "/v1/reputation")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var rep reputation.Report
	if err := json.NewDecoder(res.Body).Decode(&rep); err != nil {
		t.Fatal(err)
	}
	return rep
}
