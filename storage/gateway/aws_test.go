package gateway_test

import (
	"bytes"
	"context"
	"crypto/md5"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
)

func awsClient(secret string) *s3.Client {
	return s3.New(s3.Options{
		Region: "us-east-1", BaseEndpoint: aws.String(endpoint), UsePathStyle: true,
		Credentials: credentials.NewStaticCredentialsProvider(key.AccessKey, secret, ""),
		HTTPClient:  httpClient,
		// What config.LoadDefaultConfig and aws-cli >= 2.23 set: a CRC32 on every upload
		// (a trailer over TLS), validated on downloads that carry one.
		RequestChecksumCalculation: aws.RequestChecksumCalculationWhenSupported,
		ResponseChecksumValidation: aws.ResponseChecksumValidationWhenSupported,
	})
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return b
}

func errCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return fmt.Sprintf("not an API error: %v", err)
}

func mustBucket(t *testing.T, c *s3.Client, name string) {
	t.Helper()
	ctx := context.Background()
	if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: &name}); err != nil {
		t.Fatalf("create bucket %s: %v", name, err)
	}
}

func etagOf(b []byte) string {
	s := md5.Sum(b)
	return `"` + hex.EncodeToString(s[:]) + `"`
}

func TestAWSObjectLifecycle(t *testing.T) {
	c := awsClient(key.SecretKey)
	ctx := context.Background()
	bucket := "lifecycle"
	mustBucket(t, c, bucket)
	if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(bucket)}); errCode(err) != "BucketAlreadyOwnedByYou" {
		t.Errorf("creating twice: %v, want BucketAlreadyOwnedByYou", err)
	}
	if _, err := c.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String(bucket)}); err != nil {
		t.Fatalf("head bucket: %v", err)
	}
	lb, err := c.ListBuckets(ctx, &s3.ListBucketsInput{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(lb.Buckets, func(b types.Bucket) bool { return *b.Name == bucket }) {
		t.Errorf("ListBuckets lacks %s", bucket)
	}

	body := randomBytes(5*segSize + 12345) // spans six segments
	put, err := c.PutObject(ctx, &s3.PutObjectInput{
		Bucket: aws.String(bucket), Key: aws.String("dir/file.bin"), Body: bytes.NewReader(body),
		ContentType: aws.String("application/x-test"), Metadata: map[string]string{"colour": "blue"},
	})
	if err != nil {
		t.Fatalf("put: %v", err)
	}
	if *put.ETag != etagOf(body) {
		t.Errorf("ETag %s, want the MD5 %s", *put.ETag, etagOf(body))
	}
	if put.ChecksumCRC32 == nil {
		t.Error("the SDK's default CRC32 is not echoed")
	}

	get, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String("dir/file.bin"), ChecksumMode: types.ChecksumModeEnabled})
	if err != nil {
		t.Fatalf("get: %v", err)
	}
	got, err := io.ReadAll(get.Body)
	if err != nil {
		t.Fatalf("get body (the SDK validates the checksum): %v", err)
	}
	if !bytes.Equal(got, body) {
		t.Fatalf("get returned %d bytes that differ from the %d put", len(got), len(body))
	}
	want := crc32.ChecksumIEEE(body)
	if get.ChecksumCRC32 == nil || *get.ChecksumCRC32 != base64.StdEncoding.EncodeToString([]byte{byte(want >> 24), byte(want >> 16), byte(want >> 8), byte(want)}) {
		t.Errorf("stored CRC32 %v does not match the body", get.ChecksumCRC32)
	}
	if get.ContentType == nil || *get.ContentType != "application/x-test" || get.Metadata["colour"] != "blue" {
		t.Errorf("content type %v, metadata %v", get.ContentType, get.Metadata)
	}

	// A range that crosses a segment boundary.
	lo, hi := int64(segSize-100), int64(2*segSize+99)
	rg, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String("dir/file.bin"), Range: aws.String(fmt.Sprintf("bytes=%d-%d", lo, hi))})
	if err != nil {
		t.Fatalf("range get: %v", err)
	}
	part, _ := io.ReadAll(rg.Body)
	if !bytes.Equal(part, body[lo:hi+1]) || *rg.ContentRange != fmt.Sprintf("bytes %d-%d/%d", lo, hi, len(body)) {
		t.Errorf("range: %d bytes, Content-Range %v", len(part), rg.ContentRange)
	}
	if _, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String("dir/file.bin"), Range: aws.String(fmt.Sprintf("bytes=%d-", len(body)))}); errCode(err) != "InvalidRange" {
		t.Errorf("range past the end: %v, want InvalidRange", err)
	}

	head, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String("dir/file.bin")})
	if err != nil {
		t.Fatal(err)
	}
	if *head.ContentLength != int64(len(body)) || *head.ETag != etagOf(body) || head.Metadata["colour"] != "blue" {
		t.Errorf("head: length %d etag %s metadata %v", *head.ContentLength, *head.ETag, head.Metadata)
	}

	// Copy, with and without replacing the metadata.
	if _, err := c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String(bucket), Key: aws.String("copy"), CopySource: aws.String(bucket + "/dir/file.bin")}); err != nil {
		t.Fatalf("copy: %v", err)
	}
	if _, err := c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String(bucket), Key: aws.String("copy2"), CopySource: aws.String(bucket + "/dir/file.bin"),
		MetadataDirective: types.MetadataDirectiveReplace, Metadata: map[string]string{"colour": "red"}}); err != nil {
		t.Fatalf("copy replacing metadata: %v", err)
	}
	for k, colour := range map[string]string{"copy": "blue", "copy2": "red"} {
		g, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(k)})
		if err != nil {
			t.Fatalf("get %s: %v", k, err)
		}
		b, _ := io.ReadAll(g.Body)
		if !bytes.Equal(b, body) || g.Metadata["colour"] != colour {
			t.Errorf("%s: equal bytes %v, colour %q, want %q", k, bytes.Equal(b, body), g.Metadata["colour"], colour)
		}
	}

	// Presigned GET: a plain HTTP client with only the URL.
	pre, err := s3.NewPresignClient(c).PresignGetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String("copy")}, s3.WithPresignExpires(5*time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := httpClient.Get(pre.URL)
	if err != nil {
		t.Fatal(err)
	}
	pb, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !bytes.Equal(pb, body) {
		t.Errorf("presigned GET: %s, %d bytes", resp.Status, len(pb))
	}

	if _, err := c.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String(bucket)}); errCode(err) != "BucketNotEmpty" {
		t.Errorf("deleting a full bucket: %v, want BucketNotEmpty", err)
	}
	for _, k := range []string{"dir/file.bin", "copy", "copy2"} {
		if _, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(bucket), Key: aws.String(k)}); err != nil {
			t.Fatalf("delete %s: %v", k, err)
		}
	}
	if _, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String("copy")}); errCode(err) != "NoSuchKey" {
		t.Errorf("get after delete: %v, want NoSuchKey", err)
	}
	if _, err := c.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String(bucket)}); err != nil {
		t.Fatalf("delete bucket: %v", err)
	}
	if _, err := c.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String(bucket)}); err == nil {
		t.Error("head of a deleted bucket succeeds")
	}
}

