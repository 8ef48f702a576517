package main_test

import (
	"context"
	"fmt"
	"io"
	"math/big"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/hashicorp/nomad/api"

	"github.com/dec2-cloud/dec2/billing-sidecar/devenv"
	"github.com/dec2-cloud/dec2/billing-sidecar/journal"
	"github.com/dec2-cloud/dec2/billing-sidecar/ledger"
	"github.com/dec2-cloud/dec2/contracts/bindings/escrow"
	"github.com/dec2-cloud/dec2/e2e"
	"github.com/dec2-cloud/dec2/pricing"
)

// The real thing: the dec2-billing process is killed with SIGKILL at random moments while
// Nomad jobs start and stop, and restarted on the same journal. Every allocation's stream must
// be opened and closed exactly once, no operator transaction may revert, and what the provider
// received must equal what the journal says was streamed.
func TestSIGKILLRestarts(t *testing.T) {
	e2e.RequireIntegration(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	bin := e2e.BuildBinary(t, "./billing-sidecar/cmd/dec2-billing")
	image := e2e.WorkloadImage(t)
	ch, err := devenv.Start(ctx, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer ch.Close()
	if err := ch.Deposit(ctx, 0, new(big.Int).Mul(big.NewInt(10_000), big.NewInt(1e18))); err != nil {
		t.Fatal(err)
	}
	region := e2e.StartRegion(t, e2e.Options{Clients: []e2e.Client{{Name: "prov", CPUMHz: 4000, MemoryMB: 4096,
		Meta: map[string]string{"dec2.wallet": ch.Provider(0).Hex(), pricing.MetaCPU: "3.6"}}}})
	region.BindWallet(t, "default", ch.Consumer(0).Hex())

	cfg := ch.BillingConfig(region.Addr, region.Token, filepath.Join(t.TempDir(), "billing.db"))
	metricsAddr := fmt.Sprintf("127.0.0.1:%d", e2e.FreePort(t))
	args := []string{"run", "--nomad-addr", region.Addr, "--chain-rpc", ch.Chain.HTTPURL, "--escrow", cfg.Escrow.Hex(),
		"--journal", cfg.JournalPath, "--metrics-addr", metricsAddr,
		"--confirmations", "1", "--stats-interval", "1s", "--settle-interval", "3s"}
	env := append(os.Environ(), "DEC2_BILLING_KEY="+common.Bytes2Hex(crypto.FromECDSA(cfg.Key)))
	var logs strings.Builder
	start := func() *exec.Cmd {
		cmd := exec.Command(bin, args...)
		cmd.Env, cmd.Stdout, cmd.Stderr = env, &logs, &logs
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		return cmd
	}
	proc := start()
	defer func() { _ = proc.Process.Kill(); _ = proc.Wait() }()

	// Jobs come and go while the sidecar is killed every 0.5–3 s.
	rng := rand.New(rand.NewPCG(1, uint64(time.Now().UnixNano())))
	const jobs = 8
	for i := range jobs {
		register(t, region, fmt.Sprintf("job-%d", i), image, ch.Consumer(0).Hex())
	}
	kills := 0
	deadline := time.Now().Add(60 * time.Second)
	stopped := 0
	for time.Now().Before(deadline) || stopped < jobs-1 {
		time.Sleep(time.Duration(500+rng.IntN(2500)) * time.Millisecond)
		if err := proc.Process.Signal(syscall.SIGKILL); err == nil {
			_ = proc.Wait()
			kills++
		}
		proc = start()
		if time.Now().After(deadline.Add(-40*time.Second)) && stopped < jobs-1 {
			if _, _, err := region.API.Jobs().Deregister(fmt.Sprintf("job-%d", stopped), false, nil); err != nil {
				t.Fatal(err)
			}
			stopped++
		}
	}
	t.Logf("%d SIGKILLs", kills)
	// The last job runs a while under a calm sidecar, so that it is metered (samples live in
	// memory: a sidecar killed between two polls meters nothing for that interval).
	time.Sleep(6 * time.Second)
	if _, _, err := region.API.Jobs().Deregister(fmt.Sprintf("job-%d", jobs-1), false, nil); err != nil {
		t.Fatal(err)
	}
	e2e.Poll(t, "the last job to stop", time.Minute, 250*time.Millisecond, func() (bool, error) {
		allocs, _, err := region.API.Jobs().Allocations(fmt.Sprintf("job-%d", jobs-1), true, nil)
		return err == nil && len(allocs) > 0 && allocs[0].ClientStatus == api.AllocClientStatusComplete, nil
	})

	// Let the last incarnation finish everything, then stop it and read the journal. Every job is
	// stopped by now; on a loaded machine Docker may still be stopping some of their containers.
	allocIDs := map[string]bool{}
	e2e.Poll(t, "every job's allocations to stop", 2*time.Minute, 500*time.Millisecond, func() (bool, error) {
		clear(allocIDs)
		for i := range jobs {
			allocs, _, err := region.API.Jobs().Allocations(fmt.Sprintf("job-%d", i), true, nil)
			if err != nil {
				return false, err
			}
			for _, a := range allocs {
				switch a.ClientStatus {
				case api.AllocClientStatusComplete, api.AllocClientStatusFailed:
					allocIDs[a.ID] = true
				case api.AllocClientStatusPending, api.AllocClientStatusRunning:
					return false, nil
				}
			}
		}
		return true, nil
	})
	e2e.Poll(t, "every stream to close", 3*time.Minute, 500*time.Millisecond, func() (bool, error) {
		for id := range allocIDs {
			v, err := ch.Stream(ctx, ledger.StreamKey(id, 0))
			if err != nil || v.End == 0 {
				return false, nil
			}
		}
		return true, nil
	})
	// The closes reach their confirmation: the sidecar has no unfinished intent left.
	e2e.Poll(t, "every chain action to be confirmed", time.Minute, 250*time.Millisecond, func() (bool, error) {
		resp, err := http.Get("http://" + metricsAddr + "/metrics")
		if err != nil {
			return false, nil
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return strings.Contains(string(body), "\ndec2_billing_intents_unfinished 0\n"), nil
	})
	_ = proc.Process.Signal(syscall.SIGTERM)
	_ = proc.Wait()

	// Failures are reported after the sidecar's logs, so that a truncated CI log still shows them.
	var problems []string
	fail := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	j, err := journal.OpenReadOnly(cfg.JournalPath)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	ins, err := j.Intents()
	if err != nil {
		t.Fatal(err)
	}
	streamed := new(big.Int)
	for _, in := range ins {
		if in.State != journal.Done {
			fail("intent %s left %s (%s)", in.Key, in.State, in.Err)
		}
		rate, _ := new(big.Int).SetString(in.Rate, 10)
		if in.Kind == journal.KindOpen {
			cl, ok, _ := j.Get(journal.IntentKey(in.AllocID, in.Segment, journal.KindClose))
			if !ok {
				fail("%s never closed", in.AllocID)
				continue
			}
			streamed.Add(streamed, new(big.Int).Mul(rate, big.NewInt(cl.At-in.At)))
		}
	}
	paid, err := ch.Balance(ctx, ch.Provider(0))
	if err != nil {
		t.Fatal(err)
	}
	if paid.Cmp(streamed) != 0 {
		fail("provider received %s, journal streamed %s", paid, streamed)
	}
	opens, closes, reverted := chainHistory(t, ctx, ch)
	for id := range allocIDs {
		k := ledger.StreamKey(id, 0)
		if opens[k] != 1 || closes[k] != 1 {
			fail("allocation %s: %d opens, %d closes on chain", id, opens[k], closes[k])
		}
	}
	if reverted != 0 {
		fail("%d operator transactions reverted (a duplicate was sent)", reverted)
	}
	if len(allocIDs) != jobs {
		fail("%d allocations billed, want %d", len(allocIDs), jobs)
	}

	// The statement reads the same journal: one line per allocation, metered across the kills
	// (each run meters on from the last sample the one before journaled).
	out, err := exec.Command(bin, "statement", "--consumer", ch.Consumer(0).Hex(), "--since", "1h", "--format", "csv", "--journal", cfg.JournalPath).CombinedOutput()
	if err != nil {
		t.Fatalf("dec2-billing statement: %v\n%s", err, out)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if !strings.HasPrefix(lines[0], "alloc_id,") || len(lines) != jobs+1 || !strings.Contains(lines[1], ch.Consumer(0).Hex()) {
		fail("statement:\n%s", out)
	}
	t.Logf("statement:\n%s", out)
	if len(problems) > 0 {
		t.Logf("sidecar logs:\n%s", tail(logs.String(), 80))
		t.Error(strings.Join(problems, "\n"))
	}
}

func register(t *testing.T, region *e2e.Region, id, image, wallet string) {
	job := api.NewServiceJob(id, id, "global", 50)
	job.Datacenters, job.Meta = []string{"*"}, map[string]string{"dec2.wallet": wallet}
	cpu, mem, disk := 200, 32, 200
	task := api.NewTask("work", "docker").SetConfig("image", image).Require(&api.Resources{CPU: &cpu, MemoryMB: &mem})
	tg := api.NewTaskGroup("g", 1).AddTask(task)
	tg.EphemeralDisk = &api.EphemeralDisk{SizeMB: &disk}
	job.AddTaskGroup(tg)
	if _, _, err := region.API.Jobs().Register(job, nil); err != nil {
		t.Fatalf("registering %s: %v", id, err)
	}
}

func chainHistory(t *testing.T, ctx context.Context, ch *devenv.Env) (opens, closes map[common.Hash]int, reverted int) {
	e := escrow.NewStreamEscrow()
	logs, err := ch.RPC.FilterLogs(ctx, ethereum.FilterQuery{Addresses: []common.Address{ch.Addrs.Escrow}, FromBlock: big.NewInt(0)})
	if err != nil {
		t.Fatal(err)
	}
	opens, closes = map[common.Hash]int{}, map[common.Hash]int{}
	for _, lg := range logs {
		if ev, err := e.UnpackStreamOpenedEvent(&lg); err == nil {
			opens[common.Hash(ev.Key)]++
		}
		if ev, err := e.UnpackStreamClosedEvent(&lg); err == nil {
			closes[common.Hash(ev.Key)]++
		}
	}
	head, err := ch.RPC.BlockNumber(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for n := uint64(1); n <= head; n++ {
		blk, err := ch.RPC.BlockByNumber(ctx, new(big.Int).SetUint64(n))
		if err != nil {
			t.Fatal(err)
		}
		for _, tx := range blk.Transactions() {
			if from, _ := types.Sender(types.LatestSignerForChainID(tx.ChainId()), tx); from != ch.Operator() {
				continue
			}
			if rc, err := ch.RPC.TransactionReceipt(ctx, tx.Hash()); err == nil && rc.Status != types.ReceiptStatusSuccessful {
				reverted++
			}
		}
	}
	return opens, closes, reverted
}

func tail(s string, n int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
