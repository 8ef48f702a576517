package segment

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"

	"github.com/dec2-cloud/dec2/storage/crypt"
	"github.com/dec2-cloud/dec2/storage/erasure"
)

// store keeps pieces in memory and can lose or corrupt some of them.
type store struct {
	mu      sync.Mutex
	pieces  map[[3]int][]byte // part, index, piece
	down    map[int]bool      // piece numbers that fail to read
	corrupt map[int]bool      // piece numbers read back with a flipped bit
	read    int64             // bytes served
}

func newStore() *store {
	return &store{pieces: map[[3]int][]byte{}, down: map[int]bool{}, corrupt: map[int]bool{}}
}

func (s *store) Put(_ context.Context, seg *Segment, pieces [][]byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, p := range pieces {
		s.pieces[[3]int{seg.Part, seg.Index, i}] = slices.Clone(p)
	}
	return nil
}

func (s *store) Get(_ context.Context, seg *Segment, i int, off, length int64) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.down[i] {
		return nil, fmt.Errorf("piece %d: provider down", i)
	}
	p := slices.Clone(s.pieces[[3]int{seg.Part, seg.Index, i}][off : off+length])
	if s.corrupt[i] && len(p) > 0 {
		p[len(p)/2] ^= 1
	}
	s.read += length
	return p, nil
}

func randomBytes(r *rand.Rand, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

const testSegSize = 2 * crypt.ChunkSize

func put(t *testing.T, s *store, key crypt.Key, k, n int, data []byte) []Segment {
	t.Helper()
	code, err := erasure.New(k, n)
	if err != nil {
		t.Fatal(err)
	}
	e := &Encoder{ObjectKey: key, Code: code, SegmentSize: testSegSize}
	segs, err := e.Encode(context.Background(), bytes.NewReader(data), s)
	if err != nil {
		t.Fatal(err)
	}
	return segs
}

func read(segs []Segment, s *store, key crypt.Key, off, length int64) ([]byte, []BadPiece, error) {
	var out bytes.Buffer
	bad, err := Read(context.Background(), &out, key, segs, s, off, length)
	return out.Bytes(), bad, err
}

func TestRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	key := crypt.RandomKey()
	for _, size := range []int{0, 1, crypt.ChunkSize - 1, crypt.ChunkSize, crypt.ChunkSize + 1, testSegSize, 2 * testSegSize, 5*crypt.ChunkSize + 3} {
		for _, kn := range [][2]int{{2, 4}, {4, 8}} {
			s := newStore()
			data := randomBytes(r, size)
			segs := put(t, s, key, kn[0], kn[1], data)
			if want := max(1, (size+testSegSize-1)/testSegSize); len(segs) != want {
				t.Fatalf("%d bytes: %d segments, want %d", size, len(segs), want)
			}
			if Size(segs) != int64(size) || !segs[len(segs)-1].Last {
				t.Fatalf("%d bytes: segments sum to %d, last %v", size, Size(segs), segs[len(segs)-1].Last)
			}
			got, bad, err := read(segs, s, key, 0, int64(size))
			if err != nil || len(bad) > 0 || !bytes.Equal(got, data) {
				t.Fatalf("%d bytes, %d/%d: %v, bad %v", size, kn[0], kn[1], err, bad)
			}
			for range 20 {
				off := r.Int64N(int64(size) + 1)
				length := r.Int64N(int64(size) - off + 1)
				got, _, err := read(segs, s, key, off, length)
				if err != nil || !bytes.Equal(got, data[off:off+length]) {
					t.Fatalf("%d bytes [%d, +%d): %v", size, off, length, err)
				}
			}
		}
	}
}

func TestPiecesHoldNoPlaintext(t *testing.T) {
	s := newStore()
	data := bytes.Repeat([]byte("plaintext that must not reach a provider "), 5000)
	put(t, s, crypt.RandomKey(), 2, 4, data)
	for id, p := range s.pieces {
		if bytes.Contains(p, data[:16]) {
			t.Fatalf("piece %v holds plaintext", id)
		}
	}
}

func TestReadsWithPiecesLost(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	key := crypt.RandomKey()
	s := newStore()
	data := randomBytes(r, 5*crypt.ChunkSize+3)
	segs := put(t, s, key, 4, 8, data)
	for _, down := range [][]int{{0}, {0, 1, 2, 3}, {1, 3, 5, 7}, {4, 5, 6, 7}} {
		s.down = map[int]bool{}
		for _, i := range down {
			s.down[i] = true
		}
		got, _, err := read(segs, s, key, 0, int64(len(data)))
		if err != nil || !bytes.Equal(got, data) {
			t.Fatalf("pieces %v down: %v", down, err)
		}
	}
	s.down = map[int]bool{0: true, 2: true, 4: true, 6: true, 7: true}
	var ne *erasure.NotEnoughPiecesError
	if _, _, err := read(segs, s, key, 0, int64(len(data))); !errors.As(err, &ne) {
		t.Fatalf("n−k+1 pieces down: %v", err)
	}
}

