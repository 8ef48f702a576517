package pricing

import (
	"errors"
	"math/big"
	"strings"
	"testing"
)

func units(t *testing.T, s string) *big.Int {
	t.Helper()
	v, err := ParseAmount(s)
	if err != nil {
		t.Fatalf("ParseAmount(%q): %v", s, err)
	}
	return v
}

func TestParseAmount(t *testing.T) {
	for _, tc := range []struct {
		in, want string // want in base units; "" = error
	}{
		{"1", "1000000000000000000"},
		{"0.25", "250000000000000000"},
		{"0", "0"},
		{"12.000000000000000001", "12000000000000000001"},
		{"0.000000000000000001", "1"},
		{"007.5", "7500000000000000000"},
		{"", ""},
		{"-1", ""},
		{"+1", ""},
		{"1e3", ""},
		{".5", ""},
		{"5.", ""},
		{"1.2.3", ""},
		{"0.0000000000000000001", ""}, // 19 decimals
		{"1,5", ""},
		{" 1", ""},
		{"0x10", ""},
	} {
		got, err := ParseAmount(tc.in)
		if tc.want == "" {
			if err == nil {
				t.Errorf("ParseAmount(%q) = %v, want an error", tc.in, got)
			}
			continue
		}
		if err != nil || got.String() != tc.want {
			t.Errorf("ParseAmount(%q) = %v, %v; want %s", tc.in, got, err, tc.want)
		}
	}
}

func TestFormatAmountRoundTrip(t *testing.T) {
	for _, s := range []string{"0", "1", "0.25", "12.000000000000000001", "123456789.5"} {
		if got := FormatAmount(units(t, s)); got != s {
			t.Errorf("FormatAmount(ParseAmount(%q)) = %q", s, got)
		}
	}
	if got := FormatAmount(big.NewInt(-5)); got != "-0.000000000000000005" {
		t.Errorf("negative: %q", got)
	}
}

func TestParsePrices(t *testing.T) {
	p, err := ParsePrices(map[string]string{
		MetaCPU: "0.036", MetaMem: "0.0072", "dec2.price.gpu_hour.A100-80GB": "2.5", "other": "x",
	})
	if err != nil {
		t.Fatal(err)
	}
	if p.CPUGHzHour.Cmp(units(t, "0.036")) != 0 || p.MemGBHour.Cmp(units(t, "0.0072")) != 0 ||
		p.DiskGBHour.Sign() != 0 || p.GPUHour["A100-80GB"].Cmp(units(t, "2.5")) != 0 || len(p.GPUHour) != 1 {
		t.Errorf("prices %+v", p)
	}
	_, err = ParsePrices(map[string]string{MetaCPU: "cheap", MetaDisk: "-1", MetaGPUPrefix: "1"})
	if err == nil {
		t.Fatal("malformed prices accepted")
	}
	for _, key := range []string{MetaCPU, MetaDisk, MetaGPUPrefix} {
		if !strings.Contains(err.Error(), key) {
			t.Errorf("error %q does not name %s", err, key)
		}
	}
}

