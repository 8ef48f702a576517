//go:build cgo

// Package nvml is the dec2-gpu backend for NVIDIA GPUs, read through NVML (go-nvml, which
// loads libnvidia-ml at run time). Besides the fingerprint and stats, it turns what NVML says
// about a GPU's health into faults: critical Xid events, uncorrectable ECC errors, a lost GPU,
// and temperature at the slowdown threshold. go-nvml needs cgo (dlopen), so this package is
// empty in a CGO_ENABLED=0 build.
package nvml

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	gonvml "github.com/NVIDIA/go-nvml/pkg/nvml"

	"github.com/dec2-cloud/dec2/nomad-plugins/gpu/inventory"
)

// applicationXids are Xid errors a misbehaving program causes, not the GPU: the same set
// NVIDIA's Kubernetes device plugin skips. Every other Xid event marks the GPU unhealthy.
var applicationXids = map[uint64]bool{
	13:  true, // graphics engine exception
	31:  true, // GPU memory page fault
	43:  true, // GPU stopped processing
	45:  true, // preemptive cleanup
	68:  true, // video decoder exception
	109: true, // context switch timeout
}

// healthEvents are the NVML events that can make a GPU unhealthy.
const healthEvents = gonvml.EventTypeXidCriticalError | gonvml.EventTypeDoubleBitEccError

// maxEventsPerScan bounds draining the event set, should a GPU flood it.
const maxEventsPerScan = 1024

var errLost = errors.New("GPU is lost (NVML_ERROR_GPU_IS_LOST)")

// Options tune the backend.
type Options struct {
	// MaxTemperatureC replaces each GPU's own slowdown threshold as the unhealthy limit; 0 keeps it.
	MaxTemperatureC int
}

// Backend reads GPUs through an initialised NVML library.
type Backend struct {
	lib    gonvml.Interface
	opts   Options
	driver string

	mu         sync.Mutex
	events     gonvml.EventSet // nil where the driver offers no events
	registered map[string]bool
	pending    map[string][]string // faults from events not yet reported, by GPU UUID
	handles    map[string]gonvml.Device
	byIndex    map[int]inventory.GPU // the last scan, for GPUs that stop answering
}

// Open initialises NVML. An error means no NVIDIA GPUs can be read here, typically because
// libnvidia-ml is not installed.
func Open(lib gonvml.Interface, opts Options) (*Backend, error) {
	if ret := lib.Init(); ret != gonvml.SUCCESS {
		return nil, fmt.Errorf("initialising NVML: %w", ret)
	}
	b := &Backend{
		lib: lib, opts: opts,
		registered: map[string]bool{}, pending: map[string][]string{},
		handles: map[string]gonvml.Device{}, byIndex: map[int]inventory.GPU{},
	}
	if v, ret := lib.SystemGetDriverVersion(); ret == gonvml.SUCCESS {
		b.driver = v
	}
	if set, ret := lib.EventSetCreate(); ret == gonvml.SUCCESS {
		b.events = set
	}
	return b, nil
}

// Name names the backend in logs and errors.
func (b *Backend) Name() string { return "nvml" }

// Scan lists the GPUs NVML sees, with the faults seen since the last scan.
func (b *Backend) Scan(context.Context) ([]inventory.GPU, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	count, ret := b.lib.DeviceGetCount()
	if ret != gonvml.SUCCESS {
		return nil, fmt.Errorf("counting NVIDIA GPUs: %w", ret)
	}
	b.drainEvents()
	gpus := make([]inventory.GPU, 0, count)
	handles := make(map[string]gonvml.Device, count)
	byIndex := make(map[int]inventory.GPU, count)
	for i := range count {
		d, ret := b.lib.DeviceGetHandleByIndex(i)
		var g inventory.GPU
		var err error
		if ret == gonvml.SUCCESS {
			g, err = b.describe(d)
		} else {
			err = fmt.Errorf("opening GPU %d: %w", i, ret)
			if ret == gonvml.ERROR_GPU_IS_LOST {
				err = errLost
			}
		}
		if err != nil {
			prev, known := b.byIndex[i]
			if !known {
				continue // never described: nothing Nomad could have placed on
			}
			// Kept, unhealthy, like a GPU that vanishes from a scan (the health tracker's
			// rule), but with NVML's own reason.
			g = prev
			g.Faults = []string{fmt.Sprintf("GPU %s stopped answering NVML: %v", g.Label(), err)}
		} else {
			handles[g.ID] = d
			b.register(g.ID, d)
		}
		g.Faults = append(g.Faults, b.pending[g.ID]...)
		delete(b.pending, g.ID)
		byIndex[i] = g
		gpus = append(gpus, g)
	}
	b.handles, b.byIndex = handles, byIndex
	inventory.SortGPUs(gpus)
	return gpus, nil
}

