package inventory

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"
)

func a100(id string) GPU {
	return GPU{ID: id, Vendor: VendorNVIDIA, Model: "A100-80GB", MemoryMiB: 81920, ComputeCapability: "8.0",
		DriverVersion: "550.54.15", PCIBusID: "0000:07:00.0", PowerLimitW: 400}
}

func TestExposeWholeGPUsGroupsByModel(t *testing.T) {
	rtx := GPU{ID: "GPU-c", Vendor: VendorNVIDIA, Model: "RTX4090", MemoryMiB: 24564, PowerLimitW: 450}
	groups := Layout{SharesPerGPU: 1}.Expose([]GPU{a100("GPU-b"), rtx, a100("GPU-a")}, nil)
	if len(groups) != 2 {
		t.Fatalf("got %d groups, want 2: %+v", len(groups), groups)
	}
	g := groups[0]
	if g.Name != "A100-80GB" || g.Type != TypeGPU || g.MemoryMiB != 81920 || g.Fraction != 1 || g.Model != "A100-80GB" {
		t.Errorf("A100 group = %+v", g)
	}
	if len(g.Devices) != 2 || g.Devices[0].ID != "GPU-a" || g.Devices[1].ID != "GPU-b" || !g.Devices[0].Healthy {
		t.Errorf("A100 devices = %+v", g.Devices)
	}
	if groups[1].Name != "RTX4090" || len(groups[1].Devices) != 1 {
		t.Errorf("RTX group = %+v", groups[1])
	}
}

func TestExposeGroupTakesSmallestNumbers(t *testing.T) {
	x, y := a100("GPU-a"), a100("GPU-b")
	y.MemoryMiB, y.PowerLimitW = 80000, 300
	g := Layout{SharesPerGPU: 1}.Expose([]GPU{x, y}, nil)[0]
	if g.MemoryMiB != 80000 || g.PowerLimitW != 300 {
		t.Errorf("memory %d power %d, want the smaller 80000 and 300", g.MemoryMiB, g.PowerLimitW)
	}
}

func TestExposeSharesDivideMemory(t *testing.T) {
	health := map[string]Health{"GPU-a": {Reason: "Xid 79"}}
	groups := Layout{SharesPerGPU: 3}.Expose([]GPU{a100("GPU-a")}, health)
	if len(groups) != 1 {
		t.Fatalf("groups = %+v", groups)
	}
	g := groups[0]
	if g.Type != TypeShare || g.Name != "A100-80GB" || g.MemoryMiB != 27306 || g.Fraction != 1.0/3 || g.Shares != 3 {
		t.Errorf("share group = %+v, want gpu-share of 81920/3 = 27306 MiB", g)
	}
	var ids []string
	for _, d := range g.Devices {
		ids = append(ids, d.ID)
		if d.GPU != "GPU-a" || d.VisibleID != "GPU-a" || d.Healthy || d.HealthReason != "Xid 79" {
			t.Errorf("share %+v must map to GPU-a and carry its health", d)
		}
	}
	if want := []string{"GPU-a/share-1", "GPU-a/share-2", "GPU-a/share-3"}; !reflect.DeepEqual(ids, want) {
		t.Errorf("share IDs %v, want %v", ids, want)
	}
}

func TestExposeMIGInstancesNotWholeCard(t *testing.T) {
	g := a100("GPU-a")
	g.MIG = true
	g.MIGInstances = []MIGInstance{
		{ID: "MIG-1", Profile: "3g.40gb", MemoryMiB: 40192},
		{ID: "MIG-2", Profile: "3g.40gb", MemoryMiB: 40192},
	}
	groups := Layout{SharesPerGPU: 4}.Expose([]GPU{g}, nil)
	if len(groups) != 1 {
		t.Fatalf("a MIG GPU must expose only its instances, got %+v", groups)
	}
	m := groups[0]
	if m.Type != TypeGPU || m.Name != "A100-80GB-MIG-3g.40gb" || !m.MIG || m.MIGProfile != "3g.40gb" ||
		m.MemoryMiB != 40192 || m.Fraction != 0.4906 || len(m.Devices) != 2 {
		t.Errorf("MIG group = %+v", m)
	}
	if d := m.Devices[1]; d.ID != "MIG-2" || d.VisibleID != "MIG-2" || d.GPU != "GPU-a" {
		t.Errorf("MIG device = %+v", d)
	}
}

