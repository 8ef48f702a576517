package gateway

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/versity/versitygw/s3api/utils"
	"github.com/versity/versitygw/s3err"
	"github.com/versity/versitygw/s3response"

	"github.com/dec2-cloud/dec2/storage/crypt"
	"github.com/dec2-cloud/dec2/storage/meta"
)

// In-process use of the backend, without the S3 front end: `dec2 s3 mb|rb|ls|cp` and the
// Terraform provider's bucket. These methods run the same S3 methods versitygw calls, check
// names as the front end would have before calling them (versitygw's own checks), and answer
// with the catalog's typed errors (meta.ErrNoSuchBucket, meta.ErrNoSuchKey,
// meta.ErrBucketExists, meta.ErrBucketNotEmpty) or *Refused, never S3's XML.

// InvalidNameError is a bucket name or object key the S3 front end would refuse.
type InvalidNameError struct {
	Kind string // "bucket" or "key"
	Name string
}

func (e *InvalidNameError) Error() string {
	if e.Kind == "bucket" {
		return fmt.Sprintf("invalid bucket name %q: 3 to 63 lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit, not an IP address", e.Name)
	}
	return fmt.Sprintf("invalid object key %q: empty, or a path that leaves the bucket (., ..)", e.Name)
}

// Refused is an S3 refusal that no catalog error stands for (a precondition, a bad range).
type Refused struct {
	Code, Message string
}

func (e *Refused) Error() string { return e.Code + ": " + e.Message }

// plain turns the S3 error a backend method answered back into the catalog's typed error,
// wrapped with what was being done; other errors pass through wrapped the same way.
func plain(what string, err error) error {
	if err == nil {
		return nil
	}
	var api s3err.APIError
	if errors.As(err, &api) {
		switch api.Code {
		case s3err.GetAPIError(s3err.ErrNoSuchBucket).Code:
			err = meta.ErrNoSuchBucket
		case s3err.GetAPIError(s3err.ErrNoSuchKey).Code:
			err = meta.ErrNoSuchKey
		case s3err.GetAPIError(s3err.ErrBucketAlreadyOwnedByYou).Code, s3err.GetAPIError(s3err.ErrBucketAlreadyExists).Code:
			err = meta.ErrBucketExists
		case s3err.GetAPIError(s3err.ErrBucketNotEmpty).Code:
			err = meta.ErrBucketNotEmpty
		default:
			err = &Refused{Code: api.Code, Message: api.Description}
		}
	}
	return fmt.Errorf("%s: %w", what, err)
}

// CheckBucketName refuses a bucket name the S3 front end would refuse, with *InvalidNameError:
// for tools that check names before they reach the backend (the Terraform provider's plan).
func CheckBucketName(name string) error { return checkBucket(name) }

func checkBucket(name string) error {
	if !utils.IsValidBucketName(name) {
		return &InvalidNameError{Kind: "bucket", Name: name}
	}
	return nil
}

func checkKey(key string) error {
	if !utils.IsObjectNameValid(key) {
		return &InvalidNameError{Kind: "key", Name: key}
	}
	return nil
}

// ErrNoDataPath is what object reads and writes answer on a backend made by NewBucketsOnly.
var ErrNoDataPath = errors.New("gateway: this backend manages buckets only (no storage nodes)")

// NewBucketsOnly returns a backend over the catalog alone, for managing buckets (create,
// delete, list, and listing objects from the catalog) where no storage nodes are at hand:
// buckets get exactly the names and companions the full gateway gives them. Object bytes
// answer ErrNoDataPath.
func NewBucketsOnly(catalog Catalog, master crypt.Key, log *slog.Logger) (*Backend, error) {
	return New(Config{Catalog: catalog, Data: noData{}, Master: master, Log: log})
}

type noData struct{}

func (noData) Write(context.Context, crypt.Key, io.Reader) ([]meta.Segment, error) {
	return nil, ErrNoDataPath
}

func (noData) Read(context.Context, crypt.Key, []meta.Segment, int64, int64) (io.ReadCloser, error) {
	return nil, ErrNoDataPath
}

func (noData) Rewrap(crypt.Key, crypt.Key, []meta.Segment, int) ([]meta.Segment, error) {
	return nil, ErrNoDataPath
}

func (noData) Delete(context.Context, []meta.Segment) error { return ErrNoDataPath }

// MakeBucket creates the bucket name.
func (b *Backend) MakeBucket(ctx context.Context, name string) error {
	if err := checkBucket(name); err != nil {
		return err
	}
	return plain("creating bucket "+name, b.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: &name}, nil))
}

// RemoveBucket deletes the bucket name, which must hold no objects and no uploads.
func (b *Backend) RemoveBucket(ctx context.Context, name string) error {
	if err := checkBucket(name); err != nil {
		return err
	}
	return plain("deleting bucket "+name, b.DeleteBucket(ctx, name))
}

// BucketExists answers nil for an existing bucket, meta.ErrNoSuchBucket for a missing one.
func (b *Backend) BucketExists(ctx context.Context, name string) error {
	if err := checkBucket(name); err != nil {
		return err
	}
	_, err := b.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: &name})
	return plain("looking up bucket "+name, err)
}

// BucketInfo is a bucket as Buckets lists it.
type BucketInfo struct {
	Name    string    `json:"name"`
	Created time.Time `json:"created"`
}

