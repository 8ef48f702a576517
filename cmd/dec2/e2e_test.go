package main

import (
	"context"
	"crypto/ecdsa"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/dec2-cloud/dec2/billing-sidecar/devenv"
	"github.com/dec2-cloud/dec2/cli/instance"
	"github.com/dec2-cloud/dec2/cli/provider"
	"github.com/dec2-cloud/dec2/cli/wallet"
	"github.com/dec2-cloud/dec2/contracts/chain"
	"github.com/dec2-cloud/dec2/e2e"
	"github.com/dec2-cloud/dec2/pricing"
)

// world is a dev chain with the contracts and a Nomad region, and the environment that points
// the CLI at them.
type world struct {
	chain  *devenv.Env
	region *e2e.Region
	env    map[string]string
}

func startWorld(t *testing.T, clients func(*devenv.Env) []e2e.Client) *world {
	t.Helper()
	return startWorldWith(t, false, clients)
}

// startWorldWith starts the dev chain and a region. With acl, Nomad enforces ACLs and no
// namespace is bound (consumers sign in, which binds theirs); without, `default` is consumer 0's.
func startWorldWith(t *testing.T, acl bool, clients func(*devenv.Env) []e2e.Client) *world {
	t.Helper()
	e2e.RequireIntegration(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	ch, err := devenv.Start(ctx, 0)
	if err != nil {
		t.Fatalf("starting the dev chain: %v", err)
	}
	t.Cleanup(ch.Close)
	deployment := filepath.Join(t.TempDir(), "deployment.json")
	if err := chain.WriteAddresses(deployment, ch.Addrs); err != nil {
		t.Fatal(err)
	}
	w := &world{chain: ch, region: e2e.StartRegion(t, e2e.Options{ACL: acl, Clients: clients(ch)})}
	if !acl {
		w.region.BindWallet(t, "default", ch.Consumer(0).Hex())
	}
	w.env = map[string]string{"NOMAD_ADDR": w.region.Addr, "DEC2_RPC_URL": ch.Chain.HTTPURL, "DEC2_DEPLOYMENT": deployment}
	return w
}

// as returns the environment with the key of the dev account at addr.
func (w *world) as(t *testing.T, addr common.Address) map[string]string {
	t.Helper()
	env := map[string]string{}
	for k, v := range w.env {
		env[k] = v
	}
	env["DEC2_KEY"] = hex.EncodeToString(crypto.FromECDSA(keyOf(t, w, addr)))
	return env
}

func mustRun(t *testing.T, env map[string]string, args ...string) string {
	t.Helper()
	out, stderr, err := dec2(t, env, args...)
	if err != nil {
		t.Fatalf("dec2 %s: %v\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), err, out, stderr)
	}
	return out
}

func decode[T any](t *testing.T, js string) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(js), &v); err != nil {
		t.Fatalf("decoding %T from:\n%s\n%v", v, js, err)
	}
	return v
}

var testPrices = map[string]string{"dec2.price.cpu_ghz_hour": "0.02", "dec2.price.mem_gb_hour": "0.005", "dec2.price.disk_gb_hour": "0.0001"}

