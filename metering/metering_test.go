package metering

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/dec2-cloud/dec2/pricing"
)

func TestBetweenAndStatement(t *testing.T) {
	t0 := time.Unix(1_800_000_000, 0)
	s := func(sec int, mhz float64, rssMB uint64) Sample {
		return Sample{At: t0.Add(time.Duration(sec) * time.Second), CPUMHz: mhz, RSSBytes: rssMB << 20, Reachable: true, NodeID: "n1"}
	}
	r1, ok := Between(s(0, 100, 10), s(10, 300, 30), big.NewInt(7))
	if !ok || r1.CPUMHzSecs != 2000 || r1.MemMBSecs != 200 || r1.Charged != "70" || r1.Rate != "7" {
		t.Fatalf("record %+v", r1)
	}
	if _, ok := Between(s(10, 1, 1), s(10, 1, 1), nil); ok {
		t.Fatal("zero interval gave a record")
	}
	unreachable := s(20, 0, 0)
	unreachable.Reachable = false
	if _, ok := Between(s(10, 1, 1), unreachable, nil); ok {
		t.Fatal("unreachable sample gave a record")
	}
	r2, _ := Between(s(10, 300, 30), s(15, 300, 30), big.NewInt(7))
	r1.AllocID, r2.AllocID, r1.Consumer, r2.Consumer = "a", "a", "0xc", "0xc"
	lines := Statement([]Record{r2, r1})
	if len(lines) != 1 || lines[0].Seconds != 15 || lines[0].Charged != "105" || lines[0].CPUMHzSecs != 3500 || !lines[0].From.Equal(t0) {
		t.Fatalf("statement %+v", lines)
	}
	var csvOut, jsonOut bytes.Buffer
	if err := WriteCSV(&csvOut, lines); err != nil || !strings.Contains(csvOut.String(), "a,,,0xc,,") || strings.Count(csvOut.String(), "\n") != 2 {
		t.Fatalf("csv %q %v", csvOut.String(), err)
	}
	if err := WriteJSON(&jsonOut, nil); err != nil || strings.TrimSpace(jsonOut.String()) != "[]" {
		t.Fatalf("empty json %q", jsonOut.String())
	}
}

