package backend_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/dec2-cloud/dec2/console/backend"
	"github.com/dec2-cloud/dec2/console/view"
	"github.com/dec2-cloud/dec2/e2e"
)

// A provider's GPUs, served by the dec2-gpu plugin (its fake backend, with readings) on a real
// Nomad client, reach the provider page through the client's host statistics: each GPU's
// utilization and memory, by model and device id.
func TestHostUseReadsTheGPUsFromTheDevicePlugin(t *testing.T) {
	e2e.RequireIntegration(t)
	devices := filepath.Join(t.TempDir(), "gpus.json")
	if err := os.WriteFile(devices, []byte(`{"gpus": [
  {"id": "GPU-0000-a001", "vendor": "nvidia", "model": "A100-80GB", "memory_mib": 81920,
   "stats": {"utilization": 35, "memory_used_mib": 2048}},
  {"id": "GPU-0000-a002", "vendor": "nvidia", "model": "A100-80GB", "memory_mib": 81920,
   "stats": {"utilization": 70, "memory_used_mib": 40960}}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	rig := e2e.Client{Name: "rig", CPUMHz: 2000, MemoryMB: 2048}.WithFakeGPUs(t, devices, nil)
	region := e2e.StartRegion(t, e2e.Options{Clients: []e2e.Client{rig}})
	node := region.NodeID(t, "rig")
	var h *view.HostUse
	e2e.Poll(t, "the client to report its GPUs' statistics", time.Minute, 500*time.Millisecond, func() (bool, error) {
		st, err := region.API.Nodes().Stats(node, nil)
		if err != nil {
			return false, err
		}
		h = backend.HostUse(st)
		return len(h.GPUs) == 2 && h.GPUs[0].HasUtilization, nil
	})
	want := []view.GPUUse{
		{Model: "A100-80GB", Utilization: 35, HasUtilization: true, MemoryUsedMiB: 2048, MemoryTotalMiB: 81920},
		{Model: "A100-80GB", Utilization: 70, HasUtilization: true, MemoryUsedMiB: 40960, MemoryTotalMiB: 81920},
	}
	for i, g := range h.GPUs {
		g.ID = ""
		if g != want[i] {
			t.Errorf("GPU %d (%s): %+v, want %+v", i, h.GPUs[i].ID, g, want[i])
		}
	}
	if h.GPUs[0].ID == h.GPUs[1].ID || h.MemoryTotalMiB == 0 {
		t.Errorf("host use %+v: want two distinct devices and the machine's memory", h)
	}
}