func TestAWSMultipart(t *testing.T) {
	sizes := []int{20 << 20}
	if !testing.Short() {
		sizes = append(sizes, 200<<20)
	}
	c := awsClient(key.SecretKey)
	ctx := context.Background()
	bucket := "multipart"
	mustBucket(t, c, bucket)
	// A source for UploadPartCopy.
	src := randomBytes(3 << 20)
	if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String("src"), Body: bytes.NewReader(src)}); err != nil {
		t.Fatal(err)
	}
	for _, size := range sizes {
		t.Run(fmt.Sprintf("%dMiB", size>>20), func(t *testing.T) {
			before := data.count()
			body := randomBytes(size)
			partSize := 5 << 20
			k := fmt.Sprintf("big/%d", size)
			cr, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String(bucket), Key: aws.String(k),
				ContentType: aws.String("video/x-test"), Metadata: map[string]string{"take": "2"}})
			if err != nil {
				t.Fatalf("create upload: %v", err)
			}
			var done []types.CompletedPart
			var sums [][]byte
			for n, off := int32(1), 0; off < size; n, off = n+1, off+partSize {
				p := body[off:min(off+partSize, size)]
				up, err := c.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String(bucket), Key: aws.String(k), UploadId: cr.UploadId,
					PartNumber: aws.Int32(n), Body: bytes.NewReader(p)})
				if err != nil {
					t.Fatalf("part %d: %v", n, err)
				}
				done = append(done, types.CompletedPart{PartNumber: aws.Int32(n), ETag: up.ETag})
				s := md5.Sum(p)
				sums = append(sums, s[:])
			}
			// The last part is a copy of a range of another object.
			n := int32(len(done) + 1)
			cp, err := c.UploadPartCopy(ctx, &s3.UploadPartCopyInput{Bucket: aws.String(bucket), Key: aws.String(k), UploadId: cr.UploadId,
				PartNumber: aws.Int32(n), CopySource: aws.String(bucket + "/src"), CopySourceRange: aws.String("bytes=1000-1999999")})
			if err != nil {
				t.Fatalf("upload part copy: %v", err)
			}
			done = append(done, types.CompletedPart{PartNumber: aws.Int32(n), ETag: cp.CopyPartResult.ETag})
			s := md5.Sum(src[1000:2000000])
			sums = append(sums, s[:])
			body = append(body, src[1000:2000000]...)

			lp, err := c.ListParts(ctx, &s3.ListPartsInput{Bucket: aws.String(bucket), Key: aws.String(k), UploadId: cr.UploadId})
			if err != nil {
				t.Fatal(err)
			}
			if len(lp.Parts) != len(done) || *lp.Parts[0].ETag != *done[0].ETag {
				t.Fatalf("ListParts: %d parts, want %d", len(lp.Parts), len(done))
			}
			lu, err := c.ListMultipartUploads(ctx, &s3.ListMultipartUploadsInput{Bucket: aws.String(bucket)})
			if err != nil {
				t.Fatal(err)
			}
			if len(lu.Uploads) != 1 || *lu.Uploads[0].Key != k || *lu.Uploads[0].UploadId != *cr.UploadId {
				t.Errorf("ListMultipartUploads: %+v", lu.Uploads)
			}
			comp, err := c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String(bucket), Key: aws.String(k), UploadId: cr.UploadId,
				MultipartUpload: &types.CompletedMultipartUpload{Parts: done}})
			if err != nil {
				t.Fatalf("complete: %v", err)
			}
			whole := md5.Sum(bytes.Join(sums, nil))
			if want := fmt.Sprintf(`"%x-%d"`, whole, len(done)); *comp.ETag != want {
				t.Errorf("ETag %s, want %s", *comp.ETag, want)
			}
			g, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(k)})
			if err != nil {
				t.Fatal(err)
			}
			got, err := io.ReadAll(g.Body)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, body) || g.Metadata["take"] != "2" || *g.ContentType != "video/x-test" {
				t.Errorf("completed object: %d bytes (want %d, equal %v), metadata %v", len(got), len(body), bytes.Equal(got, body), g.Metadata)
			}
			p2, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(k), PartNumber: aws.Int32(2)})
			if err != nil {
				t.Fatal(err)
			}
			pb, _ := io.ReadAll(p2.Body)
			if !bytes.Equal(pb, body[partSize:2*partSize]) || *p2.PartsCount != int32(len(done)) {
				t.Errorf("GET partNumber=2: %d bytes, parts count %v", len(pb), p2.PartsCount)
			}
			if _, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(bucket), Key: aws.String(k)}); err != nil {
				t.Fatal(err)
			}
			if after := data.count(); after != before {
				t.Errorf("%d pieces before the upload, %d after deleting the object: garbage was not collected", before, after)
			}
		})
	}

	t.Run("abort and refusals", func(t *testing.T) {
		before := data.count()
		cr, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String(bucket), Key: aws.String("aborted")})
		if err != nil {
			t.Fatal(err)
		}
		small := randomBytes(1 << 10)
		var done []types.CompletedPart
		for n := int32(1); n <= 2; n++ {
			up, err := c.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String(bucket), Key: aws.String("aborted"), UploadId: cr.UploadId,
				PartNumber: aws.Int32(n), Body: bytes.NewReader(small)})
			if err != nil {
				t.Fatal(err)
			}
			done = append(done, types.CompletedPart{PartNumber: aws.Int32(n), ETag: up.ETag})
		}
		_, err = c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String(bucket), Key: aws.String("aborted"), UploadId: cr.UploadId,
			MultipartUpload: &types.CompletedMultipartUpload{Parts: done}})
		if errCode(err) != "EntityTooSmall" {
			t.Errorf("completing with a small inner part: %v, want EntityTooSmall", err)
		}
		_, err = c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String(bucket), Key: aws.String("aborted"), UploadId: cr.UploadId,
			MultipartUpload: &types.CompletedMultipartUpload{Parts: []types.CompletedPart{{PartNumber: aws.Int32(1), ETag: aws.String(`"00000000000000000000000000000000"`)}}}})
		if errCode(err) != "InvalidPart" {
			t.Errorf("completing with a wrong ETag: %v, want InvalidPart", err)
		}
		if _, err := c.AbortMultipartUpload(ctx, &s3.AbortMultipartUploadInput{Bucket: aws.String(bucket), Key: aws.String("aborted"), UploadId: cr.UploadId}); err != nil {
			t.Fatal(err)
		}
		if _, err := c.ListParts(ctx, &s3.ListPartsInput{Bucket: aws.String(bucket), Key: aws.String("aborted"), UploadId: cr.UploadId}); errCode(err) != "NoSuchUpload" {
			t.Errorf("parts of an aborted upload: %v, want NoSuchUpload", err)
		}
		if after := data.count(); after != before {
			t.Errorf("%d pieces before, %d after abort", before, after)
		}
	})
}

