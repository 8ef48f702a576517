//go:build cgo

package nvml

import (
	"context"
	"testing"
)

// These measure the backend's own work per call over go-nvml's mock of 8 A100s; on real
// hardware each NVML query adds the driver's latency (not measured here: no GPU at hand).
func BenchmarkScan(b *testing.B) {
	be := newRig(b, 8).open(b, Options{})
	ctx := context.Background()
	for b.Loop() {
		if gpus, err := be.Scan(ctx); err != nil || len(gpus) != 8 {
			b.Fatal(gpus, err)
		}
	}
}

func BenchmarkSample(b *testing.B) {
	r := newRig(b, 8)
	be := r.open(b, Options{})
	ctx := context.Background()
	gpus, err := be.Scan(ctx)
	if err != nil {
		b.Fatal(err)
	}
	ids := make([]string, len(gpus))
	for i, g := range gpus {
		ids[i] = g.ID
	}
	for b.Loop() {
		if s, err := be.Sample(ctx, ids); err != nil || len(s) != 8 {
			b.Fatal(s, err)
		}
	}
}
