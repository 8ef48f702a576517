package gateway_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

func TestMinio(t *testing.T) {
	u, err := url.Parse(endpoint)
	if err != nil {
		t.Fatal(err)
	}
	c, err := minio.New(u.Host, &minio.Options{
		Creds: credentials.NewStaticV4(key.AccessKey, key.SecretKey, ""), Secure: true,
		Transport: httpClient.Transport, Region: "us-east-1", BucketLookup: minio.BucketLookupPath,
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	bucket := "minio"
	if err := c.MakeBucket(ctx, bucket, minio.MakeBucketOptions{}); err != nil {
		t.Fatalf("make bucket: %v", err)
	}
	if ok, err := c.BucketExists(ctx, bucket); err != nil || !ok {
		t.Fatalf("bucket exists: %v %v", ok, err)
	}

	small := []byte("hello, dec2")
	if _, err := c.PutObject(ctx, bucket, "a/small.txt", bytes.NewReader(small), int64(len(small)), minio.PutObjectOptions{
		ContentType: "text/plain", UserMetadata: map[string]string{"owner": "consumer"}}); err != nil {
		t.Fatalf("put: %v", err)
	}
	st, err := c.StatObject(ctx, bucket, "a/small.txt", minio.StatObjectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if st.Size != int64(len(small)) || st.ContentType != "text/plain" || st.UserMetadata["Owner"] != "consumer" || st.ETag != strings.Trim(etagOf(small), `"`) {
		t.Errorf("stat: %+v", st)
	}

	// minio-go goes multipart above PartSize.
	big := randomBytes(12 << 20)
	if _, err := c.PutObject(ctx, bucket, "a/big.bin", bytes.NewReader(big), int64(len(big)), minio.PutObjectOptions{PartSize: 5 << 20}); err != nil {
		t.Fatalf("multipart put: %v", err)
	}
	opts := minio.GetObjectOptions{}
	if err := opts.SetRange(6<<20, 7<<20-1); err != nil {
		t.Fatal(err)
	}
	obj, err := c.GetObject(ctx, bucket, "a/big.bin", opts)
	if err != nil {
		t.Fatal(err)
	}
	part, err := io.ReadAll(obj)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(part, big[6<<20:7<<20]) {
		t.Errorf("range of a multipart object: %d bytes, equal %v", len(part), bytes.Equal(part, big[6<<20:7<<20]))
	}

	if _, err := c.CopyObject(ctx, minio.CopyDestOptions{Bucket: bucket, Object: "b/copy.txt"}, minio.CopySrcOptions{Bucket: bucket, Object: "a/small.txt"}); err != nil {
		t.Fatalf("copy: %v", err)
	}
	var names []string
	for o := range c.ListObjects(ctx, bucket, minio.ListObjectsOptions{Recursive: true}) {
		if o.Err != nil {
			t.Fatal(o.Err)
		}
		names = append(names, o.Key)
	}
	if strings.Join(names, ",") != "a/big.bin,a/small.txt,b/copy.txt" {
		t.Errorf("listed %v", names)
	}

	pre, err := c.PresignedGetObject(ctx, bucket, "b/copy.txt", time.Minute, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := httpClient.Get(pre.String())
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !bytes.Equal(body, small) {
		t.Errorf("presigned GET: %s %q", resp.Status, body)
	}

	// A GET, not a HEAD: a HEAD's answer has no body to carry the code.
	missing, err := c.GetObject(ctx, "no-such-bucket", "k", minio.GetObjectOptions{})
	if err == nil {
		_, err = io.ReadAll(missing)
	}
	if minio.ToErrorResponse(err).Code != "NoSuchBucket" {
		t.Errorf("get in an unknown bucket: %v", err)
	}
	for _, k := range names {
		if err := c.RemoveObject(ctx, bucket, k, minio.RemoveObjectOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.RemoveBucket(ctx, bucket); err != nil {
		t.Fatalf("remove bucket: %v", err)
	}
}