func TestCorruptPieceNamedAndRoutedAround(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	key := crypt.RandomKey()
	s := newStore()
	data := randomBytes(r, 3*crypt.ChunkSize)
	segs := put(t, s, key, 2, 4, data)
	s.corrupt[1] = true
	s.down[3] = true
	got, bad, err := read(segs, s, key, 0, int64(len(data)))
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("read around a corrupt piece: %v", err)
	}
	var corrupt []int
	for _, b := range bad {
		if b.Piece == 1 {
			corrupt = append(corrupt, b.Segment)
		}
	}
	if !slices.Equal(corrupt, []int{0, 1}) {
		t.Fatalf("piece 1 named bad in segments %v, want [0 1] (bad: %v)", corrupt, bad)
	}
	// Two bad pieces of 2/4 leave two: still enough. A third is not.
	s.corrupt[2] = true
	if _, _, err := read(segs, s, key, 0, int64(len(data))); err == nil {
		t.Fatal("read with three of four pieces bad")
	}
}

func TestRangeReadFetchesOnlyItsChunks(t *testing.T) {
	key := crypt.RandomKey()
	s := newStore()
	data := randomBytes(rand.New(rand.NewPCG(7, 8)), 6*crypt.ChunkSize)
	segs := put(t, s, key, 2, 4, data)
	s.read = 0
	off := int64(3*crypt.ChunkSize + 100)
	got, _, err := read(segs, s, key, off, 10)
	if err != nil || !bytes.Equal(got, data[off:off+10]) {
		t.Fatal(err)
	}
	if s.read != crypt.CipherChunkSize {
		t.Fatalf("10-byte range read fetched %d bytes, want one chunk (%d)", s.read, crypt.CipherChunkSize)
	}
}

func TestTamperedMetadataRefused(t *testing.T) {
	key := crypt.RandomKey()
	s := newStore()
	data := randomBytes(rand.New(rand.NewPCG(9, 10)), 5*crypt.ChunkSize)
	segs := put(t, s, key, 2, 4, data) // three segments
	whole := func(segs []Segment) error {
		_, _, err := read(segs, s, key, 0, Size(segs))
		return err
	}
	clone := func() []Segment { return slices.Clone(segs) }

	swapped := clone()
	swapped[0].WrappedKey, swapped[1].WrappedKey = swapped[1].WrappedKey, swapped[0].WrappedKey
	swapped[0].Hashes, swapped[1].Hashes = swapped[1].Hashes, swapped[0].Hashes
	truncated := clone()[:2]
	truncated[1].Last = true
	resized := clone()
	resized[2].Size--
	otherKey := clone()
	otherKey[0].WrappedKey = crypt.WrapKey(crypt.RandomKey(), crypt.RandomKey(), otherKey[0].context())
	for name, c := range map[string]struct {
		segs []Segment
		err  error
	}{
		"segment keys swapped":       {swapped, crypt.ErrTampered},
		"final segment dropped":      {truncated, crypt.ErrTampered},
		"size changed":               {resized, crypt.ErrTampered},
		"key wrapped by another key": {otherKey, crypt.ErrTampered},
		"final flag lost":            {clone()[:2], ErrLayout},
		"index gap":                  {[]Segment{segs[0], segs[2]}, ErrLayout},
		"no segments":                {nil, nil},
	} {
		if err := whole(c.segs); !errors.Is(err, c.err) {
			t.Errorf("%s: got %v, want %v", name, err, c.err)
		}
	}
}

func TestMultipartParts(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	key := crypt.RandomKey()
	s := newStore()
	code, _ := erasure.New(2, 4)
	var segs []Segment
	var want []byte
	for _, part := range []int{1, 3} {
		data := randomBytes(r, 3*crypt.ChunkSize+part)
		e := &Encoder{ObjectKey: key, Code: code, Part: part, SegmentSize: testSegSize}
		ps, err := e.Encode(context.Background(), bytes.NewReader(data), s)
		if err != nil {
			t.Fatal(err)
		}
		segs, want = append(segs, ps...), append(want, data...)
	}
	got, _, err := read(segs, s, key, 0, Size(segs))
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("two parts: %v", err)
	}
	reordered := append(slices.Clone(segs[2:]), segs[:2]...)
	if _, _, err := read(reordered, s, key, 0, Size(segs)); !errors.Is(err, ErrLayout) {
		t.Fatalf("parts reordered: %v", err)
	}
	renumbered := slices.Clone(segs)
	renumbered[0].Part, renumbered[1].Part = 2, 2
	if _, _, err := read(renumbered, s, key, 0, Size(segs)); !errors.Is(err, crypt.ErrTampered) {
		t.Fatalf("part renumbered: %v", err)
	}
}

func TestEncoderRefusesBadSegmentSize(t *testing.T) {
	code, _ := erasure.New(2, 4)
	for _, size := range []int64{-crypt.ChunkSize, 1000, MaxSize + crypt.ChunkSize} {
		e := &Encoder{Code: code, SegmentSize: size}
		if _, err := e.Encode(context.Background(), bytes.NewReader(nil), newStore()); !errors.Is(err, ErrSegmentSize) {
			t.Errorf("segment size %d: %v", size, err)
		}
	}
}
