package piecesink_test

import (
	"fmt"
	"syscall"
	"testing"
	"time"

	"github.com/dec2-cloud/dec2/storage/piecesink"
)

// BenchmarkPlace times one segment's placement — 16 pieces of 8 MiB, the code of a region of
// 16 providers or more — on fleets of 200 and 2,000 providers (a quarter with a second node,
// over five datacenters, one node in eight full): the data path calls it once per segment.
// Besides wall time it reports CPU time per call (getrusage, the garbage collector's included),
// which the shared machine's other load inflates far less.
func BenchmarkPlace(b *testing.B) {
	for _, providers := range []int{200, 2000} {
		cands := fleet(1, providers)
		b.Run(fmt.Sprintf("providers=%d", providers), func(b *testing.B) {
			start := cpuTime(b)
			for b.Loop() {
				if _, err := piecesink.Place(cands, 16, 8<<20); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64((cpuTime(b)-start).Microseconds())/float64(b.N), "cpu-µs/op")
		})
	}
}

// cpuTime is the process's user and system CPU time.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
