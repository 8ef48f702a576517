package journal

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/dec2-cloud/dec2/metering"
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

// checkIndexes compares the indexes with what the full history says.
func checkIndexes(t *testing.T, j *Journal, when string) {
	t.Helper()
	un, err := j.Unfinished()
	if err != nil {
		t.Fatalf("%s: Unfinished: %v", when, err)
	}
	want, _ := j.Intents(Pending, Signed)
	if !same(un, want) {
		t.Fatalf("%s: Unfinished = %s, history says %s", when, keys(un), keys(want))
	}
	open, err := j.OpenStreams()
	if err != nil {
		t.Fatalf("%s: OpenStreams: %v", when, err)
	}
	var byScan []Intent
	j.db.View(func(tx *bolt.Tx) error { byScan, err = openStreamsByScan(tx); return err })
	if !same(open, byScan) {
		t.Fatalf("%s: OpenStreams = %s, history says %s", when, keys(open), keys(byScan))
	}
	checkLatest(t, j, when)
}

// checkLatest compares each allocation's Latest with the last of its history.
func checkLatest(t *testing.T, j *Journal, when string) {
	t.Helper()
	all, _ := j.Intents()
	for _, in := range all {
		hist, _ := j.Alloc(in.AllocID)
		got, ok, err := j.Latest(in.AllocID)
		if err != nil || !ok || !same([]Intent{got}, hist[len(hist)-1:]) {
			t.Fatalf("%s: Latest(%s) = %s (%v, %v), history ends %s", when, in.AllocID, keys([]Intent{got}), ok, err, keys(hist[len(hist)-1:]))
		}
	}
	if _, ok, err := j.Latest("never-journaled"); ok || err != nil {
		t.Fatalf("%s: Latest of an allocation with no intents: %v, %v", when, ok, err)
	}
}

// same: the same intents, field for field, in the same order.
func same(a, b []Intent) bool { return len(a) == len(b) && (len(a) == 0 || reflect.DeepEqual(a, b)) }

func keys(ins []Intent) string {
	var ks []string
	for _, in := range ins {
		ks = append(ks, in.Key+"="+string(in.State))
	}
	return strings.Join(ks, ",")
}

