package segment

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"syscall"
	"testing"
	"time"

	"github.com/dec2-cloud/dec2/storage/crypt"
	"github.com/dec2-cloud/dec2/storage/erasure"
)

type discard struct{}

func (discard) Put(context.Context, *Segment, [][]byte) error { return nil }

// BenchmarkEncode is the upload data path per plaintext byte over one 64 MiB segment: read,
// STREAM-encrypt, erasure-code, BLAKE3-hash every piece, wrap the key. Target: ≥ 1 GB/s with
// -cpu 1.
func BenchmarkEncode(b *testing.B) {
	data := make([]byte, MaxSize)
	for _, kn := range [][2]int{{2, 4}, {4, 8}, {8, 16}} {
		b.Run(fmt.Sprintf("%d-%d", kn[0], kn[1]), func(b *testing.B) {
			code, _ := erasure.New(kn[0], kn[1])
			e := &Encoder{ObjectKey: crypt.RandomKey(), Code: code}
			// The first call grows the Encoder's buffer; a gateway's pooled Encoders are warm.
			if _, err := e.Encode(context.Background(), bytes.NewReader(data), discard{}); err != nil {
				b.Fatal(err)
			}
			b.SetBytes(MaxSize)
			start := cpuTime(b)
			for b.Loop() {
				if _, err := e.Encode(context.Background(), bytes.NewReader(data), discard{}); err != nil {
					b.Fatal(err)
				}
			}
			reportCPU(b, start, MaxSize)
		})
	}
}

// BenchmarkRead is the download path over the same segment with every piece healthy (data
// pieces only, no decoding), the in-memory store's copies included.
func BenchmarkRead(b *testing.B) {
	s := newStore()
	code, _ := erasure.New(8, 16)
	key := crypt.RandomKey()
	e := &Encoder{ObjectKey: key, Code: code}
	segs, err := e.Encode(context.Background(), bytes.NewReader(make([]byte, MaxSize)), s)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(MaxSize)
	start := cpuTime(b)
	for b.Loop() {
		if _, err := Read(context.Background(), io.Discard, key, segs, s, 0, MaxSize); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, start, MaxSize)
}

// cpuTime is the process's user and system CPU time. The benchmarks report throughput per CPU
// second besides per wall second, because the shared machine's other load inflates wall time
// while a -cpu 1 run's CPU time stays that of one core doing the work.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportCPU adds the MB-per-CPU-second metric for bytes per op, counted from start.
func reportCPU(b *testing.B, start time.Duration, bytes int64) {
	b.ReportMetric(float64(bytes)*float64(b.N)/(cpuTime(b)-start).Seconds()/1e6, "MB/cpu-s")
}