func TestRate(t *testing.T) {
	prices := Prices{
		CPUGHzHour: big.NewInt(3_600_000), // 1000 base units per GHz-second
		MemGBHour:  big.NewInt(3_686_400), // 1 per MiB-second... ×1024/3600 = 1024 per GiB-second
		DiskGBHour: big.NewInt(0),
		GPUHour:    map[string]*big.Int{"A100-80GB": big.NewInt(36_000), "T4": big.NewInt(1)},
	}
	for _, tc := range []struct {
		name string
		r    Reserved
		want int64
		err  error
	}{
		{"nothing", Reserved{}, 0, nil},
		{"1 GHz", Reserved{CPUMHz: 1000}, 1000, nil},
		{"500 MHz", Reserved{CPUMHz: 500}, 500, nil},
		{"1 MHz rounds once", Reserved{CPUMHz: 1}, 1, nil},
		{"256 MiB", Reserved{MemMB: 256}, 256, nil},
		{"cpu+mem", Reserved{CPUMHz: 2000, MemMB: 1024}, 3024, nil},
		{"disk is free here", Reserved{DiskMB: 1 << 20}, 0, nil},
		{"gpu", Reserved{GPUs: map[string]int64{"A100-80GB": 2}}, 20, nil},
		// 1 base unit per hour: a fraction of a unit per second rounds up to 1.
		{"cheap gpu rounds up", Reserved{GPUs: map[string]int64{"T4": 1}}, 1, nil},
		{"unknown gpu", Reserved{GPUs: map[string]int64{"H100": 1}}, 0, ErrUnknownGPU},
		{"negative", Reserved{CPUMHz: -1}, 0, errors.New("negative")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Rate(prices, tc.r)
			if tc.err != nil {
				if err == nil {
					t.Fatalf("Rate = %v, want error", got)
				}
				if errors.Is(tc.err, ErrUnknownGPU) && !errors.Is(err, ErrUnknownGPU) {
					t.Fatalf("error %v, want ErrUnknownGPU", err)
				}
				return
			}
			if err != nil || got.Int64() != tc.want {
				t.Fatalf("Rate = %v, %v; want %d", got, err, tc.want)
			}
		})
	}
}

// A realistic EC2-like price list: the rate times an hour is within a second's rounding of the
// hourly cost, and never below it.
func TestRateMatchesHourlyCost(t *testing.T) {
	p, err := ParsePrices(map[string]string{MetaCPU: "0.0125", MetaMem: "0.004", MetaDisk: "0.0001", "dec2.price.gpu_hour.A100-80GB": "1.1"})
	if err != nil {
		t.Fatal(err)
	}
	r := Reserved{CPUMHz: 2300, MemMB: 3000, DiskMB: 10240, GPUs: map[string]int64{"A100-80GB": 1}}
	rate, err := Rate(p, r)
	if err != nil {
		t.Fatal(err)
	}
	hour, _ := HourlyCost(p, r)
	want := units(t, "1.1") // gpu
	want.Add(want, new(big.Int).Quo(new(big.Int).Mul(units(t, "0.0125"), big.NewInt(2300)), big.NewInt(1000)))
	if hour.Cmp(new(big.Int).Add(want, units(t, "0.01271875"))) != 0 { // 3000/1024×0.004 + 10×0.0001
		t.Errorf("hourly cost %s", FormatAmount(hour))
	}
	paid := new(big.Int).Mul(rate, big.NewInt(3600))
	if paid.Cmp(hour) < 0 || new(big.Int).Sub(paid, hour).Cmp(big.NewInt(3600)) >= 0 {
		t.Errorf("rate %s/s pays %s an hour for a cost of %s", rate, paid, hour)
	}
}

