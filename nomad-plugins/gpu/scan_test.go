package gpu

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	log "github.com/hashicorp/go-hclog"

	"github.com/dec2-cloud/dec2/nomad-plugins/gpu/fake"
	"github.com/dec2-cloud/dec2/nomad-plugins/gpu/gpuconfig"
	"github.com/dec2-cloud/dec2/nomad-plugins/gpu/inventory"
)

// memBackend serves GPUs from memory, failing when told to.
type memBackend struct {
	name string
	gpus []inventory.GPU
	err  error
}

func (m *memBackend) Name() string { return m.name }
func (m *memBackend) Scan(context.Context) ([]inventory.GPU, error) {
	return m.gpus, m.err
}
func (m *memBackend) Sample(_ context.Context, ids []string) (map[string]inventory.Sample, error) {
	out := map[string]inventory.Sample{}
	for _, id := range ids {
		var s inventory.Sample
		s.Set(inventory.Utilization, float64(len(id)))
		out[id] = s
	}
	return out, m.err
}
func (m *memBackend) Close() error { return nil }

// configured is a plugin validated from a real config whose backends the test supplies.
func configured(t *testing.T, shares int, ignored []string, backends ...Backend) *Plugin {
	t.Helper()
	cfg := gpuconfig.DefaultConfig()
	cfg.Backends, cfg.SysfsRoot = []string{gpuconfig.BackendSysfs}, t.TempDir() // an empty tree: no GPUs
	cfg.SharesPerGPU, cfg.IgnoredGPUIDs, cfg.HealthRecovery = shares, ignored, "1m"
	p := New(log.NewNullLogger())
	if err := p.Configure(cfg); err != nil {
		t.Fatal(err)
	}
	p.backends = backends
	return p
}

func TestScanMergesBackendsAndHidesIgnored(t *testing.T) {
	nv := &memBackend{name: "nvml", gpus: []inventory.GPU{
		{ID: "GPU-1", Vendor: "nvidia", Model: "A100-80GB", MemoryMiB: 81920},
		{ID: "GPU-2", Vendor: "nvidia", Model: "A100-80GB", MemoryMiB: 81920, PCIBusID: "0000:0f:00.0"},
		{ID: "GPU-3", Vendor: "nvidia", Model: "A100-80GB", MemoryMiB: 81920, MIG: true, MIGInstances: []inventory.MIGInstance{
			{ID: "MIG-a", Profile: "3g.40gb", MemoryMiB: 40192}, {ID: "MIG-b", Profile: "3g.40gb", MemoryMiB: 40192}}},
	}}
	other := &memBackend{name: "fake", gpus: []inventory.GPU{
		{ID: "GPU-1", Vendor: "nvidia", Model: "A100-80GB"}, // the same card twice: the first backend wins
		{ID: "0000:03:00.0", Vendor: "amd", Model: "Radeon-RX-7900-XTX", MemoryMiB: 24560, RenderNode: "/dev/dri/renderD128"},
	}}
	p := configured(t, 4, []string{"0000:0f:00.0", "MIG-b"}, nv, other)
	groups := p.Scan(context.Background(), time.Now())
	var got []string
	for _, g := range groups {
		for _, d := range g.Devices {
			got = append(got, g.Type+" "+g.Name+" "+d.ID)
		}
	}
	want := "gpu-share Radeon-RX-7900-XTX 0000:03:00.0/share-1 .. gpu A100-80GB-MIG-3g.40gb MIG-a .. gpu-share A100-80GB GPU-1/share-1"
	joined := strings.Join(got, " | ")
	for _, w := range strings.Split(want, " .. ") {
		if !strings.Contains(joined, w) {
			t.Errorf("devices %s\nlack %q", joined, w)
		}
	}
	if len(got) != 4+1+4 {
		t.Errorf("got %d devices, want 4 AMD shares, 1 MIG instance, 4 shares of GPU-1: %s", len(got), joined)
	}

	r, err := p.Reserve([]string{"GPU-1/share-3", "MIG-a"})
	if err != nil || r.Envs["NVIDIA_VISIBLE_DEVICES"] != "GPU-1,MIG-a" {
		t.Errorf("reserve: %+v, %v", r, err)
	}
	if _, err := p.Reserve([]string{"MIG-b"}); err == nil {
		t.Error("an ignored MIG instance must not be reservable")
	}

	// Shares say how many one card was split into (billing divides the card's price by it);
	// MIG instances are not shares.
	for _, dg := range fingerprintResponse(groups).Devices {
		got, want := "none", "none"
		if a := dg.Attributes[AttrShares]; a != nil {
			got = a.GoString()
		}
		if dg.Type == inventory.TypeShare {
			want = "4"
		}
		if got != want {
			t.Errorf("%s/%s attribute %s = %s, want %s", dg.Type, dg.Name, AttrShares, got, want)
		}
	}

	groups, samples := p.Sample(context.Background())
	for _, gs := range groupStats(groups, samples, time.Now()) {
		if gs.Name != "A100-80GB" {
			continue
		}
		u := gs.InstanceStats["GPU-1/share-3"].Stats.Attributes["utilization"]
		if u == nil || *u.FloatNumeratorVal != float64(len("GPU-1")) {
			t.Errorf("a share reports its card's stats, got %+v", u)
		}
	}
}