// A consumer rents an instance through a real allocator: refused without a deposit, then it
// deposits, runs, reaches the instance, reads its logs, execs in it, lists it and stops it.
func TestInstanceLifecycle(t *testing.T) {
	w := startWorld(t, func(ch *devenv.Env) []e2e.Client {
		meta := map[string]string{"dec2.wallet": ch.Provider(0).Hex()}
		for k, v := range testPrices {
			meta[k] = v
		}
		return []e2e.Client{{Name: "p1", CPUMHz: 4000, MemoryMB: 4096, Meta: meta}}
	})
	alloc := e2e.StartAllocator(t, w.region, "--pack-all")
	consumer := w.chain.Consumer(0)
	env := w.as(t, consumer)
	env["DEC2_ALLOCATOR"] = alloc.Addr
	env["DEC2_BILLING_URL"] = w.chain.ServeBilling(t, w.region.Addr, w.region.Token)
	image := e2e.WorkloadImage(t)
	run := []string{"instance", "run", "--type", "d2.nano", "--image", image, "--port", "8080", "--name", "web",
		"--arg=-http", "--arg=:8080", "--arg=-print-env", "-o", "json"}

	_, _, err := dec2(t, env, run...)
	if want := fmt.Sprintf("no escrow deposit for wallet %s: run `dec2 wallet deposit 50`", consumer.Hex()); err == nil || err.Error() != want {
		t.Fatalf("run without a deposit: %v, want %q", err, want)
	}
	if _, err := w.region.Nomad(t, "job", "status", "web"); err == nil {
		t.Fatal("a refused run still submitted the job")
	}

	receipts := decode[wallet.Receipts](t, mustRun(t, env, "wallet", "deposit", "50", "--operator", w.chain.Operator().Hex(), "-o", "json"))
	if len(receipts) != 3 || receipts[1].Action != "deposit" || receipts[1].Amount != "50" {
		t.Fatalf("deposit sent %+v, want approve, deposit 50, authorise operator", receipts)
	}
	bal := decode[wallet.Balance](t, mustRun(t, env, "wallet", "balance", "-o", "json"))
	if bal.Deposit != "50" || bal.Refundable != "50" || bal.Wallet != consumer.Hex() {
		t.Fatalf("balance after depositing 50: %+v", bal)
	}

	env["DEC2_OPERATOR"] = w.chain.Operator().Hex()
	// More than any provider has: refused with the reason, nothing left behind.
	_, _, err = dec2(t, env, "instance", "run", "--type", "m2.large", "--image", image, "--name", "big", "--timeout", "1m")
	if err == nil || !strings.Contains(err.Error(), "no node could ever host") || !strings.Contains(err.Error(), "dec2 instance types") {
		t.Fatalf("run of a type no provider fits: %v, want the allocator's reason and what to do", err)
	}
	if _, err := w.region.Nomad(t, "job", "status", "big"); err == nil {
		t.Fatal("a refused instance was registered")
	}
	in := decode[instance.Instance](t, mustRun(t, env, run...))
	if in.Name != "web" || in.Status != "running" || len(in.Placements) != 1 {
		t.Fatalf("run returned %+v, want web running once", in)
	}
	p := in.Placements[0]
	// d2.nano: 0.5 GHz × 0.02 + 0.25 GiB × 0.005 + 1 GiB × 0.0001 an hour, at p1's prices.
	if p.Node != "p1" || p.Status != "running" || p.Provider != w.chain.Provider(0).Hex() || p.CostPerHour != "0.01135" || in.CostPerHour != "0.01135" {
		t.Fatalf("placement %+v (instance cost %s), want running on p1 at 0.01135 an hour", p, in.CostPerHour)
	}
	job, _, err := w.region.API.Jobs().Info("web", nil)
	if err != nil || job.Meta["dec2.wallet"] != consumer.Hex() || job.Meta["dec2.plan"] == "" {
		t.Fatalf("the job in Nomad: %v, meta %v; want the consumer's wallet and the allocator's plan", err, job.Meta)
	}
	addr := p.Addresses["p8080"]
	e2e.Poll(t, "the instance to answer at "+addr, time.Minute, 250*time.Millisecond, func() (bool, error) {
		resp, err := http.Get("http://" + addr + "/")
		if err != nil {
			return false, nil
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return true, nil
	})

	// Billing streams the instance's price from the consumer's deposit to the provider, and
	// meters it: the balance shows the rate, both statements the allocation.
	e2e.Poll(t, "billing to open a stream and meter the instance", time.Minute, 500*time.Millisecond, func() (bool, error) {
		bal := decode[wallet.Balance](t, mustRun(t, env, "wallet", "balance", "-o", "json"))
		st := decode[wallet.Statement](t, mustRun(t, env, "wallet", "statement", "-o", "json"))
		return bal.RatePerHour != "0" && len(st.Lines) == 1 && st.Total != "0", nil
	})
	if bal := decode[wallet.Balance](t, mustRun(t, env, "wallet", "balance", "-o", "json")); bal.RatePerHour != "0.0113500000000008" {
		t.Fatalf("rate while web runs: %+v, want 0.01135 an hour rounded up to a base unit per second", bal)
	}
	earned := decode[wallet.Statement](t, mustRun(t, env, "provider", "earnings", "--address", w.chain.Provider(0).Hex(), "-o", "json"))
	if len(earned.Lines) != 1 || earned.Lines[0].AllocID != p.AllocID || earned.Lines[0].Consumer != consumer.Hex() {
		t.Fatalf("provider earnings = %+v, want web's allocation", earned)
	}

	list := decode[instance.List](t, mustRun(t, env, "instance", "ls", "-o", "json"))
	if len(list) != 1 || list[0].Name != "web" || list[0].Running != 1 {
		t.Fatalf("ls = %+v, want web with 1 running", list)
	}
	if other := decode[instance.List](t, mustRun(t, w.as(t, w.chain.Consumer(1)), "instance", "ls", "-o", "json")); len(other) != 0 {
		t.Fatalf("another consumer's ls = %+v, want nothing", other)
	}
	if table := mustRun(t, env, "instance", "describe", "web"); !strings.Contains(table, "p8080="+addr) || !strings.Contains(table, "0.01135") {
		t.Fatalf("describe:\n%s", table)
	}
	if logs := mustRun(t, env, "instance", "logs", "web"); !strings.Contains(logs, "NOMAD_JOB_NAME=web") {
		t.Fatalf("stdout logs lack the printed environment:\n%s", logs)
	}
	// Following goes on until interrupted, then ends without an error.
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	logs, _, err := dec2Ctx(ctx, env, "instance", "logs", "web", "--stderr", "-f")
	cancel()
	if err != nil || !strings.Contains(logs, "workload running") {
		t.Fatalf("logs -f --stderr: %v\n%s", err, logs)
	}
	_, _, err = dec2(t, env, "instance", "exec", "web", "--tty=false", "--", "/workload", "-duration", "1ms", "-exit", "3")
	if code := report(io.Discard, err); code != 3 {
		t.Fatalf("exec of a command exiting 3: %v (exit code %d)", err, code)
	}
	if _, _, err := dec2(t, env, "instance", "exec", "web", "--tty=false", "--", "/workload", "-duration", "1ms"); err != nil {
		t.Fatalf("exec of a command exiting 0: %v", err)
	}

	mustRun(t, env, "instance", "stop", "web")
	allocs, _, err := w.region.API.Jobs().Allocations("web", true, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range allocs {
		if a.ClientStatus == "running" || a.ClientStatus == "pending" {
			t.Fatalf("allocation %s still %s after stop", a.ID, a.ClientStatus)
		}
	}
	if _, _, err := dec2(t, env, "wallet", "withdraw", "60"); err == nil || !strings.Contains(err.Error(), "dec2 wallet balance") {
		t.Fatalf("withdrawing more than the deposit: %v", err)
	}
	// Stopped, the instance costs nothing more; what it cost stays paid.
	e2e.Poll(t, "billing to close the stream", time.Minute, 500*time.Millisecond, func() (bool, error) {
		return decode[wallet.Balance](t, mustRun(t, env, "wallet", "balance", "-o", "json")).RatePerHour == "0", nil
	})
	before := decode[wallet.Balance](t, mustRun(t, env, "wallet", "balance", "-o", "json"))
	mustRun(t, env, "wallet", "withdraw", "10")
	after := decode[wallet.Balance](t, mustRun(t, env, "wallet", "balance", "-o", "json"))
	if before.Deposit == "50" || after.Tokens != "999960" || after.Refundable != minus(t, before.Refundable, "10") {
		t.Fatalf("balance before withdrawing 10: %+v, after: %+v; want the instance paid for and 10 back", before, after)
	}
	if _, _, err := dec2(t, env, "instance", "describe", "nosuch"); err == nil || !strings.Contains(err.Error(), "dec2 instance ls") {
		t.Fatalf("describe of an unknown instance: %v", err)
	}
}

// A consumer rents a GPU box like any instance: `instance run --type g1.a100x1` goes through the
// allocator to the rig with A100s, runs in Docker holding one (NVIDIA_VISIBLE_DEVICES names it),
// and costs the rig's prices including its A100 price.
func TestGPUInstanceRental(t *testing.T) {
	w := startWorld(t, func(ch *devenv.Env) []e2e.Client {
		meta := map[string]string{"dec2.wallet": ch.Provider(0).Hex(), "dec2.price.gpu_hour.A100-80GB": "1.5"}
		for k, v := range testPrices {
			meta[k] = v
		}
		return []e2e.Client{
			{Name: "small", CPUMHz: 4000, MemoryMB: 4096, Meta: meta},
			e2e.Client{Name: "rig", CPUMHz: 10000, MemoryMB: 40000, DiskMB: 200000, Meta: meta}.WithFakeGPUs(t, "a100x2.json", nil),
		}
	})
	alloc := e2e.StartAllocator(t, w.region, "--pack-all")
	consumer := w.chain.Consumer(0)
	env := w.as(t, consumer)
	env["DEC2_ALLOCATOR"], env["DEC2_OPERATOR"] = alloc.Addr, w.chain.Operator().Hex()
	mustRun(t, env, "wallet", "deposit", "50", "--operator", w.chain.Operator().Hex())

	image := e2e.WorkloadImage(t)
	// No provider has a GPU with 100 GiB: refused with the allocator's reason.
	_, _, err := dec2(t, env, "instance", "run", "--type", "g1.a100x1", "--gpu-memory", "100GiB", "--image", image, "--name", "huge", "--timeout", "1m")
	if err == nil || !strings.Contains(err.Error(), "no node could ever host") {
		t.Fatalf("a GPU memory floor no GPU meets: %v, want the allocator's refusal", err)
	}
	in := decode[instance.Instance](t, mustRun(t, env, "instance", "run", "--type", "g1.a100x1", "--gpu-memory", "40GiB", "--image", image,
		"--name", "train", "--port", "8080", "--arg=-http", "--arg=:8080", "--arg=-print-env", "-o", "json"))
	if in.Status != "running" || len(in.Placements) != 1 || in.Placements[0].Node != "rig" {
		t.Fatalf("run returned %+v, want train running on rig", in)
	}
	// g1.a100x1: 8 GHz × 0.02 + 32 GiB × 0.005 + 128 GiB × 0.0001 + one A100 × 1.5 an hour.
	if in.CostPerHour != "1.8328" {
		t.Errorf("cost per hour %s, want 1.8328", in.CostPerHour)
	}
	var visible string
	e2e.Poll(t, "the instance's printed environment", time.Minute, 500*time.Millisecond, func() (bool, error) {
		logs, _, err := dec2(t, env, "instance", "logs", "train")
		for _, line := range strings.Split(logs, "\n") {
			if v, ok := strings.CutPrefix(line, "NVIDIA_VISIBLE_DEVICES="); ok {
				visible = v
			}
		}
		return err == nil && visible != "", nil
	})
	a, _, err := w.region.API.Allocations().Info(in.Placements[0].AllocID, nil)
	if err != nil {
		t.Fatal(err)
	}
	var reserved []string
	for _, tr := range a.AllocatedResources.Tasks {
		for _, d := range tr.Devices {
			reserved = append(reserved, d.DeviceIDs...)
		}
	}
	if len(reserved) != 1 || visible != reserved[0] {
		t.Errorf("the task sees NVIDIA_VISIBLE_DEVICES=%q; Nomad reserved %v", visible, reserved)
	}
	mustRun(t, env, "instance", "stop", "train")

	// On a terminal (script(1) gives the real binary a pseudo-terminal) run shows a spinner
	// with its current step on stderr, then the table.
	args := []string{e2e.BuildBinary(t, "./cmd/dec2"), "instance", "run", "--type", "d2.nano", "--image", image, "--name", "viewer"}
	for i, a := range args {
		args[i] = "'" + a + "'"
	}
	cmd := exec.Command("script", "-qec", strings.Join(args, " "), "/dev/null")
	cmd.Env = os.Environ()
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("instance run on a terminal: %v\n%s", err, out)
	}
	if !strings.ContainsAny(string(out), "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏") || !strings.Contains(string(out), "submitting viewer") || !strings.Contains(string(out), "small") {
		t.Errorf("instance run on a terminal printed no spinner with its step, or no table:\n%q", out)
	}
	mustRun(t, env, "instance", "stop", "viewer")
}

// A provider joins with one command: the config it writes starts a real Nomad client that joins
// the region with the provider's meta, the node is staked under its ID, and leave drains it and
// unbonds the stake.
func TestProviderJoinStatusLeave(t *testing.T) {
	w := startWorld(t, func(*devenv.Env) []e2e.Client { return nil })
	prov := w.chain.Provider(1)
	env := w.as(t, prov)
	// Providers start without tokens: a consumer account pays the stake over.
	payer, err := chain.NewClient(context.Background(), w.chain.RPC, keyOf(t, w, w.chain.Consumer(1)))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := payer.Token(w.chain.Addrs.Token).Transfer(context.Background(), prov, chain.Tokens(1500)); err != nil {
		t.Fatal(err)
	}
	prices := filepath.Join(t.TempDir(), "prices.json")
	os.WriteFile(prices, []byte(`{"cpu_ghz_hour": "0.02", "mem_gb_hour": 0.005, "disk_gb_hour": "0.0001", "gpu_hour": {"A100-80GB": "1.5"}}`), 0o600)
	// The GPU plugin as a provider installs it, serving the two fake A100s of the example file.
	plugin := filepath.Join(t.TempDir(), "dec2-gpu")
	if err := os.Symlink(e2e.BuildBinary(t, "./nomad-plugins/gpu/cmd/dec2-gpu"), plugin); err != nil {
		t.Fatal(err)
	}
	fakeGPUs := filepath.Join(e2e.RepoRoot(), "nomad-plugins/gpu/examples/a100x2.json")
	dataDir := filepath.Join(w.region.AgentDir("joiner"), "data")
	storageDir := filepath.Join(t.TempDir(), "pieces") // join creates it
	low, high := e2e.DynamicPorts(t)
	join := []string{"provider", "join", "--servers", fmt.Sprintf("127.0.0.1:%d", w.region.Server.RPCPort), "--price-file", prices,
		"--data-dir", dataDir, "--name", "joiner", "--bind", "127.0.0.1", "--advertise", "127.0.0.1",
		"--http-port", fmt.Sprint(e2e.FreePort(t)), "--rpc-port", fmt.Sprint(e2e.FreePort(t)), "--serf-port", fmt.Sprint(e2e.FreePort(t)),
		"--network-interface", "lo", "--dynamic-ports", fmt.Sprintf("%d-%d", low, high), "--cgroup-parent", "dec2-joiner",
		"--shared-docker", "--gpu-plugin", plugin, "--gpu-fake-devices", fakeGPUs, "--stake", "1200", "--nomad-bin", e2e.NomadBinary(t), "-o", "json",
		"--storage", storageDir, "--storage-size", "2GiB",
		"--acl=false"} // this world's region runs without ACLs
	j := decode[provider.Joined](t, mustRun(t, env, join...))
	if !j.Registered || j.Stake != "1200" || j.Wallet != prov.Hex() || !strings.Contains(j.Start, "agent -config "+j.ConfigPath) {
		t.Fatalf("join returned %+v", j)
	}
	// Fake GPUs have no NVIDIA container runtime to use: their tasks run with runc.
	if hcl, err := os.ReadFile(j.ConfigPath); err != nil || !strings.Contains(string(hcl), `nvidia_runtime = "runc"`) {
		t.Errorf("the config of a provider with fake GPUs does not run GPU tasks with runc: %v\n%s", err, hcl)
	}
	// A second join of the same machine is a no-op on chain.
	if again := decode[provider.Joined](t, mustRun(t, env, join...)); again.Registered || again.NodeID != j.NodeID {
		t.Fatalf("re-running join: %+v, want the same node and no new registration", again)
	}
	// The third time as a provider would: the real binary with --start, which becomes the agent
	// that runs the config it wrote.
	var envList []string
	for k, v := range env {
		envList = append(envList, k+"="+v)
	}
	w.region.JoinCommand(t, "joiner", "dec2-joiner", envList, append([]string{e2e.BuildBinary(t, "./cmd/dec2")}, append(join, "--start")...)...)

	node, _, err := w.region.API.Nodes().Info(j.NodeID, nil)
	if err != nil {
		t.Fatalf("the joined node is not the staked node ID %s: %v", j.NodeID, err)
	}
	for k, v := range map[string]string{"dec2.wallet": prov.Hex(), "dec2.price.cpu_ghz_hour": "0.02", "dec2.price.mem_gb_hour": "0.005",
		"dec2.price.disk_gb_hour": "0.0001", "dec2.price.gpu_hour.A100-80GB": "1.5",
		"dec2.storage.capacity_bytes": "2147483648", "dec2.storage.endpoint": "http://127.0.0.1:4660"} {
		if node.Meta[k] != v {
			t.Errorf("node meta %s = %q, want %q", k, node.Meta[k], v)
		}
	}
	// --storage: the host volume dec2-storagenode's job mounts.
	if v := node.HostVolumes[e2e.StorageVolume]; v == nil || v.Path != storageDir || v.ReadOnly {
		t.Errorf("host volume %s = %+v, want %s, writable", e2e.StorageVolume, v, storageDir)
	}
	e2e.Poll(t, "the joined node's GPUs", time.Minute, 250*time.Millisecond, func() (bool, error) {
		n, _, err := w.region.API.Nodes().Info(j.NodeID, nil)
		if err != nil || n.NodeResources == nil {
			return false, nil
		}
		for _, d := range n.NodeResources.Devices {
			if d.Vendor+"/"+d.Type+"/"+d.Name == "nvidia/gpu/A100-80GB" && len(d.Instances) == 2 {
				return true, nil
			}
		}
		return false, nil
	})
	owner, err := payer.Registry(w.chain.Addrs.Registry).ProviderOfNode(context.Background(), j.NodeID)
	if err != nil || owner != prov {
		t.Fatalf("registry's provider of node %s = %s, %v; want %s", j.NodeID, owner, err, prov)
	}

	// Two attestors from the environment: one rates the node, the other is down.
	attested := maps.Clone(env)
	down := httptest.NewServer(nil)
	down.Close()
	attested["DEC2_ATTESTORS"] = startAttestor(t, "0xattestor", j.NodeID, 0.9) + "," + down.URL
	st := decode[provider.Status](t, mustRun(t, attested, "provider", "status", "--data-dir", dataDir, "-o", "json"))
	if st.NodeStatus != "ready" || !st.Registered || !st.Active || st.Stake != "1200" || st.Node != "joiner" || st.Draining {
		t.Fatalf("status = %+v", st)
	}
	if len(st.Attestors) != 2 || st.Attestors[0].Score != 0.9 || st.Attestors[1].Error == "" ||
		st.Reputation == nil || st.Reputation.Score != 0.9 || !st.Reputation.Eligible {
		t.Fatalf("status's reputation = %+v, %+v", st.Attestors, st.Reputation)
	}

	left := decode[provider.Left](t, mustRun(t, env, "provider", "leave", "--data-dir", dataDir, "--deadline", "1m", "-o", "json"))
	if left.Unbonding != "1200" || left.UnbondableAt == "" || !strings.HasPrefix(left.Drain, "started") {
		t.Fatalf("leave = %+v", left)
	}
	// The node had nothing to move, so its drain is over at once; it stays ineligible.
	st = decode[provider.Status](t, mustRun(t, env, "provider", "status", "--data-dir", dataDir, "-o", "json"))
	if st.Stake != "0" || st.Unbonding != "1200" || st.Active || st.Eligibility != "ineligible" {
		t.Fatalf("status after leave = %+v", st)
	}
}

func keyOf(t *testing.T, w *world, addr common.Address) *ecdsa.PrivateKey {
	t.Helper()
	k := w.chain.Key(addr)
	if k == nil {
		t.Fatalf("no dev account %s", addr)
	}
	return k
}

// minus subtracts decimal token amounts.
func minus(t *testing.T, a, b string) string {
	t.Helper()
	x, err1 := pricing.ParseAmount(a)
	y, err2 := pricing.ParseAmount(b)
	if err1 != nil || err2 != nil {
		t.Fatalf("amounts %q, %q: %v %v", a, b, err1, err2)
	}
	return pricing.FormatAmount(x.Sub(x, y))
}
