package crypt

import (
	"errors"
	"strings"
	"testing"
)

func TestNamesRoundTripAndStructure(t *testing.T) {
	n := NewNames(BucketKey(testKey(9), "photos"))
	for _, p := range []string{"", "a", "a/b/c.txt", "dir/", "a//b", "/lead", "ünï/çødé", strings.Repeat("x", 1000)} {
		enc := n.EncryptPath(p)
		if strings.Count(enc, "/") != strings.Count(p, "/") {
			t.Errorf("%q: %q has a different number of components", p, enc)
		}
		if strings.HasSuffix(enc, "/") {
			t.Errorf("%q: %q ends in /", p, enc)
		}
		if len(p) >= 4 && strings.Contains(enc, p) {
			t.Errorf("%q: appears in %q", p, enc)
		}
		got, err := n.DecryptPath(enc)
		if err != nil || got != p {
			t.Errorf("%q: decrypts to %q, %v", p, got, err)
		}
		if enc != n.EncryptPath(p) {
			t.Errorf("%q: not deterministic", p)
		}
	}
}

func TestNamesListByPrefix(t *testing.T) {
	n := NewNames(BucketKey(testKey(10), "b"))
	names := []string{"a/b/c", "a/b/d", "a/bc", "a/x/c", "b/c", "ab"}
	enc := map[string]string{}
	for _, p := range names {
		enc[p] = n.EncryptPath(p)
	}
	// Every name under a directory prefix has that prefix's encryption as a prefix, and no
	// other name does.
	for _, prefix := range []string{"a/", "a/b/", "a/x/", "b/", ""} {
		d, partial := n.EncryptPrefix(prefix)
		if partial != "" {
			t.Fatalf("%q: partial %q", prefix, partial)
		}
		for _, p := range names {
			if strings.HasPrefix(p, prefix) != strings.HasPrefix(enc[p], d) {
				t.Errorf("prefix %q, name %q: plaintext and ciphertext prefix tests disagree", prefix, p)
			}
		}
		if got, err := n.DecryptPath(d); err != nil || got != prefix {
			t.Errorf("prefix %q decrypts to %q, %v", prefix, got, err)
		}
	}
	// A prefix ending inside a component lists its directory and filters the rest in clear.
	d, partial := n.EncryptPrefix("a/b")
	if d != n.EncryptPath("a")+"/" || partial != "b" {
		t.Fatalf("EncryptPrefix(a/b) = %q, %q", d, partial)
	}
	// Delimiter listing: the common prefix of a/b/c is the first two encrypted components.
	rest := strings.TrimPrefix(enc["a/b/c"], d)
	common := d + rest[:strings.IndexByte(rest, '/')+1]
	if got, err := n.DecryptPath(common); err != nil || got != "a/b/" {
		t.Fatalf("common prefix decrypts to %q, %v", got, err)
	}
	// Equal components under different parents differ (c under a/b and under a/x).
	if strings.Split(enc["a/b/c"], "/")[2] == strings.Split(enc["a/x/c"], "/")[2] {
		t.Fatal("c encrypts equally under two parents")
	}
	if strings.Split(enc["a/b/c"], "/")[0] != strings.Split(enc["a/x/c"], "/")[0] {
		t.Fatal("the shared parent a encrypts differently")
	}
}

func TestNamesDifferAcrossBuckets(t *testing.T) {
	m := testKey(11)
	a, b := NewNames(BucketKey(m, "one")), NewNames(BucketKey(m, "two"))
	if a.EncryptPath("x/y") == b.EncryptPath("x/y") {
		t.Fatal("two buckets encrypt a name equally")
	}
	if _, err := b.DecryptPath(a.EncryptPath("x/y")); !errors.Is(err, ErrTampered) {
		t.Fatalf("decrypting another bucket's name: %v", err)
	}
}

func TestNamesRefuseGarbage(t *testing.T) {
	n := NewNames(testKey(12))
	enc := n.EncryptPath("a/b")
	for name, c := range map[string]struct {
		in  string
		err error
	}{
		"not base64":      {"a*b", ErrMalformed},
		"too short":       {"AAAA", ErrMalformed},
		"swapped":         {strings.Join([]string{strings.Split(enc, "/")[1], strings.Split(enc, "/")[0]}, "/"), ErrTampered},
		"edited":          {"B" + enc[1:], ErrTampered},
		"empty component": {enc + "//", ErrMalformed},
		"only a slash":    {"/", ErrMalformed},
	} {
		if _, err := n.DecryptPath(c.in); !errors.Is(err, c.err) {
			t.Errorf("%s: got %v, want %v", name, err, c.err)
		}
	}
}

func FuzzDecryptPath(f *testing.F) {
	n := NewNames(testKey(13))
	f.Add(n.EncryptPath("a/b/c"))
	f.Add(n.EncryptPath("dir/"))
	f.Add("/")
	f.Fuzz(func(t *testing.T, enc string) {
		p, err := n.DecryptPath(enc)
		if err != nil {
			if !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrTampered) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		// Whatever decrypts re-encrypts to itself: names have one encryption.
		var again string
		switch {
		case enc == "":
			again = ""
		case strings.HasSuffix(enc, "/"):
			again, _ = n.EncryptPrefix(p)
		default:
			again = n.EncryptPath(p)
		}
		if again != enc {
			t.Fatalf("%q decrypts to %q, which encrypts to %q", enc, p, again)
		}
	})
}
