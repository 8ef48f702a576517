package gateway

import (
	"context"
	"encoding/base64"
	"fmt"
	"slices"
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
}

// list returns the entries of bucket under prefix after marker, at most max, in plaintext
// byte order with keys rolled up at delim.
//
// Names are encrypted one "/"-separated component at a time, so the catalog can select by the
// encrypted directory of the prefix but orders by ciphertext: the gateway reads that whole
// directory (one level when the delimiter is "/", the subtree otherwise), decrypts and sorts.
// A page therefore costs the size of the prefix's directory, not of the page: fine for
// directories of tens of thousands of keys, the limit to lift when that matters.
func (b *Backend) list(ctx context.Context, bucket, prefix, delim, marker string, max int) (listing, error) {
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
		if name <= marker || (o == nil && seen[name]) {
			return
		}
		seen[name] = o == nil
		all = append(all, entry{name: name, obj: o})
	}
	for {
		page, err := b.catalog.ListObjects(ctx, b.bucketID(bucket), opt)
		if err != nil {
			return listing{}, err
		}
		for i := range page.Objects {
			name, err := k.names.DecryptPath(string(page.Objects[i].Key))
			if err != nil {
				return listing{}, fmt.Errorf("object name: %w", err)
			}
			add(name, &page.Objects[i])
		}
		for _, p := range page.Prefixes {
			// The catalog rolls up at "/" and hands the directory back as its own
			// encryption plus "/".
			name, err := k.names.DecryptPath(string(p))
			if err != nil {
				return listing{}, fmt.Errorf("prefix name: %w", err)
			}
			add(name, nil)
		}
		if !page.Truncated {
			break
		}
		opt.StartAfter = page.Next
	}
	slices.SortFunc(all, func(x, y entry) int { return strings.Compare(x.name, y.name) })
	l := listing{entries: all}
	if max >= 0 && len(all) > max {
		l.entries, l.truncated = all[:max], true
	}
	return l, nil
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
	marker := deref(in.StartAfter)
	if in.ContinuationToken != nil {
		raw, err := base64.RawURLEncoding.DecodeString(*in.ContinuationToken)
		if err != nil {
			return s3response.ListObjectsV2Result{}, s3err.GetAPIError(s3err.ErrInvalidRequest)
		}
		marker = max(marker, string(raw))
	}
	mk := maxKeys(in.MaxKeys)
	l, err := b.list(ctx, bucket, prefix, delim, marker, mk)
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
		res.NextContinuationToken = ptr(base64.RawURLEncoding.EncodeToString([]byte(l.entries[len(l.entries)-1].name)))
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
