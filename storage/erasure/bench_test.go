package erasure

import (
	"fmt"
	"testing"
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
			b.SetBytes(size)
			for b.Loop() {
				if _, err := c.Encode(buf[:size]); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