// Buckets lists the buckets by name.
func (b *Backend) Buckets(ctx context.Context) ([]BucketInfo, error) {
	res, err := b.ListBuckets(ctx, s3response.ListBucketsInput{})
	if err != nil {
		return nil, plain("listing buckets", err)
	}
	out := make([]BucketInfo, 0, len(res.Buckets.Bucket))
	for _, e := range res.Buckets.Bucket {
		out = append(out, BucketInfo{Name: e.Name, Created: e.CreationDate})
	}
	return out, nil
}

// ObjectInfo is an object as Objects lists it. Stored is what its pieces take on the storage
// nodes, n/k times its ciphertext: what the consumer pays for.
type ObjectInfo struct {
	Key      string    `json:"key"`
	Size     int64     `json:"size"`
	Modified time.Time `json:"modified"`
	ETag     string    `json:"etag"`
	Stored   int64     `json:"stored"`
	// Held is Stored by provider (lower-case wallet): what each provider is paid to keep.
	Held map[string]int64 `json:"held,omitempty"`
}

// heldBytes is the bytes of segs' pieces by provider, as the catalog recorded them.
func heldBytes(segs []meta.Segment) map[string]int64 {
	held := map[string]int64{}
	for _, s := range segs {
		for _, p := range s.Pieces {
			held[strings.ToLower(p.Provider)] += p.Size
		}
	}
	return held
}

// StoredBytes is what segs' pieces take on the nodes: per segment, n pieces of
// (ciphertext + padding) / k bytes each.
func StoredBytes(segs []meta.Segment) int64 {
	var n int64
	for _, s := range segs {
		if s.K > 0 {
			n += int64(s.N) * ((s.CipherSize + s.Padding) / int64(s.K))
		}
	}
	return n
}

// lookups bounds the catalog reads Objects makes at once for the segments of the keys listed.
const lookups = 8

// Objects lists every object of bucket under prefix in key order, with what each takes on the
// nodes. A listing carries no segments, so each object's are read from the catalog: one
// request per object, lookups at a time.
func (b *Backend) Objects(ctx context.Context, bucket, prefix string) ([]ObjectInfo, error) {
	if err := checkBucket(bucket); err != nil {
		return nil, err
	}
	what := "listing bucket " + bucket
	// list answers the catalog's own errors; HeadBucket first turns a missing bucket into
	// the same error every other method gives.
	if _, err := b.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: &bucket}); err != nil {
		return nil, plain(what, err)
	}
	l, err := b.list(ctx, bucket, prefix, "", "", -1)
	if err != nil {
		return nil, plain(what, err)
	}
	out := make([]ObjectInfo, len(l.entries))
	errs := make([]error, len(l.entries))
	sem := make(chan struct{}, lookups)
	var wg sync.WaitGroup
	k := b.keys(bucket)
	for i, e := range l.entries {
		out[i] = ObjectInfo{Key: e.name, Size: e.obj.Size, Modified: e.obj.Created, ETag: e.obj.ETag}
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			o, err := b.catalog.GetObject(ctx, b.bucketID(bucket), []byte(k.names.EncryptPath(e.name)))
			if errors.Is(err, meta.ErrNoSuchKey) {
				return // deleted since the listing: it takes nothing now
			}
			if err != nil {
				errs[i] = fmt.Errorf("reading %s's segments: %w", e.name, err)
				return
			}
			out[i].Stored = StoredBytes(o.Segments)
			out[i].Held = heldBytes(o.Segments)
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, plain(what, err)
	}
	return out, nil
}

// Put stores r's bytes to EOF as bucket/key, replacing what was there.
func (b *Backend) Put(ctx context.Context, bucket, key string, r io.Reader) (ObjectInfo, error) {
	if err := checkBucket(bucket); err != nil {
		return ObjectInfo{}, err
	}
	if err := checkKey(key); err != nil {
		return ObjectInfo{}, err
	}
	res, err := b.PutObject(ctx, s3response.PutObjectInput{Bucket: &bucket, Key: &key, Body: r})
	if err != nil {
		return ObjectInfo{}, plain(fmt.Sprintf("storing s3://%s/%s", bucket, key), err)
	}
	return ObjectInfo{Key: key, Size: deref64(res.Size), ETag: res.ETag}, nil
}

// Get opens bucket/key for reading; the caller closes the body.
func (b *Backend) Get(ctx context.Context, bucket, key string) (io.ReadCloser, ObjectInfo, error) {
	if err := checkBucket(bucket); err != nil {
		return nil, ObjectInfo{}, err
	}
	if err := checkKey(key); err != nil {
		return nil, ObjectInfo{}, err
	}
	res, err := b.GetObject(ctx, &s3.GetObjectInput{Bucket: &bucket, Key: &key})
	if err != nil {
		return nil, ObjectInfo{}, plain(fmt.Sprintf("reading s3://%s/%s", bucket, key), err)
	}
	info := ObjectInfo{Key: key, Size: deref64(res.ContentLength), ETag: deref(res.ETag)}
	if res.LastModified != nil {
		info.Modified = *res.LastModified
	}
	return res.Body, info, nil
}

// Remove deletes bucket/key; removing a key that is not there succeeds, as in S3.
func (b *Backend) Remove(ctx context.Context, bucket, key string) error {
	if err := checkBucket(bucket); err != nil {
		return err
	}
	if err := checkKey(key); err != nil {
		return err
	}
	_, err := b.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: &bucket, Key: &key})
	return plain(fmt.Sprintf("deleting s3://%s/%s", bucket, key), err)
}

func deref64(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}
