package erasure

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestChoose(t *testing.T) {
	for _, c := range []struct{ providers, k, n int }{
		{4, 2, 4}, {5, 2, 4}, {6, 2, 4}, {7, 2, 4},
		{8, 4, 8}, {11, 4, 8}, {12, 6, 12}, {15, 6, 12},
		{16, 8, 16}, {17, 8, 16}, {2000, 8, 16},
	} {
		k, n, err := Choose(c.providers)
		if err != nil || k != c.k || n != c.n {
			t.Errorf("Choose(%d) = %d/%d, %v; want %d/%d", c.providers, k, n, err, c.k, c.n)
		}
	}
	for _, p := range []int{-1, 0, 3} {
		var tf *TooFewProvidersError
		if _, _, err := Choose(p); !errors.As(err, &tf) || tf.Providers != p {
			t.Errorf("Choose(%d): %v", p, err)
		}
	}
}

func randomBytes(r *rand.Rand, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

func hashes(pieces [][]byte) []PieceHash {
	h := make([]PieceHash, len(pieces))
	for i, p := range pieces {
		h[i] = HashPiece(p)
	}
	return h
}

// subsets calls f with every set of m of the n indexes.
func subsets(n, m int, f func([]int)) {
	var rec func(start int, cur []int)
	rec = func(start int, cur []int) {
		if len(cur) == m {
			f(cur)
			return
		}
		for i := start; i < n; i++ {
			rec(i+1, append(cur, i))
		}
	}
	rec(0, nil)
}

func TestDecodeAnyKPieces(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, kn := range [][2]int{{2, 4}, {4, 8}, {6, 12}} {
		c, err := New(kn[0], kn[1])
		if err != nil {
			t.Fatal(err)
		}
		for _, size := range []int{0, 1, kn[0] - 1, kn[0], 1000, 65537} {
			data := randomBytes(r, size)
			pieces, err := c.Encode(slices.Clone(data))
			if err != nil {
				t.Fatal(err)
			}
			if len(pieces) != c.N() || int64(len(pieces[0])) != c.PieceSize(int64(size)) {
				t.Fatalf("%d/%d, %d bytes: %d pieces of %d", c.K(), c.N(), size, len(pieces), len(pieces[0]))
			}
			if got := int64(c.K())*c.PieceSize(int64(size)) - c.Padding(int64(size)); got != int64(size) {
				t.Fatalf("padding %d does not account for the size", c.Padding(int64(size)))
			}
			h := hashes(pieces)
			// Every way of losing n−k pieces still decodes.
			subsets(c.N(), c.N()-c.K(), func(lost []int) {
				have := slices.Clone(pieces)
				for _, i := range lost {
					have[i] = nil
				}
				got, corrupt, err := c.Decode(have, h, int64(size))
				if err != nil || len(corrupt) > 0 || !bytes.Equal(got, data) {
					t.Fatalf("%d/%d, %d bytes, lost %v: %v, corrupt %v", c.K(), c.N(), size, lost, err, corrupt)
				}
			})
			// One more loss does not.
			have := slices.Clone(pieces)
			for i := range c.N() - c.K() + 1 {
				have[i] = nil
			}
			var ne *NotEnoughPiecesError
			if _, _, err := c.Decode(have, h, int64(size)); !errors.As(err, &ne) || ne.Have != c.K()-1 || ne.Need != c.K() {
				t.Fatalf("%d/%d with k−1 pieces: %v", c.K(), c.N(), err)
			}
		}
	}
}

func TestDecodeNamesCorruptPieces(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	c, _ := New(4, 8)
	data := randomBytes(r, 100_000)
	pieces, _ := c.Encode(slices.Clone(data))
	h := hashes(pieces)

	have := slices.Clone(pieces)
	have[1] = slices.Clone(pieces[1])
	have[1][7] ^= 1                        // flipped bit in a data piece
	have[6] = pieces[6][:len(pieces[6])-1] // short parity piece
	have[3] = nil                          // missing
	got, corrupt, err := c.Decode(have, h, int64(len(data)))
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("decode around corrupt pieces: %v", err)
	}
	if !slices.Equal(corrupt, []int{1, 6}) {
		t.Fatalf("corrupt = %v, want [1 6]", corrupt)
	}
	if have[1][7] == pieces[1][7] || have[3] != nil {
		t.Fatal("Decode modified its input")
	}

	// Corrupt pieces count against k: with 4 missing and 1 corrupt, it fails and says why.
	have = slices.Clone(pieces)
	have[0], have[2], have[4], have[5] = nil, nil, nil, nil
	have[7] = make([]byte, len(pieces[7]))
	var ne *NotEnoughPiecesError
	if _, _, err := c.Decode(have, h, int64(len(data))); !errors.As(err, &ne) || ne.Have != 3 || !slices.Equal(ne.Corrupt, []int{7}) {
		t.Fatalf("too few after corruption: %v", err)
	}
}

