package sqlstore_test

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/dec2-cloud/dec2/storage/meta"
)

// keysOf lists every page of opt and returns the keys and common prefixes in order.
func listAll(t *testing.T, s meta.Store, opt meta.ListOptions) (keys, prefixes []string, pages int) {
	t.Helper()
	for {
		page, err := s.ListObjects(ctx(t), alice, []byte("b"), opt)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		if n := len(page.Objects) + len(page.Prefixes); n > opt.Limit && opt.Limit > 0 {
			t.Fatalf("page of %d entries, limit %d", n, opt.Limit)
		}
		for _, o := range page.Objects {
			if len(o.Segments) != 0 || o.ETag == "" || o.Version == 0 {
				t.Fatalf("listed object %+v: want its row without segments", o)
			}
			keys = append(keys, string(o.Key))
		}
		for _, p := range page.Prefixes {
			prefixes = append(prefixes, string(p))
		}
		if !page.Truncated {
			return keys, prefixes, pages
		}
		if pages > 100 {
			t.Fatal("listing does not end")
		}
		opt.StartAfter = page.Next
	}
}

// Past 1,000 keys a listing goes on through continuation, in byte order, each key once.
func TestListPastAThousand(t *testing.T) {
	backends(t, func(t *testing.T, s meta.Store) {
		mustBucket(t, s, alice, "b")
		var want []string
		for i := range 2500 {
			k := fmt.Sprintf("k%05d", i)
			want = append(want, k)
			o := object("b", k, "v", 0)
			o.Segments, o.Size = nil, 0
			mustPut(t, s, alice, o)
		}
		keys, _, pages := listAll(t, s, meta.ListOptions{Limit: 1000})
		if pages != 3 || !slices.Equal(keys, want) {
			t.Errorf("%d pages of %d keys (first %v), want 3 pages of the 2,500 keys in order", pages, len(keys), keys[:min(3, len(keys))])
		}
		if page, err := s.ListObjects(ctx(t), alice, []byte("b"), meta.ListOptions{}); err != nil || len(page.Objects) != 1000 ||
			!page.Truncated || string(page.Next) != "k00999" {
			t.Errorf("default page: %d keys, truncated %v, next %q, %v", len(page.Objects), page.Truncated, page.Next, err)
		}
		if keys, _, _ := listAll(t, s, meta.ListOptions{Prefix: []byte("k012"), Limit: 7}); !slices.Equal(keys, want[1200:1300]) {
			t.Errorf("prefix k012: %d keys from %v", len(keys), keys[:min(1, len(keys))])
		}
		if _, err := s.ListObjects(ctx(t), alice, []byte("b"), meta.ListOptions{Limit: meta.MaxList + 1}); !isInvalid(err) {
			t.Errorf("limit above the maximum: %v", err)
		}
	})
}

// Keys are encrypted bytes: any byte, 0x00 and 0xff included, sorts the same on both backends
// (unsigned bytewise), and delimiters roll keys up into common prefixes across pages.
func TestListBytesAndDelimiter(t *testing.T) {
	backends(t, func(t *testing.T, s meta.Store) {
		mustBucket(t, s, alice, "b")
		raw := []string{"a/1", "a/2", "a/sub/3", "b", "c/1", "c\x00", "c\xff", "d/x/y", "\x00", "\xff\xff", "\xff\xff/1", "é/1"}
		for _, k := range raw {
			o := object("b", k, "v", 1)
			mustPut(t, s, alice, o)
		}
		sorted := slices.Clone(raw)
		slices.SortFunc(sorted, func(a, b string) int { return bytes.Compare([]byte(a), []byte(b)) })
		for _, limit := range []int{1, 2, 5, 1000} {
			if keys, _, _ := listAll(t, s, meta.ListOptions{Limit: limit}); !slices.Equal(keys, sorted) {
				t.Errorf("limit %d: %q, want %q", limit, keys, sorted)
			}
			keys, prefixes, _ := listAll(t, s, meta.ListOptions{Limit: limit, Delimiter: []byte("/")})
			wantKeys := []string{"\x00", "b", "c\x00", "c\xff", "\xff\xff"}
			wantPrefixes := []string{"a/", "c/", "d/", "é/", "\xff\xff/"}
			if !slices.Equal(keys, wantKeys) || !slices.Equal(prefixes, wantPrefixes) {
				t.Errorf("limit %d, delimiter /: keys %q prefixes %q, want %q and %q", limit, keys, prefixes, wantKeys, wantPrefixes)
			}
			keys, prefixes, _ = listAll(t, s, meta.ListOptions{Limit: limit, Prefix: []byte("a/"), Delimiter: []byte("/")})
			if !slices.Equal(keys, []string{"a/1", "a/2"}) || !slices.Equal(prefixes, []string{"a/sub/"}) {
				t.Errorf("limit %d, prefix a/, delimiter /: keys %q prefixes %q", limit, keys, prefixes)
			}
			if keys, _, _ := listAll(t, s, meta.ListOptions{Limit: limit, Prefix: []byte("\xff\xff")}); !slices.Equal(keys, []string{"\xff\xff", "\xff\xff/1"}) {
				t.Errorf("limit %d, prefix ff ff (no end bound): %q", limit, keys)
			}
		}
		if _, err := s.ListObjects(ctx(t), alice, []byte("nope"), meta.ListOptions{}); !errors.Is(err, meta.ErrNoSuchBucket) {
			t.Errorf("listing a missing bucket: %v", err)
		}
	})
}
