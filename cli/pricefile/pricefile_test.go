package pricefile

import (
	"maps"
	"strings"
	"testing"

	"github.com/dec2-cloud/dec2/pricing"
)

func TestParse(t *testing.T) {
	p, err := Parse(strings.NewReader(`{"cpu_ghz_hour": "0.02", "mem_gb_hour": 0.005, "gpu_hour": {"A100-80GB": "1.50", "RTX-4090": 0.4}}`))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"dec2.price.cpu_ghz_hour": "0.02", "dec2.price.mem_gb_hour": "0.005", "dec2.price.disk_gb_hour": "0",
		"dec2.price.gpu_hour.A100-80GB": "1.50", "dec2.price.gpu_hour.RTX-4090": "0.4",
	}
	if got := p.Meta(); !maps.Equal(got, want) {
		t.Fatalf("meta = %v, want %v", got, want)
	}
	// Billing reads back exactly what the file said.
	bp, err := pricing.ParsePrices(p.Meta())
	if err != nil || pricing.FormatAmount(bp.GPUHour["A100-80GB"]) != "1.5" {
		t.Fatalf("billing reads %v, %v", bp, err)
	}
}

func TestParseErrorsNameTheKey(t *testing.T) {
	for in, want := range map[string]string{
		`{"mem_gb_hour": "1"}`:                                                      "cpu_ghz_hour is missing",
		`{"cpu_ghz_hour": "-1", "mem_gb_hour": "1"}`:                                "cpu_ghz_hour",
		`{"cpu_ghz_hour": 1e-3, "mem_gb_hour": "1"}`:                                "cpu_ghz_hour",
		`{"cpu_ghz_hour": "1", "mem_gb_hour": "1", "gpu": {}}`:                      `unknown field "gpu"`,
		`{"cpu_ghz_hour": "1", "mem_gb_hour": "1", "gpu_hour": {"A100 80GB": "1"}}`: `model "A100 80GB"`,
		`{"cpu_ghz_hour": "1", "mem_gb_hour": "1", "gpu_hour": {"": "1"}}`:          "empty model",
		`{"cpu_ghz_hour": "1", "mem_gb_hour": "1", "gpu_hour": {"H100": ""}}`:       "gpu_hour.H100 is missing",
		`{"cpu_ghz_hour": true, "mem_gb_hour": "1"}`:                                "decimal amount",
		`{"cpu_ghz_hour": "1", "mem_gb_hour": "1"} {}`:                              "more than one",
		`cpu_ghz_hour = 1`: "price file",
	} {
		_, err := Parse(strings.NewReader(in))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Parse(%s) = %v, want an error containing %q", in, err, want)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		`{"cpu_ghz_hour": "0.02", "mem_gb_hour": "0.005", "disk_gb_hour": "0.0001", "gpu_hour": {"A100-80GB": "1.50"}}`,
		`{"cpu_ghz_hour": 1, "mem_gb_hour": 2}`, `{"cpu_ghz_hour": "1.0000000000000000001", "mem_gb_hour": "1"}`,
		`{}`, `[]`, `{"gpu_hour": {"x": 1}}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := Parse(strings.NewReader(s))
		if err != nil {
			return
		}
		// Everything that parses is meta billing accepts, with every GPU priced.
		bp, err := pricing.ParsePrices(p.Meta())
		if err != nil {
			t.Fatalf("Parse(%q) accepted prices billing refuses: %v", s, err)
		}
		if len(bp.GPUHour) != len(p.GPUHour) {
			t.Fatalf("Parse(%q): %d GPU prices became %d", s, len(p.GPUHour), len(bp.GPUHour))
		}
	})
}
