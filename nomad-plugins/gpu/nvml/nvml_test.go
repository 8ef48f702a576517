//go:build cgo

package nvml

import (
	"context"
	"strings"
	"sync"
	"testing"

	gonvml "github.com/NVIDIA/go-nvml/pkg/nvml"
	"github.com/NVIDIA/go-nvml/pkg/nvml/mock"
	"github.com/NVIDIA/go-nvml/pkg/nvml/mock/dgxa100"
	"github.com/NVIDIA/go-nvml/pkg/nvml/mock/gpus"
	"github.com/NVIDIA/go-nvml/pkg/nvml/mock/server"

	"github.com/dec2-cloud/dec2/nomad-plugins/gpu/inventory"
)

// rig is go-nvml's mock DGX with the readings the backend asks for, which the mock server
// leaves unset, under the test's control.
type rig struct {
	srv *server.Server
	mu  sync.Mutex
	// per-GPU readings by index
	temp, eccUncorrected []uint32
	lost                 []bool
	events               []gonvml.EventData
	registered           map[int]uint64
}

func newRig(t testing.TB, n int) *rig {
	t.Helper()
	r := &rig{
		srv:        dgxa100.NewWithGPUs(gpus.Multiple(n, gpus.A100_SXM4_80GB)...),
		temp:       make([]uint32, n),
		lost:       make([]bool, n),
		registered: map[int]uint64{},
	}
	r.eccUncorrected = make([]uint32, n)
	for i := range n {
		r.temp[i] = 40
	}
	r.srv.EventSetCreateFunc = func() (gonvml.EventSet, gonvml.Return) {
		return &mock.EventSet{
			WaitFunc: func(uint32) (gonvml.EventData, gonvml.Return) {
				r.mu.Lock()
				defer r.mu.Unlock()
				if len(r.events) == 0 {
					return gonvml.EventData{}, gonvml.ERROR_TIMEOUT
				}
				e := r.events[0]
				r.events = r.events[1:]
				return e, gonvml.SUCCESS
			},
			FreeFunc: func() gonvml.Return { return gonvml.SUCCESS },
		}, gonvml.SUCCESS
	}
	getByIndex := r.srv.DeviceGetHandleByIndexFunc
	r.srv.DeviceGetHandleByIndexFunc = func(i int) (gonvml.Device, gonvml.Return) {
		if r.isLost(i) {
			return nil, gonvml.ERROR_GPU_IS_LOST
		}
		return getByIndex(i)
	}
	for i, dev := range r.srv.Devices {
		d := dev.(*server.Device)
		d.GetPciInfoFunc = func() (gonvml.PciInfo, gonvml.Return) {
			var p gonvml.PciInfo
			for k, c := range []byte(strings.ToUpper(d.PciBusID)) {
				p.BusId[k] = int8(c)
			}
			return p, gonvml.SUCCESS
		}
		d.GetPowerManagementLimitFunc = func() (uint32, gonvml.Return) { return 400_000, gonvml.SUCCESS }
		d.GetTemperatureFunc = func(gonvml.TemperatureSensors) (uint32, gonvml.Return) {
			if r.isLost(i) {
				return 0, gonvml.ERROR_GPU_IS_LOST
			}
			r.mu.Lock()
			defer r.mu.Unlock()
			return r.temp[i], gonvml.SUCCESS
		}
		d.GetTemperatureThresholdFunc = func(th gonvml.TemperatureThresholds) (uint32, gonvml.Return) {
			if th != gonvml.TEMPERATURE_THRESHOLD_SLOWDOWN {
				return 0, gonvml.ERROR_NOT_SUPPORTED
			}
			return 87, gonvml.SUCCESS
		}
		d.GetTotalEccErrorsFunc = func(kind gonvml.MemoryErrorType, _ gonvml.EccCounterType) (uint64, gonvml.Return) {
			r.mu.Lock()
			defer r.mu.Unlock()
			if kind == gonvml.MEMORY_ERROR_TYPE_CORRECTED {
				return 5, gonvml.SUCCESS
			}
			return uint64(r.eccUncorrected[i]), gonvml.SUCCESS
		}
		d.GetSupportedEventTypesFunc = func() (uint64, gonvml.Return) {
			return healthEvents | gonvml.EventTypePState, gonvml.SUCCESS
		}
		d.RegisterEventsFunc = func(mask uint64, _ gonvml.EventSet) gonvml.Return {
			r.mu.Lock()
			defer r.mu.Unlock()
			r.registered[i] = mask
			return gonvml.SUCCESS
		}
		d.GetUtilizationRatesFunc = func() (gonvml.Utilization, gonvml.Return) {
			return gonvml.Utilization{Gpu: 55, Memory: 20}, gonvml.SUCCESS
		}
		d.GetPowerUsageFunc = func() (uint32, gonvml.Return) { return 123_456, gonvml.SUCCESS }
		d.MemoryInfo.Used = 2048 << 20
	}
	return r
}