func TestReserve(t *testing.T) {
	amd := GPU{ID: "0000:03:00.0", Vendor: VendorAMD, Model: "Radeon-RX-7900-XTX", MemoryMiB: 24560, RenderNode: "/dev/dri/renderD128"}
	intel := GPU{ID: "0000:04:00.0", Vendor: VendorIntel, Model: "pci-56a0", RenderNode: "/dev/dri/renderD129"}
	mig := a100("GPU-m")
	mig.MIG, mig.MIGInstances = true, []MIGInstance{{ID: "MIG-x", Profile: "1g.10gb", MemoryMiB: 9856}}
	idx := NewIndex(Layout{SharesPerGPU: 2}.Expose([]GPU{a100("GPU-a"), a100("GPU-b"), mig, amd, intel}, nil))

	r, err := idx.Reserve([]string{"GPU-a/share-1", "GPU-a/share-2", "GPU-b/share-2", "MIG-x"})
	if err != nil {
		t.Fatal(err)
	}
	if got := r.Env["NVIDIA_VISIBLE_DEVICES"]; got != "GPU-a,GPU-b,MIG-x" {
		t.Errorf("NVIDIA_VISIBLE_DEVICES = %q, want each card once and the MIG UUID", got)
	}
	r, err = idx.Reserve([]string{"0000:03:00.0/share-1", "0000:04:00.0/share-2"})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"/dev/dri/renderD128", KFD, "/dev/dri/renderD129"}; !reflect.DeepEqual(r.DeviceNodes, want) || r.Env != nil {
		t.Errorf("reservation %+v, want nodes %v and no env", r, want)
	}

	_, err = idx.Reserve([]string{"GPU-a/share-1", "GPU-gone", "GPU-a"})
	if err == nil || !strings.Contains(err.Error(), "GPU-gone, GPU-a (this node has") {
		t.Errorf("unknown IDs: err = %v, want both named", err)
	}
	if _, err := idx.Reserve(nil); err == nil {
		t.Error("reserving nothing must fail")
	}
}

func TestHealthTransitions(t *testing.T) {
	t0 := time.Unix(1_700_000_000, 0)
	bad := a100("GPU-a")
	bad.Faults = []string{"Xid 79: GPU has fallen off the bus"}
	good := a100("GPU-a")

	h := NewHealthTracker(Recovery{After: time.Minute})
	steps := []struct {
		at      time.Duration
		gpu     GPU
		healthy bool
	}{
		{0, good, true},
		{10 * time.Second, bad, false},
		{30 * time.Second, good, false},  // fault seen 20 s ago: still within the minute
		{69 * time.Second, good, false},  // 59 s
		{70 * time.Second, good, true},   // a minute without a fault: recovered
		{80 * time.Second, bad, false},   // fails again
		{200 * time.Second, bad, false},  // a persisting fault keeps it down
		{259 * time.Second, good, false}, // 59 s after the last sighting
		{260 * time.Second, good, true},
	}
	for _, s := range steps {
		_, health := h.Observe(t0.Add(s.at), []GPU{s.gpu})
		got := health["GPU-a"]
		if got.Healthy != s.healthy {
			t.Fatalf("at %v: healthy = %v, want %v (%+v)", s.at, got.Healthy, s.healthy, got)
		}
		if !got.Healthy && got.Reason != bad.Faults[0] {
			t.Errorf("at %v: reason %q", s.at, got.Reason)
		}
	}

	never := NewHealthTracker(Recovery{Never: true})
	never.Observe(t0, []GPU{bad})
	if _, health := never.Observe(t0.Add(24*time.Hour), []GPU{good}); health["GPU-a"].Healthy {
		t.Error("with recovery never, a faulted GPU must stay unhealthy")
	}
}

