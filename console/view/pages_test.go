package view

import (
	"math/big"
	"testing"
	"time"

	"github.com/dec2-cloud/dec2/pricing"
)

func prices(t *testing.T, meta map[string]string) pricing.Prices {
	t.Helper()
	p, err := pricing.ParsePrices(meta)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// A provider's storage is charged at the lowest disk price of its nodes, as billing does.
func TestBucketCostAtTheProvidersLowestDiskPrice(t *testing.T) {
	nodes := []Node{
		{Wallet: "0xAA", Prices: prices(t, map[string]string{"dec2.price.disk_gb_hour": "0.02"})},
		{Wallet: "0xaa", Prices: prices(t, map[string]string{"dec2.price.disk_gb_hour": "0.01"})},
		{Wallet: "0xBB", Prices: prices(t, map[string]string{"dec2.price.disk_gb_hour": "0.005"})},
		{Wallet: "0xCC", PriceError: "node meta dec2.price.disk_gb_hour: bad"},
	}
	dp := DiskPrices(nodes)
	if len(dp) != 2 || pricing.FormatAmount(dp["0xaa"]) != "0.01" || pricing.FormatAmount(dp["0xbb"]) != "0.005" {
		t.Fatalf("disk prices %v, want 0xaa at 0.01 and 0xbb at 0.005", dp)
	}
	b := Bucket{Held: map[string]int64{"0xaa": 1 << 30, "0xBB": 2 << 30}}
	b.Price(dp)
	// Per provider, pricing.StorageRate a second (rounded up) times 3600: 0.01 + 2×0.005.
	want := new(big.Int).Mul(new(big.Int).Add(pricing.StorageRate(1<<30, dp["0xaa"]), pricing.StorageRate(2<<30, dp["0xbb"])), big.NewInt(3600))
	if b.Error != "" || b.CostPerHour != pricing.FormatAmount(want) || b.CostPerHour[:4] != "0.02" {
		t.Fatalf("cost %q (error %q), want %s", b.CostPerHour, b.Error, pricing.FormatAmount(want))
	}
	b = Bucket{Held: map[string]int64{"0xcc": 1 << 30}}
	b.Price(dp)
	if b.CostPerHour != "" || b.Error == "" {
		t.Fatalf("pieces on a provider without a price: cost %q, error %q", b.CostPerHour, b.Error)
	}
}

// A tenant's holdings are priced per provider as its buckets are, and total their sum; a
// provider without a price leaves the total unpriced.
func TestHoldingsPricedPerProvider(t *testing.T) {
	dp := DiskPrices([]Node{
		{Wallet: "0xAA", Prices: prices(t, map[string]string{"dec2.price.disk_gb_hour": "0.01"})},
		{Wallet: "0xBB", Prices: prices(t, map[string]string{"dec2.price.disk_gb_hour": "0.005"})},
	})
	read := time.Unix(1, 0)
	h := NewHoldings([]Holding{{Provider: "0xbb", Pieces: 2, Bytes: 2 << 30}, {Provider: "0xaa", Pieces: 1, Bytes: 1 << 30}}, read)
	h.Price(dp)
	one := func(p string, n int64) *big.Int {
		return new(big.Int).Mul(pricing.StorageRate(n, dp[p]), big.NewInt(3600))
	}
	if h.Pieces != 3 || h.Bytes != 3<<30 || !h.Read.Equal(read) || len(h.Providers) != 2 || h.Providers[0].Provider != "0xaa" {
		t.Fatalf("holdings %+v, want 3 pieces, 3 GiB, 0xaa first", h)
	}
	if h.Providers[0].CostPerHour != pricing.FormatAmount(one("0xaa", 1<<30)) || h.Providers[1].CostPerHour != pricing.FormatAmount(one("0xbb", 2<<30)) ||
		h.CostPerHour != pricing.FormatAmount(new(big.Int).Add(one("0xaa", 1<<30), one("0xbb", 2<<30))) || h.Error != "" {
		t.Fatalf("costs %+v", h)
	}
	h = NewHoldings([]Holding{{Provider: "0xaa", Bytes: 1 << 30}, {Provider: "0xcc", Bytes: 1 << 30}}, read)
	h.Price(dp)
	if h.Providers[0].Error != "" || h.Providers[1].Error == "" || h.Providers[1].CostPerHour != "" || h.CostPerHour != "" || h.Error == "" {
		t.Fatalf("a provider without a price: %+v", h)
	}
}

func TestPriceSpreads(t *testing.T) {
	var nodes []Node
	for _, cpu := range []string{"4", "1", "3", "2"} {
		nodes = append(nodes, Node{Status: "ready", Prices: prices(t, map[string]string{"dec2.price.cpu_ghz_hour": cpu, "dec2.price.mem_gb_hour": "0.5"})})
	}
	nodes = append(nodes, Node{Status: "down", Prices: prices(t, map[string]string{"dec2.price.cpu_ghz_hour": "100"})},
		Node{Status: "ready", PriceError: "bad"})
	got := PriceSpreads(nodes)
	if len(got) != 3 {
		t.Fatalf("spreads %+v, want CPU, memory and disk", got)
	}
	if c := got[0]; c.Nodes != 4 || c.Min != "1" || c.P25 != "1" || c.Median != "2" || c.P75 != "3" || c.Max != "4" {
		t.Errorf("CPU spread %+v, want 4 nodes 1/1/2/3/4", c)
	}
	if m := got[1]; m.Min != "0.5" || m.Max != "0.5" {
		t.Errorf("memory spread %+v", m)
	}
	if d := got[2]; d.Max != "0" {
		t.Errorf("disk spread %+v: no node prices disk, so all give it away", d)
	}
	if PriceSpreads([]Node{{Status: "down"}}) != nil {
		t.Error("spreads without a ready node")
	}
}

func TestPackingExcess(t *testing.T) {
	if (Packing{NodesUsed: 5, LowerBound: 3}).Excess() != 2 || (Packing{NodesUsed: 3, LowerBound: 3}).Excess() != 0 {
		t.Error("Excess")
	}
}

func TestEventsKeepTheNewest(t *testing.T) {
	r := Events{Cap: 3}
	for i := uint64(1); i <= 5; i++ {
		r.Add(OpEvent{Index: i, Seen: time.Unix(int64(i), 0)})
	}
	got := r.Newest()
	if len(got) != 3 || got[0].Index != 5 || got[2].Index != 3 {
		t.Fatalf("kept %+v, want 5, 4, 3", got)
	}
	var none Events
	none.Add(OpEvent{Index: 1})
	if len(none.Newest()) != 0 {
		t.Error("the zero Events kept an event")
	}
}

func TestBytes(t *testing.T) {
	for n, want := range map[int64]string{0: "0 B", 1023: "1023 B", 1024: "1.0 KiB", 24 << 20: "24.0 MiB", 3 << 30: "3.0 GiB"} {
		if got := Bytes(n); got != want {
			t.Errorf("Bytes(%d) = %q, want %q", n, got, want)
		}
	}
}
