package erasure

import (
	"fmt"
	"syscall"
	"testing"
	"time"
)

// BenchmarkEncode measures coding alone over one 64 MiB segment, per data byte. 29/80 is
// Storj's coding, for comparison with ours.
func BenchmarkEncode(b *testing.B) {
	const size = 64 << 20
	for _, kn := range [][2]int{{2, 4}, {4, 8}, {8, 16}, {29, 80}} {
		b.Run(fmt.Sprintf("%d-%d", kn[0], kn[1]), func(b *testing.B) {
			c, err := New(kn[0], kn[1])
			if err != nil {
				b.Fatal(err)
			}
			buf := make([]byte, size, c.EncodedSize(size))
			// Touch every page first: faulting 64–180 MiB in would be timed otherwise.
			if _, err := c.Encode(buf[:size]); err != nil {
				b.Fatal(err)
			}
			b.SetBytes(size)
			start := cpuTime(b)
			for b.Loop() {
				if _, err := c.Encode(buf[:size]); err != nil {
					b.Fatal(err)
				}
			}
			reportCPU(b, start, size)
		})
	}
}

// BenchmarkHashPiece is BLAKE3 over one 8 MiB piece (8/16 of a 64 MiB segment).
func BenchmarkHashPiece(b *testing.B) {
	p := make([]byte, 8<<20)
	b.SetBytes(int64(len(p)))
	start := cpuTime(b)
	for b.Loop() {
		HashPiece(p)
	}
	reportCPU(b, start, int64(len(p)))
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
