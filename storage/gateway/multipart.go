package gateway

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/versity/versitygw/backend"
	"github.com/versity/versitygw/s3api/utils"
	"github.com/versity/versitygw/s3err"
	"github.com/versity/versitygw/s3response"

	"github.com/dec2-cloud/dec2/storage/meta"
)

// Keys in a bucket's uploads companion (see the package comment).
func uploadRecord(id string) []byte { return []byte("u/" + id) }

func partsPrefix(id string) string { return "p/" + id + "/" }

func partRecord(id string, n int32) []byte { return fmt.Appendf(nil, "%s%05d", partsPrefix(id), n) }

// upload is an upload's record, opened.
type upload struct {
	id        string
	meta      objectMeta
	initiated time.Time
}

func (b *Backend) upload(ctx context.Context, bucket, key, id string) (upload, error) {
	// An id is 32 hex digits; anything else cannot name an upload and must not reach the
	// catalog as part of a key.
	if _, err := hex.DecodeString(id); err != nil || len(id) != 32 {
		return upload{}, s3err.GetNoSuchUploadErr(id)
	}
	o, err := b.catalog.GetObject(ctx, b.uploadsID(bucket), uploadRecord(id))
	if errors.Is(err, meta.ErrNotFound) {
		return upload{}, s3err.GetNoSuchUploadErr(id)
	}
	if err != nil {
		return upload{}, err
	}
	m, err := unseal(b.keys(bucket).uploadKEK(id), o.Metadata)
	if err != nil {
		return upload{}, fmt.Errorf("upload %s: %w", id, err)
	}
	if key != "" && m.Key != key {
		return upload{}, s3err.GetNoSuchUploadErr(id)
	}
	return upload{id: id, meta: m, initiated: o.Created}, nil
}

// CreateMultipartUpload records an upload; its parts arrive under its id.
func (b *Backend) CreateMultipartUpload(ctx context.Context, in s3response.CreateMultipartUploadInput) (s3response.InitiateMultipartUploadResult, error) {
	bucket, key := deref(in.Bucket), deref(in.Key)
	var raw [16]byte
	_, _ = rand.Read(raw[:])
	id := hex.EncodeToString(raw[:])
	m := objectMeta{
		ContentType: deref(in.ContentType), ContentEncoding: deref(in.ContentEncoding),
		ContentDisposition: deref(in.ContentDisposition), ContentLanguage: deref(in.ContentLanguage),
		CacheControl: deref(in.CacheControl), Expires: deref(in.Expires), User: in.Metadata, Key: key,
	}
	sealed, err := seal(b.keys(bucket).uploadKEK(id), m)
	if err != nil {
		return s3response.InitiateMultipartUploadResult{}, b.s3Error("create upload", err)
	}
	zero := int64(0)
	_, err = b.catalog.PutObject(ctx, meta.Object{Bucket: b.uploadsID(bucket), Key: uploadRecord(id), Metadata: sealed},
		meta.PutOptions{IfVersion: &zero})
	if err != nil {
		return s3response.InitiateMultipartUploadResult{}, b.s3Error("create upload", err)
	}
	return s3response.InitiateMultipartUploadResult{Bucket: bucket, Key: key, UploadId: id}, nil
}

// putPart stores one part's bytes and records it, replacing an earlier upload of that part.
func (b *Backend) putPart(ctx context.Context, bucket string, up upload, n int32, body io.Reader, alg types.ChecksumAlgorithm, headers []given) (written, error) {
	if n < 1 || n > 10000 {
		return written{}, s3err.GetAPIError(s3err.ErrInvalidPartNumberRange)
	}
	kek := b.keys(bucket).uploadKEK(up.id)
	w, err := b.write(ctx, kek, body, alg, headers)
	if err != nil {
		return written{}, err
	}
	sealed, err := seal(kek, objectMeta{Checksum: w.sum})
	if err != nil {
		b.collect(ctx, w.segs)
		return written{}, err
	}
	res, err := b.catalog.PutObject(ctx, meta.Object{
		Bucket: b.uploadsID(bucket), Key: partRecord(up.id, n), ETag: w.etag, Size: w.size, Metadata: sealed, Segments: w.segs,
	}, meta.PutOptions{})
	if err != nil {
		b.collect(ctx, w.segs)
		return written{}, err
	}
	if res.Replaced != nil {
		b.collect(ctx, res.Replaced.Segments)
	}
	return w, nil
}