// A share costs the model's price over the share count, exactly: three shares of a card split
// three ways cost what the card does, with no rounding lost per share.
func TestRateOfShares(t *testing.T) {
	prices := Prices{
		CPUGHzHour: big.NewInt(3_600_000),
		GPUHour:    map[string]*big.Int{"A100-80GB": big.NewInt(36_000), "RTX4090": big.NewInt(7_200)},
		GPUShares:  map[string]int64{"A100-80GB": 4, "RTX4090": 3},
	}
	for _, tc := range []struct {
		name string
		r    Reserved
		hour int64 // HourlyCost
		rate int64
		err  error
	}{
		{"one quarter of an A100", Reserved{GPUShares: map[string]int64{"A100-80GB": 1}}, 9_000, 3, nil},
		{"whole and shared of one model", Reserved{GPUs: map[string]int64{"A100-80GB": 1}, GPUShares: map[string]int64{"A100-80GB": 2}}, 54_000, 15, nil},
		// 7200/3 = 2400 an hour: 0.67 a second rounds up to 1.
		{"a third of an RTX rounds up once", Reserved{GPUShares: map[string]int64{"RTX4090": 1}}, 2_400, 1, nil},
		{"all three thirds: the whole card", Reserved{GPUShares: map[string]int64{"RTX4090": 3}}, 7_200, 2, nil},
		{"share plus cpu rounds once", Reserved{CPUMHz: 1000, GPUShares: map[string]int64{"RTX4090": 1}}, 3_602_400, 1001, nil},
		{"share of an unpriced model", Reserved{GPUShares: map[string]int64{"H100": 1}}, 0, 0, ErrUnknownGPU},
		{"negative shares", Reserved{GPUShares: map[string]int64{"A100-80GB": -1}}, 0, 0, errors.New("negative")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rate, err := Rate(prices, tc.r)
			hour, herr := HourlyCost(prices, tc.r)
			if tc.err != nil {
				if err == nil || herr == nil {
					t.Fatalf("Rate = %v, HourlyCost = %v; want errors", rate, hour)
				}
				if errors.Is(tc.err, ErrUnknownGPU) && !errors.Is(err, ErrUnknownGPU) {
					t.Fatalf("error %v, want ErrUnknownGPU", err)
				}
				return
			}
			if err != nil || herr != nil || rate.Int64() != tc.rate || hour.Int64() != tc.hour {
				t.Fatalf("Rate = %v, %v; HourlyCost = %v, %v; want %d/s, %d/h", rate, err, hour, herr, tc.rate, tc.hour)
			}
		})
	}

	// A node that says nothing of its share count: not priced, least of all as a whole GPU.
	noSplit := prices
	noSplit.GPUShares = map[string]int64{"RTX4090": 3}
	_, err := Rate(noSplit, Reserved{GPUShares: map[string]int64{"A100-80GB": 1}})
	if !errors.Is(err, ErrUnknownShares) || !strings.Contains(err.Error(), AttrShares) || !strings.Contains(err.Error(), "A100-80GB") {
		t.Fatalf("share with no share count: %v, want ErrUnknownShares naming the model and attribute", err)
	}
	if _, err := HourlyCost(Prices{GPUHour: prices.GPUHour}, Reserved{GPUShares: map[string]int64{"RTX4090": 1}}); !errors.Is(err, ErrUnknownShares) {
		t.Fatalf("HourlyCost without share counts: %v, want ErrUnknownShares", err)
	}
}

func TestParseShares(t *testing.T) {
	got, err := ParseShares(map[string]string{"A100-80GB": "4", "RTX4090": "1", "old-plugin": ""})
	if err != nil || len(got) != 2 || got["A100-80GB"] != 4 || got["RTX4090"] != 1 {
		t.Fatalf("ParseShares = %v, %v", got, err)
	}
	for _, bad := range []string{"0", "-2", "0.5", "1/4", "4 MiB", "true", "four", "99999999999999999999"} {
		got, err := ParseShares(map[string]string{"A100-80GB": bad})
		if err == nil || len(got) != 0 {
			t.Errorf("ParseShares(%q) = %v, %v; want an error", bad, got, err)
			continue
		}
		for _, want := range []string{"A100-80GB", AttrShares, bad} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("ParseShares(%q) error %q does not name %q", bad, err, want)
			}
		}
	}
}

func TestUsageCost(t *testing.T) {
	p := Prices{CPUGHzHour: big.NewInt(3_600_000), MemGBHour: big.NewInt(0), DiskGBHour: big.NewInt(0)}
	// 500 MHz for 10 s = 5000 MHz·s = 5 GHz·s at 1000/GHz·s.
	got, err := UsageCost(p, Usage{CPUMHzSecs: 5000})
	if err != nil || got.Int64() != 5000 {
		t.Fatalf("UsageCost = %v, %v", got, err)
	}
}

