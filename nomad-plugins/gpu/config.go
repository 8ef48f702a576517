package gpu

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/nomad/plugins/shared/hclspec"

	"github.com/dec2-cloud/dec2/nomad-plugins/gpu/gpuconfig"
	"github.com/dec2-cloud/dec2/nomad-plugins/gpu/inventory"
)

// configSpec is the HCL schema Nomad parses the config block with.
var configSpec = hclspec.NewObject(map[string]*hclspec.Spec{
	"enabled":            withDefault("enabled", "bool", "true"),
	"backends":           withDefault("backends", "list(string)", `["`+strings.Join(gpuconfig.DefaultBackends, `", "`)+`"]`),
	"fake_devices_file":  hclspec.NewAttr("fake_devices_file", "string", false),
	"sysfs_root":         withDefault("sysfs_root", "string", strconv.Quote(gpuconfig.DefaultSysfsRoot)),
	"nvml_library":       hclspec.NewAttr("nvml_library", "string", false),
	"ignored_gpu_ids":    withDefault("ignored_gpu_ids", "list(string)", "[]"),
	"fingerprint_period": withDefault("fingerprint_period", "string", strconv.Quote(gpuconfig.DefaultFingerprintPeriod)),
	"shares_per_gpu":     withDefault("shares_per_gpu", "number", "1"),
	"health_recovery":    withDefault("health_recovery", "string", strconv.Quote(gpuconfig.DefaultHealthRecovery)),
	"max_temperature":    withDefault("max_temperature", "number", "0"),
})

func withDefault(name, typ, literal string) *hclspec.Spec {
	return hclspec.NewDefault(hclspec.NewAttr(name, typ, false), hclspec.NewLiteral(literal))
}

// settings are a validated gpuconfig.Config in the forms the plugin uses.
type settings struct {
	gpuconfig.Config
	period   time.Duration
	recovery inventory.Recovery
	ignored  map[string]bool
}

// validate checks c; each error names the field at fault and what it takes.
func validate(c gpuconfig.Config) (settings, error) {
	s := settings{Config: c, ignored: map[string]bool{}}
	var errs []error
	bad := func(field string, value any, format string, args ...any) {
		errs = append(errs, fmt.Errorf("dec2-gpu config: %s = %#v: %s", field, value, fmt.Sprintf(format, args...)))
	}

	if len(c.Backends) == 0 {
		bad("backends", c.Backends, "name at least one of %q, %q, %q", gpuconfig.BackendNVML, gpuconfig.BackendSysfs, gpuconfig.BackendFake)
	}
	seen := map[string]bool{}
	for _, b := range c.Backends {
		switch {
		case b != gpuconfig.BackendNVML && b != gpuconfig.BackendSysfs && b != gpuconfig.BackendFake:
			bad("backends", c.Backends, "unknown backend %q; use %q, %q or %q", b, gpuconfig.BackendNVML, gpuconfig.BackendSysfs, gpuconfig.BackendFake)
		case seen[b]:
			bad("backends", c.Backends, "%q is listed twice", b)
		}
		seen[b] = true
	}
	if seen[gpuconfig.BackendFake] && c.FakeDevicesFile == "" {
		bad("fake_devices_file", c.FakeDevicesFile, "the fake backend needs the path of its JSON file")
	}
	if !seen[gpuconfig.BackendFake] && c.FakeDevicesFile != "" {
		bad("fake_devices_file", c.FakeDevicesFile, "set, but %q is not in backends", gpuconfig.BackendFake)
	}
	if seen[gpuconfig.BackendSysfs] && c.SysfsRoot == "" {
		bad("sysfs_root", c.SysfsRoot, "must name the sysfs mount, normally %q", gpuconfig.DefaultSysfsRoot)
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
	case period < gpuconfig.MinFingerprintPeriod:
		bad("fingerprint_period", c.FingerprintPeriod, "must be at least %v", gpuconfig.MinFingerprintPeriod)
	}
	s.period = period

	if c.SharesPerGPU < 1 || c.SharesPerGPU > gpuconfig.MaxSharesPerGPU {
		bad("shares_per_gpu", c.SharesPerGPU, "must be 1 (whole GPUs) to %d", gpuconfig.MaxSharesPerGPU)
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