// UploadPart stores a part.
func (b *Backend) UploadPart(ctx context.Context, in *s3.UploadPartInput) (*s3.UploadPartOutput, error) {
	bucket := deref(in.Bucket)
	up, err := b.upload(ctx, bucket, deref(in.Key), deref(in.UploadId))
	if err != nil {
		return nil, b.s3Error("upload part", err)
	}
	w, err := b.putPart(ctx, bucket, up, derefInt(in.PartNumber), in.Body, in.ChecksumAlgorithm, []given{
		{in.ChecksumCRC32, utils.HashTypeCRC32}, {in.ChecksumCRC32C, utils.HashTypeCRC32C},
		{in.ChecksumSHA1, utils.HashTypeSha1}, {in.ChecksumSHA256, utils.HashTypeSha256},
		{in.ChecksumCRC64NVME, utils.HashTypeCRC64NVME},
	})
	if err != nil {
		return nil, b.s3Error("upload part", err)
	}
	s := w.sum.sums()
	return &s3.UploadPartOutput{ETag: &w.etag, ChecksumCRC32: s.CRC32, ChecksumCRC32C: s.CRC32C,
		ChecksumSHA1: s.SHA1, ChecksumSHA256: s.SHA256, ChecksumCRC64NVME: s.CRC64NVME}, nil
}

func derefInt(p *int32) int32 {
	if p == nil {
		return 0
	}
	return *p
}

// UploadPartCopy stores a part copied from (a range of) an object.
func (b *Backend) UploadPartCopy(ctx context.Context, in *s3.UploadPartCopyInput) (s3response.CopyPartResult, error) {
	bucket := deref(in.Bucket)
	up, err := b.upload(ctx, bucket, deref(in.Key), deref(in.UploadId))
	if err != nil {
		return s3response.CopyPartResult{}, b.s3Error("upload part copy", err)
	}
	srcBucket, srcKey, _, err := backend.ParseCopySource(deref(in.CopySource))
	if err != nil {
		return s3response.CopyPartResult{}, err
	}
	src, err := b.lookup(ctx, srcBucket, srcKey)
	if err != nil {
		return s3response.CopyPartResult{}, b.s3Error("upload part copy", err)
	}
	if err := backend.EvaluatePreconditions(src.obj.ETag, src.modified(), backend.PreConditions{
		IfMatch: in.CopySourceIfMatch, IfNoneMatch: in.CopySourceIfNoneMatch,
		IfModSince: in.CopySourceIfModifiedSince, IfUnmodeSince: in.CopySourceIfUnmodifiedSince,
	}); err != nil {
		return s3response.CopyPartResult{}, err
	}
	off, n := int64(0), src.obj.Size
	if r := deref(in.CopySourceRange); r != "" {
		if off, n, err = backend.ParseCopySourceRange(src.obj.Size, r); err != nil {
			return s3response.CopyPartResult{}, err
		}
	}
	body, err := b.data.Read(ctx, b.keys(srcBucket).objectKEK(srcKey), src.obj.Segments, off, n)
	if err != nil {
		return s3response.CopyPartResult{}, b.s3Error("upload part copy", err)
	}
	defer body.Close()
	w, err := b.putPart(ctx, bucket, up, derefInt(in.PartNumber), body, "", nil)
	if err != nil {
		return s3response.CopyPartResult{}, b.s3Error("upload part copy", err)
	}
	s := w.sum.sums()
	return s3response.CopyPartResult{LastModified: time.Now().UTC(), ETag: &w.etag, ChecksumCRC32: s.CRC32,
		ChecksumCRC32C: s.CRC32C, ChecksumSHA1: s.SHA1, ChecksumSHA256: s.SHA256, ChecksumCRC64NVME: s.CRC64NVME}, nil
}