func TestFailingBackendMarksItsGPUsUnhealthy(t *testing.T) {
	b := &memBackend{name: "fake", gpus: []inventory.GPU{{ID: "GPU-1", Vendor: "nvidia", Model: "A100-80GB", MemoryMiB: 81920}}}
	p := configured(t, 1, nil, b)
	t0 := time.Now()
	if d := p.Scan(context.Background(), t0)[0].Devices[0]; !d.Healthy {
		t.Fatalf("%+v", d)
	}
	b.gpus, b.err = nil, errors.New("file is gone")
	groups := p.Scan(context.Background(), t0.Add(time.Second))
	if len(groups) != 1 || groups[0].Devices[0].Healthy || !strings.Contains(groups[0].Devices[0].HealthReason, "file is gone") {
		t.Fatalf("a backend that fails keeps its GPUs, unhealthy: %+v", groups)
	}
	b.gpus, b.err = []inventory.GPU{{ID: "GPU-1", Vendor: "nvidia", Model: "A100-80GB", MemoryMiB: 81920}}, nil
	if d := p.Scan(context.Background(), t0.Add(2*time.Second))[0].Devices[0]; d.Healthy {
		t.Error("recovery waits health_recovery (a minute here)")
	}
	if d := p.Scan(context.Background(), t0.Add(62*time.Second))[0].Devices[0]; !d.Healthy {
		t.Error("a minute after the last failure the GPU is healthy again")
	}
}

func TestAgentHCL(t *testing.T) {
	cfg := gpuconfig.DefaultConfig()
	cfg.Backends, cfg.FakeDevicesFile, cfg.IgnoredGPUIDs = []string{gpuconfig.BackendFake}, `/etc/dec2/"gpus".json`, []string{"GPU-1", "MIG-2"}
	want := `plugin "dec2-gpu" {
  config {
    enabled = true
    backends = ["fake"]
    fake_devices_file = "/etc/dec2/\"gpus\".json"
    sysfs_root = "/sys"
    ignored_gpu_ids = ["GPU-1", "MIG-2"]
    fingerprint_period = "1m"
    shares_per_gpu = 1
    health_recovery = "5m"
    max_temperature = 0
  }
}
`
	if got := cfg.AgentHCL(); got != want {
		t.Errorf("AgentHCL:\n%s\nwant\n%s", got, want)
	}
}

// Nomad drives fingerprints, stats and reservations at once; under -race this checks they share
// the plugin's state safely.
func TestConcurrentFingerprintStatsReserve(t *testing.T) {
	cfg := gpuconfig.DefaultConfig()
	cfg.Backends, cfg.FakeDevicesFile = []string{gpuconfig.BackendFake}, "testdata/mixed.json"
	cfg.FingerprintPeriod, cfg.SharesPerGPU = "100ms", 2
	p := New(log.NewNullLogger())
	if err := p.Configure(cfg); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	fp, err := p.Fingerprint(ctx)
	if err != nil {
		t.Fatal(err)
	}
	stats, err := p.Stats(ctx, 10*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	first := <-fp
	if len(first.Devices) != 2 {
		t.Fatalf("fingerprint %+v", first)
	}
	var reserved, sampled int
	for ctx.Err() == nil {
		select {
		case s, ok := <-stats:
			if ok && len(s.Groups) == 2 {
				sampled++
			}
		case <-fp:
		case <-time.After(5 * time.Millisecond):
			if r, err := p.Reserve([]string{"MIG-aaaa-0001", "0000:03:00.0/share-2"}); err == nil && len(r.Devices) == 2 {
				reserved++
			}
		}
	}
	if reserved == 0 || sampled == 0 {
		t.Errorf("reserved %d times, sampled %d times; want both", reserved, sampled)
	}
}

// Through the fake backend: a GPU removed from the file is kept, unhealthy, and recovers a
// health_recovery after the last scan that missed it.
func TestVanishedGPURecoversAfterHealthRecovery(t *testing.T) {
	t0 := time.Date(2026, 11, 24, 21, 0, 0, 0, time.UTC)
	file := filepath.Join(t.TempDir(), "gpus.json")
	p := configured(t, 1, nil, fake.New(file))
	write := func(ids ...string) {
		var gpus []string
		for _, id := range ids {
			gpus = append(gpus, `{"id": "`+id+`", "vendor": "amd", "model": "Radeon-RX-7900-XTX", "memory_mib": 24560}`)
		}
		if err := fake.WriteFile(file, []byte(`{"gpus": [`+strings.Join(gpus, ",")+`]}`)); err != nil {
			t.Fatal(err)
		}
	}
	device := func(at time.Duration, id string) inventory.Device {
		t.Helper()
		groups := p.Scan(context.Background(), t0.Add(at))
		if len(groups) != 1 {
			t.Fatalf("at %v: groups %+v", at, groups)
		}
		for _, d := range groups[0].Devices {
			if d.ID == id {
				return d
			}
		}
		t.Fatalf("at %v: %s is not exposed: %+v", at, id, groups[0].Devices)
		return inventory.Device{}
	}

	write("0000:03:00.0", "0000:04:00.0")
	if d := device(0, "0000:04:00.0"); !d.Healthy {
		t.Fatalf("%+v", d)
	}
	write("0000:03:00.0")
	for _, at := range []time.Duration{time.Second, 2 * time.Second} {
		d := device(at, "0000:04:00.0")
		if d.Healthy || !d.Vanished || d.HealthReason != "GPU 0000:04:00.0 vanished from the fake scan at 2026-11-24T21:00:01Z" {
			t.Errorf("at %v: %+v", at, d)
		}
	}
	write("0000:03:00.0", "0000:04:00.0")
	if d := device(61*time.Second, "0000:04:00.0"); d.Healthy || d.Vanished {
		t.Errorf("back, but 59 s after it was last missed (health_recovery 1m): %+v", d)
	}
	if d := device(62*time.Second, "0000:04:00.0"); !d.Healthy {
		t.Errorf("a minute after it was last missed: %+v", d)
	}
}
