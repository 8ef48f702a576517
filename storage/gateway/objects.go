package gateway

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/versity/versitygw/backend"
	"github.com/versity/versitygw/s3api/utils"
	"github.com/versity/versitygw/s3err"
	"github.com/versity/versitygw/s3response"

	"github.com/dec2-cloud/dec2/storage/meta"
)

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func ptr[T any](v T) *T { return &v }

// stored is an object as the gateway reads it back: the catalog's facts and its opened metadata.
type stored struct {
	obj  meta.Object
	meta objectMeta
}

// lookup reads the object named key and opens its metadata.
func (b *Backend) lookup(ctx context.Context, bucket, key string) (stored, error) {
	k := b.keys(bucket)
	o, err := b.catalog.GetObject(ctx, b.bucketID(bucket), []byte(k.names.EncryptPath(key)))
	if err != nil {
		return stored{}, err
	}
	m, err := unseal(k.objectKEK(key), o.Metadata)
	if err != nil {
		return stored{}, fmt.Errorf("object %q: %w", key, err)
	}
	return stored{obj: o, meta: m}, nil
}

// written is what storing an object's bytes produced.
type written struct {
	segs []meta.Segment
	size int64
	etag string
	sum  *checksum
}

// write stores body's bytes under kek, computing the MD5 ETag and the checksum on the way.
func (b *Backend) write(ctx context.Context, kek [32]byte, body io.Reader, alg types.ChecksumAlgorithm, headers []given) (written, error) {
	r, s, err := newSummer(body, alg, headers)
	if err != nil {
		return written{}, err
	}
	h := md5.New()
	segs, err := b.data.Write(ctx, kek, io.TeeReader(r, h))
	if err != nil {
		return written{}, err
	}
	w := written{segs: segs, etag: `"` + hex.EncodeToString(h.Sum(nil)) + `"`, sum: s.sum()}
	for _, g := range segs {
		w.size += g.PlainSize
	}
	return w, nil
}

// commit points the catalog at a new version of bucket/key, then collects what it replaced.
// If the catalog refuses, the new pieces are garbage and are collected instead.
func (b *Backend) commit(ctx context.Context, bucket, key string, o meta.Object, opt meta.PutOptions) (meta.PutResult, error) {
	k := b.keys(bucket)
	o.Bucket = b.bucketID(bucket)
	o.Key = []byte(k.names.EncryptPath(key))
	res, err := b.catalog.PutObject(ctx, o, opt)
	if err != nil {
		b.collect(ctx, o.Segments)
		return res, err
	}
	if res.Replaced != nil {
		b.collect(ctx, res.Replaced.Segments)
	}
	return res, nil
}

// putOptions turns If-Match / If-None-Match into the catalog's compare-and-swap, so that a
// conditional write is decided atomically by the catalog, not by a read before it.
func (b *Backend) putOptions(ctx context.Context, bucket, key string, ifMatch, ifNoneMatch *string) (meta.PutOptions, error) {
	if ifMatch == nil && ifNoneMatch == nil {
		return meta.PutOptions{}, nil
	}
	cur, err := b.lookup(ctx, bucket, key)
	exists := err == nil
	if err != nil && !errors.Is(err, meta.ErrNoSuchKey) {
		return meta.PutOptions{}, err
	}
	if err := backend.EvaluateObjectPutPreconditions(cur.obj.ETag, ifMatch, ifNoneMatch, exists); err != nil {
		return meta.PutOptions{}, err
	}
	v := cur.obj.Version // 0 when there is none
	return meta.PutOptions{IfVersion: &v}, nil
}

