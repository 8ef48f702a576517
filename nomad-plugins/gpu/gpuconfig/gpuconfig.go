// Package gpuconfig is the dec2-gpu device plugin's configuration as what writes a provider's
// client config (provider join, the harness, the demo) needs it: a leaf, so those link neither
// the plugin nor NVML.
package gpuconfig

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Name is the plugin's name: its file name in the agent's plugin_dir and its config block.
const Name = "dec2-gpu"

// Backend names, as the backends option lists them.
const (
	BackendNVML  = "nvml"
	BackendSysfs = "sysfs"
	BackendFake  = "fake"
)

// Defaults, shared by the HCL schema and DefaultConfig.
const (
	DefaultFingerprintPeriod = "1m"
	DefaultHealthRecovery    = "5m"
	DefaultSysfsRoot         = "/sys"
	MaxSharesPerGPU          = 64
	MinFingerprintPeriod     = 100 * time.Millisecond
)

var DefaultBackends = []string{BackendNVML, BackendSysfs}

// Config is the plugin's configuration: the agent's plugin "dec2-gpu" { config { … } } block.
type Config struct {
	Enabled bool `codec:"enabled"`
	// Backends to read GPUs from: nvml (NVIDIA), sysfs (AMD, Intel), fake (a file).
	Backends []string `codec:"backends"`
	// FakeDevicesFile is the fake backend's JSON file.
	FakeDevicesFile string `codec:"fake_devices_file"`
	SysfsRoot       string `codec:"sysfs_root"`
	// NVMLLibrary overrides where libnvidia-ml is loaded from; empty is the loader's default.
	NVMLLibrary string `codec:"nvml_library"`
	// IgnoredGPUIDs hides GPUs (UUID or PCI bus ID) and MIG instances (MIG UUID) from Nomad.
	IgnoredGPUIDs     []string `codec:"ignored_gpu_ids"`
	FingerprintPeriod string   `codec:"fingerprint_period"`
	// SharesPerGPU > 1 exposes each GPU as that many gpu-share devices.
	SharesPerGPU int `codec:"shares_per_gpu"`
	// HealthRecovery is "never" or how long a GPU must go without a fault (missing from a scan
	// counts as one) to be healthy again.
	HealthRecovery string `codec:"health_recovery"`
	// MaxTemperature (°C) replaces each GPU's own slowdown/critical limit; 0 keeps those.
	MaxTemperature int `codec:"max_temperature"`
}

// DefaultConfig is the configuration of an empty config block.
func DefaultConfig() Config {
	return Config{
		Enabled:           true,
		Backends:          slices.Clone(DefaultBackends),
		SysfsRoot:         DefaultSysfsRoot,
		FingerprintPeriod: DefaultFingerprintPeriod,
		SharesPerGPU:      1,
		HealthRecovery:    DefaultHealthRecovery,
	}
}

// AgentHCL renders c as the plugin block of a Nomad agent's configuration, for what writes a
// provider's client config (provider join, the demo, tests).
func (c Config) AgentHCL() string {
	var b strings.Builder
	fmt.Fprintf(&b, "plugin %q {\n  config {\n", Name)
	attr := func(name, value string) { fmt.Fprintf(&b, "    %s = %s\n", name, value) }
	attr("enabled", strconv.FormatBool(c.Enabled))
	attr("backends", hclList(c.Backends))
	if c.FakeDevicesFile != "" {
		attr("fake_devices_file", strconv.Quote(c.FakeDevicesFile))
	}
	attr("sysfs_root", strconv.Quote(c.SysfsRoot))
	if c.NVMLLibrary != "" {
		attr("nvml_library", strconv.Quote(c.NVMLLibrary))
	}
	attr("ignored_gpu_ids", hclList(c.IgnoredGPUIDs))
	attr("fingerprint_period", strconv.Quote(c.FingerprintPeriod))
	attr("shares_per_gpu", strconv.Itoa(c.SharesPerGPU))
	attr("health_recovery", strconv.Quote(c.HealthRecovery))
	attr("max_temperature", strconv.Itoa(c.MaxTemperature))
	b.WriteString("  }\n}\n")
	return b.String()
}

func hclList(items []string) string {
	quoted := make([]string, len(items))
	for i, s := range items {
		quoted[i] = strconv.Quote(s)
	}
	return "[" + strings.Join(quoted, ", ") + "]"
}
