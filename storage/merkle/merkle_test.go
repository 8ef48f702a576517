package merkle

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"testing"
)

// naiveRoot builds the tree level by level, promoting the odd node: the definition Builder's
// streaming stack must agree with.
func naiveRoot(data []byte) Hash {
	var level []Hash
	for off := 0; off < len(data) || len(level) == 0; off += LeafSize {
		level = append(level, leafHash(data[off:min(off+LeafSize, len(data))]))
	}
	for len(level) > 1 {
		var next []Hash
		for j := 0; j < len(level); j += 2 {
			if j+1 < len(level) {
				next = append(next, nodeHash(level[j], level[j+1]))
			} else {
				next = append(next, level[j])
			}
		}
		level = next
	}
	return rootHash(uint64(len(data)), level[0])
}

func piece(n int, seed uint64) []byte {
	b := make([]byte, n)
	r := rand.New(rand.NewPCG(seed, 1))
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

var sizes = []int{0, 1, LeafSize - 1, LeafSize, LeafSize + 1, 2 * LeafSize, 3 * LeafSize, 3*LeafSize + 7, 5 * LeafSize, 6*LeafSize - 1, 7 * LeafSize, 8 * LeafSize, 9*LeafSize + 100, 13 * LeafSize}

func TestRootMatchesLevelByLevelTree(t *testing.T) {
	for _, n := range sizes {
		data := piece(n, uint64(n))
		want := naiveRoot(data)
		if got := Root(data); got != want {
			t.Errorf("size %d: Root %s, level by level %s", n, got, want)
		}
		// Written in odd chunks, the streaming root is the same.
		b := NewBuilder()
		for rest := data; len(rest) > 0; {
			k := min(len(rest), 1+len(rest)%1000)
			b.Write(rest[:k])
			rest = rest[k:]
		}
		if b.Root() != want || b.Size() != uint64(n) {
			t.Errorf("size %d: chunked root %s size %d", n, b.Root(), b.Size())
		}
	}
}

func TestRootCommitsToSizeAndContent(t *testing.T) {
	a := piece(3*LeafSize, 1)
	roots := map[Hash]string{}
	for name, d := range map[string][]byte{
		"piece": a, "one byte flipped": flip(a, 5000), "a trailing zero": append(bytes.Clone(a), 0),
		"last leaf dropped": a[:2*LeafSize], "empty": nil, "one zero byte": {0},
	} {
		r := Root(d)
		if other, dup := roots[r]; dup {
			t.Errorf("%s and %s share root %s", name, other, r)
		}
		roots[r] = name
	}
}

func flip(b []byte, i int) []byte {
	c := bytes.Clone(b)
	c[i] ^= 1
	return c
}

func TestEveryLeafProvesAndVerifies(t *testing.T) {
	for _, n := range sizes {
		data := piece(n, uint64(n)+7)
		root := Root(data)
		leaves := Leaves(uint64(n))
		for i := range leaves {
			leaf, p, err := Prove(bytes.NewReader(data), i)
			if err != nil {
				t.Fatalf("size %d leaf %d: %v", n, i, err)
			}
			if want := data[i*LeafSize : min((i+1)*LeafSize, uint64(n))]; !bytes.Equal(leaf, want) {
				t.Fatalf("size %d leaf %d: Prove returned other bytes", n, i)
			}
			if err := Verify(root, i, leaf, p); err != nil {
				t.Errorf("size %d leaf %d: %v", n, i, err)
			}
			if len(leaf) > 0 {
				if err := Verify(root, i, flip(leaf, len(leaf)-1), p); !errors.Is(err, ErrMismatch) {
					t.Errorf("size %d leaf %d: a flipped bit verifies: %v", n, i, err)
				}
			}
			if leaves > 1 {
				other := (i + 1) % leaves
				if err := Verify(root, other, leaf, p); err == nil {
					t.Errorf("size %d: leaf %d's proof verifies as leaf %d", n, i, other)
				}
			}
			for s := range p.Siblings {
				bad := Proof{Size: p.Size, Siblings: bytes2(p.Siblings)}
				bad.Siblings[s][0] ^= 1
				if err := Verify(root, i, leaf, bad); !errors.Is(err, ErrMismatch) {
					t.Errorf("size %d leaf %d: a changed sibling %d verifies: %v", n, i, s, err)
				}
			}
			if err := Verify(root, i, leaf, Proof{Size: p.Size + 1, Siblings: p.Siblings}); err == nil {
				t.Errorf("size %d leaf %d: verifies with a size one larger", n, i)
			}
		}
		if _, _, err := Prove(bytes.NewReader(data), leaves); err == nil {
			t.Errorf("size %d: leaf %d of %d proved", n, leaves, leaves)
		}
	}
}

func bytes2(h []Hash) []Hash { return append([]Hash(nil), h...) }

func TestProofLengthIsLogarithmic(t *testing.T) {
	data := piece(256*LeafSize, 3) // 256 leaves: 8 levels
	_, p, err := Prove(bytes.NewReader(data), 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Siblings) != 8 {
		t.Errorf("%d siblings for 256 leaves, want 8", len(p.Siblings))
	}
}

func TestHashText(t *testing.T) {
	h := Root([]byte("x"))
	b, _ := h.MarshalText()
	var back Hash
	if err := back.UnmarshalText(b); err != nil || back != h {
		t.Errorf("round trip of %s: %s, %v", b, back, err)
	}
	for _, bad := range []string{"", "0x12", h.String() + "00", "0x" + string(bytes.Repeat([]byte("g"), 64))} {
		if err := back.UnmarshalText([]byte(bad)); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
}

// FuzzVerify: whatever proof arrives, Verify never panics, and it accepts only the true leaf
// at the true index.
func FuzzVerify(f *testing.F) {
	data := piece(5*LeafSize+300, 9)
	root := Root(data)
	leaf, p, _ := Prove(bytes.NewReader(data), 4)
	flat := func(hs []Hash) []byte {
		var b []byte
		for _, h := range hs {
			b = append(b, h[:]...)
		}
		return b
	}
	f.Add(uint64(4), leaf, p.Size, flat(p.Siblings))
	f.Add(uint64(5), data[5*LeafSize:], p.Size, flat(p.Siblings))
	f.Add(uint64(0), []byte{}, uint64(0), []byte{})
	f.Fuzz(func(t *testing.T, index uint64, leaf []byte, size uint64, sibs []byte) {
		var q Proof
		q.Size = size
		for len(sibs) >= 32 {
			q.Siblings = append(q.Siblings, Hash(sibs[:32]))
			sibs = sibs[32:]
		}
		if Verify(root, index, leaf, q) != nil {
			return
		}
		if size != uint64(len(data)) || index >= Leaves(size) || !bytes.Equal(leaf, data[index*LeafSize:min((index+1)*LeafSize, size)]) {
			t.Fatalf("accepted leaf %d (%d bytes) of a %d-byte piece", index, len(leaf), size)
		}
	})
}

// BenchmarkRoot is the hashing every upload and every checked read does per piece: an 8 MiB
// piece, 8/16 of a 64 MiB segment.
func BenchmarkRoot(b *testing.B) {
	p := piece(8<<20, 1)
	b.SetBytes(int64(len(p)))
	for b.Loop() {
		Root(p)
	}
}
