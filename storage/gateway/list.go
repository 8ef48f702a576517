package gateway

import (
	"context"
	"encoding/base64"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/versity/versitygw/s3err"
	"github.com/versity/versitygw/s3response"

	"github.com/dec2-cloud/dec2/storage/meta"
)

// entry is one line of a listing: an object, or a common prefix when obj is nil.
type entry struct {
	name string
	obj  *meta.Object
}

// listing is one page of a listing in S3's order.
type listing struct {
	entries   []entry
	truncated bool
	snapshot  string
}

// listPage returns the entries of bucket under prefix after marker, at most max, in plaintext
// byte order with keys rolled up at delim, and the snapshot they were read from.
//
// Names are encrypted one "/"-separated component at a time, so the catalog can select by the
// encrypted directory of the prefix but orders by ciphertext: the gateway reads that whole
// directory (one level when the delimiter is "/", the subtree otherwise), decrypts and sorts.
// That costs the size of the prefix's directory, not of the page, so the sorted directory is
// kept as a snapshot that the listing's later pages (whose continuation token names it) page
// through: a listing of n keys reads the catalog once, not n/1000 times, and shows the bucket
// as it was at its first page, as a listing concurrent with writes may. A page whose snapshot
// has expired or was evicted reads the directory again and goes on after marker.
func (b *Backend) listPage(ctx context.Context, bucket, prefix, delim, marker string, max int, snap string) (listing, error) {
	s, ok := b.snapshots.get(snap, bucket, prefix, delim)
	if !ok {
		all, err := b.readDir(ctx, bucket, prefix, delim)
		if err != nil {
			return listing{}, err
		}
		s = b.snapshots.put(bucket, prefix, delim, all)
	}
	rest := s.entries[sort.Search(len(s.entries), func(i int) bool { return s.entries[i].name > marker }):]
	l := listing{entries: rest, snapshot: s.id}
	if max >= 0 && len(rest) > max {
		l.entries, l.truncated = rest[:max], true
	}
	return l, nil
}

// list is listPage from a fresh read of the directory: for listings paged by marker alone.
func (b *Backend) list(ctx context.Context, bucket, prefix, delim, marker string, max int) (listing, error) {
	return b.listPage(ctx, bucket, prefix, delim, marker, max, "")
}

// readDir reads, decrypts and sorts the entries of bucket under prefix, rolled up at delim.
func (b *Backend) readDir(ctx context.Context, bucket, prefix, delim string) ([]entry, error) {
	k := b.keys(bucket)
	encDir, _ := k.names.EncryptPrefix(prefix)
	opt := meta.ListOptions{Prefix: []byte(encDir), Limit: meta.MaxList}
	if delim == "/" {
		opt.Delimiter = []byte("/")
	}
	seen := make(map[string]bool)
	var all []entry
	add := func(name string, o *meta.Object) {
		if !strings.HasPrefix(name, prefix) {
			return
		}
		if delim != "" {
			if i := strings.Index(name[len(prefix):], delim); i >= 0 {
				name, o = name[:len(prefix)+i+len(delim)], nil
			}
		}
		if o == nil && seen[name] {
			return
		}
		seen[name] = o == nil
		all = append(all, entry{name: name, obj: o})
	}
	for {
		page, err := b.catalog.ListObjects(ctx, b.bucketID(bucket), opt)
		if err != nil {
			return nil, err
		}
		for i := range page.Objects {
			name, err := k.names.DecryptPath(string(page.Objects[i].Key))
			if err != nil {
				return nil, fmt.Errorf("object name: %w", err)
			}
			add(name, &page.Objects[i])
		}
		for _, p := range page.Prefixes {
			// The catalog rolls up at "/" and hands the directory back as its own
			// encryption plus "/".
			name, err := k.names.DecryptPath(string(p))
			if err != nil {
				return nil, fmt.Errorf("prefix name: %w", err)
			}
			add(name, nil)
		}
		if !page.Truncated {
			break
		}
		opt.StartAfter = page.Next
	}
	slices.SortFunc(all, func(x, y entry) int { return strings.Compare(x.name, y.name) })
	return all, nil
}

