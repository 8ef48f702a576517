// Package gateway is dec2's S3 gateway: versitygw's S3 front end (SigV4, XML, checksums,
// streaming payloads) over a backend that keeps object bytes as encrypted segments on storage
// nodes (Data) and their facts in the storage service (Catalog), under encrypted names only.
//
// Everything secret stays in the gateway, on the consumer's side: the master key from which
// bucket, object and name keys derive, and the S3 access keys (storage/s3keys).
//
// Names in the catalog:
//   - a bucket is its name encrypted under the master key's bucket-name cipher;
//   - an object is its key encrypted component by component (crypt.Names) under its bucket's key;
//   - a bucket's multipart uploads live in a companion catalog bucket, the bucket's encrypted
//     name + "/uploads" (base64url has no "/", so no bucket name can collide with it), under
//     "u/<upload id>" for the upload and "p/<upload id>/<part number>" for its parts. Upload ids
//     are random; the object key an upload is for lives only in its encrypted metadata.
package gateway

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"

	"github.com/versity/versitygw/backend"
	"github.com/versity/versitygw/s3err"

	"github.com/dec2-cloud/dec2/storage/crypt"
	"github.com/dec2-cloud/dec2/storage/meta"
)

// Catalog is the storage service as the gateway uses it; *metaapi.Client implements it.
type Catalog interface {
	CreateBucket(ctx context.Context, name []byte) (meta.Bucket, error)
	DeleteBucket(ctx context.Context, name []byte) error
	ListBuckets(ctx context.Context) ([]meta.Bucket, error)
	PutObject(ctx context.Context, o meta.Object, opt meta.PutOptions) (meta.PutResult, error)
	GetObject(ctx context.Context, bucket, key []byte) (meta.Object, error)
	DeleteObject(ctx context.Context, bucket, key []byte, opt meta.PutOptions) (meta.Object, error)
	ListObjects(ctx context.Context, bucket []byte, opt meta.ListOptions) (meta.ListPage, error)
}

// Data keeps object bytes as segments on storage nodes: each segment sealed under its own key,
// that key wrapped under the object's key-encryption key (kek), then erasure-coded into pieces.
type Data interface {
	// Write consumes r to EOF and stores it as segments numbered from 0. An error from r is
	// returned as it is (unwrapped or wrapped), so that a checksum failure of the front end's
	// reader reaches the client as its S3 error.
	Write(ctx context.Context, kek crypt.Key, r io.Reader) ([]meta.Segment, error)
	// Read returns the plaintext bytes [off, off+n) of the object made of segs. The body is
	// read after Read returns, so ctx must not be used past that: closing the body ends it.
	Read(ctx context.Context, kek crypt.Key, segs []meta.Segment, off, n int64) (io.ReadCloser, error)
	// Rewrap moves segs' keys from kek from to kek to, numbering the segments from first. It
	// is how a completed multipart upload adopts its parts' segments without moving bytes.
	Rewrap(from, to crypt.Key, segs []meta.Segment, first int) ([]meta.Segment, error)
	// Delete removes segs' pieces from their nodes.
	Delete(ctx context.Context, segs []meta.Segment) error
}

// Config is what a Backend runs with.
type Config struct {
	Catalog Catalog
	Data    Data
	// Master is the consumer's master key: every bucket, object and name key derives from it.
	Master crypt.Key
	// Owner is the access key reported as every bucket's owner (the root key).
	Owner string
	Log   *slog.Logger
}

// Backend is the versitygw backend. Operations it does not implement answer NotImplemented
// through the embedded BackendUnsupported.
type Backend struct {
	backend.BackendUnsupported
	catalog     Catalog
	data        Data
	master      crypt.Key
	bucketNames *crypt.Names
	owner       string
	log         *slog.Logger
	snapshots   snapshots
}

var _ backend.Backend = (*Backend)(nil)

