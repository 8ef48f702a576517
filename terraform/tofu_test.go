// Package terraform_test applies the modules' examples with OpenTofu (bin/tofu) and the provider
// built from this tree against real parts: a Nomad region, dec2-allocator in front of it and a
// dev chain with the contracts.
package terraform_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/filters"
	"github.com/ethereum/go-ethereum/common"
	"go.yaml.in/yaml/v3"

	"github.com/dec2-cloud/dec2/billing-sidecar/devenv"
	"github.com/dec2-cloud/dec2/contracts/chain"
	"github.com/dec2-cloud/dec2/e2e"
)

// tofu runs bin/tofu in a copy of terraform/ with the provider from this tree: `tofu init`
// installs it from a local mirror and a dev override makes every run use the fresh build.
type tofu struct {
	t   *testing.T
	dir string // the copied tree's root
	env []string
}

func newTofu(t *testing.T) *tofu {
	t.Helper()
	bin := filepath.Join(e2e.RepoRoot(), "bin", "tofu")
	if _, err := os.Stat(bin); err != nil {
		t.Fatalf("no bin/tofu (%v): run make tools-tofu", err)
	}
	provider := e2e.BuildBinary(t, "./terraform/cmd/terraform-provider-dec2")
	work := t.TempDir()
	mirror := filepath.Join(work, "mirror", "registry.opentofu.org", "dec2-cloud", "dec2", "0.1.0", "linux_amd64")
	overrides := filepath.Join(work, "provider")
	for _, dst := range []string{filepath.Join(mirror, "terraform-provider-dec2_v0.1.0"), filepath.Join(overrides, "terraform-provider-dec2")} {
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(provider, dst); err != nil {
			t.Fatal(err)
		}
	}
	rc := fmt.Sprintf(`provider_installation {
  dev_overrides {
    "dec2-cloud/dec2" = %q
  }
  filesystem_mirror {
    path    = %q
    include = ["dec2-cloud/dec2"]
  }
  direct {
    exclude = ["dec2-cloud/dec2"]
  }
}
`, overrides, filepath.Join(work, "mirror"))
	rcPath := filepath.Join(work, "tofurc")
	if err := os.WriteFile(rcPath, []byte(rc), 0o644); err != nil {
		t.Fatal(err)
	}
	tree := filepath.Join(work, "terraform")
	if out, err := exec.Command("cp", "-r", filepath.Join(e2e.RepoRoot(), "terraform"), tree).CombinedOutput(); err != nil {
		t.Fatalf("copying terraform/: %v\n%s", err, out)
	}
	env := slices.DeleteFunc(os.Environ(), func(kv string) bool {
		return strings.HasPrefix(kv, "TF_") || strings.HasPrefix(kv, "NOMAD_") || strings.HasPrefix(kv, "DEC2_")
	})
	env = append(env, "TF_CLI_CONFIG_FILE="+rcPath, "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1")
	return &tofu{t: t, dir: tree, env: env}
}

// run runs tofu in dir (relative to the copied terraform/) and returns its output.
func (tf *tofu) run(dir string, args ...string) (string, error) {
	tf.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, filepath.Join(e2e.RepoRoot(), "bin", "tofu"), append(args, "-no-color")...)
	cmd.Dir = filepath.Join(tf.dir, dir)
	cmd.Env = tf.env
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func (tf *tofu) must(dir string, args ...string) string {
	tf.t.Helper()
	out, err := tf.run(dir, args...)
	if err != nil {
		tf.t.Fatalf("tofu %s in %s: %v\n%s", strings.Join(args, " "), dir, err, out)
	}
	return out
}

// outputs reads `tofu output -json` as name → value.
func (tf *tofu) outputs(dir string) map[string]any {
	tf.t.Helper()
	var raw map[string]struct {
		Value any `json:"value"`
	}
	out := tf.must(dir, "output", "-json")
	if err := json.Unmarshal([]byte(out), &raw); err != nil {
		tf.t.Fatalf("tofu output -json: %v\n%s", err, out)
	}
	vals := map[string]any{}
	for k, v := range raw {
		vals[k] = v.Value
	}
	return vals
}

// stack is what the examples run against.
type stack struct {
	region    *e2e.Region
	allocator *e2e.Allocator
	chain     *devenv.Env
	deploy    string // deployment file
}

// Provider prices on every node of the test region; an instance's hourly cost follows from them.
var testPrices = map[string]string{"dec2.price.cpu_ghz_hour": "0.02", "dec2.price.mem_gb_hour": "0.01", "dec2.price.disk_gb_hour": "0.001"}

