// Package fake is the dec2-gpu backend that reads GPUs from a JSON file, for tests and for
// demo providers without a GPU. The file is re-read whenever it changes, so editing it (for
// example adding a fault) changes what Nomad sees at the next fingerprint.
//
// Format:
//
//	{"gpus": [{
//	  "id": "GPU-0b9a…",            // required, unique; NVIDIA UUID or PCI bus ID
//	  "vendor": "nvidia",           // nvidia, amd or intel
//	  "model": "A100-80GB",         // the device name
//	  "memory_mib": 81920,
//	  "compute_capability": "8.0", "driver_version": "550.54.15",
//	  "pci_bus_id": "0000:07:00.0", "power_limit_w": 400,
//	  "mig": true, "mig_instances": [{"id": "MIG-…", "profile": "3g.40gb", "memory_mib": 40192}],
//	  "render_node": "/dev/dri/renderD128",   // amd and intel
//	  "faults": ["Xid 79: GPU has fallen off the bus"],   // any fault: unhealthy
//	  "stats": {"utilization": 35, "memory_used_mib": 2048, "temperature_c": 41,
//	            "power_w": 95, "ecc_corrected": 0, "ecc_uncorrected": 0}
//	}]}
//
// Write changes atomically (write a new file, rename it over the old one): a half-written
// file fails to parse, and a backend that cannot be read marks its GPUs unhealthy.
package fake

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/dec2-cloud/dec2/nomad-plugins/gpu/inventory"
)

// File is the fake-devices file.
type File struct {
	GPUs []GPU `json:"gpus"`
}

// GPU is one fake GPU: what a backend would report, plus the stats it reads.
type GPU struct {
	inventory.GPU
	Stats *Stats `json:"stats,omitempty"`
}

// Stats are the readings a fake GPU reports; memory total is its memory_mib.
type Stats struct {
	Utilization    float64 `json:"utilization"`
	MemoryUsedMiB  float64 `json:"memory_used_mib"`
	TemperatureC   float64 `json:"temperature_c"`
	PowerW         float64 `json:"power_w"`
	ECCCorrected   float64 `json:"ecc_corrected"`
	ECCUncorrected float64 `json:"ecc_uncorrected"`
}

// Parse reads and checks a fake-devices file; errors name the GPU and field at fault.
func Parse(data []byte) (File, error) {
	var f File
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return File{}, fmt.Errorf("decoding fake GPU file: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return File{}, fmt.Errorf("decoding fake GPU file: trailing data after the JSON object")
	}
	ids := map[string]string{}
	claim := func(id, where string) error {
		if prev, ok := ids[id]; ok {
			return fmt.Errorf("%s: id %q is already used by %s", where, id, prev)
		}
		ids[id] = where
		return nil
	}
	for i, g := range f.GPUs {
		at := fmt.Sprintf("gpus[%d]", i)
		switch {
		case g.ID == "":
			return File{}, fmt.Errorf("%s.id: required", at)
		case !inventory.KnownVendor(g.Vendor):
			return File{}, fmt.Errorf("%s.vendor: %q is not one of nvidia, amd, intel", at, g.Vendor)
		case g.Model == "":
			return File{}, fmt.Errorf("%s.model: required", at)
		case inventory.ModelName(g.Model) != g.Model:
			return File{}, fmt.Errorf("%s.model: %q cannot be a Nomad device name; use %q", at, g.Model, inventory.ModelName(g.Model))
		case g.MemoryMiB < 0 || g.PowerLimitW < 0:
			return File{}, fmt.Errorf("%s: memory_mib and power_limit_w must not be negative", at)
		case len(g.MIGInstances) > 0 && !g.MIG:
			return File{}, fmt.Errorf("%s.mig_instances: set, but mig is false", at)
		}
		if err := claim(g.ID, at); err != nil {
			return File{}, err
		}
		for j, m := range g.MIGInstances {
			mat := fmt.Sprintf("%s.mig_instances[%d]", at, j)
			if m.ID == "" || m.Profile == "" || m.MemoryMiB <= 0 {
				return File{}, fmt.Errorf("%s: id, profile and a positive memory_mib are required", mat)
			}
			if err := claim(m.ID, mat); err != nil {
				return File{}, err
			}
		}
	}
	return f, nil
}

// Backend serves the GPUs of one fake-devices file.
type Backend struct {
	path string

	mu      sync.Mutex
	modTime time.Time
	size    int64
	file    File
	byID    map[string]GPU
}

// New reads GPUs from path.
func New(path string) *Backend { return &Backend{path: path} }

// Name names the backend in logs and errors.
func (b *Backend) Name() string { return "fake" }

// Scan returns the file's GPUs, re-reading it if it changed.
func (b *Backend) Scan(context.Context) ([]inventory.GPU, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if err := b.refresh(); err != nil {
		return nil, err
	}
	out := make([]inventory.GPU, len(b.file.GPUs))
	for i, g := range b.file.GPUs {
		out[i] = g.GPU
	}
	return out, nil
}

// Sample returns the stats the file gives for the GPUs named.
func (b *Backend) Sample(_ context.Context, ids []string) (map[string]inventory.Sample, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if err := b.refresh(); err != nil {
		return nil, err
	}
	out := make(map[string]inventory.Sample, len(ids))
	for _, id := range ids {
		g, ok := b.byID[id]
		if !ok {
			continue
		}
		var s inventory.Sample
		s.Set(inventory.MemoryTotal, float64(g.MemoryMiB))
		if st := g.Stats; st != nil {
			s.Set(inventory.Utilization, st.Utilization)
			s.Set(inventory.MemoryUsed, st.MemoryUsedMiB)
			s.Set(inventory.Temperature, st.TemperatureC)
			s.Set(inventory.Power, st.PowerW)
			s.Set(inventory.ECCCorrected, st.ECCCorrected)
			s.Set(inventory.ECCUncorrected, st.ECCUncorrected)
		}
		out[id] = s
	}
	return out, nil
}

// Close releases nothing: the file is read whole on each change.
func (b *Backend) Close() error { return nil }

// refresh re-reads the file when its size or modification time changed; a stat is all an
// unchanged file costs, which keeps per-second stats cheap.
func (b *Backend) refresh() error {
	st, err := os.Stat(b.path)
	if err != nil {
		return fmt.Errorf("reading fake GPU file: %w", err)
	}
	if b.byID != nil && st.ModTime().Equal(b.modTime) && st.Size() == b.size {
		return nil
	}
	data, err := os.ReadFile(b.path)
	if err != nil {
		return fmt.Errorf("reading fake GPU file: %w", err)
	}
	f, err := Parse(data)
	if err != nil {
		return fmt.Errorf("%s: %w", b.path, err)
	}
	b.file, b.modTime, b.size = f, st.ModTime(), st.Size()
	b.byID = make(map[string]GPU, len(f.GPUs))
	for _, g := range f.GPUs {
		b.byID[g.ID] = g
	}
	return nil
}

// WriteFile replaces a fake-devices file atomically (a temporary file renamed over it), so the
// backend never reads half of it. Tests and the demo edit GPUs' health with it.
func WriteFile(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("writing fake GPU file: %w", err)
	}
	_, werr := tmp.Write(data)
	cerr := tmp.Close()
	if err := errors.Join(werr, cerr); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("writing fake GPU file: %w", err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("writing fake GPU file: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("writing fake GPU file: %w", err)
	}
	return nil
}