// New returns a Backend for c.
func New(c Config) (*Backend, error) {
	if c.Catalog == nil || c.Data == nil {
		return nil, errors.New("gateway: a catalog and a data path are required")
	}
	if c.Master == (crypt.Key{}) {
		return nil, errors.New("gateway: the master key is all zero")
	}
	log := c.Log
	if log == nil {
		log = slog.Default()
	}
	return &Backend{
		catalog: detachedCatalog{c.Catalog},
		data:    detachedData{c.Data},
		master:  c.Master,
		// Bucket names need a cipher of their own that no bucket's derives: "" is no valid
		// S3 bucket name, so BucketKey(master, "") is the key of no bucket.
		bucketNames: crypt.NewNames(crypt.BucketKey(c.Master, "")),
		owner:       c.Owner,
		log:         log,
	}, nil
}

// String names the backend in versitygw's banner and logs.
func (*Backend) String() string { return "dec2" }

// bucketID is a bucket's name in the catalog.
func (b *Backend) bucketID(bucket string) []byte { return []byte(b.bucketNames.EncryptPath(bucket)) }

// uploadsID is the catalog bucket that holds bucket's multipart uploads.
func (b *Backend) uploadsID(bucket string) []byte {
	return append(b.bucketID(bucket), uploadsSuffix...)
}

const uploadsSuffix = "/uploads"

// keys is one bucket's key material.
type keys struct {
	bucket crypt.Key
	names  *crypt.Names
}

func (b *Backend) keys(bucket string) keys {
	k := crypt.BucketKey(b.master, bucket)
	return keys{bucket: k, names: crypt.NewNames(k)}
}

// objectKEK wraps the segment keys of the object named key.
func (k keys) objectKEK(key string) crypt.Key { return crypt.ObjectKey(k.bucket, key) }

// uploadKEK wraps the segment keys of an upload's parts until completion rewraps them. The NUL
// keeps it apart from every object's: S3 keys hold no NUL.
func (k keys) uploadKEK(uploadID string) crypt.Key {
	return crypt.ObjectKey(k.bucket, "\x00upload:"+uploadID)
}

// s3Error turns an error into what versitygw answers with: its own S3 errors must reach it
// unwrapped (it checks with a type assertion), the catalog's not-found errors become S3's, and
// anything else is an internal error, logged here with op for context.
// unavailable is an error of the data path that passes with time (too few storage nodes
// answering to place a segment): S3's 503, which SDKs retry, rather than a 500.
type unavailable interface{ Unavailable() bool }

var errUnavailable = s3err.APIError{Code: "ServiceUnavailable", HTTPStatusCode: http.StatusServiceUnavailable,
	Description: "Too few storage nodes are answering to store this object now; retry later."}

func (b *Backend) s3Error(op string, err error) error {
	if err == nil {
		return nil
	}
	var se s3err.S3Error
	if errors.As(err, &se) {
		return se
	}
	var conflict *meta.Conflict
	var down unavailable
	switch {
	case errors.Is(err, meta.ErrNoSuchBucket):
		return s3err.GetAPIError(s3err.ErrNoSuchBucket)
	case errors.Is(err, meta.ErrNoSuchKey):
		return s3err.GetAPIError(s3err.ErrNoSuchKey)
	case errors.Is(err, meta.ErrBucketExists):
		return s3err.GetAPIError(s3err.ErrBucketAlreadyOwnedByYou)
	case errors.Is(err, meta.ErrBucketNotEmpty):
		return s3err.GetAPIError(s3err.ErrBucketNotEmpty)
	case errors.As(err, &conflict):
		return s3err.GetAPIError(s3err.ErrPreconditionFailed)
	case errors.Is(err, context.Canceled):
		return err
	case errors.As(err, &down) && down.Unavailable():
		b.log.Warn("gateway: "+op, "err", err)
		return errUnavailable
	}
	b.log.Error("gateway: "+op, "err", err)
	return fmt.Errorf("%s: %w", op, err)
}

// collect deletes garbage pieces after the catalog stopped pointing at them. A failure leaves
// orphans on the nodes (their expiry, and repair's scan of PiecesOn, reclaim them) but never
// fails the request that made them garbage.
func (b *Backend) collect(ctx context.Context, segs []meta.Segment) {
	if len(segs) == 0 {
		return
	}
	if err := b.data.Delete(context.WithoutCancel(ctx), segs); err != nil {
		b.log.Warn("gateway: pieces left behind", "segments", len(segs), "err", err)
	}
}