func TestReconstructFillsEveryPiece(t *testing.T) {
	c, _ := New(2, 4)
	pieces, _ := c.Encode(randomBytes(rand.New(rand.NewPCG(5, 6)), 999))
	have := slices.Clone(pieces)
	have[0], have[3] = nil, nil
	if err := c.Reconstruct(have); err != nil {
		t.Fatal(err)
	}
	for i := range pieces {
		if !bytes.Equal(have[i], pieces[i]) {
			t.Fatalf("piece %d rebuilt wrong", i)
		}
	}
	have[0], have[1], have[2] = nil, nil, nil
	var ne *NotEnoughPiecesError
	if err := c.Reconstruct(have); !errors.As(err, &ne) || ne.Have != 1 {
		t.Fatalf("one piece of 2/4: %v", err)
	}
	if err := c.Reconstruct(have[:3]); !errors.Is(err, ErrShape) {
		t.Fatalf("three entries for 2/4: %v", err)
	}
}

func TestEncodeUsesSpareCapacity(t *testing.T) {
	c, _ := New(4, 8)
	buf := make([]byte, 1000, c.EncodedSize(1000))
	pieces, err := c.Encode(buf)
	if err != nil {
		t.Fatal(err)
	}
	if &pieces[0][0] != &buf[0] || &pieces[7][0] != &buf[:cap(buf)][7*c.PieceSize(1000)] {
		t.Fatal("Encode copied a buffer that had room")
	}
}

func TestNewRefusesBadCodes(t *testing.T) {
	for _, kn := range [][2]int{{0, 4}, {4, 4}, {5, 4}, {100, 300}} {
		if _, err := New(kn[0], kn[1]); !errors.Is(err, ErrShape) {
			t.Errorf("New(%d, %d): %v", kn[0], kn[1], err)
		}
	}
}

// Widening a narrow segment (repair) adds the pieces m..n−1 of k/n to those of k/m and keeps
// its own: the pieces of k/m must be the first m of k/n, and k/n must rebuild from any k of
// them.
func TestNarrowerCodesArePrefixes(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	data := randomBytes(r, 100_003)
	for _, c := range []struct{ k, m, n int }{{2, 3, 4}, {4, 5, 8}, {4, 7, 8}, {6, 7, 12}, {8, 9, 16}, {8, 15, 16}} {
		narrow, err := New(c.k, c.m)
		if err != nil {
			t.Fatal(err)
		}
		wide, err := New(c.k, c.n)
		if err != nil {
			t.Fatal(err)
		}
		np, err := narrow.Encode(slices.Clone(data))
		if err != nil {
			t.Fatal(err)
		}
		wp, err := wide.Encode(slices.Clone(data))
		if err != nil {
			t.Fatal(err)
		}
		for i := range np {
			if !bytes.Equal(np[i], wp[i]) {
				t.Errorf("%d/%d: piece %d differs from %d/%d's", c.k, c.m, i, c.k, c.n)
			}
		}
		// The last k pieces of k/m, parity among them, rebuild every piece of k/n.
		shards := make([][]byte, c.n)
		for i := c.m - c.k; i < c.m; i++ {
			shards[i] = np[i]
		}
		if err := wide.Reconstruct(shards); err != nil {
			t.Fatal(err)
		}
		for i := range wp {
			if !bytes.Equal(shards[i], wp[i]) {
				t.Errorf("%d/%d rebuilt from %d/%d's last %d pieces: piece %d differs", c.k, c.n, c.k, c.m, c.k, i)
			}
		}
	}
}
