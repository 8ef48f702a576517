package gpu

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/nomad/plugins/shared/hclspec"

	"github.com/dec2-cloud/dec2/nomad-plugins/gpu/inventory"
)

// Backend names, as the backends option lists them.
const (
	BackendNVML  = "nvml"
	BackendSysfs = "sysfs"
	BackendFake  = "fake"
)

// Defaults, shared by the HCL schema and DefaultConfig.
const (
	defaultFingerprintPeriod = "1m"
	defaultHealthRecovery    = "5m"
	defaultSysfsRoot         = "/sys"
	maxSharesPerGPU          = 64
	minFingerprintPeriod     = 100 * time.Millisecond
)

var defaultBackends = []string{BackendNVML, BackendSysfs}

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
		Backends:          slices.Clone(defaultBackends),
		SysfsRoot:         defaultSysfsRoot,
		FingerprintPeriod: defaultFingerprintPeriod,
		SharesPerGPU:      1,
		HealthRecovery:    defaultHealthRecovery,
	}
}

// configSpec is the HCL schema Nomad parses the config block with.
var configSpec = hclspec.NewObject(map[string]*hclspec.Spec{
	"enabled":            withDefault("enabled", "bool", "true"),
	"backends":           withDefault("backends", "list(string)", `["`+strings.Join(defaultBackends, `", "`)+`"]`),
	"fake_devices_file":  hclspec.NewAttr("fake_devices_file", "string", false),
	"sysfs_root":         withDefault("sysfs_root", "string", strconv.Quote(defaultSysfsRoot)),
	"nvml_library":       hclspec.NewAttr("nvml_library", "string", false),
	"ignored_gpu_ids":    withDefault("ignored_gpu_ids", "list(string)", "[]"),
	"fingerprint_period": withDefault("fingerprint_period", "string", strconv.Quote(defaultFingerprintPeriod)),
	"shares_per_gpu":     withDefault("shares_per_gpu", "number", "1"),
	"health_recovery":    withDefault("health_recovery", "string", strconv.Quote(defaultHealthRecovery)),
	"max_temperature":    withDefault("max_temperature", "number", "0"),
})

func withDefault(name, typ, literal string) *hclspec.Spec {
	return hclspec.NewDefault(hclspec.NewAttr(name, typ, false), hclspec.NewLiteral(literal))
}

// settings are a validated Config in the forms the plugin uses.
type settings struct {
	Config
	period   time.Duration
	recovery inventory.Recovery
	ignored  map[string]bool
}

// validate checks c; each error names the field at fault and what it takes.
func (c Config) validate() (settings, error) {
	s := settings{Config: c, ignored: map[string]bool{}}
	var errs []error
	bad := func(field string, value any, format string, args ...any) {
		errs = append(errs, fmt.Errorf("dec2-gpu config: %s = %#v: %s", field, value, fmt.Sprintf(format, args...)))
	}

	if len(c.Backends) == 0 {
		bad("backends", c.Backends, "name at least one of %q, %q, %q", BackendNVML, BackendSysfs, BackendFake)
	}
	seen := map[string]bool{}
	for _, b := range c.Backends {
		switch {
		case b != BackendNVML && b != BackendSysfs && b != BackendFake:
			bad("backends", c.Backends, "unknown backend %q; use %q, %q or %q", b, BackendNVML, BackendSysfs, BackendFake)
		case seen[b]:
			bad("backends", c.Backends, "%q is listed twice", b)
		}
		seen[b] = true
	}
	if seen[BackendFake] && c.FakeDevicesFile == "" {
		bad("fake_devices_file", c.FakeDevicesFile, "the fake backend needs the path of its JSON file")
	}
	if !seen[BackendFake] && c.FakeDevicesFile != "" {
		bad("fake_devices_file", c.FakeDevicesFile, "set, but %q is not in backends", BackendFake)
	}
	if seen[BackendSysfs] && c.SysfsRoot == "" {
		bad("sysfs_root", c.SysfsRoot, "must name the sysfs mount, normally %q", defaultSysfsRoot)
	}
	for _, id := range c.IgnoredGPUIDs {
		if strings.TrimSpace(id) == "" {
			bad("ignored_gpu_ids", c.IgnoredGPUIDs, "holds an empty ID")
		}
		s.ignored[id] = true
	}

	period, err := time.ParseDuration(c.FingerprintPeriod)
	switch {
	case err != nil:
		bad("fingerprint_period", c.FingerprintPeriod, "not a duration such as \"30s\" or \"1m\"")
	case period < minFingerprintPeriod:
		bad("fingerprint_period", c.FingerprintPeriod, "must be at least %v", minFingerprintPeriod)
	}
	s.period = period

	if c.SharesPerGPU < 1 || c.SharesPerGPU > maxSharesPerGPU {
		bad("shares_per_gpu", c.SharesPerGPU, "must be 1 (whole GPUs) to %d", maxSharesPerGPU)
	}

	if c.HealthRecovery == "never" {
		s.recovery = inventory.Recovery{Never: true}
	} else if d, err := time.ParseDuration(c.HealthRecovery); err != nil || d < 0 {
		bad("health_recovery", c.HealthRecovery, "use \"never\" or a duration such as \"5m\" (\"0s\" recovers at the first clean scan)")
	} else {
		s.recovery = inventory.Recovery{After: d}
	}

	if c.MaxTemperature < 0 || c.MaxTemperature > 150 {
		bad("max_temperature", c.MaxTemperature, "must be 0 (each GPU's own limit) to 150 °C")
	}
	return s, errors.Join(errs...)
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
