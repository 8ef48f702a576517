package clientconfig

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/dec2-cloud/dec2/cli/golden"
	"github.com/dec2-cloud/dec2/conventions"
	"github.com/dec2-cloud/dec2/nomad-plugins/gpu/gpuconfig"
)

var wallet = common.HexToAddress("0x9965507d1a55bcc2695c58ba16fb37d819b0a4dc")

func TestRenderGolden(t *testing.T) {
	plain := Config{
		DataDir: "/var/lib/dec2/nomad", Servers: []string{"10.0.0.1:4647", "10.0.0.2:4647"}, Wallet: wallet,
		Prices: map[string]string{"dec2.price.cpu_ghz_hour": "0.02", "dec2.price.mem_gb_hour": "0.005"},
	}
	if err := plain.Validate(); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "plain", []byte(plain.Render()))

	g := gpuconfig.DefaultConfig()
	full := plain
	full.Name, full.BindAddr, full.Advertise = "rig-1", "127.0.0.1", "127.0.0.1"
	full.Ports = Ports{HTTP: 14646, RPC: 14647, Serf: 14648}
	full.NetworkInterface, full.MinDynamicPort, full.MaxDynamicPort = "lo", 21000, 21099
	full.CgroupParent, full.NodePool, full.ACL, full.SharedDocker = "dec2-rig-1", "gpu", true, true
	full.DedicatedTenant, full.PluginDir, full.GPU, full.GPURuntime = "acme", "/opt/dec2/plugins", &g, "runc"
	full.Sandbox, full.PidsLimit, full.Region = SandboxGVisor, 512, "eu"
	full.Prices = map[string]string{"dec2.price.cpu_ghz_hour": "0.02", "dec2.price.mem_gb_hour": "0.005", "dec2.price.gpu_hour.A100-80GB": "1.5"}
	if err := full.Validate(); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "full", []byte(full.Render()))
}

func TestValidateNamesTheField(t *testing.T) {
	ok := Config{DataDir: "/d", Servers: []string{"s:4647"}, Wallet: wallet, Advertise: "10.0.0.5"}
	for _, tc := range []struct {
		change func(*Config)
		want   string
	}{
		{func(c *Config) { c.DataDir = "" }, "--data-dir"},
		{func(c *Config) { c.Servers = nil }, "--servers"},
		{func(c *Config) { c.Servers = []string{"10.0.0.1"} }, `"10.0.0.1" is not host:port`},
		{func(c *Config) { c.Wallet = common.Address{} }, "--wallet"},
		{func(c *Config) { c.Ports.HTTP = 70000 }, "70000"},
		{func(c *Config) { c.MinDynamicPort = 21000 }, "both bounds"},
		{func(c *Config) { c.MinDynamicPort, c.MaxDynamicPort = 22000, 21000 }, "low before high"},
		{func(c *Config) { c.Prices = map[string]string{"price.cpu": "1"} }, `"price.cpu"`},
		{func(c *Config) { c.GPURuntime = `runc" }` }, "--gpu-runtime"},
		{func(c *Config) { c.Region = "EU" }, "--region"},
		{func(c *Config) { c.Region = "-eu" }, "--region"},
		{func(c *Config) { c.Region = "eu west" }, "--region"},
		{func(c *Config) { c.DataDir = "/d/${x}" }, "${"},
		{func(c *Config) { c.Storage = &Storage{Dir: "pieces", CapacityBytes: 1 << 30} }, "absolute path"},
		{func(c *Config) { c.Storage = &Storage{Dir: "/srv/pieces"} }, "--storage-size"},
		{func(c *Config) { c.Advertise, c.Storage = "", &Storage{Dir: "/srv/pieces", CapacityBytes: 1 << 30} }, "--advertise"},
	} {
		c := ok
		tc.change(&c)
		if err := c.Validate(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Validate() = %v, want an error containing %q", err, tc.want)
		}
	}
	if err := ok.Validate(); err != nil {
		t.Errorf("a complete config: %v", err)
	}
}