// parts lists an upload's parts by number.
func (b *Backend) parts(ctx context.Context, bucket, id string) ([]meta.Object, error) {
	opt := meta.ListOptions{Prefix: []byte(partsPrefix(id)), Limit: meta.MaxList}
	var out []meta.Object
	for {
		page, err := b.catalog.ListObjects(ctx, b.uploadsID(bucket), opt)
		if err != nil {
			return nil, err
		}
		out = append(out, page.Objects...)
		if !page.Truncated {
			return out, nil
		}
		opt.StartAfter = page.Next
	}
}

func partNumber(id string, o meta.Object) int32 {
	n, _ := strconv.Atoi(strings.TrimPrefix(string(o.Key), partsPrefix(id)))
	return int32(n)
}

// ListParts lists an upload's parts after PartNumberMarker.
func (b *Backend) ListParts(ctx context.Context, in *s3.ListPartsInput) (s3response.ListPartsResult, error) {
	bucket, key := deref(in.Bucket), deref(in.Key)
	up, err := b.upload(ctx, bucket, key, deref(in.UploadId))
	if err != nil {
		return s3response.ListPartsResult{}, b.s3Error("list parts", err)
	}
	marker := 0
	if in.PartNumberMarker != nil && *in.PartNumberMarker != "" {
		if marker, err = strconv.Atoi(*in.PartNumberMarker); err != nil || marker < 0 {
			return s3response.ListPartsResult{}, s3err.GetAPIError(s3err.ErrInvalidRequest)
		}
	}
	maxParts := 1000
	if in.MaxParts != nil && *in.MaxParts >= 0 && *in.MaxParts < 1000 {
		maxParts = int(*in.MaxParts)
	}
	all, err := b.parts(ctx, bucket, up.id)
	if err != nil {
		return s3response.ListPartsResult{}, b.s3Error("list parts", err)
	}
	res := s3response.ListPartsResult{
		Bucket: bucket, Key: key, UploadID: up.id, PartNumberMarker: marker, MaxParts: maxParts,
		StorageClass: types.StorageClassStandard,
		Initiator:    s3response.Initiator{ID: b.owner}, Owner: s3response.Owner{ID: b.owner},
	}
	kek := b.keys(bucket).uploadKEK(up.id)
	for _, o := range all {
		n := partNumber(up.id, o)
		if int(n) <= marker {
			continue
		}
		if len(res.Parts) == maxParts {
			res.IsTruncated = true
			break
		}
		pm, err := unseal(kek, o.Metadata)
		if err != nil {
			return s3response.ListPartsResult{}, b.s3Error("list parts", err)
		}
		s := pm.Checksum.sums()
		res.Parts = append(res.Parts, s3response.Part{PartNumber: int(n), LastModified: o.Created, ETag: o.ETag, Size: o.Size,
			ChecksumCRC32: s.CRC32, ChecksumCRC32C: s.CRC32C, ChecksumSHA1: s.SHA1, ChecksumSHA256: s.SHA256, ChecksumCRC64NVME: s.CRC64NVME})
		res.NextPartNumberMarker = int(n)
	}
	return res, nil
}

// CompleteMultipartUpload makes the listed parts the object: their segments are rewrapped
// under the object's key and adopted as they are, so no byte moves.
func (b *Backend) CompleteMultipartUpload(ctx context.Context, in *s3.CompleteMultipartUploadInput) (s3response.CompleteMultipartUploadResult, string, error) {
	bucket, key := deref(in.Bucket), deref(in.Key)
	res, err := b.complete(ctx, bucket, key, in)
	return res, "", b.s3Error("complete upload", err)
}

