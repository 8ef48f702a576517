package regions

import (
	"errors"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	got, err := Parse(" eu, us ")
	if err != nil || strings.Join(got, "|") != "eu|us" {
		t.Fatalf("Parse = %v, %v; want [eu us]", got, err)
	}
	for _, bad := range []string{"", "eu,,us", "eu,eu", "e u", "eu;us"} {
		if _, err := Parse(bad); err == nil || !strings.Contains(err.Error(), MetaKey) {
			t.Errorf("Parse(%q) = %v, want an error naming %s", bad, err, MetaKey)
		}
	}
}

func TestRank(t *testing.T) {
	eu := Quote{Region: "eu", Placeable: true, NewProviders: 1, CostPerHour: 2}
	us := Quote{Region: "us", Placeable: true, NewProviders: 1, CostPerHour: 1}
	ap := Quote{Region: "ap", Placeable: true, NewProviders: 0, CostPerHour: 9}
	full := Quote{Region: "sa", Reason: "no provider has 64 GiB free"}
	for _, c := range []struct {
		name   string
		quotes []Quote
		first  string
	}{
		{"cheaper wins between equal openings", []Quote{eu, us}, "us"},
		{"fewer new providers beat price", []Quote{eu, us, ap}, "ap"},
		{"unplaceable regions are left out", []Quote{full, eu}, "eu"},
		{"a region the job runs in keeps it", []Quote{us, func() Quote { q := eu; q.Registered = true; return q }()}, "eu"},
		{"the consumer's order breaks ties", []Quote{{Region: "x", Placeable: true}, {Region: "y", Placeable: true}}, "x"},
		{"the tenant's data breaks a tie of openings and price", []Quote{us, func() Quote { q := us; q.Region = "eu"; q.LocalBytes = 1 << 20; return q }()}, "eu"},
		{"the tenant's data never beats a lower price", []Quote{{Region: "x", Placeable: true, CostPerHour: 1, LocalBytes: 1 << 30}, {Region: "y", Placeable: true, CostPerHour: 0.9}}, "y"},
	} {
		got, err := Rank("web", c.quotes)
		if err != nil || got[0].Region != c.first {
			t.Errorf("%s: Rank = %v, %v; want %s first", c.name, got, err, c.first)
		}
	}
	_, err := Rank("web", []Quote{full, {Region: "eu", Reason: "no GPU of model H100"}})
	var none *Unplaceable
	if !errors.As(err, &none) || !strings.Contains(err.Error(), "sa: no provider has 64 GiB free") || !strings.Contains(err.Error(), "eu: no GPU of model H100") {
		t.Errorf("Rank of unplaceable quotes = %v, want both regions' reasons", err)
	}
	if _, err := Rank("web", nil); !errors.Is(err, ErrNoQuotes) {
		t.Errorf("Rank(nil) = %v, want ErrNoQuotes", err)
	}
}