func TestSandboxRendering(t *testing.T) {
	c := Config{DataDir: "/d", Servers: []string{"s:4647"}, Wallet: wallet}
	plain := settings(t, c)
	for k, want := range map[string]string{
		docker + "allow_runtimes": `["runc", "nvidia"]`, docker + "pids_limit": "1024", docker + "allow_privileged": "false",
	} {
		if plain[k] != want {
			t.Errorf("plain config: %s = %s, want %s", k, plain[k], want)
		}
	}
	if v, ok := plain[metaKey(MetaSandbox)]; ok {
		t.Errorf("plain config claims a sandbox: %s", v)
	}
	c.Sandbox, c.GPURuntime, c.PidsLimit = SandboxGVisor, "runc", 256
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	g := settings(t, c)
	for k, want := range map[string]string{
		docker + "allow_runtimes": `["runsc", "runc"]`, docker + "pids_limit": "256", metaKey(MetaSandbox): `"gvisor"`,
	} {
		if g[k] != want {
			t.Errorf("gvisor config: %s = %s, want %s", k, g[k], want)
		}
	}
	c.Sandbox = "kata"
	if err := c.Validate(); err == nil || !strings.Contains(err.Error(), "--sandbox") {
		t.Errorf("Validate(sandbox kata) = %v", err)
	}
}

// --storage declares the host volume dec2-storagenode keeps pieces on and advertises the
// node's storage endpoint and capacity, which gateways and placement read.
func TestStorageRendering(t *testing.T) {
	c := Config{DataDir: "/d", Servers: []string{"s:4647"}, Wallet: wallet, Advertise: "10.0.0.5",
		Storage: &Storage{Dir: "/srv/dec2-pieces", CapacityBytes: 500 << 30}}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	got := settings(t, c)
	for k, want := range map[string]string{
		`client.host_volume."dec2-storage".path`:      `"/srv/dec2-pieces"`,
		`client.host_volume."dec2-storage".read_only`: "false",
		metaKey(conventions.MetaStorageCapacity):      `"536870912000"`,
		metaKey(conventions.MetaStorageEndpoint):      `"http://10.0.0.5:4660"`,
	} {
		if got[k] != want {
			t.Errorf("%s = %s, want %s", k, got[k], want)
		}
	}
	plain := settings(t, Config{DataDir: "/d", Servers: []string{"s:4647"}, Wallet: wallet})
	for k := range plain {
		if strings.Contains(k, "host_volume") || strings.Contains(k, "dec2.storage") {
			t.Errorf("a config without storage has %s", k)
		}
	}
}

const docker = `plugin."docker".config.`

func metaKey(k string) string { return `client.meta.` + strconv.Quote(k) }

func settings(t *testing.T, c Config) map[string]string {
	t.Helper()
	s, err := Settings([]byte(c.Render()))
	if err != nil {
		t.Fatalf("reading back %s: %v", c.Render(), err)
	}
	return s
}

// Values reach the agent as given, whatever they hold: hclwrite quotes and escapes them (Validate
// refuses template sequences), and the harness's inputs render as settings.
func TestRenderEscapesAndHarnessInputs(t *testing.T) {
	odd := "a \"quoted\" $var %if \\ \n end"
	c := Config{Name: odd, DataDir: "/d", Servers: []string{"s:4647"}, Meta: map[string]string{"odd.key \"x\"": odd},
		LogLevel: "DEBUG", CPUTotalCompute: 1000, DiskTotalMB: 5000, RawExec: true,
		HostNetworks: []HostNetwork{{Name: "docker0", Interface: "docker0"}}}
	s := settings(t, c)
	for k, want := range map[string]string{
		"name": strconv.Quote(odd), `client.meta."odd.key \"x\""`: strconv.Quote(odd), "log_level": `"DEBUG"`,
		"client.cpu_total_compute": "1000", "client.disk_total_mb": "5000", "client.disk_free_mb": "5000",
		`client.host_network."docker0".interface`: `"docker0"`, `plugin."raw_exec".config.enabled`: "true",
	} {
		got := s[k]
		if unq, err := strconv.Unquote(got); err == nil {
			got = strconv.Quote(unq)
		}
		if got != want {
			t.Errorf("%s = %s, want %s", k, s[k], want)
		}
	}
	if _, ok := s[metaKey(MetaWallet)]; ok {
		t.Error("no wallet given, yet dec2.wallet is set")
	}
	if d := DiffSettings("a", s, "b", settings(t, Config{DataDir: "/d", Servers: []string{"s:4647"}})); len(d) == 0 {
		t.Error("DiffSettings found two different configs alike")
	}
}