func (r *rig) isLost(i int) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.lost[i]
}

func (r *rig) device(i int) *server.Device { return r.srv.Devices[i].(*server.Device) }

func (r *rig) set(f func()) {
	r.mu.Lock()
	defer r.mu.Unlock()
	f()
}

func (r *rig) open(t testing.TB, opts Options) *Backend {
	t.Helper()
	b, err := Open(r.srv, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}

func scan(t *testing.T, b *Backend) map[string]inventory.GPU {
	t.Helper()
	list, err := b.Scan(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]inventory.GPU{}
	for _, g := range list {
		out[g.ID] = g
	}
	return out
}

func TestScanFingerprint(t *testing.T) {
	r := newRig(t, 2)
	b := r.open(t, Options{})
	gpus := scan(t, b)
	if len(gpus) != 2 {
		t.Fatalf("got %d GPUs", len(gpus))
	}
	g := gpus[r.device(1).UUID]
	want := inventory.GPU{
		ID: r.device(1).UUID, Vendor: "nvidia", Model: "A100-SXM4-80GB", MemoryMiB: 81920,
		ComputeCapability: "8.0", DriverVersion: "550.54.15", PCIBusID: "0000:01:00.0", PowerLimitW: 400,
	}
	if g.ID != want.ID || g.Model != want.Model || g.MemoryMiB != want.MemoryMiB || g.ComputeCapability != want.ComputeCapability ||
		g.DriverVersion != want.DriverVersion || g.PCIBusID != want.PCIBusID || g.PowerLimitW != want.PowerLimitW || g.MIG || len(g.Faults) != 0 {
		t.Errorf("GPU = %+v\nwant %+v", g, want)
	}
	for i := range 2 {
		if r.registered[i] != healthEvents {
			t.Errorf("GPU %d registered events %#x, want the supported health events %#x", i, r.registered[i], healthEvents)
		}
	}
}

func TestHealthFaults(t *testing.T) {
	r := newRig(t, 3)
	b := r.open(t, Options{})
	scan(t, b)
	u0, u1, u2 := r.device(0).UUID, r.device(1).UUID, r.device(2).UUID

	r.set(func() {
		r.events = []gonvml.EventData{
			{Device: r.device(0), EventType: gonvml.EventTypeXidCriticalError, EventData: 79},
			{Device: r.device(1), EventType: gonvml.EventTypeXidCriticalError, EventData: 13}, // the program's fault
			{Device: r.device(2), EventType: gonvml.EventTypeDoubleBitEccError},
		}
	})
	gpus := scan(t, b)
	if f := gpus[u0].Faults; len(f) != 1 || f[0] != "critical Xid 79 error" {
		t.Errorf("GPU 0 faults %q, want the Xid 79", f)
	}
	if f := gpus[u1].Faults; len(f) != 0 {
		t.Errorf("an application Xid must not fault the GPU: %q", f)
	}
	if f := gpus[u2].Faults; len(f) != 1 || f[0] != "double-bit ECC error" {
		t.Errorf("GPU 2 faults %q", f)
	}
	if gpus := scan(t, b); len(gpus[u0].Faults)+len(gpus[u2].Faults) != 0 {
		t.Errorf("an event is reported once; the health tracker holds it: %+v", gpus)
	}

	r.set(func() { r.temp[0], r.eccUncorrected[1] = 87, 3 })
	gpus = scan(t, b)
	if f := strings.Join(gpus[u0].Faults, ";"); f != "temperature 87°C at or above the 87°C limit" {
		t.Errorf("hot GPU faults %q", f)
	}
	if f := strings.Join(gpus[u1].Faults, ";"); f != "3 uncorrectable ECC errors since the driver loaded" {
		t.Errorf("ECC faults %q", f)
	}
	r.set(func() { r.temp[0], r.eccUncorrected[1] = 60, 0 })
	if gpus := scan(t, b); len(gpus[u0].Faults)+len(gpus[u1].Faults) != 0 {
		t.Errorf("cooled down, reset: %+v", gpus)
	}
	if gpus := scan(t, r.open(t, Options{MaxTemperatureC: 55})); len(gpus[u0].Faults) != 1 {
		t.Errorf("a configured limit of 55°C must fault a GPU at 60°C: %+v", gpus[u0])
	}

	r.set(func() { r.lost[2] = true })
	gpus = scan(t, b)
	want := "GPU " + u2 + " (0000:02:00.0) stopped answering NVML: GPU is lost (NVML_ERROR_GPU_IS_LOST)"
	if g := gpus[u2]; g.Model != "A100-SXM4-80GB" || len(g.Faults) != 1 || g.Faults[0] != want {
		t.Errorf("a lost GPU must stay listed, with its last attributes, as faulty (%q): %+v", want, g)
	}
	if g := scan(t, b)[u2]; len(g.Faults) != 1 || g.Faults[0] != want {
		t.Errorf("a GPU still lost stays listed as faulty: %+v", g)
	}
	r.set(func() { r.lost[2] = false })
	if g := scan(t, b)[u2]; len(g.Faults) != 0 {
		t.Errorf("a GPU answering again has no fault (health_recovery decides when it takes work): %+v", g)
	}
}

func TestMIGInstances(t *testing.T) {
	r := newRig(t, 1)
	d := r.device(0)
	d.MigMode = gonvml.DEVICE_MIG_ENABLE
	mig := func(uuid string, mib uint64) *mock.Device {
		return &mock.Device{
			GetUUIDFunc:       func() (string, gonvml.Return) { return uuid, gonvml.SUCCESS },
			GetNameFunc:       func() (string, gonvml.Return) { return "NVIDIA A100-SXM4-80GB MIG 3g.40gb", gonvml.SUCCESS },
			GetMemoryInfoFunc: func() (gonvml.Memory, gonvml.Return) { return gonvml.Memory{Total: mib << 20}, gonvml.SUCCESS },
		}
	}
	slots := []gonvml.Device{mig("MIG-1", 40192), nil, mig("MIG-2", 40192)}
	d.GetMaxMigDeviceCountFunc = func() (int, gonvml.Return) { return 7, gonvml.SUCCESS }
	d.GetMigDeviceHandleByIndexFunc = func(j int) (gonvml.Device, gonvml.Return) {
		if j >= len(slots) || slots[j] == nil {
			return nil, gonvml.ERROR_NOT_FOUND
		}
		return slots[j], gonvml.SUCCESS
	}
	g := scan(t, r.open(t, Options{}))[d.UUID]
	if !g.MIG || len(g.MIGInstances) != 2 {
		t.Fatalf("GPU = %+v, want MIG mode with two instances", g)
	}
	if mi := g.MIGInstances[1]; mi.ID != "MIG-2" || mi.Profile != "3g.40gb" || mi.MemoryMiB != 40192 {
		t.Errorf("MIG instance = %+v", mi)
	}
}

func TestSample(t *testing.T) {
	r := newRig(t, 2)
	b := r.open(t, Options{})
	scan(t, b)
	samples, err := b.Sample(context.Background(), []string{r.device(0).UUID, "GPU-unknown"})
	if err != nil {
		t.Fatal(err)
	}
	if len(samples) != 1 {
		t.Fatalf("samples %v", samples)
	}
	s := samples[r.device(0).UUID]
	for m, want := range map[inventory.Metric]float64{
		inventory.Utilization: 55, inventory.MemoryUsed: 2048, inventory.MemoryTotal: 81920, inventory.Temperature: 40,
		inventory.Power: 123.456, inventory.ECCCorrected: 5, inventory.ECCUncorrected: 0,
	} {
		if v, ok := s.Get(m); !ok || v != want {
			t.Errorf("%s = %v (read %v), want %v", m.Info().Name, v, ok, want)
		}
	}
}

func TestOpenFails(t *testing.T) {
	lib := &mock.Interface{InitFunc: func() gonvml.Return { return gonvml.ERROR_DRIVER_NOT_LOADED }}
	if _, err := Open(lib, Options{}); err == nil || !strings.Contains(err.Error(), "ERROR_DRIVER_NOT_LOADED") {
		t.Errorf("err = %v", err)
	}
	// The real loader, pointed at a library that is not there: an error, not a crash.
	_, err := Open(gonvml.New(gonvml.WithLibraryPath("/nonexistent/libnvidia-ml.so.1")), Options{})
	if err == nil || !strings.Contains(err.Error(), "initialising NVML") {
		t.Errorf("missing library: err = %v", err)
	}
}
