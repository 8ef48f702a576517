package crypt

import (
	"bytes"
	"errors"
	"io"
	"math/rand/v2"
	"testing"
)

var sizes = []int{0, 1, 100, ChunkSize - 1, ChunkSize, ChunkSize + 1, 3*ChunkSize + 7, 4 * ChunkSize}

func randomBytes(r *rand.Rand, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

func TestStreamRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	key := RandomKey()
	s := NewStream(key)
	for _, n := range sizes {
		plain := randomBytes(r, n)
		ct, err := s.Seal(nil, plain)
		if err != nil {
			t.Fatal(err)
		}
		if int64(len(ct)) != CipherSize(int64(n)) {
			t.Fatalf("%d bytes: ciphertext %d, CipherSize says %d", n, len(ct), CipherSize(int64(n)))
		}
		got, err := s.Open(nil, ct)
		if err != nil || !bytes.Equal(got, plain) {
			t.Fatalf("%d bytes: Open: %v", n, err)
		}

		// The streaming writer and reader produce and accept the same bytes.
		var buf bytes.Buffer
		w := NewWriter(&buf, key)
		for rest := plain; len(rest) > 0; {
			m := min(len(rest), 1+r.IntN(3*ChunkSize))
			if _, err := w.Write(rest[:m]); err != nil {
				t.Fatal(err)
			}
			rest = rest[m:]
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(buf.Bytes(), ct) {
			t.Fatalf("%d bytes: writer and Seal differ", n)
		}
		got, err = io.ReadAll(NewReader(bytes.NewReader(ct), key))
		if err != nil || !bytes.Equal(got, plain) {
			t.Fatalf("%d bytes: reader: %v", n, err)
		}

		// SealInPlace over the spread layout gives the same ciphertext.
		spread := make([]byte, CipherSize(int64(n)))
		for i := int64(0); i < Chunks(int64(n)); i++ {
			copy(spread[i*CipherChunkSize:], plain[i*ChunkSize:min(int64(n), (i+1)*ChunkSize)])
		}
		inPlace, err := s.SealInPlace(spread, int64(n))
		if err != nil || !bytes.Equal(inPlace, ct) {
			t.Fatalf("%d bytes: SealInPlace differs: %v", n, err)
		}
	}
}

// open runs both decryption paths and checks they agree on the error.
func open(t *testing.T, key Key, ct []byte) error {
	t.Helper()
	_, err := NewStream(key).Open(nil, ct)
	_, rerr := io.ReadAll(NewReader(bytes.NewReader(ct), key))
	if !errors.Is(rerr, errors.Unwrap(err)) && !(err == nil && rerr == nil) {
		t.Fatalf("Open says %v, reader says %v", err, rerr)
	}
	return err
}

func TestStreamRefusesTampering(t *testing.T) {
	key := RandomKey()
	s := NewStream(key)
	plain := randomBytes(rand.New(rand.NewPCG(3, 4)), 3*ChunkSize+5) // chunks 0..3, the last short
	ct, _ := s.Seal(nil, plain)
	chunk := func(i int) []byte { return ct[i*CipherChunkSize : min(len(ct), (i+1)*CipherChunkSize)] }
	cat := func(parts ...[]byte) []byte { return bytes.Join(parts, nil) }
	other, _ := NewStream(RandomKey()).Seal(nil, plain)
	flipped := bytes.Clone(ct)
	flipped[ChunkSize+20] ^= 0x80

	for name, c := range map[string]struct {
		ct    []byte
		err   error
		chunk int64
	}{
		"bit flip":                  {flipped, ErrTampered, 1},
		"chunks swapped":            {cat(chunk(1), chunk(0), chunk(2), chunk(3)), ErrTampered, 0},
		"chunk dropped":             {cat(chunk(0), chunk(2), chunk(3)), ErrTampered, 1},
		"chunk from other stream":   {cat(chunk(0), other[CipherChunkSize:2*CipherChunkSize], chunk(2), chunk(3)), ErrTampered, 1},
		"cut at a chunk boundary":   {cat(chunk(0), chunk(1)), ErrTruncated, 1},
		"cut inside a chunk":        {ct[:len(ct)-3], ErrTampered, 3},
		"cut inside the tag":        {ct[:3*CipherChunkSize+10], ErrTruncated, 3},
		"empty":                     {nil, ErrTruncated, 0},
		"bytes appended":            {cat(ct, []byte{0}), ErrTampered, 3},
		"final chunk moved forward": {cat(chunk(0), chunk(3)), ErrTampered, 1},
	} {
		err := open(t, key, c.ct)
		var ce *ChunkError
		if !errors.As(err, &ce) || !errors.Is(err, c.err) || ce.Chunk != c.chunk {
			t.Errorf("%s: got %v, want %v at chunk %d", name, err, c.err, c.chunk)
		}
	}
	if err := open(t, RandomKey(), ct); !errors.Is(err, ErrTampered) {
		t.Errorf("wrong key: %v", err)
	}
}

func TestSpan(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	key := RandomKey()
	s := NewStream(key)
	for _, n := range sizes {
		plain := randomBytes(r, n)
		ct, _ := s.Seal(nil, plain)
		for range 50 {
			off := r.Int64N(int64(n) + 1)
			length := r.Int64N(int64(n) - off + 1)
			sp, err := SpanOf(off, length, int64(n))
			if err != nil {
				t.Fatal(err)
			}
			got, err := s.OpenSpan(nil, ct[sp.CipherOff:sp.CipherOff+sp.CipherLen], sp, int64(n))
			if err != nil {
				t.Fatalf("%d bytes [%d,+%d): %v", n, off, length, err)
			}
			if length > 0 {
				got = got[sp.Skip : sp.Skip+length]
			}
			if !bytes.Equal(got, plain[off:off+length]) {
				t.Fatalf("%d bytes [%d,+%d): wrong plaintext", n, off, length)
			}
		}
	}
	if _, err := SpanOf(5, 10, 12); !errors.Is(err, ErrRange) {
		t.Fatalf("range past the end: %v", err)
	}

	// A size from metadata that lies is caught: the chunk believed final is not.
	ct, _ := s.Seal(nil, make([]byte, 3*ChunkSize))
	sp, _ := SpanOf(ChunkSize, ChunkSize, 2*ChunkSize)
	var ce *ChunkError
	if _, err := s.OpenSpan(nil, ct[sp.CipherOff:sp.CipherOff+sp.CipherLen], sp, 2*ChunkSize); !errors.As(err, &ce) || ce.Chunk != 1 {
		t.Fatalf("lying size: %v", err)
	}
}

func FuzzStreamOpen(f *testing.F) {
	key := testKey(8)
	s := NewStream(key)
	ct, _ := s.Seal(nil, []byte("hello"))
	f.Add(ct)
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, ct []byte) {
		plain, err := s.Open(nil, ct)
		_, rerr := io.ReadAll(NewReader(bytes.NewReader(ct), key))
		if err != nil {
			if !errors.Is(err, ErrTampered) && !errors.Is(err, ErrTruncated) {
				t.Fatalf("untyped error %v", err)
			}
			if rerr == nil {
				t.Fatal("reader accepted what Open refused")
			}
			return
		}
		if rerr != nil {
			t.Fatalf("reader refused what Open accepted: %v", rerr)
		}
		if again, _ := s.Seal(nil, plain); !bytes.Equal(again, ct) {
			t.Fatal("an accepted ciphertext is not the sealing of its plaintext")
		}
	})
}

// BenchmarkSealInPlace is STREAM encryption alone over a 64 MiB segment.
func BenchmarkSealInPlace(b *testing.B) {
	const size = 64 << 20
	buf := make([]byte, CipherSize(size))
	s := NewStream(RandomKey())
	if _, err := s.SealInPlace(buf, size); err != nil { // fault the pages in before timing
		b.Fatal(err)
	}
	b.SetBytes(size)
	for b.Loop() {
		if _, err := s.SealInPlace(buf, size); err != nil {
			b.Fatal(err)
		}
	}
}