func TestMergeDaemonJSON(t *testing.T) {
	cur := []byte(`{"runtimes": {"nvidia": {"path": "nvidia-container-runtime"}}, "icc": true, "log-driver": "json-file"}`)
	merged, changed, err := MergeDaemonJSON(cur, DockerDaemonKeys(SandboxGVisor, true))
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(merged, &got); err != nil {
		t.Fatal(err)
	}
	rt := got["runtimes"].(map[string]any)
	if rt["nvidia"] == nil || rt["runsc"] == nil || got["log-driver"] != "json-file" || got["icc"] != false ||
		got["no-new-privileges"] != true || got["default-runtime"] != "runsc" {
		t.Errorf("merged = %s", merged)
	}
	if want := []string{"default-runtime", "icc", "no-new-privileges", "runtimes"}; !slices.Equal(changed, want) {
		t.Errorf("changed = %v, want %v", changed, want)
	}
	if _, changed, _ := MergeDaemonJSON(merged, DockerDaemonKeys(SandboxGVisor, true)); len(changed) != 0 {
		t.Errorf("merging twice changed %v", changed)
	}
	if _, _, err := MergeDaemonJSON([]byte("[1]"), DockerDaemonKeys("", true)); err == nil {
		t.Error("a non-object daemon.json merged")
	}
	if keys := DockerDaemonKeys(SandboxGVisor, false); keys["default-runtime"] != nil {
		t.Errorf("a shared engine got a default runtime: %v", keys)
	}
}

func TestDockerSetupApply(t *testing.T) {
	path := filepath.Join(t.TempDir(), "daemon.json")
	if err := os.WriteFile(path, []byte(`{"log-level": "warn"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	var ran []string
	var hupped []int
	s := DockerSetup{Sandbox: SandboxGVisor, DaemonJSON: path,
		Run: func(name string, args ...string) ([]byte, error) {
			ran = append(ran, name+" "+strings.Join(args, " "))
			switch {
			case name == "pidof":
				return []byte("4242\n"), nil
			case name == "iptables" && args[0] == "-C":
				return nil, errors.New("exit status 1")
			}
			return nil, nil
		},
		Signal: func(pid int) error { hupped = append(hupped, pid); return nil },
	}
	var out strings.Builder
	if err := s.Apply(&out); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	for _, want := range []string{`"default-runtime": "runsc"`, `"--network=host"`, `"log-level": "warn"`, `"icc": false`} {
		if !strings.Contains(string(data), want) {
			t.Errorf("daemon.json lacks %s:\n%s", want, data)
		}
	}
	if !slices.Equal(hupped, []int{4242}) {
		t.Errorf("SIGHUP went to %v", hupped)
	}
	if !slices.Contains(ran, "iptables -I DOCKER-USER -d 169.254.169.254/32 -j REJECT --reject-with icmp-host-prohibited") {
		t.Errorf("no metadata rule inserted: %q", ran)
	}
	if !strings.Contains(out.String(), "icc, no-new-privileges apply only when dockerd restarts") {
		t.Errorf("no restart advice:\n%s", out.String())
	}

	shared := DockerSetup{Sandbox: SandboxGVisor, Shared: true, DaemonJSON: filepath.Join(t.TempDir(), "none.json")}
	out.Reset()
	if err := shared.Apply(&out); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(shared.DaemonJSON); err == nil || !strings.Contains(out.String(), `runtime = "runsc"`) {
		t.Errorf("a shared engine's config was written or the advice is missing:\n%s", out.String())
	}
}
