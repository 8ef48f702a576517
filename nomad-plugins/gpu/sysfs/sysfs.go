// Package sysfs is the dec2-gpu backend for AMD and Intel GPUs, read from the kernel's DRM
// sysfs tree (/sys/class/drm/card*/device): PCI vendor and device id, VRAM, the render node
// tasks are given, hwmon temperature and power, and the error counters the kernel exposes.
// NVIDIA cards are left to the NVML backend.
package sysfs

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/dec2-cloud/dec2/nomad-plugins/gpu/inventory"
)

// PCI vendor IDs this backend serves.
var vendors = map[string]string{"0x1002": inventory.VendorAMD, "0x8086": inventory.VendorIntel}

var cardName = regexp.MustCompile(`^card[0-9]+$`)

// i915NoError is what an i915 card's error file holds until the GPU hangs.
const i915NoError = "No error state collected"

// Backend scans one sysfs tree.
type Backend struct {
	root string
	// maxTempC overrides the kernel's critical temperature as the unhealthy limit; 0 keeps it.
	maxTempC float64

	mu    sync.Mutex
	cards map[string]string // GPU ID (PCI bus ID) -> its device directory
}

// New reads GPUs from the sysfs tree at root (normally /sys).
func New(root string, maxTempC int) *Backend {
	return &Backend{root: root, maxTempC: float64(maxTempC)}
}

// Name names the backend in logs and errors.
func (b *Backend) Name() string { return "sysfs" }

// Scan lists the AMD and Intel display devices with DRM cards. A machine without DRM has none.
func (b *Backend) Scan(context.Context) ([]inventory.GPU, error) {
	drm := filepath.Join(b.root, "class", "drm")
	entries, err := os.ReadDir(drm)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("listing DRM cards: %w", err)
	}
	cards := map[string]string{}
	var gpus []inventory.GPU
	for _, e := range entries {
		if !cardName.MatchString(e.Name()) {
			continue // connectors (card0-DP-1), render nodes
		}
		card := filepath.Join(drm, e.Name())
		dev := filepath.Join(card, "device")
		vendor, ok := vendors[readString(dev, "vendor")]
		if !ok || !strings.HasPrefix(readString(dev, "class"), "0x03") {
			continue
		}
		resolved, err := filepath.EvalSymlinks(dev)
		if err != nil {
			return nil, fmt.Errorf("resolving %s: %w", dev, err)
		}
		busID := filepath.Base(resolved)
		if _, dup := cards[busID]; dup {
			continue
		}
		cards[busID] = dev
		gpus = append(gpus, b.describe(card, dev, vendor, busID))
	}
	inventory.SortGPUs(gpus)
	b.mu.Lock()
	b.cards = cards
	b.mu.Unlock()
	return gpus, nil
}

func (b *Backend) describe(card, dev, vendor, busID string) inventory.GPU {
	g := inventory.GPU{
		ID:       busID,
		Vendor:   vendor,
		PCIBusID: busID,
	}
	g.Model = inventory.ModelName(readString(dev, "product_name"))
	if g.Model == "" {
		g.Model = "pci-" + strings.TrimPrefix(readString(dev, "device"), "0x")
	}
	if vram, ok := readInt(dev, "mem_info_vram_total"); ok {
		g.MemoryMiB = vram >> 20
	}
	if driver, err := os.Readlink(filepath.Join(dev, "driver")); err == nil {
		g.DriverVersion = readString(filepath.Join(b.root, "module", filepath.Base(driver)), "version")
	}
	hw := hwmon(dev)
	if hw != "" {
		if limit, ok := readInt(hw, "power1_cap"); ok {
			g.PowerLimitW = limit / 1_000_000
		}
	}
	if nodes, _ := filepath.Glob(filepath.Join(dev, "drm", "renderD*")); len(nodes) > 0 {
		g.RenderNode = "/dev/dri/" + filepath.Base(nodes[0])
	}
	g.Faults = b.faults(card, dev, hw)
	return g
}

