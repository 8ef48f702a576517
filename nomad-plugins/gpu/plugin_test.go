package gpu_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	log "github.com/hashicorp/go-hclog"
	"github.com/hashicorp/nomad/helper/pluginutils/loader"
	"github.com/hashicorp/nomad/nomad/structs/config"
	"github.com/hashicorp/nomad/plugins"
	"github.com/hashicorp/nomad/plugins/base"
	"github.com/hashicorp/nomad/plugins/device"

	"github.com/dec2-cloud/dec2/nomad-plugins/gpu"
	"github.com/dec2-cloud/dec2/nomad-plugins/gpu/fake"
)

// servePluginEnv makes this test binary serve the plugin, so the loader can start it as a
// plugin process the way a Nomad client starts dec2-gpu from plugin_dir.
const servePluginEnv = "DEC2_GPU_TEST_SERVE_PLUGIN"

func TestMain(m *testing.M) {
	if os.Getenv(servePluginEnv) == "1" {
		plugins.Serve(func(logger log.Logger) interface{} { return gpu.New(logger) })
		os.Exit(0)
	}
	os.Exit(m.Run())
}

const twoA100 = `{"gpus": [
  {"id": "GPU-1", "vendor": "nvidia", "model": "A100-80GB", "memory_mib": 81920, "compute_capability": "8.0",
   "driver_version": "550.54.15", "pci_bus_id": "0000:07:00.0", "power_limit_w": 400,
   "stats": {"utilization": 35, "memory_used_mib": 2048, "temperature_c": 41, "power_w": 95}},
  {"id": "GPU-2", "vendor": "nvidia", "model": "A100-80GB", "memory_mib": 81920, "compute_capability": "8.0",
   "driver_version": "550.54.15", "pci_bus_id": "0000:0f:00.0", "power_limit_w": 400%s}
]}`

func writeFile(t *testing.T, path, data string) {
	t.Helper()
	if err := fake.WriteFile(path, []byte(data)); err != nil {
		t.Fatal(err)
	}
}

// dispense starts the plugin through Nomad's plugin loader (go-plugin over a subprocess, the
// agent's HCL config decoded against the plugin's schema, SetConfig) and returns it.
func dispense(t *testing.T, cfg map[string]interface{}) (device.DevicePlugin, error) {
	t.Helper()
	t.Setenv(servePluginEnv, "1")
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.Symlink(exe, filepath.Join(dir, gpu.Name)); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { reapPlugins(t, filepath.Join(dir, gpu.Name)) })
	logger := log.New(&log.LoggerOptions{Name: "loader", Level: log.Warn, Output: os.Stderr})
	l, err := loader.NewPluginLoader(&loader.PluginLoaderConfig{
		Logger:            logger,
		PluginDir:         dir,
		Configs:           []*config.PluginConfig{{Name: gpu.Name, Config: cfg}},
		SupportedVersions: loader.AgentSupportedApiVersions,
	})
	if err != nil {
		return nil, err
	}
	inst, err := l.Dispense(gpu.Name, base.PluginTypeDevice, &base.AgentConfig{}, logger)
	if err != nil {
		return nil, err
	}
	t.Cleanup(inst.Kill)
	return inst.Plugin().(device.DevicePlugin), nil
}

// reapPlugins kills this process's children started from exe. When SetConfig fails, Nomad's
// loader returns no instance, so nothing else would stop that plugin process.
func reapPlugins(t *testing.T, exe string) {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		t.Logf("reaping plugins: %v", err)
		return
	}
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		cmdline, err1 := os.ReadFile("/proc/" + e.Name() + "/cmdline")
		stat, err2 := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err1 != nil || err2 != nil || !strings.HasPrefix(string(cmdline), exe+"\x00") {
			continue
		}
		// stat is "pid (comm) state ppid …"; comm may hold spaces.
		fields := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+1:]))
		if len(fields) < 2 || fields[1] != strconv.Itoa(os.Getpid()) {
			continue
		}
		if p, err := os.FindProcess(pid); err == nil {
			_ = p.Kill()
			_, _ = p.Wait()
		}
	}
}

func next[T any](t *testing.T, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v, ok := <-ch:
		if !ok {
			t.Fatalf("%s: stream closed", what)
		}
		return v
	case <-time.After(10 * time.Second):
		t.Fatalf("%s: nothing within 10s", what)
	}
	var zero T
	return zero
}

