package fake

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dec2-cloud/dec2/nomad-plugins/gpu/inventory"
)

func TestExamplesParse(t *testing.T) {
	for _, p := range []string{"../examples/a100x2.json", "../examples/rtx4090.json", "../testdata/mixed.json"} {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Parse(data); err != nil {
			t.Errorf("%s: %v", p, err)
		}
	}
}

func TestParseNamesBadField(t *testing.T) {
	for in, want := range map[string]string{
		`{"gpus":[{"id":"a","vendor":"nvidia","model":"X"},{"vendor":"nvidia","model":"X"}]}`:                            "gpus[1].id: required",
		`{"gpus":[{"id":"a","vendor":"3dfx","model":"X"}]}`:                                                              `gpus[0].vendor: "3dfx"`,
		`{"gpus":[{"id":"a","vendor":"amd"}]}`:                                                                           "gpus[0].model: required",
		`{"gpus":[{"id":"a","vendor":"amd","model":"Radeon RX"}]}`:                                                       `use "Radeon-RX"`,
		`{"gpus":[{"id":"a","vendor":"amd","model":"X","memory_mib":-1}]}`:                                               "memory_mib",
		`{"gpus":[{"id":"a","vendor":"amd","model":"X","colour":"red"}]}`:                                                `unknown field "colour"`,
		`{"gpus":[{"id":"a","vendor":"amd","model":"X"},{"id":"a","vendor":"amd","model":"X"}]}`:                         "already used by gpus[0]",
		`{"gpus":[{"id":"a","vendor":"nvidia","model":"X","mig_instances":[{"id":"m","profile":"1g","memory_mib":1}]}]}`: "mig is false",
		`{"gpus":[{"id":"a","vendor":"nvidia","model":"X","mig":true,"mig_instances":[{"id":"m","memory_mib":1}]}]}`:     "gpus[0].mig_instances[0]",
		`{"gpus":[]} {}`: "trailing data",
	} {
		_, err := Parse([]byte(in))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Parse(%s): err = %v, want it to contain %q", in, err, want)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, p := range []string{"../examples/a100x2.json", "../testdata/mixed.json"} {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"gpus":[{"id":"a","vendor":"amd","model":"X","mig":true}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := Parse(data)
		if err != nil {
			return
		}
		seen := map[string]bool{}
		for _, g := range file.GPUs {
			if g.ID == "" || seen[g.ID] || !inventory.KnownVendor(g.Vendor) || g.Model == "" {
				t.Fatalf("Parse accepted an invalid GPU %+v", g)
			}
			seen[g.ID] = true
		}
	})
}

func write(t *testing.T, path, data string) {
	t.Helper()
	if err := WriteFile(path, []byte(data)); err != nil {
		t.Fatal(err)
	}
}

func TestBackendFollowsFileEdits(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "gpus.json")
	b := New(path)
	if _, err := b.Scan(ctx); err == nil || !strings.Contains(err.Error(), "reading fake GPU file") {
		t.Fatalf("missing file: err = %v", err)
	}
	write(t, path, `{"gpus":[{"id":"GPU-1","vendor":"nvidia","model":"A100-80GB","memory_mib":81920,
		"stats":{"utilization":35,"memory_used_mib":2048,"temperature_c":41,"power_w":95}}]}`)
	gpus, err := b.Scan(ctx)
	if err != nil || len(gpus) != 1 || gpus[0].ID != "GPU-1" || len(gpus[0].Faults) != 0 {
		t.Fatalf("scan = %+v, %v", gpus, err)
	}
	samples, err := b.Sample(ctx, []string{"GPU-1", "GPU-unknown"})
	if err != nil || len(samples) != 1 {
		t.Fatalf("samples = %v, %v", samples, err)
	}
	s := samples["GPU-1"]
	for m, want := range map[inventory.Metric]float64{inventory.Utilization: 35, inventory.MemoryTotal: 81920, inventory.Power: 95} {
		if v, ok := s.Get(m); !ok || v != want {
			t.Errorf("%s = %v (%v), want %v", m.Info().Name, v, ok, want)
		}
	}

	time.Sleep(10 * time.Millisecond) // a distinct modification time
	write(t, path, `{"gpus":[{"id":"GPU-1","vendor":"nvidia","model":"A100-80GB","memory_mib":81920,"faults":["Xid 79"]}]}`)
	gpus, err = b.Scan(ctx)
	if err != nil || len(gpus) != 1 || len(gpus[0].Faults) != 1 {
		t.Fatalf("after the edit: %+v, %v", gpus, err)
	}

	write(t, path, `{"gpus":[{"id":"GPU-1"`)
	if _, err := b.Scan(ctx); err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("a broken file must fail naming it, got %v", err)
	}
}