func (b *Backend) complete(ctx context.Context, bucket, key string, in *s3.CompleteMultipartUploadInput) (s3response.CompleteMultipartUploadResult, error) {
	var res s3response.CompleteMultipartUploadResult
	up, err := b.upload(ctx, bucket, key, deref(in.UploadId))
	if err != nil {
		return res, err
	}
	if in.MultipartUpload == nil || len(in.MultipartUpload.Parts) == 0 {
		return res, s3err.GetAPIError(s3err.ErrMalformedXML)
	}
	all, err := b.parts(ctx, bucket, up.id)
	if err != nil {
		return res, err
	}
	have := make(map[int32]meta.Object, len(all))
	for _, o := range all {
		have[partNumber(up.id, o)] = o
	}
	want := in.MultipartUpload.Parts
	k := b.keys(bucket)
	from, to := k.uploadKEK(up.id), k.objectKEK(key)
	var segs []meta.Segment
	var size int64
	var cumulative []int64
	used := make(map[int32]bool, len(want))
	prev := int32(0)
	for i, p := range want {
		n := derefInt(p.PartNumber)
		if n <= prev {
			return res, s3err.GetAPIError(s3err.ErrInvalidPartOrder)
		}
		prev = n
		listed, ok := have[n]
		if !ok || strings.Trim(deref(p.ETag), `"`) != strings.Trim(listed.ETag, `"`) {
			return res, s3err.GetInvalidPartErr(up.id, n, deref(p.ETag))
		}
		if i < len(want)-1 && listed.Size < backend.MinPartSize {
			return res, s3err.GetEntityTooSmallErr(listed.Size, backend.MinPartSize)
		}
		// Listings carry no segments; the part's record does.
		o, err := b.catalog.GetObject(ctx, b.uploadsID(bucket), listed.Key)
		if err != nil {
			return res, err
		}
		if o.ETag != listed.ETag {
			// Uploaded again since the listing.
			return res, s3err.GetInvalidPartErr(up.id, n, deref(p.ETag))
		}
		moved, err := b.data.Rewrap(from, to, o.Segments, len(segs))
		if err != nil {
			return res, err
		}
		segs = append(segs, moved...)
		size += o.Size
		cumulative = append(cumulative, size)
		used[n] = true
	}
	etag, err := backend.ComputeMultipartETagFromPartETags(want)
	if err != nil {
		return res, err
	}
	opt, err := b.putOptions(ctx, bucket, key, in.IfMatch, in.IfNoneMatch)
	if err != nil {
		return res, err
	}
	m := up.meta
	m.Key, m.Parts = "", cumulative
	sealed, err := seal(to, m)
	if err != nil {
		return res, err
	}
	o := meta.Object{Bucket: b.bucketID(bucket), Key: []byte(k.names.EncryptPath(key)), ETag: etag, Size: size, Metadata: sealed, Segments: segs}
	// Not commit: on failure the segments still belong to the parts, which stay for a retry.
	put, err := b.catalog.PutObject(ctx, o, opt)
	if err != nil {
		return res, err
	}
	if put.Replaced != nil {
		b.collect(ctx, put.Replaced.Segments)
	}
	// The upload record goes first: once it is gone no Abort can reach the parts' records,
	// whose pieces the object now owns.
	b.forget(ctx, bucket, up.id, all, used)
	return s3response.CompleteMultipartUploadResult{Bucket: &bucket, Key: &key, ETag: &etag,
		Location: ptr("/" + bucket + "/" + key)}, nil
}