// Three allocations each holding one third of an RTX 4090 for an hour are charged, and their
// share-seconds priced, exactly as one allocation holding the whole card: a share's
// device-seconds are never priced at the whole GPU's price.
func TestSharesPricedAsShares(t *testing.T) {
	prices := pricing.Prices{GPUHour: map[string]*big.Int{"RTX4090": big.NewInt(10_800_000)}, GPUShares: map[string]int64{"RTX4090": 3}}
	whole, err := pricing.Rate(prices, pricing.Reserved{GPUs: map[string]int64{"RTX4090": 1}})
	if err != nil {
		t.Fatal(err)
	}
	third, err := pricing.Rate(prices, pricing.Reserved{GPUShares: map[string]int64{"RTX4090": 1}})
	if err != nil || whole.Int64() != 3000 || third.Int64() != 1000 {
		t.Fatalf("rates %v, %v (%v); want 3000 and 1000 a second", whole, third, err)
	}
	t0 := time.Unix(1_800_000_000, 0)
	at := func(sec int, gpus map[string]int64) Sample {
		return Sample{At: t0.Add(time.Duration(sec) * time.Second), GPUsInUse: gpus, Reachable: true}
	}
	shareKey := pricing.SharePrefix + "RTX4090"
	var recs []Record
	for _, id := range []string{"s1", "s2", "s3"} {
		gpus := map[string]int64{shareKey: 1}
		r, ok := Between(at(0, gpus), at(3600, gpus), third)
		if !ok {
			t.Fatal("no record")
		}
		r.AllocID = id
		recs = append(recs, r)
	}
	wholeRec, _ := Between(at(0, map[string]int64{"RTX4090": 1}), at(3600, map[string]int64{"RTX4090": 1}), whole)
	wholeRec.AllocID = "w"
	lines := Statement(append(recs, wholeRec))
	if len(lines) != 4 {
		t.Fatalf("statement %+v", lines)
	}
	sharesCharged, sharesUsage := new(big.Int), pricing.Usage{GPUSecs: map[string]int64{}}
	for _, l := range lines {
		u := l.Usage()
		cost, err := pricing.UsageCost(prices, u)
		if err != nil {
			t.Fatalf("%s: %v", l.AllocID, err)
		}
		c, _ := new(big.Int).SetString(l.Charged, 10)
		if l.AllocID == "w" {
			if u.GPUSecs["RTX4090"] != 3600 || len(u.GPUSecs) != 1 || l.Charged != "10800000" || cost.Int64() != 10_800_000 {
				t.Fatalf("whole card: gpu_seconds %v, charged %s, usage cost %v; want 3600 s, 10800000 both", u.GPUSecs, l.Charged, cost)
			}
			continue
		}
		if u.GPUSecs[shareKey] != 3600 || len(u.GPUSecs) != 1 || l.Charged != "3600000" || cost.Int64() != 3_600_000 {
			t.Fatalf("%s: gpu_seconds %v, charged %s, usage cost %v; want %s 3600 s, 3600000 both (a third of the card)", l.AllocID, u.GPUSecs, l.Charged, cost, shareKey)
		}
		sharesCharged.Add(sharesCharged, c)
		sharesUsage.GPUSecs[shareKey] += u.GPUSecs[shareKey]
	}
	sharesCost, err := pricing.UsageCost(prices, sharesUsage)
	if err != nil || sharesCharged.String() != "10800000" || sharesCost.String() != "10800000" {
		t.Fatalf("three thirds: charged %s, usage cost %v (%v); want the whole card's 10800000", sharesCharged, sharesCost, err)
	}

	var csvOut, jsonOut bytes.Buffer
	if err := WriteCSV(&csvOut, lines); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&csvOut).ReadAll()
	if err != nil || len(rows) != 5 || rows[0][10] != "gpu_seconds" {
		t.Fatalf("csv rows %q, %v", rows, err)
	}
	for _, row := range rows[1:] {
		want := shareKey + "=3600"
		if row[0] == "w" {
			want = "RTX4090=3600"
		}
		if row[10] != want {
			t.Errorf("csv %s gpu_seconds %q, want %q", row[0], row[10], want)
		}
	}
	if err := WriteJSON(&jsonOut, lines); err != nil {
		t.Fatal(err)
	}
	var back []Line
	if err := json.Unmarshal(jsonOut.Bytes(), &back); err != nil || len(back) != 4 || back[0].GPUSecs[shareKey]+back[3].GPUSecs["RTX4090"] != 7200 {
		t.Fatalf("json round trip %+v, %v", back, err)
	}
}

// A storage stream's records sum into one line labelled storage, holding the bytes of its
// latest record and GiB × hours over all of them, in JSON and CSV.
func TestStorageLines(t *testing.T) {
	t0 := time.Unix(1_800_000_000, 0)
	rec := func(from, to int, stored int64, charged string) Record {
		return Record{Kind: KindStorage, AllocID: "storage/0xc/0xp", Consumer: "0xc", Provider: "0xp",
			From: t0.Add(time.Duration(from) * time.Second), To: t0.Add(time.Duration(to) * time.Second), StoredBytes: stored, Rate: "1", Charged: charged}
	}
	// One GiB for half an hour, then two for an hour: 2.5 GiB-hours; two GiB held at the end.
	lines := Statement([]Record{rec(1800, 5400, 2<<30, "7200"), rec(0, 1800, 1<<30, "1800")})
	if len(lines) != 1 {
		t.Fatalf("lines %+v", lines)
	}
	l := lines[0]
	if l.Kind != KindStorage || l.StoredBytes != 2<<30 || l.StoredGiB() != 2 || l.GiBHours != 2.5 || l.Charged != "9000" || l.Seconds != 5400 {
		t.Errorf("storage line %+v", l)
	}
	var csvOut, jsonOut bytes.Buffer
	if err := WriteCSV(&csvOut, lines); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&csvOut).ReadAll()
	if err != nil || len(rows) != 2 || strings.Join(rows[0][12:], ",") != "kind,stored_bytes,gib_hours" ||
		strings.Join(rows[1][12:], ",") != "storage,2147483648,2.500000" {
		t.Errorf("csv %q, %v", rows, err)
	}
	if err := WriteJSON(&jsonOut, lines); err != nil {
		t.Fatal(err)
	}
	var back []Line
	if err := json.Unmarshal(jsonOut.Bytes(), &back); err != nil || back[0].Kind != KindStorage || back[0].StoredBytes != 2<<30 || back[0].GiBHours != 2.5 {
		t.Errorf("json %s: %+v, %v", jsonOut.String(), back, err)
	}
}