func maxKeys(v *int32) int {
	if v == nil || *v < 0 || *v > 1000 {
		return 1000
	}
	return int(*v)
}

// ListObjectsV2 lists a bucket; the continuation token is the last name returned, encoded.
func (b *Backend) ListObjectsV2(ctx context.Context, in *s3.ListObjectsV2Input) (s3response.ListObjectsV2Result, error) {
	bucket, prefix, delim := deref(in.Bucket), deref(in.Prefix), deref(in.Delimiter)
	marker, snap := deref(in.StartAfter), ""
	if in.ContinuationToken != nil {
		after, id, err := parseToken(*in.ContinuationToken)
		if err != nil {
			return s3response.ListObjectsV2Result{}, s3err.GetAPIError(s3err.ErrInvalidRequest)
		}
		marker, snap = max(marker, after), id
	}
	mk := maxKeys(in.MaxKeys)
	l, err := b.listPage(ctx, bucket, prefix, delim, marker, mk, snap)
	if err != nil {
		return s3response.ListObjectsV2Result{}, b.s3Error("list objects", err)
	}
	res := s3response.ListObjectsV2Result{
		Name: &bucket, Prefix: &prefix, StartAfter: in.StartAfter, ContinuationToken: in.ContinuationToken,
		MaxKeys: ptr(int32(mk)), Delimiter: in.Delimiter, IsTruncated: &l.truncated,
		KeyCount: ptr(int32(len(l.entries))),
	}
	res.Contents, res.CommonPrefixes = b.split(l.entries)
	if l.truncated {
		res.NextContinuationToken = ptr(token(l.entries[len(l.entries)-1].name, l.snapshot))
	}
	return res, nil
}

// ListObjects is the first version of the listing, paged by marker.
func (b *Backend) ListObjects(ctx context.Context, in *s3.ListObjectsInput) (s3response.ListObjectsResult, error) {
	bucket, prefix, delim := deref(in.Bucket), deref(in.Prefix), deref(in.Delimiter)
	mk := maxKeys(in.MaxKeys)
	l, err := b.list(ctx, bucket, prefix, delim, deref(in.Marker), mk)
	if err != nil {
		return s3response.ListObjectsResult{}, b.s3Error("list objects", err)
	}
	res := s3response.ListObjectsResult{
		Name: &bucket, Prefix: &prefix, Marker: in.Marker, MaxKeys: ptr(int32(mk)),
		Delimiter: in.Delimiter, IsTruncated: &l.truncated,
	}
	res.Contents, res.CommonPrefixes = b.split(l.entries)
	if l.truncated {
		res.NextMarker = ptr(l.entries[len(l.entries)-1].name)
	}
	return res, nil
}

func (b *Backend) split(entries []entry) ([]s3response.Object, []types.CommonPrefix) {
	var objs []s3response.Object
	var prefixes []types.CommonPrefix
	for _, e := range entries {
		if e.obj == nil {
			prefixes = append(prefixes, types.CommonPrefix{Prefix: ptr(e.name)})
			continue
		}
		objs = append(objs, s3response.Object{
			Key: ptr(e.name), ETag: &e.obj.ETag, Size: &e.obj.Size, LastModified: &e.obj.Created,
			StorageClass: types.ObjectStorageClassStandard,
		})
	}
	return objs, prefixes
}

// token is a ListObjectsV2 continuation token: the last name returned and the snapshot it came
// from, "<base64url name>.<snapshot id>" (base64url has no ".").
func token(after, snapshot string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(after)) + "." + snapshot
}

// parseToken reads a token; one without a snapshot id (as earlier gateways wrote) is a name.
func parseToken(t string) (after, snapshot string, err error) {
	enc, snapshot, _ := strings.Cut(t, ".")
	raw, err := base64.RawURLEncoding.DecodeString(enc)
	if err != nil {
		return "", "", fmt.Errorf("continuation token: %w", err)
	}
	return string(raw), snapshot, nil
}