// describe reads one GPU. Attributes a GPU does not support are left out; a lost GPU is an error.
func (b *Backend) describe(d gonvml.Device) (inventory.GPU, error) {
	uuid, ret := d.GetUUID()
	if ret != gonvml.SUCCESS {
		return inventory.GPU{}, retErr("reading UUID", ret)
	}
	g := inventory.GPU{ID: uuid, Vendor: inventory.VendorNVIDIA, DriverVersion: b.driver}
	name, ret := d.GetName()
	if ret != gonvml.SUCCESS {
		return inventory.GPU{}, retErr("reading name", ret)
	}
	g.Model = inventory.ModelName(name)
	mem, ret := d.GetMemoryInfo()
	if ret != gonvml.SUCCESS {
		return inventory.GPU{}, retErr("reading memory", ret)
	}
	g.MemoryMiB = int64(mem.Total >> 20)
	if major, minor, ret := d.GetCudaComputeCapability(); ret == gonvml.SUCCESS {
		g.ComputeCapability = fmt.Sprintf("%d.%d", major, minor)
	}
	if pci, ret := d.GetPciInfo(); ret == gonvml.SUCCESS {
		g.PCIBusID = busID(pci.BusId)
	}
	if mw, ret := d.GetPowerManagementLimit(); ret == gonvml.SUCCESS {
		g.PowerLimitW = int64(mw / 1000)
	}
	if current, _, ret := d.GetMigMode(); ret == gonvml.SUCCESS && current == gonvml.DEVICE_MIG_ENABLE {
		g.MIG = true
		instances, err := migInstances(d)
		if err != nil {
			return inventory.GPU{}, err
		}
		g.MIGInstances = instances
	}
	faults, err := b.pollFaults(d)
	if err != nil {
		return inventory.GPU{}, err
	}
	g.Faults = faults
	return g, nil
}

// migInstances lists the MIG devices of a GPU in MIG mode.
func migInstances(d gonvml.Device) ([]inventory.MIGInstance, error) {
	n, ret := d.GetMaxMigDeviceCount()
	if ret != gonvml.SUCCESS {
		return nil, retErr("counting MIG devices", ret)
	}
	var out []inventory.MIGInstance
	for j := range n {
		m, ret := d.GetMigDeviceHandleByIndex(j)
		if ret == gonvml.ERROR_NOT_FOUND || ret == gonvml.ERROR_INVALID_ARGUMENT {
			continue // an empty slot
		}
		if ret != gonvml.SUCCESS {
			return nil, retErr("opening MIG device", ret)
		}
		uuid, ret := m.GetUUID()
		if ret != gonvml.SUCCESS {
			return nil, retErr("reading MIG UUID", ret)
		}
		mem, ret := m.GetMemoryInfo()
		if ret != gonvml.SUCCESS {
			return nil, retErr("reading MIG memory", ret)
		}
		name, _ := m.GetName()
		out = append(out, inventory.MIGInstance{ID: uuid, Profile: migProfile(name), MemoryMiB: int64(mem.Total >> 20)})
	}
	return out, nil
}

// migProfile takes the profile from a MIG device's name, "NVIDIA A100-SXM4-40GB MIG 1g.5gb".
func migProfile(name string) string {
	if i := strings.LastIndex(name, "MIG "); i >= 0 {
		return inventory.ModelName(name[i+len("MIG "):])
	}
	return inventory.ModelName(name)
}

// pollFaults reads the conditions that make a GPU unhealthy while they last.
func (b *Backend) pollFaults(d gonvml.Device) ([]string, error) {
	var out []string
	if t, ret := d.GetTemperature(gonvml.TEMPERATURE_GPU); ret == gonvml.SUCCESS {
		limit := uint32(b.opts.MaxTemperatureC)
		if limit == 0 {
			if l, ret := d.GetTemperatureThreshold(gonvml.TEMPERATURE_THRESHOLD_SLOWDOWN); ret == gonvml.SUCCESS {
				limit = l
			}
		}
		if limit > 0 && t >= limit {
			out = append(out, fmt.Sprintf("temperature %d°C at or above the %d°C limit", t, limit))
		}
	} else if ret == gonvml.ERROR_GPU_IS_LOST {
		return nil, errLost
	}
	if n, ret := d.GetTotalEccErrors(gonvml.MEMORY_ERROR_TYPE_UNCORRECTED, gonvml.VOLATILE_ECC); ret == gonvml.SUCCESS && n > 0 {
		out = append(out, fmt.Sprintf("%d uncorrectable ECC errors since the driver loaded", n))
	}
	return out, nil
}