func TestUsageCostOfShares(t *testing.T) {
	// 1 token an hour for an RTX split three ways, 2 for an A100 split four ways; 1 token = 10^18.
	p := Prices{
		GPUHour:   map[string]*big.Int{"RTX4090": units(t, "1"), "A100-80GB": units(t, "2")},
		GPUShares: map[string]int64{"RTX4090": 3, "A100-80GB": 4},
	}
	share := func(m string) string { return SharePrefix + m }
	for _, tc := range []struct {
		name string
		secs map[string]int64
		want string // base units; "" = error
	}{
		{"a whole RTX for an hour", map[string]int64{"RTX4090": 3600}, "1000000000000000000"},
		{"three thirds of an RTX for an hour: the whole card, exactly", map[string]int64{share("RTX4090"): 3 * 3600}, "1000000000000000000"},
		{"one third for an hour rounds up once", map[string]int64{share("RTX4090"): 3600}, "333333333333333334"},
		{"a quarter of an A100 for an hour", map[string]int64{share("A100-80GB"): 3600}, "500000000000000000"},
		{"a share-second is not a GPU-second", map[string]int64{share("A100-80GB"): 1}, "138888888888889"},
		{"whole and shared of one model", map[string]int64{"A100-80GB": 3600, share("A100-80GB"): 2 * 3600}, "3000000000000000000"},
		{"a share of an unpriced model", map[string]int64{share("H100"): 1}, ""},
	} {
		got, err := UsageCost(p, Usage{GPUSecs: tc.secs})
		if tc.want == "" {
			if !errors.Is(err, ErrUnknownGPU) {
				t.Errorf("%s: %v, %v; want ErrUnknownGPU", tc.name, got, err)
			}
			continue
		}
		if err != nil || got.String() != tc.want {
			t.Errorf("%s: UsageCost = %v, %v; want %s", tc.name, got, err, tc.want)
		}
	}
	// Three thirds priced one by one round up three times: pricing the summed seconds is exact.
	third, _ := UsageCost(p, Usage{GPUSecs: map[string]int64{share("RTX4090"): 3600}})
	if sum := new(big.Int).Mul(third, big.NewInt(3)); sum.String() != "1000000000000000002" {
		t.Errorf("three thirds priced apart = %s", sum)
	}
	_, err := UsageCost(Prices{GPUHour: p.GPUHour}, Usage{GPUSecs: map[string]int64{share("RTX4090"): 3600}})
	if !errors.Is(err, ErrUnknownShares) {
		t.Fatalf("share-seconds with no share count: %v, want ErrUnknownShares (never the whole GPU's price)", err)
	}
}

func FuzzParseAmount(f *testing.F) {
	for _, s := range []string{"1", "0.25", "", "1e5", "-3", "99999999999999999999.999999999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseAmount(s)
		if err != nil {
			return
		}
		if v.Sign() < 0 {
			t.Fatalf("negative amount from %q", s)
		}
		back, err := ParseAmount(FormatAmount(v))
		if err != nil || back.Cmp(v) != 0 {
			t.Fatalf("round trip of %q: %v %v", s, back, err)
		}
	})
}

func FuzzParseShares(f *testing.F) {
	for _, s := range []string{"4", "1", "0", "", "-1", "0.5", "4 MiB", "+8"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseShares(map[string]string{"m": s})
		if err != nil {
			return
		}
		if n, ok := got["m"]; ok && n < 1 {
			t.Fatalf("share count %d accepted from %q", n, s)
		}
		if _, ok := got["m"]; !ok && s != "" {
			t.Fatalf("%q neither accepted nor refused", s)
		}
	})
}