// PutObject stores an object.
func (b *Backend) PutObject(ctx context.Context, po s3response.PutObjectInput) (s3response.PutObjectOutput, error) {
	bucket, key := deref(po.Bucket), deref(po.Key)
	opt, err := b.putOptions(ctx, bucket, key, po.IfMatch, po.IfNoneMatch)
	if err != nil {
		return s3response.PutObjectOutput{}, b.s3Error("put object", err)
	}
	kek := b.keys(bucket).objectKEK(key)
	w, err := b.write(ctx, kek, po.Body, po.ChecksumAlgorithm, []given{
		{po.ChecksumCRC32, utils.HashTypeCRC32}, {po.ChecksumCRC32C, utils.HashTypeCRC32C},
		{po.ChecksumSHA1, utils.HashTypeSha1}, {po.ChecksumSHA256, utils.HashTypeSha256},
		{po.ChecksumCRC64NVME, utils.HashTypeCRC64NVME}, {po.ChecksumSHA512, utils.HashTypeSha512},
		{po.ChecksumMD5, utils.HashTypeMd5}, {po.ChecksumXXHASH64, utils.HashTypeXXHASH64},
		{po.ChecksumXXHASH3, utils.HashTypeXXHASH3}, {po.ChecksumXXHASH128, utils.HashTypeXXHASH128},
	})
	if err != nil {
		return s3response.PutObjectOutput{}, b.s3Error("put object", err)
	}
	m := objectMeta{
		ContentType: deref(po.ContentType), ContentEncoding: deref(po.ContentEncoding),
		ContentDisposition: deref(po.ContentDisposition), ContentLanguage: deref(po.ContentLanguage),
		CacheControl: deref(po.CacheControl), Expires: deref(po.Expires),
		User: po.Metadata, Checksum: w.sum,
	}
	sealed, err := seal(kek, m)
	if err != nil {
		b.collect(ctx, w.segs)
		return s3response.PutObjectOutput{}, b.s3Error("put object", err)
	}
	if _, err := b.commit(ctx, bucket, key, meta.Object{ETag: w.etag, Size: w.size, Metadata: sealed, Segments: w.segs}, opt); err != nil {
		return s3response.PutObjectOutput{}, b.s3Error("put object", err)
	}
	s := w.sum.sums()
	return s3response.PutObjectOutput{
		ETag: w.etag, Size: &w.size, ChecksumType: s.Type,
		ChecksumCRC32: s.CRC32, ChecksumCRC32C: s.CRC32C, ChecksumSHA1: s.SHA1, ChecksumSHA256: s.SHA256,
		ChecksumCRC64NVME: s.CRC64NVME, ChecksumSHA512: s.SHA512, ChecksumMD5: s.MD5,
		ChecksumXXHASH64: s.XXHASH64, ChecksumXXHASH3: s.XXHASH3, ChecksumXXHASH128: s.XXHASH128,
	}, nil
}

// span is the byte range a GET or HEAD serves.
type span struct {
	off, n       int64
	contentRange *string
	partsCount   *int32
}

// spanOf resolves Range or partNumber against the object.
func spanOf(st stored, rng *string, partNumber *int32) (span, error) {
	size := st.obj.Size
	if partNumber != nil {
		parts := st.meta.Parts
		if len(parts) == 0 {
			// A single-part object is its own part 1.
			parts = []int64{size}
		}
		count := int32(len(parts))
		if *partNumber < 1 || *partNumber > count {
			return span{}, s3err.GetInvalidPartNumberRangeErr(count, *partNumber)
		}
		var off int64
		if *partNumber > 1 {
			off = parts[*partNumber-2]
		}
		sp := span{off: off, n: parts[*partNumber-1] - off, partsCount: &count}
		if sp.n > 0 {
			sp.contentRange = ptr(fmt.Sprintf("bytes %d-%d/%d", sp.off, sp.off+sp.n-1, size))
		}
		return sp, nil
	}
	off, n, valid, err := backend.ParseObjectRange(size, deref(rng))
	if err != nil {
		return span{}, err
	}
	sp := span{off: off, n: n}
	if valid {
		sp.contentRange = ptr(fmt.Sprintf("bytes %d-%d/%d", off, off+n-1, size))
	}
	return sp, nil
}

func (st stored) modified() time.Time { return st.obj.Created }