func TestPluginThroughNomadLoader(t *testing.T) {
	file := filepath.Join(t.TempDir(), "gpus.json")
	writeFile(t, file, strings.Replace(twoA100, "%s", "", 1))
	p, err := dispense(t, map[string]interface{}{
		"backends":          []interface{}{"fake", "nvml"},
		"fake_devices_file": file,
		// No libnvidia-ml there: the NVIDIA backend turns itself off and the fake GPUs are
		// all there is, on any machine.
		"nvml_library":       "/nonexistent/libnvidia-ml.so.1",
		"fingerprint_period": "100ms",
		"health_recovery":    "0s",
	})
	if err != nil {
		t.Fatal(err)
	}
	info, err := p.PluginInfo()
	if err != nil || info.Name != gpu.Name || info.Type != base.PluginTypeDevice {
		t.Fatalf("plugin info %+v, %v", info, err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	fp, err := p.Fingerprint(ctx)
	if err != nil {
		t.Fatal(err)
	}
	first := next(t, fp, "first fingerprint")
	if first.Error != nil || len(first.Devices) != 1 {
		t.Fatalf("first fingerprint: %+v", first)
	}
	g := first.Devices[0]
	if g.Vendor != "nvidia" || g.Type != "gpu" || g.Name != "A100-80GB" || len(g.Devices) != 2 {
		t.Fatalf("group %+v", g)
	}
	if mem := g.Attributes[gpu.AttrMemory]; mem == nil || mem.GoString() != "81920MiB" {
		t.Errorf("memory attribute %#v, want 81920 MiB", mem)
	}
	for name, want := range map[string]string{gpu.AttrComputeCapability: "8.0", gpu.AttrDriverVersion: "550.54.15",
		gpu.AttrPowerLimit: "400W", gpu.AttrMIG: "false", gpu.AttrModel: "A100-80GB", gpu.AttrFraction: "1"} {
		if a := g.Attributes[name]; a == nil || a.GoString() != want {
			t.Errorf("attribute %s = %#v, want %s", name, a, want)
		}
	}
	if a := g.Attributes[gpu.AttrShares]; a != nil {
		t.Errorf("a whole GPU has attribute %s = %#v", gpu.AttrShares, a)
	}
	if d := g.Devices[0]; d.ID != "GPU-1" || !d.Healthy || d.HwLocality == nil || d.HwLocality.PciBusID != "0000:07:00.0" {
		t.Errorf("device %+v", d)
	}

	r, err := p.Reserve([]string{"GPU-2", "GPU-1"})
	if err != nil || r.Envs["NVIDIA_VISIBLE_DEVICES"] != "GPU-2,GPU-1" {
		t.Errorf("reserve: %+v, %v", r, err)
	}
	if _, err := p.Reserve([]string{"GPU-1", "GPU-9"}); err == nil || !strings.Contains(err.Error(), "GPU-9") {
		t.Errorf("reserving an unknown device: err = %v, want it named", err)
	}

	stats, err := p.Stats(ctx, 100*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	s := next(t, stats, "stats")
	if s.Error != nil || len(s.Groups) != 1 {
		t.Fatalf("stats %+v", s)
	}
	ds := s.Groups[0].InstanceStats["GPU-1"]
	if ds == nil || ds.Summary == nil || *ds.Summary.FloatNumeratorVal != 2048 || *ds.Summary.FloatDenominatorVal != 81920 {
		t.Fatalf("GPU-1 stats %+v", ds)
	}
	if u := ds.Stats.Attributes["utilization"]; u == nil || *u.FloatNumeratorVal != 35 {
		t.Errorf("utilization %+v", u)
	}

	// A fault in the file: the next fingerprint carries GPU-2 unhealthy, with the reason.
	writeFile(t, file, strings.Replace(twoA100, "%s", `, "faults": ["Xid 79: GPU has fallen off the bus"]`, 1))
	changed := next(t, fp, "fingerprint after the fault")
	d2 := changed.Devices[0].Devices[1]
	if d2.ID != "GPU-2" || d2.Healthy || d2.HealthDesc != "Xid 79: GPU has fallen off the bus" {
		t.Errorf("after the fault: %+v", d2)
	}
	writeFile(t, file, strings.Replace(twoA100, "%s", "", 1))
	if d2 := next(t, fp, "fingerprint after recovery").Devices[0].Devices[1]; !d2.Healthy {
		t.Errorf("with health_recovery 0s the GPU is healthy at the next clean scan: %+v", d2)
	}
	// Nothing changes: nothing is sent.
	select {
	case f := <-fp:
		t.Errorf("an unchanged fingerprint was streamed: %+v", f)
	case <-time.After(500 * time.Millisecond):
	}
}

func TestConfigErrorsNameTheField(t *testing.T) {
	for _, c := range []struct {
		cfg  map[string]interface{}
		want string
	}{
		{map[string]interface{}{"shares_per_gpu": 0}, "shares_per_gpu = 0"},
		{map[string]interface{}{"backends": []interface{}{"cuda"}}, `unknown backend "cuda"`},
		{map[string]interface{}{"backends": []interface{}{"fake"}}, "fake_devices_file"},
		{map[string]interface{}{"fingerprint_period": "often"}, "fingerprint_period"},
		{map[string]interface{}{"health_recovery": "-1m"}, "health_recovery"},
		{map[string]interface{}{"max_temperature": 900}, "max_temperature"},
		{map[string]interface{}{"shares_per_gpu": "lots"}, "shares_per_gpu"}, // the loader's type check
		{map[string]interface{}{"colour": "red"}, "colour"},
	} {
		_, err := dispense(t, c.cfg)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("config %v: err = %v, want it to name %q", c.cfg, err, c.want)
		}
	}
}

func TestDisabledPlugin(t *testing.T) {
	p, err := dispense(t, map[string]interface{}{"enabled": false})
	if err != nil {
		t.Fatal(err)
	}
	// Over gRPC the plugin's error arrives as the stream's first response; the client then
	// stops fingerprinting the plugin.
	fp, err := p.Fingerprint(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if r := next(t, fp, "fingerprint"); r.Error == nil || !strings.Contains(r.Error.Error(), device.ErrPluginDisabled.Error()) {
		t.Errorf("fingerprint of a disabled plugin: %+v", r)
	}
}

// A GPU missing from the devices file stays in its group, unhealthy with the reason, cannot be
// reserved and has no stats; back in the file, it is healthy again (health_recovery 0s).
func TestVanishedGPUThroughNomadLoader(t *testing.T) {
	file := filepath.Join(t.TempDir(), "gpus.json")
	both := strings.Replace(twoA100, "%s", "", 1)
	writeFile(t, file, both)
	p, err := dispense(t, map[string]interface{}{
		"backends":           []interface{}{"fake"},
		"fake_devices_file":  file,
		"fingerprint_period": "100ms",
		"health_recovery":    "0s",
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	fp, err := p.Fingerprint(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if f := next(t, fp, "first fingerprint"); len(f.Devices) != 1 || len(f.Devices[0].Devices) != 2 {
		t.Fatalf("first fingerprint %+v", f)
	}

	// Only GPU-1 is left in the file.
	before := time.Now().UTC().Truncate(time.Second)
	writeFile(t, file, both[:strings.Index(both, `},`)+1]+"]}")
	f := next(t, fp, "fingerprint after GPU-2 vanished")
	if f.Error != nil || len(f.Devices) != 1 || len(f.Devices[0].Devices) != 2 {
		t.Fatalf("GPU-2 must stay in its group: %+v", f)
	}
	d1, d2 := f.Devices[0].Devices[0], f.Devices[0].Devices[1]
	const prefix = "GPU GPU-2 (0000:0f:00.0) vanished from the fake scan at "
	if !d1.Healthy || d2.ID != "GPU-2" || d2.Healthy || !strings.HasPrefix(d2.HealthDesc, prefix) {
		t.Fatalf("after GPU-2 vanished: %+v, %+v", d1, d2)
	}
	at, err := time.Parse(time.RFC3339, strings.TrimPrefix(d2.HealthDesc, prefix))
	if err != nil || at.Before(before) || at.After(time.Now()) {
		t.Errorf("vanishing time %q (%v), want between %v and now", d2.HealthDesc, err, before)
	}
	if d2.HwLocality == nil || d2.HwLocality.PciBusID != "0000:0f:00.0" {
		t.Errorf("a vanished GPU keeps its locality: %+v", d2.HwLocality)
	}
	if _, err := p.Reserve([]string{"GPU-2"}); err == nil || !strings.Contains(err.Error(), "vanished GPU device IDs GPU-2") {
		t.Errorf("reserving a vanished GPU: err = %v, want it named", err)
	}
	stats, err := p.Stats(ctx, 100*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	if s := next(t, stats, "stats"); len(s.Groups) != 1 || s.Groups[0].InstanceStats["GPU-1"] == nil || s.Groups[0].InstanceStats["GPU-2"] != nil {
		t.Errorf("stats %+v, want GPU-1's only", s.Groups)
	}
	// Missing on later scans changes nothing: the reason keeps the first scan's time.
	select {
	case f := <-fp:
		t.Errorf("a GPU still missing changed the fingerprint: %+v", f)
	case <-time.After(1500 * time.Millisecond):
	}

	writeFile(t, file, both)
	if d2 := next(t, fp, "fingerprint after GPU-2 came back").Devices[0].Devices[1]; !d2.Healthy || d2.HealthDesc != "" {
		t.Errorf("back in the file with health_recovery 0s, GPU-2 is healthy: %+v", d2)
	}
	if r, err := p.Reserve([]string{"GPU-2"}); err != nil || r.Envs["NVIDIA_VISIBLE_DEVICES"] != "GPU-2" {
		t.Errorf("reserving GPU-2 once back: %+v, %v", r, err)
	}
}
