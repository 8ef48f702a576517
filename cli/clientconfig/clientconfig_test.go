package clientconfig

import (
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/dec2-cloud/dec2/cli/golden"
	"github.com/dec2-cloud/dec2/nomad-plugins/gpu"
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

	g := gpu.DefaultConfig()
	full := plain
	full.Name, full.BindAddr, full.Advertise = "rig-1", "127.0.0.1", "127.0.0.1"
	full.Ports = Ports{HTTP: 14646, RPC: 14647, Serf: 14648}
	full.NetworkInterface, full.MinDynamicPort, full.MaxDynamicPort = "lo", 21000, 21099
	full.CgroupParent, full.NodePool, full.ACL, full.SharedDocker = "dec2-rig-1", "gpu", true, true
	full.DedicatedTenant, full.PluginDir, full.GPU, full.GPURuntime = "acme", "/opt/dec2/plugins", &g, "runc"
	full.Prices = map[string]string{"dec2.price.cpu_ghz_hour": "0.02", "dec2.price.mem_gb_hour": "0.005", "dec2.price.gpu_hour.A100-80GB": "1.5"}
	if err := full.Validate(); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "full", []byte(full.Render()))
}

func TestValidateNamesTheField(t *testing.T) {
	ok := Config{DataDir: "/d", Servers: []string{"s:4647"}, Wallet: wallet}
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
