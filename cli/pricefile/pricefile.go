// Package pricefile reads a provider's price file into the node meta that billing charges by
// (CONVENTIONS: dec2.price.*). The file is JSON with decimal token amounts, as strings or
// plain numbers:
//
//	{"cpu_ghz_hour": "0.02", "mem_gb_hour": "0.005", "disk_gb_hour": "0.0001",
//	 "gpu_hour": {"A100-80GB": "1.50"}}
//
// Amounts are checked with billing's own parser, so a file that loads here is a price billing
// accepts; GPU models are the device names the dec2-gpu plugin reports.
package pricefile

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/dec2-cloud/dec2/pricing"
)

// Prices are a provider's hourly prices as written in the file (decimal token amounts).
type Prices struct {
	CPUGHzHour string            `json:"cpu_ghz_hour"`
	MemGBHour  string            `json:"mem_gb_hour"`
	DiskGBHour string            `json:"disk_gb_hour"`
	GPUHour    map[string]string `json:"gpu_hour,omitempty"`
}

// file mirrors Prices with amounts that may be JSON strings or numbers.
type file struct {
	CPUGHzHour amount            `json:"cpu_ghz_hour"`
	MemGBHour  amount            `json:"mem_gb_hour"`
	DiskGBHour amount            `json:"disk_gb_hour"`
	GPUHour    map[string]amount `json:"gpu_hour"`
}

type amount string

// UnmarshalJSON keeps a number's literal text: going through float64 would turn 0.1 into
// a different price.
func (a *amount) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*a = amount(strings.TrimSpace(s))
		return nil
	}
	var n json.Number
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	if err := d.Decode(&n); err != nil {
		return fmt.Errorf("want a decimal amount such as \"0.02\", got %s", b)
	}
	*a = amount(n.String())
	return nil
}

// Parse reads and checks a price file. CPU and memory prices are required (a provider giving
// those away is almost always a mistake in the file); disk defaults to 0.
func Parse(r io.Reader) (Prices, error) {
	var f file
	d := json.NewDecoder(r)
	d.DisallowUnknownFields()
	if err := d.Decode(&f); err != nil {
		return Prices{}, fmt.Errorf("price file: %w (want {\"cpu_ghz_hour\": \"0.02\", \"mem_gb_hour\": \"0.005\", \"disk_gb_hour\": \"0.0001\", \"gpu_hour\": {\"A100-80GB\": \"1.5\"}})", err)
	}
	if _, err := d.Token(); err != io.EOF {
		return Prices{}, errors.New("price file: more than one JSON object")
	}
	p := Prices{CPUGHzHour: string(f.CPUGHzHour), MemGBHour: string(f.MemGBHour), DiskGBHour: string(f.DiskGBHour)}
	if p.DiskGBHour == "" {
		p.DiskGBHour = "0"
	}
	var errs []error
	check := func(key, v string) {
		if v == "" {
			errs = append(errs, fmt.Errorf("price file: %s is missing", key))
			return
		}
		if _, err := pricing.ParseAmount(v); err != nil {
			errs = append(errs, fmt.Errorf("price file: %s: %w", key, err))
		}
	}
	check("cpu_ghz_hour", p.CPUGHzHour)
	check("mem_gb_hour", p.MemGBHour)
	check("disk_gb_hour", p.DiskGBHour)
	if len(f.GPUHour) > 0 {
		p.GPUHour = map[string]string{}
	}
	for _, model := range slices.Sorted(maps.Keys(f.GPUHour)) {
		if err := checkModel(model); err != nil {
			errs = append(errs, err)
			continue
		}
		p.GPUHour[model] = string(f.GPUHour[model])
		check("gpu_hour."+model, p.GPUHour[model])
	}
	if err := errors.Join(errs...); err != nil {
		return Prices{}, err
	}
	return p, nil
}

// checkModel accepts the names dec2-gpu gives devices: the model with spaces turned into
// dashes. Anything else could never match a device, so the price would never be charged.
func checkModel(m string) error {
	if m == "" {
		return errors.New("price file: gpu_hour has an empty model name")
	}
	for _, c := range m {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune("-_.", c)) {
			return fmt.Errorf("price file: gpu_hour model %q: use the device name dec2-gpu reports, e.g. A100-SXM4-80GB (letters, digits, - _ .)", m)
		}
	}
	return nil
}

// Meta is the prices as node meta.
func (p Prices) Meta() map[string]string {
	m := map[string]string{pricing.MetaCPU: p.CPUGHzHour, pricing.MetaMem: p.MemGBHour, pricing.MetaDisk: p.DiskGBHour}
	for model, v := range p.GPUHour {
		m[pricing.MetaGPUPrefix+model] = v
	}
	return m
}
