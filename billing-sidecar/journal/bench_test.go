package journal

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"syscall"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// BenchmarkTick measures what one drive tick, one insolvency check and one settlement pass read
// from the journal (tickReads), on an empty journal and on one holding 1,000,000 closed intents
// (500,000 allocations whose open and close are both done). The per-tick cost must not depend
// on the history: the two must match within 10 %. The live variants add what a small running
// sidecar has open (100 open streams, 10 opens waiting for their consumer) to both.
// cpu-ns/op is the process's CPU time (user + system, GC included) per tick, which other
// processes' load on the machine disturbs less than the wall-clock ns/op.
//
//	go test -run '^$' -bench BenchmarkTick -benchmem -count 6 ./billing-sidecar/journal > new.txt
//	benchstat -col /closed new.txt  # empty against 1M closed intents, side by side
func BenchmarkTick(b *testing.B) {
	cases := []struct {
		name   string
		closed int
		live   bool
	}{
		{"live=0/closed=0", 0, false}, // empty
		{"live=0/closed=1M", 1_000_000, false},
		{"live=110/closed=0", 0, true},
		{"live=110/closed=1M", 1_000_000, true},
	}
	// Every journal first, so that each case is measured in the same process state (the
	// generation leaves the heap and the GC's pacing otherwise than an empty process).
	for _, tc := range cases {
		benchJournal(b, tc.closed, tc.live)
	}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			j := benchJournal(b, tc.closed, tc.live)
			runtime.GC()
			var read int
			cpu0 := cpuTime()
			for b.Loop() {
				n, err := tickReads(j)
				if err != nil {
					b.Fatal(err)
				}
				read = n
			}
			b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N), "cpu-ns/op")
			b.ReportMetric(float64(read), "intents/op")
		})
	}
}

// cpuTime is the CPU time this process has used, in nanoseconds.
func cpuTime() int64 {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return ru.Utime.Nano() + ru.Stime.Nano()
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

type benchKey struct {
	closed int
	live   bool
}

var (
	benchMu       sync.Mutex
	benchDir      string
	benchJournals = map[benchKey]*Journal{}
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

// benchJournal opens a journal holding `closed` finished intents (and the live set if live),
// generated once per test process in a temporary directory: bulk-written, 20,000 intents a
// transaction; the live variant of the large journal starts from a copy of its file.
func benchJournal(b *testing.B, closed int, live bool) *Journal {
	benchMu.Lock()
	defer benchMu.Unlock()
	key := benchKey{closed, live}
	if j := benchJournals[key]; j != nil {
		return j
	}
	if benchDir == "" {
		d, err := os.MkdirTemp("", "journal-bench-")
		if err != nil {
			b.Fatal(err)
		}
		benchDir = d
	}
	path := filepath.Join(benchDir, fmt.Sprintf("closed-%d-live-%v.db", closed, live))
	if live && closed > 0 {
		benchMu.Unlock()
		base := benchJournal(b, closed, false)
		benchMu.Lock()
		if err := copyFile(base.db.Path(), path); err != nil {
			b.Fatal(err)
		}
	}
	start := time.Now()
	j, err := Open(path)
	if err != nil {
		b.Fatal(err)
	}
	if !live {
		if err := fillClosed(j, closed); err != nil {
			b.Fatal(err)
		}
	} else if err := fillLive(j); err != nil {
		b.Fatal(err)
	}
	if closed > 0 && !live {
		fi, _ := os.Stat(path)
		b.Logf("generated %d closed intents in %s (%d MiB)", closed, time.Since(start).Round(time.Millisecond), fi.Size()>>20)
	}
	benchJournals[key] = j
	return j
}

func copyFile(from, to string) error {
	src, err := os.Open(from)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := os.Create(to)
	if err != nil {
		return err
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		return err
	}
	return dst.Close()
}

// fillLive adds 100 open streams (done opens) and 10 opens waiting for their consumer.
func fillLive(j *Journal) error {
	at := time.Unix(1_900_000_000, 0)
	return j.db.Update(func(tx *bolt.Tx) error {
		for k := 0; k < 110; k++ {
			alloc := fmt.Sprintf("live-%04d-4b7d-9f00-000000000000", k)
			in := Intent{
				Key: IntentKey(alloc, 0, KindOpen), Kind: KindOpen, AllocID: alloc, StreamKey: fmt.Sprintf("0x%064x", 1<<40+k),
				Consumer: "0x00000000000000000000000000000000000000c0", Provider: "0x00000000000000000000000000000000000000b0",
				Rate: "1000000000000", At: at.Unix(), State: Done, Created: at, Updated: at,
				Txs: []Tx{{Hash: fmt.Sprintf("0x%064x", 1<<40+k), Nonce: uint64(k), Raw: make([]byte, 110)}},
			}
			if k >= 100 {
				in.State, in.Txs, in.Reason, in.Err = Pending, nil, ReasonConsumer, "waiting for the consumer: deposit too small"
			}
			if err := benchPut(tx, in); err != nil {
				return err
			}
		}
		return nil
	})
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
