package journal

import (
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/dec2-cloud/dec2/billing-sidecar/metering"
)

func TestIntentsSurviveReopenAndStayUnique(t *testing.T) {
	path := filepath.Join(t.TempDir(), "j.db")
	j, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	open := Intent{Key: IntentKey("a1", 0, KindOpen), Kind: KindOpen, AllocID: "a1", Rate: "5"}
	if err := j.Add(open); err != nil {
		t.Fatal(err)
	}
	if err := j.Add(Intent{Key: open.Key, Kind: KindOpen, AllocID: "a1", Rate: "999"}); !errors.Is(err, ErrExists) {
		t.Fatalf("second Add: %v, want ErrExists", err)
	}
	if err := j.Add(Intent{Key: IntentKey("a1", 0, KindClose), Kind: KindClose, AllocID: "a1"}); err != nil {
		t.Fatal(err)
	}
	if err := j.Add(Intent{Key: IntentKey("a10", 0, KindOpen), Kind: KindOpen, AllocID: "a10"}); err != nil {
		t.Fatal(err)
	}
	if _, err := j.Update(open.Key, func(in *Intent) error {
		in.State = Signed
		in.Txs = append(in.Txs, Tx{Hash: "0x1", Nonce: 3})
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := j.SetIndex(42); err != nil {
		t.Fatal(err)
	}
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}

	j, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	got, ok, err := j.Get(open.Key)
	if err != nil || !ok || got.Rate != "5" || got.State != Signed || len(got.Txs) != 1 || got.Txs[0].Nonce != 3 {
		t.Fatalf("after reopen: %+v %v %v", got, ok, err)
	}
	a1, err := j.Alloc("a1")
	if err != nil || len(a1) != 2 || a1[0].Kind != KindOpen || a1[1].Kind != KindClose {
		t.Fatalf("Alloc(a1) = %+v, %v (must not include a10)", a1, err)
	}
	pending, _ := j.Intents(Pending)
	if len(pending) != 2 {
		t.Fatalf("pending = %d, want 2", len(pending))
	}
	if idx, _ := j.Index(); idx != 42 {
		t.Fatalf("index %d", idx)
	}
	if _, err := j.Update("nope", func(*Intent) error { return nil }); err == nil {
		t.Fatal("updating a missing intent succeeded")
	}
}

func TestUsage(t *testing.T) {
	j, err := Open(filepath.Join(t.TempDir(), "j.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	base := time.Unix(1_800_000_000, 0)
	for i, c := range []string{"0xc1", "0xC2", "0xc1"} {
		r := metering.Record{AllocID: "a", Consumer: c, Provider: "0xp", From: base.Add(time.Duration(i) * time.Minute), To: base.Add(time.Duration(i+1) * time.Minute), Charged: "10"}
		if err := j.AddUsage(r); err != nil {
			t.Fatal(err)
		}
	}
	recs, err := j.Usage(metering.Filter{Consumer: "0xC1"})
	if err != nil || len(recs) != 2 {
		t.Fatalf("consumer filter: %d %v", len(recs), err)
	}
	recs, _ = j.Usage(metering.Filter{Since: base.Add(150 * time.Second)})
	if len(recs) != 1 || recs[0].Consumer != "0xc1" {
		t.Fatalf("since filter: %+v", recs)
	}
}

func TestLastSampleSurvivesAndIsForgotten(t *testing.T) {
	path := filepath.Join(t.TempDir(), "j.db")
	j, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Unix(1_800_000_000, 0).UTC()
	if err := j.Meter(nil, map[string]metering.Sample{"a": {At: at, CPUMHz: 12.5, Reachable: true}, "b": {At: at}}, nil); err != nil {
		t.Fatal(err)
	}
	j.Close()
	if j, err = Open(path); err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	smp, ok, err := j.LastSample("a")
	if err != nil || !ok || !smp.At.Equal(at) || smp.CPUMHz != 12.5 || !smp.Reachable {
		t.Fatalf("LastSample = %+v %v %v", smp, ok, err)
	}
	if err := j.Meter(nil, nil, []string{"a"}); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := j.LastSample("a"); ok {
		t.Fatal("forgotten sample still there")
	}
	if _, ok, _ := j.LastSample("b"); !ok {
		t.Fatal("other sample dropped")
	}
}
