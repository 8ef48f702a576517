package terraform_test

import (
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"

	"github.com/dec2-cloud/dec2/cli/clientconfig"
	"github.com/dec2-cloud/dec2/e2e"
	"github.com/dec2-cloud/dec2/nomad-plugins/gpu/gpuconfig"
)

// The provider-node module's client.hcl.tftpl and clientconfig (what `dec2 provider join` and
// the test harness render) must configure the agent alike: rendered for the same inputs, their
// settings (parsed HCL, not text) may differ only where one leaves a default unsaid.
func TestProviderNodeTemplateMatchesClientconfig(t *testing.T) {
	bin := tofuOrTerraform(t)
	wallet := common.HexToAddress("0x9965507d1a55bcc2695c58ba16fb37d819b0a4dc")
	work := t.TempDir()
	if err := os.CopyFS(filepath.Join(work, "provider-node"), os.DirFS(filepath.Join(e2e.RepoRoot(), "terraform/modules/provider-node"))); err != nil {
		t.Fatal(err)
	}
	main := `module "node" {
  source           = "./provider-node"
  node_name        = "rig-1"
  servers          = ["10.0.0.1:4647", "10.0.0.2:4647"]
  acl              = true
  region           = "eu"
  datacenter       = "fra1"
  wallet           = "` + wallet.Hex() + `"
  prices           = { cpu_ghz_hour = "0.02", mem_gb_hour = "0.005", disk_gb_hour = "0.0001", gpu_hour = { "A100-80GB" = "1.5" } }
  dedicated_tenant = "acme"
  gpu              = { shares_per_gpu = 2, fake_devices_json = "[]" }
  paths            = { config_dir = "/etc/nomad.d", data_dir = "/var/lib/nomad", plugin_dir = "/opt/dec2/plugins" }
  network          = { advertise_addr = "10.0.0.5", network_interface = "eth0", http_port = 14646, rpc_port = 14647, serf_port = 14648 }
  client           = { cpu_total_compute = 4000, memory_total_mb = 8192, cgroup_parent = "dec2", shared_docker = true }
}

output "client_config" {
  value = module.node.client_config
}
`
	if err := os.WriteFile(filepath.Join(work, "main.tf"), []byte(main), 0o644); err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) string {
		t.Helper()
		cmd := exec.Command(bin, append(args, "-no-color")...)
		cmd.Dir = work
		cmd.Env = append(os.Environ(), "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1", "TF_CLI_CONFIG_FILE=/dev/null")
		out, err := cmd.Output()
		if err != nil {
			stderr := ""
			if ee, ok := err.(*exec.ExitError); ok {
				stderr = string(ee.Stderr)
			}
			t.Fatalf("%s %s: %v\n%s%s", bin, strings.Join(args, " "), err, out, stderr)
		}
		return string(out)
	}
	run("init", "-input=false", "-backend=false")
	run("apply", "-input=false", "-auto-approve")
	tmpl := run("output", "-raw", "client_config")

	gpu := gpuconfig.DefaultConfig()
	gpu.Backends, gpu.SharesPerGPU, gpu.FakeDevicesFile = []string{"nvml", "sysfs", "fake"}, 2, "/etc/nomad.d/dec2-fake-gpus.json"
	cfg := clientconfig.Config{
		Name: "rig-1", Region: "eu", Datacenter: "fra1", DataDir: "/var/lib/nomad", PluginDir: "/opt/dec2/plugins",
		Servers: []string{"10.0.0.1:4647", "10.0.0.2:4647"}, ACL: true,
		BindAddr: "0.0.0.0", Advertise: "10.0.0.5", NetworkInterface: "eth0",
		Ports:           clientconfig.Ports{HTTP: 14646, RPC: 14647, Serf: 14648},
		CPUTotalCompute: 4000, MemoryTotalMB: 8192, CgroupParent: "dec2", SharedDocker: true,
		Wallet: wallet, DedicatedTenant: "acme",
		Prices: map[string]string{"dec2.price.cpu_ghz_hour": "0.02", "dec2.price.mem_gb_hour": "0.005",
			"dec2.price.disk_gb_hour": "0.0001", "dec2.price.gpu_hour.A100-80GB": "1.5"},
		GPU: &gpu,
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	rendered := cfg.Render()

	want := settings(t, "clientconfig", rendered)
	got := settings(t, "the template", tmpl)
	// What the template may leave unsaid, as it would read: Nomad's default collection
	// interval and the dec2-gpu plugin's defaults.
	defaults := hclwrite.NewEmptyFile()
	defaults.Body().AppendNewBlock("telemetry", nil).Body().SetAttributeValue("collection_interval", cty.StringVal("1s"))
	clientconfig.AppendGPUPlugin(defaults.Body(), gpuconfig.DefaultConfig())
	for k, v := range settings(t, "defaults", string(defaults.Bytes())) {
		if _, ok := got[k]; !ok && want[k] == v {
			got[k] = v
		}
	}
	if d := clientconfig.DiffSettings("the template", got, "clientconfig", want); len(d) > 0 {
		t.Errorf("terraform/modules/provider-node/templates/client.hcl.tftpl and cli/clientconfig configure the agent differently:\n  %s\n--- template ---\n%s\n--- clientconfig ---\n%s",
			strings.Join(d, "\n  "), tmpl, rendered)
	}
}

func settings(t *testing.T, name, src string) map[string]string {
	t.Helper()
	s, err := clientconfig.Settings([]byte(src))
	if err != nil {
		t.Fatalf("reading %s: %v\n%s", name, err, src)
	}
	return maps.Clone(s)
}

// tofuOrTerraform is bin/tofu (make tools-tofu), else tofu or terraform on PATH.
func tofuOrTerraform(t *testing.T) string {
	t.Helper()
	if bin := filepath.Join(e2e.RepoRoot(), "bin", "tofu"); fileExists(bin) {
		return bin
	}
	for _, name := range []string{"tofu", "terraform"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("no bin/tofu: CI's make tools builds it (make tools-tofu)")
	}
	t.Skip("no bin/tofu (make tools-tofu), tofu or terraform")
	return ""
}

func fileExists(p string) bool { _, err := os.Stat(p); return err == nil }