// register asks for a GPU's health events, once.
func (b *Backend) register(uuid string, d gonvml.Device) {
	if b.events == nil || b.registered[uuid] {
		return
	}
	b.registered[uuid] = true
	supported, ret := d.GetSupportedEventTypes()
	if ret != gonvml.SUCCESS || supported&healthEvents == 0 {
		return
	}
	d.RegisterEvents(supported&healthEvents, b.events)
}

// drainEvents turns the events queued since the last scan into pending faults.
func (b *Backend) drainEvents() {
	if b.events == nil {
		return
	}
	for range maxEventsPerScan {
		e, ret := b.events.Wait(0)
		if ret != gonvml.SUCCESS {
			return // ERROR_TIMEOUT: none left
		}
		if e.Device == nil {
			continue
		}
		uuid, ret := e.Device.GetUUID()
		if ret != gonvml.SUCCESS {
			continue
		}
		switch {
		case e.EventType&gonvml.EventTypeXidCriticalError != 0 && !applicationXids[e.EventData]:
			b.pending[uuid] = append(b.pending[uuid], fmt.Sprintf("critical Xid %d error", e.EventData))
		case e.EventType&gonvml.EventTypeDoubleBitEccError != 0:
			b.pending[uuid] = append(b.pending[uuid], "double-bit ECC error")
		}
	}
}

// Sample reads utilization, memory, temperature, power and ECC counts of the GPUs named.
// GPUs that fail to answer are left out; the next scan reports why.
func (b *Backend) Sample(_ context.Context, ids []string) (map[string]inventory.Sample, error) {
	b.mu.Lock()
	handles := b.handles
	b.mu.Unlock()
	out := make(map[string]inventory.Sample, len(ids))
	for _, id := range ids {
		d, ok := handles[id]
		if !ok {
			continue
		}
		var s inventory.Sample
		if u, ret := d.GetUtilizationRates(); ret == gonvml.SUCCESS {
			s.Set(inventory.Utilization, float64(u.Gpu))
		}
		if m, ret := d.GetMemoryInfo(); ret == gonvml.SUCCESS {
			s.Set(inventory.MemoryUsed, float64(m.Used>>20))
			s.Set(inventory.MemoryTotal, float64(m.Total>>20))
		} else if ret == gonvml.ERROR_GPU_IS_LOST {
			continue
		}
		if t, ret := d.GetTemperature(gonvml.TEMPERATURE_GPU); ret == gonvml.SUCCESS {
			s.Set(inventory.Temperature, float64(t))
		}
		if mw, ret := d.GetPowerUsage(); ret == gonvml.SUCCESS {
			s.Set(inventory.Power, float64(mw)/1000)
		}
		if n, ret := d.GetTotalEccErrors(gonvml.MEMORY_ERROR_TYPE_CORRECTED, gonvml.VOLATILE_ECC); ret == gonvml.SUCCESS {
			s.Set(inventory.ECCCorrected, float64(n))
		}
		if n, ret := d.GetTotalEccErrors(gonvml.MEMORY_ERROR_TYPE_UNCORRECTED, gonvml.VOLATILE_ECC); ret == gonvml.SUCCESS {
			s.Set(inventory.ECCUncorrected, float64(n))
		}
		out[id] = s
	}
	return out, nil
}

// Close frees the event set and shuts NVML down.
func (b *Backend) Close() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.events != nil {
		b.events.Free()
		b.events = nil
	}
	if ret := b.lib.Shutdown(); ret != gonvml.SUCCESS {
		return fmt.Errorf("shutting NVML down: %w", ret)
	}
	return nil
}

func retErr(what string, ret gonvml.Return) error {
	if ret == gonvml.ERROR_GPU_IS_LOST {
		return errLost
	}
	return fmt.Errorf("%s: %w", what, ret)
}

// busID turns NVML's NUL-terminated bus ID into the lower-case form sysfs uses.
func busID(raw [32]int8) string {
	var b strings.Builder
	for _, c := range raw {
		if c == 0 {
			break
		}
		b.WriteByte(byte(c))
	}
	return strings.ToLower(b.String())
}