// Random adds and state changes of opens and closes over a few allocations: after every write
// the indexes agree with the history.
func TestIndexesFollowEveryWrite(t *testing.T) {
	j, err := Open(filepath.Join(t.TempDir(), "j.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	j.db.NoSync = true // a test: no need to wait for the disk
	rng := rand.New(rand.NewPCG(1, 2))
	states := []State{Pending, Signed, Done, Done, Failed}
	mostOpen := 0
	for i := 0; i < 400; i++ {
		alloc, seg := fmt.Sprintf("a%d", rng.IntN(8)), rng.IntN(4)
		kind := KindOpen
		if rng.IntN(4) == 0 {
			kind = KindClose
		}
		key := IntentKey(alloc, seg, kind)
		if _, ok, _ := j.Get(key); !ok {
			if err := j.Add(Intent{Key: key, Kind: kind, AllocID: alloc, Segment: seg, StreamKey: alloc + "/" + strconv.Itoa(seg)}); err != nil {
				t.Fatal(err)
			}
		} else if _, err := j.Update(key, func(in *Intent) error {
			in.State, in.Rate = states[rng.IntN(len(states))], strconv.Itoa(i) // the copies must follow every change
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		checkIndexes(t, j, fmt.Sprintf("after write %d (%s)", i, key))
		open, _ := j.OpenStreams()
		mostOpen = max(mostOpen, len(open))
	}
	if mostOpen < 3 {
		t.Fatalf("at most %d streams open during the walk: it tests too little", mostOpen)
	}
}

func TestOpenStreamsAndUnfinished(t *testing.T) {
	j, err := Open(filepath.Join(t.TempDir(), "j.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	add := func(alloc string, kind Kind) string {
		key := IntentKey(alloc, 0, kind)
		if err := j.Add(Intent{Key: key, Kind: kind, AllocID: alloc, StreamKey: "sk-" + alloc}); err != nil {
			t.Fatal(err)
		}
		return key
	}
	set := func(key string, st State) {
		if _, err := j.Update(key, func(in *Intent) error { in.State = st; return nil }); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		step                   func()
		wantOpen, wantUnfinish string
	}{
		{func() { add("a", KindOpen) }, "", "a/0/open=pending"},
		{func() { set("a/0/open", Signed) }, "", "a/0/open=signed"},
		{func() { set("a/0/open", Done) }, "a/0/open=done", ""},
		{func() { add("b", KindOpen); set("b/0/open", Failed) }, "a/0/open=done", ""},
		{func() { add("a", KindClose) }, "", "a/0/close=pending"}, // journaled close: no longer settled
		{func() { set("a/0/close", Done) }, "", ""},
		{func() { add("c", KindClose); add("c", KindOpen); set("c/0/open", Done) }, "", "c/0/close=pending"}, // close first
	} {
		tc.step()
		open, _ := j.OpenStreams()
		un, _ := j.Unfinished()
		if keys(open) != tc.wantOpen || keys(un) != tc.wantUnfinish {
			t.Fatalf("open %q unfinished %q, want %q %q", keys(open), keys(un), tc.wantOpen, tc.wantUnfinish)
		}
	}
}

// writeLegacyJournal writes a journal file the way dec2-billing did before the indexes and
// Reason existed: the four buckets, intents as JSON without "reason".
func writeLegacyJournal(t *testing.T, path string, ins []Intent) {
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.Update(func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bIntents, bMeta, bUsage, bSamples} {
			if _, err := tx.CreateBucket(b); err != nil {
				return err
			}
		}
		// A half-built index left by nothing we know: the migration must not trust it.
		stale, _ := tx.CreateBucket(bUnfinished)
		stale.Put([]byte("ghost/0/open"), []byte{})
		for _, in := range ins {
			v, _ := json.Marshal(in)
			if strings.Contains(string(v), `"reason"`) {
				t.Fatalf("legacy intent %s carries a reason", in.Key)
			}
			if err := tx.Bucket(bIntents).Put([]byte(in.Key), v); err != nil {
				return err
			}
		}
		return tx.Bucket(bMeta).Put(kIndex, binary.BigEndian.AppendUint64(nil, 7))
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestMigrationBuildsIndexesOnceFromLegacyJournal(t *testing.T) {
	path := filepath.Join(t.TempDir(), "legacy.db")
	in := func(alloc string, seg int, kind Kind, st State, err string) Intent {
		return Intent{Key: IntentKey(alloc, seg, kind), Kind: kind, AllocID: alloc, Segment: seg, StreamKey: fmt.Sprintf("sk-%s-%d", alloc, seg), State: st, Err: err}
	}
	writeLegacyJournal(t, path, []Intent{
		in("closed", 0, KindOpen, Done, ""), in("closed", 0, KindClose, Done, ""), // history
		in("running", 0, KindOpen, Done, ""),                                                                              // open stream
		in("resumed", 0, KindOpen, Done, ""), in("resumed", 0, KindClose, Done, ""), in("resumed", 1, KindOpen, Done, ""), // open again, segment 1
		in("closing", 0, KindOpen, Done, ""), in("closing", 0, KindClose, Signed, ""), // close on its way: not open
		in("broke", 0, KindOpen, Pending, "waiting for the consumer: deposit too small: {...}"),
		in("retry", 0, KindOpen, Pending, "reverted; retrying"),
		in("orphan", 0, KindClose, Failed, "its stream was never opened"),
		in("refused", 0, KindOpen, Failed, "execution reverted: bad provider"),
	})
	wantOpen := "resumed/1/open=done,running/0/open=done"
	wantUnfinished := "broke/0/open=pending,closing/0/close=signed,retry/0/open=pending"

	// Read-only (dec2-billing statement while no sidecar runs): no migration, same answers.
	ro, err := OpenReadOnly(path)
	if err != nil {
		t.Fatal(err)
	}
	open, _ := ro.OpenStreams()
	un, _ := ro.Unfinished()
	checkLatest(t, ro, "read-only legacy journal")
	ro.Close()
	if keys(open) != wantOpen || keys(un) != wantUnfinished {
		t.Fatalf("read-only legacy journal: open %q unfinished %q", keys(open), keys(un))
	}

	j, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	checkIndexes(t, j, "after migration")
	open, _ = j.OpenStreams()
	un, _ = j.Unfinished()
	if keys(open) != wantOpen || keys(un) != wantUnfinished {
		t.Fatalf("migrated: open %q unfinished %q", keys(open), keys(un))
	}
	for key, want := range map[string]Reason{"broke/0/open": ReasonConsumer, "retry/0/open": ReasonReverted, "orphan/0/close": ReasonNeverOpened, "refused/0/open": ReasonRefused, "running/0/open": ""} {
		if got, _, _ := j.Get(key); got.Reason != want {
			t.Errorf("%s: reason %q from err %q, want %q", key, got.Reason, got.Err, want)
		}
	}
	if idx, _ := j.Index(); idx != 7 {
		t.Fatalf("nomad index %d after migration", idx)
	}
	// New writes keep the migrated indexes up to date.
	if _, err := j.Update("closing/0/close", func(in *Intent) error { in.State = Done; return nil }); err != nil {
		t.Fatal(err)
	}
	if err := j.Add(in("running", 0, KindClose, "", "")); err != nil {
		t.Fatal(err)
	}
	checkIndexes(t, j, "after writes on the migrated journal")
	j.Close()

	// Once: a reopen trusts the indexes (the marker is set) instead of rebuilding them. Prove
	// it by planting an entry only a rebuild would remove.
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	db.Update(func(tx *bolt.Tx) error {
		k := []byte("refused/0/open")
		return tx.Bucket(bUnfinished).Put(k, append([]byte(nil), tx.Bucket(bIntents).Get(k)...))
	})
	db.Close()
	if j, err = Open(path); err != nil {
		t.Fatal(err)
	}
	un, err = j.Unfinished()
	j.Close()
	if err != nil || !strings.Contains(keys(un), "refused/0/open") {
		t.Fatalf("reopen rebuilt the indexes: %s", keys(un))
	}
}

// Reason survives a round trip and is not re-derived from Err once set.
func TestReasonIsStored(t *testing.T) {
	j, err := Open(filepath.Join(t.TempDir(), "j.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	key := IntentKey("a", 0, KindOpen)
	j.Add(Intent{Key: key, Kind: KindOpen, AllocID: "a"})
	j.Update(key, func(in *Intent) error {
		in.Err, in.Reason = "some new wording of a deposit problem", ReasonConsumer
		return nil
	})
	if in, _, _ := j.Get(key); in.Reason != ReasonConsumer {
		t.Fatalf("reason %q", in.Reason)
	}
}

// A journal indexed by an older index version has its indexes rebuilt.
func TestMigrationRebuildsOtherIndexVersion(t *testing.T) {
	path := filepath.Join(t.TempDir(), "j.db")
	j, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	j.Add(Intent{Key: IntentKey("a", 0, KindOpen), Kind: KindOpen, AllocID: "a", StreamKey: "sk-a"})
	j.db.Update(func(tx *bolt.Tx) error {
		tx.DeleteBucket(bUnfinished)
		tx.CreateBucket(bUnfinished)
		return tx.Bucket(bMeta).Put(kIndexed, []byte{1})
	})
	j.Close()
	if j, err = Open(path); err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	if un, _ := j.Unfinished(); keys(un) != "a/0/open=pending" {
		t.Fatalf("unfinished after reopening a version-1 index: %q", keys(un))
	}
}
