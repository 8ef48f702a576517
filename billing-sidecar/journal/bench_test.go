package journal

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// BenchmarkTick measures what one drive tick, one insolvency check and one settlement pass read
// from the journal (tickReads), on an empty journal and on one holding 1,000,000 closed intents
// (500,000 allocations whose open and close are both done). The per-tick cost must not depend
// on the history: the two must match within 10 %.
//
//	go test -run '^$' -bench BenchmarkTick -benchmem -count 6 ./billing-sidecar/journal
func BenchmarkTick(b *testing.B) {
	for _, closed := range []int{0, 1_000_000} {
		name := "empty"
		if closed > 0 {
			name = fmt.Sprintf("closed=%dk", closed/1000)
		}
		b.Run(name, func(b *testing.B) {
			j := benchJournal(b, closed)
			var read int
			for b.Loop() {
				n, err := tickReads(j)
				if err != nil {
					b.Fatal(err)
				}
				read = n
			}
			b.ReportMetric(float64(read), "intents/op")
		})
	}
}

// tickReads is what the service's periodic loops read from the journal each tick:
// ledger.Drive (the unfinished intents), checkInsolvency (open streams and the unfinished
// intents) and settle (open streams). It returns how many intents they decoded.
func tickReads(j *Journal) (int, error) {
	n := 0
	drive, err := j.Unfinished()
	if err != nil {
		return n, err
	}
	n += len(drive)
	for pass := 0; pass < 2; pass++ { // insolvency, then settlement
		streams, err := j.OpenStreams()
		if err != nil {
			return n, err
		}
		n += len(streams)
		open := make(map[string]Intent, len(streams))
		for _, in := range streams {
			open[in.StreamKey] = in
		}
		if pass == 0 {
			waiting, err := j.Unfinished()
			if err != nil {
				return n, err
			}
			n += len(waiting)
		}
	}
	return n, nil
}

var (
	benchMu       sync.Mutex
	benchDir      string
	benchJournals = map[int]*Journal{}
)

func TestMain(m *testing.M) {
	code := m.Run()
	for _, j := range benchJournals {
		j.Close()
	}
	if benchDir != "" {
		os.RemoveAll(benchDir)
	}
	os.Exit(code)
}

// benchJournal opens a journal holding `closed` finished intents, generated once per test
// process in a temporary directory (bulk-written, 20,000 intents a transaction).
func benchJournal(b *testing.B, closed int) *Journal {
	benchMu.Lock()
	defer benchMu.Unlock()
	if j := benchJournals[closed]; j != nil {
		return j
	}
	if benchDir == "" {
		d, err := os.MkdirTemp("", "journal-bench-")
		if err != nil {
			b.Fatal(err)
		}
		benchDir = d
	}
	start := time.Now()
	j, err := Open(filepath.Join(benchDir, fmt.Sprintf("closed-%d.db", closed)))
	if err != nil {
		b.Fatal(err)
	}
	if err := fillClosed(j, closed); err != nil {
		b.Fatal(err)
	}
	if closed > 0 {
		fi, _ := os.Stat(j.db.Path())
		b.Logf("generated %d closed intents in %s (%d MiB)", closed, time.Since(start).Round(time.Millisecond), fi.Size()>>20)
	}
	benchJournals[closed] = j
	return j
}

// fillClosed writes n done intents (n/2 allocations, each an open and its close) shaped like
// the ledger's: a stream key, addresses, a rate and one signed transaction.
func fillClosed(j *Journal, n int) error {
	const batch = 20_000
	raw := make([]byte, 110) // a signed openStream/closeStream transaction is about this long
	at := time.Unix(1_800_000_000, 0)
	for i := 0; i < n; i += batch {
		err := j.db.Update(func(tx *bolt.Tx) error {
			for k := i; k < min(i+batch, n); k++ {
				alloc := fmt.Sprintf("%08x-1c3e-4b7d-9f00-%012x", k/2*2654435761%(1<<32), k/2)
				in := Intent{
					Kind: KindOpen, AllocID: alloc, StreamKey: fmt.Sprintf("0x%064x", k/2),
					Consumer: "0x00000000000000000000000000000000000000c0", Provider: "0x00000000000000000000000000000000000000b0",
					Rate: "1000000000000", At: at.Unix(), State: Done, Created: at, Updated: at,
					Txs: []Tx{{Hash: fmt.Sprintf("0x%064x", k), Nonce: uint64(k), Raw: raw}},
				}
				if k%2 == 1 {
					in.Kind, in.Consumer, in.Provider, in.Rate = KindClose, "", "", ""
				}
				in.Key = IntentKey(alloc, 0, in.Kind)
				if err := benchPut(tx, in); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// benchPut stores an intent the way the journal's own writes do.
func benchPut(tx *bolt.Tx, in Intent) error { return put(tx, in) }
