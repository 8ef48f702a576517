package gpu

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	log "github.com/hashicorp/go-hclog"

	"github.com/dec2-cloud/dec2/nomad-plugins/gpu/fake"
	"github.com/dec2-cloud/dec2/nomad-plugins/gpu/gpuconfig"
	"github.com/dec2-cloud/dec2/nomad-plugins/gpu/inventory"
)

const benchGPUs = 8

// benchPlugin is the plugin over a fake-devices file of eight A100s.
func benchPlugin(b *testing.B, shares int) (*Plugin, string) {
	b.Helper()
	var f fake.File
	for i := range benchGPUs {
		f.GPUs = append(f.GPUs, fake.GPU{
			GPU: inventory.GPU{ID: fmt.Sprintf("GPU-%08d-0000-0000-0000-000000000000", i), Vendor: "nvidia", Model: "A100-80GB",
				MemoryMiB: 81920, ComputeCapability: "8.0", DriverVersion: "550.54.15", PCIBusID: fmt.Sprintf("0000:%02x:00.0", i), PowerLimitW: 400},
			Stats: &fake.Stats{Utilization: 50, MemoryUsedMiB: 1024, TemperatureC: 40, PowerW: 200},
		})
	}
	data, err := json.Marshal(f)
	if err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(b.TempDir(), "gpus.json")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		b.Fatal(err)
	}
	cfg := gpuconfig.DefaultConfig()
	cfg.Backends, cfg.FakeDevicesFile, cfg.SharesPerGPU = []string{gpuconfig.BackendFake}, path, shares
	p := New(log.NewNullLogger())
	if err := p.Configure(cfg); err != nil {
		b.Fatal(err)
	}
	return p, path
}

// BenchmarkFingerprint is one fingerprint pass over 8 fake GPUs: scan, health, layout and the
// Nomad device groups; "reparse" also re-reads and re-parses the changed file each time.
func BenchmarkFingerprint(b *testing.B) {
	for _, c := range []struct {
		name    string
		shares  int
		reparse bool
	}{{"whole", 1, false}, {"whole-reparse", 1, true}, {"shares4", 4, false}} {
		b.Run(c.name, func(b *testing.B) {
			p, path := benchPlugin(b, c.shares)
			ctx := context.Background()
			mtime := time.Now()
			b.ReportAllocs()
			for b.Loop() {
				if c.reparse {
					mtime = mtime.Add(time.Second)
					if err := os.Chtimes(path, mtime, mtime); err != nil {
						b.Fatal(err)
					}
				}
				if r := fingerprintResponse(p.Scan(ctx, time.Now())); len(r.Devices) != 1 {
					b.Fatalf("fingerprint %+v", r)
				}
			}
		})
	}
}

// BenchmarkStats is one stats collection over 8 fake GPUs, as Nomad asks every interval.
func BenchmarkStats(b *testing.B) {
	p, _ := benchPlugin(b, 1)
	ctx := context.Background()
	p.Scan(ctx, time.Now())
	b.ReportAllocs()
	start := time.Now()
	for b.Loop() {
		if s := p.collect(ctx, time.Now()); len(s) != 1 || len(s[0].InstanceStats) != benchGPUs {
			b.Fatalf("stats %+v", s)
		}
	}
	b.ReportMetric(float64(time.Since(start).Nanoseconds())/float64(b.N)/benchGPUs, "ns/device")
}
