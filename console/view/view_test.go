package view

import (
	"errors"
	"math/big"
	"testing"
	"time"

	"github.com/dec2-cloud/dec2/catalog"
	"github.com/dec2-cloud/dec2/instances"
	"github.com/dec2-cloud/dec2/metering"
	"github.com/dec2-cloud/dec2/pricing"
)

func TestPaginate(t *testing.T) {
	for _, c := range []struct {
		total, number, per int
		want               Page
	}{
		{1000, 3, 50, Page{Number: 3, Of: 20, Start: 100, End: 150, Total: 1000, Prev: 2, Next: 4, PerPage: 50, HasSeveral: true, ShownFirst: 101, ShownLast: 150}},
		{1000, 99, 50, Page{Number: 20, Of: 20, Start: 950, End: 1000, Total: 1000, Prev: 19, PerPage: 50, HasSeveral: true, ShownFirst: 951, ShownLast: 1000}},
		{0, 0, 0, Page{Number: 1, Of: 1, PerPage: DefaultPerPage}},
		{7, 1, 50, Page{Number: 1, Of: 1, End: 7, Total: 7, PerPage: 50, ShownFirst: 1, ShownLast: 7}},
	} {
		if got := Paginate(c.total, c.number, c.per); got != c.want {
			t.Errorf("Paginate(%d, %d, %d) = %+v, want %+v", c.total, c.number, c.per, got, c.want)
		}
	}
}

func TestSpecErrorNamesTheField(t *testing.T) {
	for _, c := range []struct {
		spec  instances.Spec
		field string
	}{
		{instances.Spec{Name: "Bad Name", Type: "d2.nano", Image: "x"}, FieldName},
		{instances.Spec{Name: "web", Type: "d2.huge", Image: "x"}, FieldType},
		{instances.Spec{Name: "web", Type: "d2.nano"}, FieldImage},
	} {
		spec, field := c.spec, c.field
		var fe *FieldError
		if err := SpecError(spec.Validate()); !errors.As(err, &fe) || fe.Field != field {
			t.Errorf("%+v: %v, want an error in field %s", spec, err, field)
		}
	}
	other := errors.New("allocator unreachable")
	if err := SpecError(other); err != other {
		t.Errorf("an error naming no field became %v", err)
	}
}

func TestParseAmount(t *testing.T) {
	if v, err := ParseAmount(" 1.5 "); err != nil || v.Cmp(big.NewInt(15e17)) != 0 {
		t.Errorf("1.5: %v %v", v, err)
	}
	for _, bad := range []string{"", "0", "-1", "1e3", "abc"} {
		var fe *FieldError
		if _, err := ParseAmount(bad); !errors.As(err, &fe) || fe.Field != FieldAmount {
			t.Errorf("%q: %v, want an amount field error", bad, err)
		}
	}
}

func TestQuotesPriceTheAllocatorsPlanAsBillingDoes(t *testing.T) {
	prices, err := pricing.ParsePrices(map[string]string{"dec2.price.cpu_ghz_hour": "1.2", "dec2.price.mem_gb_hour": "0.4",
		"dec2.price.disk_gb_hour": "0.02", "dec2.price.gpu_hour.A100-80GB": "2"})
	if err != nil {
		t.Fatal(err)
	}
	cheap, _ := pricing.ParsePrices(map[string]string{"dec2.price.cpu_ghz_hour": "1", "dec2.price.mem_gb_hour": "0.4", "dec2.price.disk_gb_hour": "0.02"})
	nodes := []Node{
		{ID: "n-laptop", Name: "laptop", Status: "ready", Prices: prices, CapacityCPU: 4000, CapacityMem: 4096, CapacityDisk: 1 << 20},
		{ID: "n-cheap", Name: "cheap", Status: "ready", Prices: cheap, CapacityCPU: 4000, CapacityMem: 4096},
		{ID: "n-gpu", Name: "gpu", Status: "ready", Prices: prices, CapacityCPU: 16000, CapacityMem: 65536, GPUs: map[string]int64{"A100-80GB": 1}},
	}
	nano, _ := catalog.Lookup("d2.nano")
	a100, _ := catalog.Lookup("g1.a100x1")
	a100x2, _ := catalog.Lookup("g1.a100x2")
	plans := map[string]Plan{
		// The allocator packs onto the laptop although cheap is cheaper: the page says so.
		"d2.nano":   {Nodes: []string{"n-laptop"}},
		"g1.a100x1": {Nodes: []string{"n-gpu"}},
		"g1.a100x2": {Reason: `group "instance" cannot be placed: no node has 2 GPUs`},
	}
	qs := Quotes([]catalog.Type{nano, a100, a100x2}, nodes, plans)
	// d2.nano: 0.5 GHz, 0.25 GiB, 1 GiB of disk.
	if got := qs[0].Offers; len(got) != 1 || got[0].Node != "laptop" || got[0].CostPerHour != "0.72" {
		t.Errorf("d2.nano offers %+v, want the allocator's laptop at 0.72", got)
	}
	// g1.a100x1: 8 GHz, 32 GiB, 128 GiB, one A100 at 2.
	if got := qs[1].Offers; len(got) != 1 || got[0].Node != "gpu" || got[0].CostPerHour != "26.96" {
		t.Errorf("g1.a100x1 offers %+v, want gpu at 26.96 (8×1.2 + 32×0.4 + 128×0.02 + 2)", got)
	}
	if got := qs[2]; len(got.Offers) != 0 || got.Reason != plans["g1.a100x2"].Reason {
		t.Errorf("g1.a100x2 quoted %+v, want no offer and the allocator's reason", got)
	}
	if got := Quotes([]catalog.Type{nano}, nodes, nil); len(got[0].Offers) != 0 || got[0].Reason == "" {
		t.Errorf("without the allocator's plan d2.nano is quoted %+v, want no offer and a reason", got)
	}
}

func TestCumulativeSpreadsEachLineOverItsTime(t *testing.T) {
	t0 := time.Unix(1_000, 0)
	lines := []metering.Line{
		{From: t0, To: t0.Add(100 * time.Second), Charged: "1000000000000000000"},                       // 1 token
		{From: t0.Add(50 * time.Second), To: t0.Add(150 * time.Second), Charged: "2000000000000000000"}, // 2 tokens
	}
	got := Cumulative(lines)
	wantX := []int64{1000, 1050, 1100, 1150}
	wantY := []float64{0, 0.5, 2, 3}
	if len(got.X) != len(wantX) {
		t.Fatalf("series %+v, want x %v y %v", got, wantX, wantY)
	}
	for i := range wantX {
		if got.X[i] != wantX[i] || got.Y[i] != wantY[i] {
			t.Fatalf("series %+v, want x %v y %v", got, wantX, wantY)
		}
	}
}

func TestPercent(t *testing.T) {
	if Percent(500, 4000) != 12 || Percent(1, 0) != 0 || Percent(5000, 4000) != 100 {
		t.Error("Percent")
	}
}
