package sysfs

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dec2-cloud/dec2/nomad-plugins/gpu/inventory"
)

// tree is a fake sysfs root shaped like the kernel's: PCI device directories under devices/,
// reached from class/drm/cardN/device symlinks.
type tree struct {
	t    *testing.T
	root string
}

func (tr tree) file(rel, content string) {
	tr.t.Helper()
	p := filepath.Join(tr.root, rel)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		tr.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content+"\n"), 0o644); err != nil {
		tr.t.Fatal(err)
	}
}

func (tr tree) link(rel, target string) {
	tr.t.Helper()
	p := filepath.Join(tr.root, rel)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		tr.t.Fatal(err)
	}
	if err := os.Symlink(target, p); err != nil {
		tr.t.Fatal(err)
	}
}

// pci adds a PCI function with a DRM card.
func (tr tree) pci(bus, card, vendor, class, device string) string {
	dev := "devices/pci0000:00/" + bus
	tr.file(dev+"/vendor", vendor)
	tr.file(dev+"/class", class)
	tr.file(dev+"/device", device)
	tr.link("class/drm/"+card+"/device", "../../../"+dev)
	return dev
}

func newTree(t *testing.T) tree {
	tr := tree{t: t, root: t.TempDir()}
	amd := tr.pci("0000:03:00.0", "card1", "0x1002", "0x030000", "0x744c")
	tr.file(amd+"/product_name", "AMD Radeon RX 7900 XTX")
	tr.file(amd+"/mem_info_vram_total", "25753026560")
	tr.file(amd+"/mem_info_vram_used", "1073741824")
	tr.file(amd+"/gpu_busy_percent", "37")
	tr.file(amd+"/drm/card1/dev", "226:1")
	tr.file(amd+"/drm/renderD128/dev", "226:128")
	tr.file(amd+"/hwmon/hwmon4/temp1_input", "45000")
	tr.file(amd+"/hwmon/hwmon4/temp1_crit", "100000")
	tr.file(amd+"/hwmon/hwmon4/power1_average", "95000000")
	tr.file(amd+"/hwmon/hwmon4/power1_cap", "327000000")
	tr.file(amd+"/ras/umc_err_count", "ue: 0\nce: 1")
	tr.file("bus/pci/drivers/amdgpu/bind", "")
	tr.link(amd+"/driver", "../../../bus/pci/drivers/amdgpu")
	tr.file("module/amdgpu/version", "6.7.0")
	tr.file("class/drm/card1-DP-1/status", "connected")

	intel := tr.pci("0000:00:02.0", "card0", "0x8086", "0x030000", "0x56a0")
	tr.file(intel+"/drm/renderD129/dev", "226:129")
	tr.file("class/drm/card0/error", i915NoError)

	tr.pci("0000:01:00.0", "card2", "0x10de", "0x030000", "0x2684") // NVIDIA: NVML's
	tr.pci("0000:03:00.1", "card3", "0x1002", "0x040300", "0xab30") // HDMI audio, not a GPU
	tr.file("class/drm/renderD128/dev", "226:128")                  // not a card
	return tr
}