// A MIG instance without a price of its own costs its fraction of its GPU's price (the part of
// the card's memory the plugin reports); a price of its own wins.
func TestRateOfMIGSlices(t *testing.T) {
	slices, err := ParseSlices(map[string]SliceAttrs{
		"A100-80GB-MIG-3g.40gb": {Model: "A100-80GB", Fraction: "0.4906"}, // 40192 of 81920 MiB
		"A100-80GB-MIG-2g.20gb": {Model: "A100-80GB", Fraction: "0.2438"},
		"H100-MIG-1g.10gb":      {Model: "H100", Fraction: "0.1196"},
	})
	if err != nil {
		t.Fatal(err)
	}
	p := Prices{
		GPUHour: map[string]*big.Int{"A100-80GB": big.NewInt(70_000), "A100-80GB-MIG-2g.20gb": big.NewInt(5)},
		Slices:  slices,
	}
	for _, tc := range []struct {
		name string
		gpus map[string]int64
		hour int64
	}{
		{"one 3g slice", map[string]int64{"A100-80GB-MIG-3g.40gb": 1}, 34_342},
		{"two 3g slices", map[string]int64{"A100-80GB-MIG-3g.40gb": 2}, 68_684},
		{"a price of its own wins", map[string]int64{"A100-80GB-MIG-2g.20gb": 1}, 5},
		{"a slice beside its card", map[string]int64{"A100-80GB": 1, "A100-80GB-MIG-3g.40gb": 1}, 104_342},
	} {
		if got, err := HourlyCost(p, Reserved{GPUs: tc.gpus}); err != nil || got.Int64() != tc.hour {
			t.Errorf("%s: HourlyCost = %v, %v; want %d", tc.name, got, err, tc.hour)
		}
	}
	// Usage prices a slice's seconds the same way.
	if got, err := UsageCost(p, Usage{GPUSecs: map[string]int64{"A100-80GB-MIG-3g.40gb": 3600}}); err != nil || got.Int64() != 34_342 {
		t.Errorf("UsageCost of a slice-hour = %v, %v; want 34342", got, err)
	}
	// A slice of an unpriced GPU is not priced: the error names the slice and its GPU.
	_, err = HourlyCost(p, Reserved{GPUs: map[string]int64{"H100-MIG-1g.10gb": 1}})
	if !errors.Is(err, ErrUnknownGPU) || !strings.Contains(err.Error(), "H100-MIG-1g.10gb") || !strings.Contains(err.Error(), `"H100"`) {
		t.Errorf("slice of an unpriced GPU: %v, want ErrUnknownGPU naming both", err)
	}
}

func TestParseSlices(t *testing.T) {
	got, err := ParseSlices(map[string]SliceAttrs{"m-MIG-4g": {Model: "m", Fraction: "0.5"}, "m-MIG-all": {Model: "m", Fraction: "1"}})
	if err != nil || got["m-MIG-4g"].Fraction.Cmp(big.NewRat(1, 2)) != 0 || got["m-MIG-all"].Fraction.Cmp(big.NewRat(1, 1)) != 0 {
		t.Fatalf("ParseSlices = %v, %v", got, err)
	}
	for _, bad := range []SliceAttrs{{Model: "", Fraction: "0.5"}, {Model: "m", Fraction: "0"}, {Model: "m", Fraction: "-0.5"},
		{Model: "m", Fraction: "1.5"}, {Model: "m", Fraction: "half"}, {Model: "m", Fraction: ""}} {
		got, err := ParseSlices(map[string]SliceAttrs{"m-MIG-x": bad})
		if err == nil || len(got) != 0 || !strings.Contains(err.Error(), "m-MIG-x") || !strings.Contains(err.Error(), MetaGPUPrefix+"m-MIG-x") {
			t.Errorf("ParseSlices(%+v) = %v, %v; want an error naming the device and its own price key", bad, got, err)
		}
	}
}

func TestStorageRate(t *testing.T) {
	const gib = 1 << 30
	for _, c := range []struct {
		bytes int64
		price string
		want  string
	}{
		// 1 GiB at 0.36 tokens per GiB-hour: 0.36e18 / 3600 = 1e14 a second, exactly.
		{gib, "0.36", "100000000000000"},
		// 2 GiB: twice that.
		{2 * gib, "0.36", "200000000000000"},
		// One byte: 0.36e18 / (2^30 × 3600) = 93,132.26…, rounded up.
		{1, "0.36", "93133"},
		// 1.5 GiB at 0.3: 0.45e18 / 3600 = 125,000,000,000,000.
		{gib + gib/2, "0.3", "125000000000000"},
		{0, "0.3", "0"},
	} {
		if got := StorageRate(c.bytes, units(t, c.price)); got.String() != c.want {
			t.Errorf("StorageRate(%d B at %s/GiB-h) = %s, want %s", c.bytes, c.price, got, c.want)
		}
	}
}