// GetObject serves an object or a range of it.
func (b *Backend) GetObject(ctx context.Context, in *s3.GetObjectInput) (*s3.GetObjectOutput, error) {
	bucket, key := deref(in.Bucket), deref(in.Key)
	st, err := b.lookup(ctx, bucket, key)
	if err != nil {
		return nil, b.s3Error("get object", err)
	}
	if err := backend.EvaluatePreconditions(st.obj.ETag, st.modified(), backend.PreConditions{
		IfMatch: in.IfMatch, IfNoneMatch: in.IfNoneMatch, IfModSince: in.IfModifiedSince, IfUnmodeSince: in.IfUnmodifiedSince,
	}); err != nil {
		return nil, err
	}
	sp, err := spanOf(st, in.Range, in.PartNumber)
	if err != nil {
		return nil, err
	}
	body, err := b.data.Read(ctx, b.keys(bucket).objectKEK(key), st.obj.Segments, sp.off, sp.n)
	if err != nil {
		return nil, b.s3Error("get object", err)
	}
	var s sums
	if in.ChecksumMode == types.ChecksumModeEnabled && sp.n == st.obj.Size {
		s = st.meta.Checksum.sums()
	}
	m := st.meta
	return &s3.GetObjectOutput{
		AcceptRanges: ptr("bytes"), ContentLength: &sp.n, ContentRange: sp.contentRange, PartsCount: sp.partsCount,
		ContentType: optional(m.ContentType), ContentEncoding: optional(m.ContentEncoding),
		ContentDisposition: optional(m.ContentDisposition), ContentLanguage: optional(m.ContentLanguage),
		CacheControl: optional(m.CacheControl), ExpiresString: optional(m.Expires),
		ETag: &st.obj.ETag, LastModified: ptr(st.modified()), Metadata: m.User,
		StorageClass: types.StorageClassStandard, Body: body,
		ChecksumType: s.Type, ChecksumCRC32: s.CRC32, ChecksumCRC32C: s.CRC32C, ChecksumSHA1: s.SHA1,
		ChecksumSHA256: s.SHA256, ChecksumCRC64NVME: s.CRC64NVME,
	}, nil
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// HeadObject answers what GetObject would, without the body.
func (b *Backend) HeadObject(ctx context.Context, in *s3.HeadObjectInput) (*s3.HeadObjectOutput, error) {
	bucket, key := deref(in.Bucket), deref(in.Key)
	st, err := b.lookup(ctx, bucket, key)
	if err != nil {
		return nil, b.s3Error("head object", err)
	}
	if err := backend.EvaluatePreconditions(st.obj.ETag, st.modified(), backend.PreConditions{
		IfMatch: in.IfMatch, IfNoneMatch: in.IfNoneMatch, IfModSince: in.IfModifiedSince, IfUnmodeSince: in.IfUnmodifiedSince,
	}); err != nil {
		return nil, err
	}
	sp, err := spanOf(st, in.Range, in.PartNumber)
	if err != nil {
		return nil, err
	}
	var s sums
	if in.ChecksumMode == types.ChecksumModeEnabled {
		s = st.meta.Checksum.sums()
	}
	m := st.meta
	return &s3.HeadObjectOutput{
		AcceptRanges: ptr("bytes"), ContentLength: &sp.n, ContentRange: sp.contentRange, PartsCount: sp.partsCount,
		ContentType: optional(m.ContentType), ContentEncoding: optional(m.ContentEncoding),
		ContentDisposition: optional(m.ContentDisposition), ContentLanguage: optional(m.ContentLanguage),
		CacheControl: optional(m.CacheControl), ExpiresString: optional(m.Expires),
		ETag: &st.obj.ETag, LastModified: ptr(st.modified()), Metadata: m.User,
		StorageClass: types.StorageClassStandard,
		ChecksumType: s.Type, ChecksumCRC32: s.CRC32, ChecksumCRC32C: s.CRC32C, ChecksumSHA1: s.SHA1,
		ChecksumSHA256: s.SHA256, ChecksumCRC64NVME: s.CRC64NVME,
	}, nil
}

// DeleteObject deletes an object; deleting one that is not there succeeds, as in S3.
func (b *Backend) DeleteObject(ctx context.Context, in *s3.DeleteObjectInput) (*s3.DeleteObjectOutput, error) {
	if err := b.deleteObject(ctx, deref(in.Bucket), deref(in.Key)); err != nil {
		return nil, b.s3Error("delete object", err)
	}
	return &s3.DeleteObjectOutput{}, nil
}

func (b *Backend) deleteObject(ctx context.Context, bucket, key string) error {
	k := b.keys(bucket)
	old, err := b.catalog.DeleteObject(ctx, b.bucketID(bucket), []byte(k.names.EncryptPath(key)), meta.PutOptions{})
	if errors.Is(err, meta.ErrNoSuchKey) {
		return nil
	}
	if err != nil {
		return err
	}
	b.collect(ctx, old.Segments)
	return nil
}

// DeleteObjects deletes each object on its own, reporting per key.
func (b *Backend) DeleteObjects(ctx context.Context, in *s3.DeleteObjectsInput) (s3response.DeleteResult, error) {
	var res s3response.DeleteResult
	if in.Delete == nil {
		return res, nil
	}
	for _, o := range in.Delete.Objects {
		key := deref(o.Key)
		if err := b.deleteObject(ctx, deref(in.Bucket), key); err != nil {
			se := b.s3Error("delete objects", err)
			code, msg := "InternalError", se.Error()
			var apiErr s3err.S3Error
			if errors.As(se, &apiErr) {
				code, msg = apiErr.BaseError().Code, apiErr.BaseError().Description
			}
			res.Error = append(res.Error, types.Error{Key: &key, Code: &code, Message: &msg})
			continue
		}
		res.Deleted = append(res.Deleted, types.DeletedObject{Key: &key})
	}
	return res, nil
}

// CopyObject copies through the gateway: the destination gets its own segments and keys, since
// the catalog does not count references to pieces and deleting the source must not break it.
func (b *Backend) CopyObject(ctx context.Context, in s3response.CopyObjectInput) (s3response.CopyObjectOutput, error) {
	srcBucket, srcKey, _, err := backend.ParseCopySource(deref(in.CopySource))
	if err != nil {
		return s3response.CopyObjectOutput{}, err
	}
	bucket, key := deref(in.Bucket), deref(in.Key)
	src, err := b.lookup(ctx, srcBucket, srcKey)
	if err != nil {
		return s3response.CopyObjectOutput{}, b.s3Error("copy object", err)
	}
	if err := backend.EvaluatePreconditions(src.obj.ETag, src.modified(), backend.PreConditions{
		IfMatch: in.CopySourceIfMatch, IfNoneMatch: in.CopySourceIfNoneMatch,
		IfModSince: in.CopySourceIfModifiedSince, IfUnmodeSince: in.CopySourceIfUnmodifiedSince,
	}); err != nil {
		return s3response.CopyObjectOutput{}, err
	}
	m := src.meta
	m.Parts = nil
	if in.MetadataDirective == types.MetadataDirectiveReplace {
		m = objectMeta{
			ContentType: deref(in.ContentType), ContentEncoding: deref(in.ContentEncoding),
			ContentDisposition: deref(in.ContentDisposition), ContentLanguage: deref(in.ContentLanguage),
			CacheControl: deref(in.CacheControl), Expires: deref(in.Expires), User: in.Metadata,
		}
	} else if srcBucket == bucket && srcKey == key {
		return s3response.CopyObjectOutput{}, s3err.GetAPIError(s3err.ErrInvalidCopyDest)
	}
	body, err := b.data.Read(ctx, b.keys(srcBucket).objectKEK(srcKey), src.obj.Segments, 0, src.obj.Size)
	if err != nil {
		return s3response.CopyObjectOutput{}, b.s3Error("copy object", err)
	}
	defer body.Close()
	alg := in.ChecksumAlgorithm
	if alg == "" && src.meta.Checksum != nil {
		alg = src.meta.Checksum.Algorithm
	}
	kek := b.keys(bucket).objectKEK(key)
	w, err := b.write(ctx, kek, body, alg, nil)
	if err != nil {
		return s3response.CopyObjectOutput{}, b.s3Error("copy object", err)
	}
	m.Checksum = w.sum
	sealed, err := seal(kek, m)
	if err != nil {
		b.collect(ctx, w.segs)
		return s3response.CopyObjectOutput{}, b.s3Error("copy object", err)
	}
	// The ETag of a copy is the MD5 of its bytes; a multipart source's "-N" ETag does not carry
	// over because the copy is a single part.
	if _, err := b.commit(ctx, bucket, key, meta.Object{ETag: w.etag, Size: w.size, Metadata: sealed, Segments: w.segs}, meta.PutOptions{}); err != nil {
		return s3response.CopyObjectOutput{}, b.s3Error("copy object", err)
	}
	s := w.sum.sums()
	return s3response.CopyObjectOutput{CopyObjectResult: &s3response.CopyObjectResult{
		ETag: &w.etag, LastModified: ptr(time.Now().UTC()), ChecksumType: s.Type,
		ChecksumCRC32: s.CRC32, ChecksumCRC32C: s.CRC32C, ChecksumSHA1: s.SHA1, ChecksumSHA256: s.SHA256,
		ChecksumCRC64NVME: s.CRC64NVME,
	}}, nil
}