func TestAWSListPastAThousand(t *testing.T) {
	c := awsClient(key.SecretKey)
	ctx := context.Background()
	bucket := "listing"
	mustBucket(t, c, bucket)
	var keys []string
	for d := range 25 {
		for i := range 100 {
			keys = append(keys, fmt.Sprintf("d%02d/k%04d", d, i))
		}
	}
	work := make(chan string)
	var wg sync.WaitGroup
	errs := make(chan error, len(keys))
	for range 8 {
		wg.Go(func() {
			for k := range work {
				if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(k), Body: strings.NewReader(k)}); err != nil {
					errs <- fmt.Errorf("put %s: %w", k, err)
				}
			}
		})
	}
	for _, k := range keys {
		work <- k
	}
	close(work)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}

	var listed []string
	pages := 0
	p := s3.NewListObjectsV2Paginator(c, &s3.ListObjectsV2Input{Bucket: aws.String(bucket)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, o := range page.Contents {
			listed = append(listed, *o.Key)
		}
	}
	if pages != 3 || !slices.Equal(listed, keys) {
		t.Errorf("%d pages, %d keys (sorted and complete: %v), want 3 pages of all %d", pages, len(listed), slices.Equal(listed, keys), len(keys))
	}

	dirs, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(bucket), Delimiter: aws.String("/")})
	if err != nil {
		t.Fatal(err)
	}
	if len(dirs.CommonPrefixes) != 25 || len(dirs.Contents) != 0 || *dirs.CommonPrefixes[3].Prefix != "d03/" {
		t.Errorf("delimiter: %d prefixes, %d objects", len(dirs.CommonPrefixes), len(dirs.Contents))
	}
	sub, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(bucket), Prefix: aws.String("d07/k00"), MaxKeys: aws.Int32(40)})
	if err != nil {
		t.Fatal(err)
	}
	if len(sub.Contents) != 40 || !*sub.IsTruncated || *sub.Contents[0].Key != "d07/k0000" {
		t.Errorf("prefix page: %d keys, truncated %v", len(sub.Contents), *sub.IsTruncated)
	}
	sub2, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(bucket), Prefix: aws.String("d07/k00"), ContinuationToken: sub.NextContinuationToken})
	if err != nil {
		t.Fatal(err)
	}
	if len(sub2.Contents) != 60 || *sub2.IsTruncated || *sub2.Contents[0].Key != "d07/k0040" {
		t.Errorf("second prefix page: %d keys, truncated %v", len(sub2.Contents), *sub2.IsTruncated)
	}
}

