package metering

import (
	"bytes"
	"math/big"
	"strings"
	"testing"
	"time"
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