// forget deletes an upload's record and its parts' records (as listed: without segments),
// collecting the pieces of parts not in keep.
func (b *Backend) forget(ctx context.Context, bucket, id string, parts []meta.Object, keep map[int32]bool) {
	ctx = context.WithoutCancel(ctx)
	if _, err := b.catalog.DeleteObject(ctx, b.uploadsID(bucket), uploadRecord(id), meta.PutOptions{}); err != nil && !errors.Is(err, meta.ErrNotFound) {
		b.log.Warn("gateway: upload record left behind", "upload", id, "err", err)
	}
	for _, p := range parts {
		old, err := b.catalog.DeleteObject(ctx, b.uploadsID(bucket), p.Key, meta.PutOptions{})
		if err != nil {
			if !errors.Is(err, meta.ErrNotFound) {
				b.log.Warn("gateway: part record left behind", "upload", id, "err", err)
			}
			continue
		}
		if !keep[partNumber(id, p)] {
			b.collect(ctx, old.Segments)
		}
	}
}

// AbortMultipartUpload drops an upload and its parts' pieces.
func (b *Backend) AbortMultipartUpload(ctx context.Context, in *s3.AbortMultipartUploadInput) error {
	bucket := deref(in.Bucket)
	up, err := b.upload(ctx, bucket, deref(in.Key), deref(in.UploadId))
	if err != nil {
		return b.s3Error("abort upload", err)
	}
	parts, err := b.parts(ctx, bucket, up.id)
	if err != nil {
		return b.s3Error("abort upload", err)
	}
	b.forget(ctx, bucket, up.id, parts, nil)
	return nil
}

// ListMultipartUploads lists uploads in progress by key, then upload id.
func (b *Backend) ListMultipartUploads(ctx context.Context, in *s3.ListMultipartUploadsInput) (s3response.ListMultipartUploadsResult, error) {
	bucket, prefix := deref(in.Bucket), deref(in.Prefix)
	opt := meta.ListOptions{Prefix: []byte("u/"), Limit: meta.MaxList}
	var ups []s3response.Upload
	for {
		page, err := b.catalog.ListObjects(ctx, b.uploadsID(bucket), opt)
		if err != nil {
			return s3response.ListMultipartUploadsResult{}, b.s3Error("list uploads", err)
		}
		for _, o := range page.Objects {
			id := strings.TrimPrefix(string(o.Key), "u/")
			up, err := b.upload(ctx, bucket, "", id)
			if err != nil {
				return s3response.ListMultipartUploadsResult{}, b.s3Error("list uploads", err)
			}
			if !strings.HasPrefix(up.meta.Key, prefix) {
				continue
			}
			ups = append(ups, s3response.Upload{Key: up.meta.Key, UploadID: id, Initiated: o.Created,
				StorageClass: types.StorageClassStandard, Initiator: s3response.Initiator{ID: b.owner}, Owner: s3response.Owner{ID: b.owner}})
		}
		if !page.Truncated {
			break
		}
		opt.StartAfter = page.Next
	}
	slices.SortFunc(ups, func(x, y s3response.Upload) int {
		if c := strings.Compare(x.Key, y.Key); c != 0 {
			return c
		}
		return strings.Compare(x.UploadID, y.UploadID)
	})
	keyMarker, idMarker := deref(in.KeyMarker), deref(in.UploadIdMarker)
	ups = slices.DeleteFunc(ups, func(u s3response.Upload) bool {
		return u.Key < keyMarker || (u.Key == keyMarker && (idMarker == "" || u.UploadID <= idMarker))
	})
	maxUploads := 1000
	if in.MaxUploads != nil && *in.MaxUploads >= 0 && *in.MaxUploads < 1000 {
		maxUploads = int(*in.MaxUploads)
	}
	res := s3response.ListMultipartUploadsResult{Bucket: bucket, Prefix: prefix, KeyMarker: keyMarker,
		UploadIDMarker: idMarker, MaxUploads: maxUploads}
	if len(ups) > maxUploads {
		ups, res.IsTruncated = ups[:maxUploads], true
		res.NextKeyMarker, res.NextUploadIDMarker = ups[len(ups)-1].Key, ups[len(ups)-1].UploadID
	}
	res.Uploads = ups
	return res, nil
}