func startStack(t *testing.T) *stack {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	env, err := devenv.Start(ctx, 0)
	if err != nil {
		t.Fatalf("starting the dev chain: %v", err)
	}
	t.Cleanup(env.Close)
	var clients []e2e.Client
	for i, name := range []string{"small", "big"} {
		meta := map[string]string{"dec2.wallet": env.Provider(i).Hex()}
		for k, v := range testPrices {
			meta[k] = v
		}
		clients = append(clients, e2e.Client{Name: name, CPUMHz: 2000 * (i + 1), MemoryMB: 2048 * (i + 1), Meta: meta})
	}
	region := e2e.StartRegion(t, e2e.Options{Clients: clients})
	region.BindWallet(t, "default", env.Consumer(0).Hex()) // the consumer-app example's wallet
	s := &stack{region: region, allocator: e2e.StartAllocator(t, region, "--pack-all"), chain: env,
		deploy: filepath.Join(t.TempDir(), "deployment.json")}
	if err := chain.WriteAddresses(s.deploy, env.Addrs); err != nil {
		t.Fatal(err)
	}
	return s
}

// key is the hex private key of a dev chain account.
func (s *stack) key(t *testing.T, addr common.Address) string {
	k := s.chain.KeyHex(addr)
	if k == "" {
		t.Fatalf("no dev account %s", addr)
	}
	return k
}