func TestVanishedGPUStaysUnhealthy(t *testing.T) {
	t0 := time.Date(2026, 11, 24, 21, 0, 0, 0, time.UTC)
	a, b := a100("GPU-a"), a100("GPU-b")
	a.Backend, b.Backend = "nvml", "nvml"
	b.PCIBusID = "0000:0f:00.0"
	const reason = "GPU GPU-a (0000:07:00.0) vanished from the nvml scan at 2026-11-24T21:00:10Z"
	type step struct {
		at      time.Duration
		present bool // GPU-a in the scan; GPU-b always is
		healthy bool
	}
	for _, c := range []struct {
		name     string
		recovery Recovery
		steps    []step
	}{
		{"recovers at the first scan back", Recovery{}, []step{
			{0, true, true}, {10 * time.Second, false, false}, {20 * time.Second, false, false},
			{30 * time.Second, true, true},
		}},
		{"recovers a minute after the last scan it was missing from", Recovery{After: time.Minute}, []step{
			{0, true, true}, {10 * time.Second, false, false}, {20 * time.Second, false, false},
			{30 * time.Second, true, false}, {79 * time.Second, true, false}, {80 * time.Second, true, true},
		}},
		{"never recovers", Recovery{Never: true}, []step{
			{0, true, true}, {10 * time.Second, false, false}, {30 * time.Second, true, false},
			{24 * time.Hour, true, false},
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			h := NewHealthTracker(c.recovery)
			for _, s := range c.steps {
				scan := []GPU{b}
				if s.present {
					scan = []GPU{a, b}
				}
				gpus, health := h.Observe(t0.Add(s.at), scan)
				if len(gpus) != 2 || gpus[0].ID != "GPU-a" || gpus[0].Model != "A100-80GB" || gpus[0].MemoryMiB != 81920 {
					t.Fatalf("at %v: exposed %+v, want GPU-a as last seen, then GPU-b", s.at, gpus)
				}
				got := health["GPU-a"]
				if got.Healthy != s.healthy || got.Vanished != (!s.present) || !health["GPU-b"].Healthy {
					t.Fatalf("at %v: GPU-a %+v, want healthy %v, vanished %v; GPU-b %+v", s.at, got, s.healthy, !s.present, health["GPU-b"])
				}
				// The reason names the first scan that missed it, so it does not change (and
				// is not re-sent to Nomad) on every scan.
				if !got.Healthy && got.Reason != reason {
					t.Errorf("at %v: reason %q, want %q", s.at, got.Reason, reason)
				}
			}
		})
	}
}

func TestVanishedGPUIsListedNotReservable(t *testing.T) {
	t0 := time.Now()
	amd := GPU{ID: "0000:03:00.0", PCIBusID: "0000:03:00.0", Vendor: VendorAMD, Model: "Radeon-RX-7900-XTX",
		MemoryMiB: 24560, RenderNode: "/dev/dri/renderD128", Backend: "sysfs"}
	h := NewHealthTracker(Recovery{})
	h.Observe(t0, []GPU{amd})
	gpus, health := h.Observe(t0.Add(time.Second), nil)
	groups := Layout{SharesPerGPU: 2}.Expose(gpus, health)
	if len(groups) != 1 || len(groups[0].Devices) != 2 {
		t.Fatalf("a vanished GPU keeps its devices in its group: %+v", groups)
	}
	d := groups[0].Devices[0]
	if d.Healthy || !d.Vanished || !strings.HasPrefix(d.HealthReason, "GPU 0000:03:00.0 vanished from the sysfs scan at ") {
		t.Errorf("share of a vanished GPU: %+v", d)
	}
	_, err := NewIndex(groups).Reserve([]string{"0000:03:00.0/share-1"})
	if err == nil || !strings.Contains(err.Error(), "vanished GPU device IDs 0000:03:00.0/share-1 (this node has none)") {
		t.Errorf("reserving a vanished GPU: err = %v, want it named", err)
	}
}

func TestSampleJSON(t *testing.T) {
	var s Sample
	s.Set(Utilization, 37)
	s.Set(MemoryUsed, 1024.5)
	if _, ok := s.Get(Power); ok {
		t.Error("power was never set")
	}
	b, err := json.Marshal(s)
	if err != nil || string(b) != `{"utilization":37,"memory_used":1024.5}` {
		t.Errorf("json %s, %v", b, err)
	}
}

func TestModelName(t *testing.T) {
	for raw, want := range map[string]string{
		"NVIDIA A100-SXM4-80GB":                "A100-SXM4-80GB",
		"NVIDIA GeForce RTX 4090":              "GeForce-RTX-4090",
		"AMD Radeon RX 7900 XTX":               "Radeon-RX-7900-XTX",
		" Intel(R) Arc(TM) A770 Graphics ":     "Arc-TM-A770-Graphics",
		"Navi 31 [Radeon RX 7900 XT/7900 XTX]": "Navi-31-Radeon-RX-7900-XT-7900-XTX",
		"":                                     "",
	} {
		if got := ModelName(raw); got != want {
			t.Errorf("ModelName(%q) = %q, want %q", raw, got, want)
		}
	}
}
