package crypt

import (
	"bytes"
	"errors"
	"testing"
)

func testKey(b byte) Key {
	var k Key
	for i := range k {
		k[i] = b + byte(i)
	}
	return k
}

func TestDerivationsAreDistinct(t *testing.T) {
	m := testKey(1)
	seen := map[Key]string{}
	for name, k := range map[string]Key{
		"bucket a":          BucketKey(m, "a"),
		"bucket b":          BucketKey(m, "b"),
		"bucket a, other m": BucketKey(testKey(2), "a"),
		"object a/x":        ObjectKey(BucketKey(m, "a"), "x"),
		"object b/x":        ObjectKey(BucketKey(m, "b"), "x"),
		"object a/y":        ObjectKey(BucketKey(m, "a"), "y"),
		// Same parent and same variable part, different label.
		"object m/a": ObjectKey(m, "a"),
		"purpose a":  PurposeKey(m, "a"),
		"purpose b":  PurposeKey(m, "b"),
	} {
		if other, dup := seen[k]; dup {
			t.Fatalf("%s and %s derive the same key", name, other)
		}
		seen[k] = name
	}
	if a1, a2 := BucketKey(m, "a"), BucketKey(m, "a"); a1 != a2 {
		t.Fatal("derivation is not deterministic")
	}
}

func TestWrapUnwrap(t *testing.T) {
	kek, key := testKey(3), RandomKey()
	ctx := []byte("segment 0")
	w := WrapKey(kek, key, ctx)
	if len(w) != WrappedKeySize {
		t.Fatalf("envelope of %d bytes, want %d", len(w), WrappedKeySize)
	}
	if bytes.Contains(w, key[:]) {
		t.Fatal("envelope holds the key in clear")
	}
	if bytes.Equal(w, WrapKey(kek, key, ctx)) {
		t.Fatal("two wraps of one key are equal: the nonce is not random")
	}
	got, err := UnwrapKey(kek, w, ctx)
	if err != nil || got != key {
		t.Fatalf("unwrap: %v", err)
	}
	flipped := bytes.Clone(w)
	flipped[20] ^= 1
	for name, c := range map[string]struct {
		kek Key
		w   []byte
		ctx []byte
		err error
	}{
		"wrong kek":     {testKey(4), w, ctx, ErrTampered},
		"wrong context": {kek, w, []byte("segment 1"), ErrTampered},
		"flipped bit":   {kek, flipped, ctx, ErrTampered},
		"short":         {kek, w[:len(w)-1], ctx, ErrMalformed},
		"version":       {kek, append([]byte{2}, w[1:]...), ctx, ErrMalformed},
	} {
		if _, err := UnwrapKey(c.kek, c.w, c.ctx); !errors.Is(err, c.err) {
			t.Errorf("%s: got %v, want %v", name, err, c.err)
		}
	}
}

func TestKeyFromBytes(t *testing.T) {
	if _, err := KeyFromBytes(make([]byte, 31)); !errors.Is(err, ErrMalformed) {
		t.Fatalf("31 bytes: %v", err)
	}
	k := testKey(5)
	if got, err := KeyFromBytes(k[:]); err != nil || got != k {
		t.Fatalf("32 bytes: %v", err)
	}
}

func FuzzUnwrapKey(f *testing.F) {
	kek := testKey(6)
	f.Add(WrapKey(kek, testKey(7), []byte("c")), []byte("c"))
	f.Add([]byte{1}, []byte(nil))
	f.Fuzz(func(t *testing.T, w, ctx []byte) {
		k, err := UnwrapKey(kek, w, ctx)
		if err != nil {
			if !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrTampered) {
				t.Fatalf("untyped error %v", err)
			}
			if k != (Key{}) {
				t.Fatal("key returned with an error")
			}
			return
		}
		// Whatever opened must rewrap and reopen to the same key.
		if again, err := UnwrapKey(kek, WrapKey(kek, k, ctx), ctx); err != nil || again != k {
			t.Fatalf("rewrap: %v", err)
		}
	})
}