// TestConsumerAppExample is the README's example applied for real: the deposit lands in the
// escrow, the instance runs where the allocator put it and answers on its address, the cost is
// what the node's prices make it, a second plan is empty, and destroy leaves nothing.
func TestConsumerAppExample(t *testing.T) {
	e2e.RequireIntegration(t)
	s := startStack(t)
	tf := newTofu(t)
	consumer := s.chain.Consumer(0)
	tf.env = append(tf.env,
		"TF_VAR_nomad_address="+s.allocator.Addr, "NOMAD_TOKEN="+s.region.Token,
		"TF_VAR_chain_rpc="+s.chain.Chain.HTTPURL, "TF_VAR_deployment="+s.deploy,
		"TF_VAR_image="+e2e.WorkloadImage(t), `TF_VAR_args=["-http", ":8080"]`,
		"TF_VAR_billing_operator="+s.chain.Operator().Hex(),
		"DEC2_PRIVATE_KEY="+s.key(t, consumer))
	const ex = "examples/consumer-app"
	ctx := context.Background()
	before, err := s.chain.Balance(ctx, consumer)
	if err != nil {
		t.Fatal(err)
	}

	tf.must(ex, "init", "-input=false")
	plan := tf.must(ex, "plan", "-input=false", "-out=tfplan")
	for _, want := range []string{"module.web.dec2_instance.this will be created", "module.web.dec2_escrow_deposit.this will be created", "Plan: 2 to add"} {
		if !strings.Contains(plan, want) {
			t.Fatalf("plan lacks %q:\n%s", want, plan)
		}
	}
	tf.must(ex, "apply", "-input=false", "tfplan")
	out := tf.outputs(ex)
	t.Logf("outputs: %v", out)

	// The instance runs on a node of the region, packed by the allocator, paid by the consumer.
	job, _, err := s.region.API.Jobs().Info("web", nil)
	if err != nil {
		t.Fatalf("job web after apply: %v", err)
	}
	if job.Meta["dec2.wallet"] != consumer.Hex() || job.Meta["dec2.plan"] == "" {
		t.Errorf("job meta = %v, want dec2.wallet %s and the allocator's dec2.plan", job.Meta, consumer.Hex())
	}
	if node := out["node"]; node != "small" && node != "big" {
		t.Errorf("output node = %v, want a region node", node)
	}
	addr, _ := out["address"].(string)
	if !strings.HasPrefix(addr, "127.0.0.1:") {
		t.Fatalf("output address = %q, want 127.0.0.1:<port>", addr)
	}
	e2e.Poll(t, "the instance to answer on "+addr, time.Minute, 500*time.Millisecond, func() (bool, error) {
		resp, err := http.Get("http://" + addr + "/")
		if err != nil {
			return false, nil
		}
		defer resp.Body.Close()
		var state struct {
			Uptime float64 `json:"uptime_s"`
		}
		return resp.StatusCode == 200 && json.NewDecoder(resp.Body).Decode(&state) == nil, nil
	})
	// d2.nano reserves 500 MHz, 256 MiB and 1024 MiB of disk: 0.5×0.02 + 0.25×0.01 + 1×0.001.
	if got := out["cost_per_hour"]; got != "0.0135" {
		t.Errorf("cost_per_hour = %v, want 0.0135", got)
	}
	if got := out["escrow_balance"]; got != "100" {
		t.Errorf("escrow_balance = %v, want 100", got)
	}
	acct, err := s.chain.Account(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if acct.Balance.Cmp(chain.Tokens(100)) != 0 {
		t.Errorf("escrow balance on chain = %s, want 100 tokens", acct.Balance)
	}
	if types, _ := out["cpu_types"].([]any); len(types) == 0 || slices.Contains(types, any("g1.a100x1")) {
		t.Errorf("cpu_types = %v, want the catalogue's types without GPUs", types)
	}

	// What tofu recorded is what runs: a new plan changes nothing.
	if out, err := tf.run(ex, "plan", "-input=false", "-detailed-exitcode"); err != nil {
		t.Errorf("plan after apply is not empty (%v):\n%s", err, out)
	}

	allocs, _, err := s.region.API.Jobs().Allocations("web", true, nil)
	if err != nil || len(allocs) == 0 {
		t.Fatalf("allocations of web before destroy: %d (%v)", len(allocs), err)
	}
	runningContainers := func() int {
		n := 0
		for _, a := range allocs {
			cs, err := e2e.Docker(t).ContainerList(ctx, container.ListOptions{Filters: filters.NewArgs(filters.Arg("label", "com.hashicorp.nomad.alloc_id="+a.ID))})
			if err != nil {
				t.Fatal(err)
			}
			n += len(cs)
		}
		return n
	}
	if n := runningContainers(); n != 1 {
		t.Fatalf("%d running container(s) of job web before destroy, want 1", n)
	}
	tf.must(ex, "destroy", "-input=false", "-auto-approve")
	if _, _, err := s.region.API.Jobs().Info("web", nil); err == nil || !strings.Contains(err.Error(), "404") {
		t.Errorf("job web after destroy: err = %v, want 404 (purged)", err)
	}
	if n := runningContainers(); n != 0 {
		t.Errorf("%d container(s) of job web still run after destroy", n)
	}
	if acct, err = s.chain.Account(ctx, 0); err != nil || acct.Balance.Sign() != 0 {
		t.Errorf("escrow balance after destroy = %v (%v), want 0 (withdrawn)", acct.Balance, err)
	}
	if after, err := s.chain.Balance(ctx, consumer); err != nil || after.Cmp(before) != 0 {
		t.Errorf("consumer's tokens after destroy = %v (%v), want %s as before", after, err, before)
	}
	if ok, err := s.chain.Authorised(ctx, 0); err != nil || ok {
		t.Errorf("billing operator still authorised after destroy: %v (%v)", ok, err)
	}
}

// TestProviderNodeExample renders the bare-machine example, lays out the files its cloud-init
// user data writes, starts Nomad from the rendered client config, and checks that the machine
// joins the region as a dec2 provider: its meta, its Docker driver, and the GPUs the dec2-gpu
// plugin (configured by the module, with fake devices) reports.
func TestProviderNodeExample(t *testing.T) {
	e2e.RequireIntegration(t)
	region := e2e.StartRegion(t, e2e.Options{ACL: true}) // the module's default: ACLs on
	tf := newTofu(t)
	pluginDir := t.TempDir()
	if err := os.Symlink(e2e.BuildBinary(t, "./nomad-plugins/gpu/cmd/dec2-gpu"), filepath.Join(pluginDir, "dec2-gpu")); err != nil {
		t.Fatal(err)
	}
	fakeGPUs, err := os.ReadFile(filepath.Join(e2e.RepoRoot(), "nomad-plugins/gpu/examples/a100x2.json"))
	if err != nil {
		t.Fatal(err)
	}
	configDir := t.TempDir()
	const wallet = "0x90F79bf6EB2c4f870365E785982E1f101E93b906"
	vars := map[string]any{
		"servers": []string{fmt.Sprintf("127.0.0.1:%d", region.Server.RPCPort)},
		"wallet":  wallet,
		// On this host the client listens on loopback beside the region's other agents.
		"network": map[string]any{"bind_addr": "127.0.0.1", "advertise_addr": "127.0.0.1", "network_interface": "lo",
			"http_port": e2e.FreePort(t), "rpc_port": e2e.FreePort(t), "serf_port": e2e.FreePort(t)},
		"paths": map[string]any{"config_dir": configDir, "data_dir": region.AgentDir("rig") + "/data", "plugin_dir": pluginDir},
		"client": map[string]any{"cpu_total_compute": 4000, "memory_total_mb": 4096, "cgroup_parent": "dec2-rig",
			"fingerprint_denylist": []string{"env_aws", "env_gce", "env_azure", "env_digitalocean"}, "shared_docker": true},
		"node_name":      "rig",
		"fake_gpus_json": string(fakeGPUs),
	}
	for k, v := range vars {
		s, ok := v.(string) // strings are taken as they are; others are parsed as HCL (JSON is HCL)
		if !ok {
			b, _ := json.Marshal(v)
			s = string(b)
		}
		tf.env = append(tf.env, "TF_VAR_"+k+"="+s)
	}
	const ex = "examples/provider-node-bare"
	tf.must(ex, "init", "-input=false")
	tf.must(ex, "apply", "-input=false", "-auto-approve")
	out := tf.outputs(ex)
	userData, _ := out["user_data"].(string)

	var ci struct {
		Packages   []string `yaml:"packages"`
		WriteFiles []struct {
			Path, Encoding, Content, Permissions string
		} `yaml:"write_files"`
		RunCmd [][]string `yaml:"runcmd"`
	}
	if !strings.HasPrefix(userData, "#cloud-config\n") {
		t.Fatalf("user_data does not start with #cloud-config:\n%s", userData)
	}
	if err := yaml.Unmarshal([]byte(userData), &ci); err != nil {
		t.Fatalf("user_data is not YAML: %v\n%s", err, userData)
	}
	if !slices.Contains(ci.Packages, "docker.io") || len(ci.RunCmd) != 1 || ci.RunCmd[0][0] != "/usr/local/sbin/dec2-provider-install" {
		t.Errorf("cloud-init installs %v and runs %v, want docker.io and the install script", ci.Packages, ci.RunCmd)
	}
	// Write what cloud-init would write under the config dir (the systemd unit and the install
	// script go elsewhere: check them, don't install them).
	files := map[string]string{}
	for _, f := range ci.WriteFiles {
		content := f.Content
		if f.Encoding == "b64" {
			b, err := base64.StdEncoding.DecodeString(f.Content)
			if err != nil {
				t.Fatalf("%s: %v", f.Path, err)
			}
			content = string(b)
		}
		files[f.Path] = content
	}
	clientHCL := files[filepath.Join(configDir, "client.hcl")]
	if clientHCL != out["client_config"] {
		t.Fatalf("user_data's client.hcl differs from the client_config output:\n%s", clientHCL)
	}
	if files[filepath.Join(configDir, "dec2-fake-gpus.json")] != string(fakeGPUs) {
		t.Errorf("user_data does not write the fake GPUs file into %s", configDir)
	}
	if unit := files["/etc/systemd/system/nomad.service"]; !strings.Contains(unit, "nomad agent -config "+configDir) {
		t.Errorf("nomad.service does not start the agent on %s:\n%s", configDir, unit)
	}
	if script := files["/usr/local/sbin/dec2-provider-install"]; !strings.Contains(script, "releases.hashicorp.com/nomad/1.11.3/nomad_1.11.3_linux_amd64.zip") {
		t.Errorf("install script does not fetch Nomad 1.11.3:\n%s", script)
	}
	script := filepath.Join(t.TempDir(), "install.sh")
	if err := os.WriteFile(script, []byte(files["/usr/local/sbin/dec2-provider-install"]), 0o755); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("bash", "-n", script).CombinedOutput(); err != nil {
		t.Errorf("the install script does not parse: %v\n%s", err, out)
	}
	if err := os.WriteFile(filepath.Join(configDir, "dec2-fake-gpus.json"), fakeGPUs, 0o644); err != nil {
		t.Fatal(err)
	}

	region.JoinClient(t, "rig", "dec2-rig", clientHCL)
	node, _, err := region.API.Nodes().Info(region.NodeID(t, "rig"), nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, want := range map[string]string{"dec2.wallet": wallet, "dec2.price.cpu_ghz_hour": "0.02", "dec2.price.gpu_hour.A100-80GB": "1.2"} {
		if node.Meta[k] != want {
			t.Errorf("node meta %s = %q, want %q", k, node.Meta[k], want)
		}
	}
	if node.NodeResources.Cpu.CpuShares != 4000 {
		t.Errorf("node CPU = %d MHz, want the rendered cpu_total_compute 4000", node.NodeResources.Cpu.CpuShares)
	}
	e2e.Poll(t, "dec2-gpu to report the fake A100s", time.Minute, 500*time.Millisecond, func() (bool, error) {
		n, _, err := region.API.Nodes().Info(node.ID, nil)
		if err != nil || n.NodeResources == nil {
			return false, err
		}
		for _, d := range n.NodeResources.Devices {
			if d.Vendor == "nvidia" && d.Type == "gpu" && d.Name == "A100-80GB" && len(d.Instances) == 2 {
				return true, nil
			}
		}
		return false, nil
	})
}