// signed sends a raw request signed with the gateway's key, for inputs no SDK would produce.
func signed(t *testing.T, method, path string, body []byte) *http.Response {
	t.Helper()
	req, err := http.NewRequest(method, endpoint+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(body)
	h := hex.EncodeToString(sum[:])
	req.Header.Set("X-Amz-Content-Sha256", h)
	creds := aws.Credentials{AccessKeyID: key.AccessKey, SecretAccessKey: key.SecretKey}
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, h, "s3", "us-east-1", time.Now()); err != nil {
		t.Fatal(err)
	}
	resp, err := httpClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

func TestAWSErrors(t *testing.T) {
	ctx := context.Background()
	c := awsClient(key.SecretKey)
	bucket := "errors"
	mustBucket(t, c, bucket)

	if _, err := awsClient("wrong"+key.SecretKey[5:]).ListBuckets(ctx, &s3.ListBucketsInput{}); errCode(err) != "SignatureDoesNotMatch" {
		t.Errorf("wrong secret: %v, want SignatureDoesNotMatch", err)
	}
	if _, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("no-such-bucket"), Key: aws.String("k")}); errCode(err) != "NoSuchBucket" {
		t.Errorf("unknown bucket: %v, want NoSuchBucket", err)
	}
	if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("no-such-bucket"), Key: aws.String("k"), Body: strings.NewReader("x")}); errCode(err) != "NoSuchBucket" {
		t.Errorf("put to unknown bucket: %v, want NoSuchBucket", err)
	}
	if _, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("no-such-bucket")}); errCode(err) != "NoSuchBucket" {
		t.Errorf("list of unknown bucket: %v, want NoSuchBucket", err)
	}

	before := data.count()
	_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String("bad"), Body: strings.NewReader("some bytes"),
		ChecksumCRC32: aws.String("AAAAAA==")})
	if code := errCode(err); code != "BadDigest" {
		t.Errorf("wrong CRC32: %v, want BadDigest", err)
	}
	if _, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String("bad")}); err == nil {
		t.Error("an object with a bad checksum was stored")
	}
	if after := data.count(); after != before {
		t.Errorf("%d pieces before, %d after a refused put", before, after)
	}

	cr, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String(bucket), Key: aws.String("mp")})
	if err != nil {
		t.Fatal(err)
	}
	resp := signed(t, http.MethodPost, "/"+bucket+"/mp?uploadId="+*cr.UploadId, []byte("<CompleteMultipartUpload><Part>"))
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(b), "<Code>MalformedXML</Code>") {
		t.Errorf("malformed XML: %s %s", resp.Status, b)
	}
	resp = signed(t, http.MethodGet, "/"+bucket+"/mp?uploadId=not-an-upload", nil)
	b, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(b), "<Code>NoSuchUpload</Code>") {
		t.Errorf("unknown upload: %s %s", resp.Status, b)
	}
}
