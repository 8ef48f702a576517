package gateway

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/versity/versitygw/auth"
	"github.com/versity/versitygw/s3err"
	"github.com/versity/versitygw/s3response"

	"github.com/dec2-cloud/dec2/storage/meta"
)

// CreateBucket creates the bucket and its uploads companion. The ACL versitygw passes is not
// kept: every key of this gateway is the consumer's own, so all of them own every bucket.
func (b *Backend) CreateBucket(ctx context.Context, in *s3.CreateBucketInput, _ []byte) error {
	bucket := deref(in.Bucket)
	if _, err := b.catalog.CreateBucket(ctx, b.bucketID(bucket)); err != nil {
		return b.s3Error("create bucket", err)
	}
	if _, err := b.catalog.CreateBucket(ctx, b.uploadsID(bucket)); err != nil && !errors.Is(err, meta.ErrBucketExists) {
		return b.s3Error("create bucket", err)
	}
	return nil
}

// exists answers NoSuchBucket for a bucket the catalog does not have. Listing one key is the
// catalog's cheapest per-bucket question (its API has no bucket lookup).
func (b *Backend) exists(ctx context.Context, bucket string) error {
	_, err := b.catalog.ListObjects(ctx, b.bucketID(bucket), meta.ListOptions{Limit: 1})
	return err
}

// HeadBucket says whether the bucket exists.
func (b *Backend) HeadBucket(ctx context.Context, in *s3.HeadBucketInput) (*s3.HeadBucketOutput, error) {
	if err := b.exists(ctx, deref(in.Bucket)); err != nil {
		return nil, b.s3Error("head bucket", err)
	}
	return &s3.HeadBucketOutput{}, nil
}

// GetBucketAcl answers the fixed ACL (owner: the root key). versitygw asks for it before every
// bucket-scoped request, which makes it the bucket-existence check too.
func (b *Backend) GetBucketAcl(ctx context.Context, in *s3.GetBucketAclInput) ([]byte, error) {
	if err := b.exists(ctx, deref(in.Bucket)); err != nil {
		return nil, b.s3Error("bucket acl", err)
	}
	raw, err := json.Marshal(auth.ACL{Owner: b.owner})
	if err != nil {
		return nil, fmt.Errorf("encode acl: %w", err)
	}
	return raw, nil
}

// DeleteBucket deletes an empty bucket with no uploads in progress.
func (b *Backend) DeleteBucket(ctx context.Context, bucket string) error {
	// The uploads companion goes first: if it holds uploads the bucket is not empty, and if
	// the bucket itself then turns out non-empty the companion is recreated.
	if err := b.catalog.DeleteBucket(ctx, b.uploadsID(bucket)); err != nil && !errors.Is(err, meta.ErrNoSuchBucket) {
		return b.s3Error("delete bucket", err)
	}
	if err := b.catalog.DeleteBucket(ctx, b.bucketID(bucket)); err != nil {
		if errors.Is(err, meta.ErrBucketNotEmpty) {
			if _, cerr := b.catalog.CreateBucket(ctx, b.uploadsID(bucket)); cerr != nil && !errors.Is(cerr, meta.ErrBucketExists) {
				b.log.Error("gateway: recreate uploads bucket", "err", cerr)
			}
		}
		return b.s3Error("delete bucket", err)
	}
	return nil
}

// ListBuckets lists the buckets by plaintext name, paged by name.
func (b *Backend) ListBuckets(ctx context.Context, in s3response.ListBucketsInput) (s3response.ListAllMyBucketsResult, error) {
	all, err := b.catalog.ListBuckets(ctx)
	if err != nil {
		return s3response.ListAllMyBucketsResult{}, b.s3Error("list buckets", err)
	}
	var entries []s3response.ListAllMyBucketsEntry
	for _, bk := range all {
		if strings.Contains(string(bk.Name), "/") {
			continue // an uploads companion
		}
		name, err := b.bucketNames.DecryptPath(string(bk.Name))
		if err != nil {
			// A bucket of another master key under the same wallet: not ours to show.
			b.log.Warn("gateway: bucket name does not decrypt", "err", err)
			continue
		}
		if !strings.HasPrefix(name, in.Prefix) || name <= in.ContinuationToken {
			continue
		}
		entries = append(entries, s3response.ListAllMyBucketsEntry{Name: name, CreationDate: bk.Created})
	}
	slices.SortFunc(entries, func(x, y s3response.ListAllMyBucketsEntry) int { return strings.Compare(x.Name, y.Name) })
	res := s3response.ListAllMyBucketsResult{
		Owner:  s3response.CanonicalUser{ID: b.owner},
		Prefix: in.Prefix,
	}
	if in.MaxBuckets > 0 && len(entries) > int(in.MaxBuckets) {
		entries = entries[:in.MaxBuckets]
		res.ContinuationToken = entries[len(entries)-1].Name
	}
	res.Buckets.Bucket = entries
	return res, nil
}

// The bucket settings dec2 does not keep answer as S3 does for a bucket that has none: the
// front end asks for them on ordinary requests (object lock before writes, versioning before
// overwrites, CORS when a browser sends Origin).

// GetBucketVersioning reports an unversioned bucket.
func (b *Backend) GetBucketVersioning(ctx context.Context, bucket string) (s3response.GetBucketVersioningOutput, error) {
	return s3response.GetBucketVersioningOutput{}, b.s3Error("bucket versioning", b.exists(ctx, bucket))
}

// GetObjectLockConfiguration reports that object lock is not configured.
func (b *Backend) GetObjectLockConfiguration(context.Context, string) ([]byte, error) {
	return nil, s3err.GetAPIError(s3err.ErrObjectLockConfigurationNotFound)
}

// GetBucketPolicy reports no policy: access is by the consumer's keys alone.
func (b *Backend) GetBucketPolicy(context.Context, string) ([]byte, error) {
	return nil, s3err.GetAPIError(s3err.ErrNoSuchBucketPolicy)
}

// GetBucketCors reports no CORS configuration.
func (b *Backend) GetBucketCors(context.Context, string) ([]byte, error) {
	return nil, s3err.GetAPIError(s3err.ErrNoSuchCORSConfiguration)
}

// GetBucketOwnershipControls reports S3's default: the bucket owner owns every object.
func (b *Backend) GetBucketOwnershipControls(context.Context, string) (types.ObjectOwnership, error) {
	return types.ObjectOwnershipBucketOwnerEnforced, nil
}