func TestScan(t *testing.T) {
	tr := newTree(t)
	gpus, err := New(tr.root, 0).Scan(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(gpus) != 2 {
		t.Fatalf("got %d GPUs, want the AMD and the Intel one: %+v", len(gpus), gpus)
	}
	intel, amd := gpus[0], gpus[1]
	if amd.ID != "0000:03:00.0" || amd.Vendor != inventory.VendorAMD || amd.Model != "Radeon-RX-7900-XTX" ||
		amd.MemoryMiB != 24560 || amd.RenderNode != "/dev/dri/renderD128" || amd.PowerLimitW != 327 ||
		amd.DriverVersion != "6.7.0" || amd.PCIBusID != "0000:03:00.0" || len(amd.Faults) != 0 {
		t.Errorf("AMD GPU = %+v", amd)
	}
	if intel.ID != "0000:00:02.0" || intel.Vendor != inventory.VendorIntel || intel.Model != "pci-56a0" ||
		intel.MemoryMiB != 0 || intel.RenderNode != "/dev/dri/renderD129" || len(intel.Faults) != 0 {
		t.Errorf("Intel GPU = %+v", intel)
	}
}

func TestScanWithoutDRM(t *testing.T) {
	gpus, err := New(t.TempDir(), 0).Scan(context.Background())
	if err != nil || len(gpus) != 0 {
		t.Errorf("no class/drm: %v, %v; want no GPUs and no error", gpus, err)
	}
}

func TestHealthFromKernel(t *testing.T) {
	tr := newTree(t)
	amd := "devices/pci0000:00/0000:03:00.0"
	b := New(tr.root, 0)
	faults := func() map[string][]string {
		t.Helper()
		gpus, err := b.Scan(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		out := map[string][]string{}
		for _, g := range gpus {
			out[g.ID] = g.Faults
		}
		return out
	}

	tr.file(amd+"/hwmon/hwmon4/temp1_input", "100000")
	tr.file(amd+"/ras/umc_err_count", "ue: 2\nce: 7")
	tr.file("class/drm/card0/error", "GPU HANG: ecode 9:1:0x00000000, in Xorg [1234]")
	f := faults()
	if got := strings.Join(f["0000:03:00.0"], "; "); got != "temperature 100°C at or above the 100°C limit; 2 uncorrectable memory errors (amdgpu RAS)" {
		t.Errorf("AMD faults: %q", got)
	}
	if got := f["0000:00:02.0"]; len(got) != 1 || !strings.Contains(got[0], "i915") {
		t.Errorf("Intel faults: %q", got)
	}

	tr.file(amd+"/hwmon/hwmon4/temp1_input", "60000")
	tr.file(amd+"/ras/umc_err_count", "ue: 0\nce: 7")
	tr.file("class/drm/card0/error", i915NoError)
	if f := faults(); len(f["0000:03:00.0"])+len(f["0000:00:02.0"]) != 0 {
		t.Errorf("after recovery: %v", f)
	}

	// A configured limit replaces the kernel's critical temperature.
	b = New(tr.root, 55)
	if f := faults(); len(f["0000:03:00.0"]) != 1 {
		t.Errorf("60°C against a 55°C limit: %v", f)
	}

	// A GPU that falls off the bus vanishes from sysfs and so from the scan.
	if err := os.Remove(filepath.Join(tr.root, "class/drm/card1/device")); err != nil {
		t.Fatal(err)
	}
	if f := faults(); len(f) != 1 {
		t.Errorf("after removal: %v", f)
	}
}

func TestSample(t *testing.T) {
	tr := newTree(t)
	b := New(tr.root, 0)
	if _, err := b.Scan(context.Background()); err != nil {
		t.Fatal(err)
	}
	samples, err := b.Sample(context.Background(), []string{"0000:03:00.0", "0000:00:02.0", "0000:99:00.0"})
	if err != nil {
		t.Fatal(err)
	}
	if len(samples) != 2 {
		t.Fatalf("samples %v: want the two known GPUs", samples)
	}
	amd := samples["0000:03:00.0"]
	for m, want := range map[inventory.Metric]float64{
		inventory.Utilization: 37, inventory.MemoryUsed: 1024, inventory.MemoryTotal: 24560,
		inventory.Temperature: 45, inventory.Power: 95, inventory.ECCCorrected: 1, inventory.ECCUncorrected: 0,
	} {
		if v, ok := amd.Get(m); !ok || v != want {
			t.Errorf("AMD %s = %v (read %v), want %v", m.Info().Name, v, ok, want)
		}
	}
	if _, ok := samples["0000:00:02.0"].Get(inventory.Utilization); ok {
		t.Error("i915 exposes no busy percentage; none must be reported")
	}
}