// faults reads what the kernel exposes about a card's health: temperature against its critical
// limit, uncorrectable memory errors counted by amdgpu's RAS, and an i915 GPU hang record.
func (b *Backend) faults(card, dev, hw string) []string {
	var out []string
	if hw != "" {
		if t, ok := readInt(hw, "temp1_input"); ok {
			limit := b.maxTempC
			if crit, ok := readInt(hw, "temp1_crit"); ok && limit == 0 {
				limit = float64(crit) / 1000
			}
			if c := float64(t) / 1000; limit > 0 && c >= limit {
				out = append(out, fmt.Sprintf("temperature %.0f°C at or above the %.0f°C limit", c, limit))
			}
		}
	}
	if ue, _, ok := rasCounts(dev); ok && ue > 0 {
		out = append(out, fmt.Sprintf("%d uncorrectable memory errors (amdgpu RAS)", ue))
	}
	if state := readString(card, "error"); state != "" && !strings.HasPrefix(state, i915NoError) {
		out = append(out, "GPU hang recorded in the i915 error state")
	}
	return out
}

// Sample reads the current utilization, VRAM use, temperature, power and memory error counts
// of the GPUs named, as far as each card's driver exposes them.
func (b *Backend) Sample(_ context.Context, ids []string) (map[string]inventory.Sample, error) {
	b.mu.Lock()
	cards := b.cards
	b.mu.Unlock()
	out := make(map[string]inventory.Sample, len(ids))
	for _, id := range ids {
		dev, ok := cards[id]
		if !ok {
			continue
		}
		var s inventory.Sample
		if v, ok := readInt(dev, "gpu_busy_percent"); ok {
			s.Set(inventory.Utilization, float64(v))
		}
		if v, ok := readInt(dev, "mem_info_vram_used"); ok {
			s.Set(inventory.MemoryUsed, float64(v)/(1<<20))
		}
		if v, ok := readInt(dev, "mem_info_vram_total"); ok {
			s.Set(inventory.MemoryTotal, float64(v>>20))
		}
		if hw := hwmon(dev); hw != "" {
			if v, ok := readInt(hw, "temp1_input"); ok {
				s.Set(inventory.Temperature, float64(v)/1000)
			}
			if v, ok := readInt(hw, "power1_average"); ok {
				s.Set(inventory.Power, float64(v)/1e6)
			} else if v, ok := readInt(hw, "power1_input"); ok {
				s.Set(inventory.Power, float64(v)/1e6)
			}
		}
		if ue, ce, ok := rasCounts(dev); ok {
			s.Set(inventory.ECCUncorrected, float64(ue))
			s.Set(inventory.ECCCorrected, float64(ce))
		}
		out[id] = s
	}
	return out, nil
}

// Close holds nothing open.
func (b *Backend) Close() error { return nil }

// hwmon is the card's first hwmon directory, or "".
func hwmon(dev string) string {
	dirs, _ := filepath.Glob(filepath.Join(dev, "hwmon", "hwmon*"))
	if len(dirs) == 0 {
		return ""
	}
	return dirs[0]
}

// rasCounts parses amdgpu's ras/umc_err_count ("ue: 0\nce: 3").
func rasCounts(dev string) (ue, ce int64, ok bool) {
	text := readString(filepath.Join(dev, "ras"), "umc_err_count")
	if text == "" {
		return 0, 0, false
	}
	for _, line := range strings.Split(text, "\n") {
		k, v, found := strings.Cut(line, ":")
		n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		if !found || err != nil {
			continue
		}
		switch strings.TrimSpace(k) {
		case "ue":
			ue, ok = n, true
		case "ce":
			ce = n
		}
	}
	return ue, ce, ok
}

func readString(dir, name string) string {
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}

// readInt reads a decimal or 0x-hex integer file.
func readInt(dir, name string) (int64, bool) {
	s := readString(dir, name)
	if s == "" {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 0, 64)
	return n, err == nil
}
