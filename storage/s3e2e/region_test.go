// Package s3e2e tests dec2 S3 end to end as a consumer and providers run it: storage nodes as
// Nomad jobs on a region's providers, the storage service, and the consumer's `dec2 s3 serve`
// driven by a real S3 SDK.
package s3e2e

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/dec2-cloud/dec2/e2e"
)

// marker is plaintext that must never reach a provider's disk.
const marker = "dec2-plaintext-marker-7f3a"

// Six providers each run dec2-storagenode as a Nomad job on their host volume; the consumer's
// gateway finds them, and aws-sdk-go-v2 (its default checksums on) writes, lists and reads
// through it. What the providers' disks hold is ciphertext; a piece corrupted on disk is
// caught by its hash and the object still reads; with n−k providers stopped every object still
// reads.
func TestS3OverStorageNodeJobsOnSixProviders(t *testing.T) {
	e2e.RequireIntegration(t)
	w := startWorld(t, 1<<30)
	region, nodes, c := w.region, w.nodes, w.s3
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()

	bucket := "photos-" + strings.ToLower(marker[len(marker)-4:])
	if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: &bucket}); err != nil {
		t.Fatalf("CreateBucket: %v", err)
	}
	objects := map[string][]byte{
		marker + "/small.txt": []byte(strings.Repeat(marker+" hello ", 50)),
		marker + "/large.bin": withMarkers(9 << 20),
	}
	for k, body := range objects {
		if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: &bucket, Key: aws.String(k), Body: bytes.NewReader(body)}); err != nil {
			t.Fatalf("PutObject %s: %v", k, err)
		}
	}
	mp := marker + "/multipart.bin"
	objects[mp] = multipart(ctx, t, c, bucket, mp, 3, 5<<20)

	list, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: &bucket, Prefix: aws.String(marker + "/")})
	if err != nil || len(list.Contents) != len(objects) {
		t.Fatalf("ListObjectsV2: %d keys, %v; want %d", len(list.Contents), err, len(objects))
	}
	readAll(ctx, t, c, bucket, objects, "healthy")
	rng, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: &bucket, Key: aws.String(marker + "/large.bin"), Range: aws.String("bytes=5000000-5000099")})
	if err != nil {
		t.Fatalf("range GET: %v", err)
	}
	got, _ := io.ReadAll(rng.Body)
	rng.Body.Close()
	if !bytes.Equal(got, objects[marker+"/large.bin"][5000000:5000100]) {
		t.Errorf("range GET returned other bytes")
	}

	pieces := piecesOnDisks(t, nodes)
	if len(pieces) < 8 {
		t.Fatalf("%d piece files on the providers' disks: want the objects spread over them", len(pieces))
	}
	holders := map[string]bool{}
	for _, p := range pieces {
		holders[p.node] = true
		b, err := os.ReadFile(p.path)
		if err != nil {
			t.Fatal(err)
		}
		for _, plain := range []string{marker, "hello", "small.txt", "multipart"} {
			if bytes.Contains(b, []byte(plain)) {
				t.Errorf("%s on %s holds plaintext %q", filepath.Base(p.path), p.node, plain)
			}
		}
	}
	if len(holders) < 4 {
		t.Errorf("pieces on %d providers, want at least n = 4", len(holders))
	}

	// A provider that serves corrupted bytes: every piece on one disk flipped in place.
	victim := pieces[0].node
	var saved []savedPiece
	for _, p := range pieces {
		if p.node == victim {
			saved = append(saved, corrupt(t, p.path))
		}
	}
	readAll(ctx, t, c, bucket, objects, "with "+victim+"'s pieces corrupted")
	for _, s := range saved {
		if err := os.WriteFile(s.path, s.data, 0o600); err != nil {
			t.Fatal(err)
		}
	}

	// n − k = 2 of the 2/4 code's providers gone.
	for _, n := range nodes[len(nodes)-2:] {
		n.Stop(t, region)
	}
	readAll(ctx, t, c, bucket, objects, "with two providers stopped")
}

// withMarkers is n random bytes with the marker written every 64 KiB.
func withMarkers(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	for off := 0; off+len(marker) <= n; off += 64 << 10 {
		copy(b[off:], marker)
	}
	return b
}

// multipart uploads parts of size bytes each as one object and returns its bytes.
func multipart(ctx context.Context, t *testing.T, c *s3.Client, bucket, key string, parts, size int) []byte {
	t.Helper()
	up, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: &bucket, Key: &key})
	if err != nil {
		t.Fatalf("CreateMultipartUpload: %v", err)
	}
	var all []byte
	var done []types.CompletedPart
	for i := range parts {
		body := withMarkers(size)
		all = append(all, body...)
		res, err := c.UploadPart(ctx, &s3.UploadPartInput{Bucket: &bucket, Key: &key, UploadId: up.UploadId,
			PartNumber: aws.Int32(int32(i + 1)), Body: bytes.NewReader(body)})
		if err != nil {
			t.Fatalf("UploadPart %d: %v", i+1, err)
		}
		done = append(done, types.CompletedPart{PartNumber: aws.Int32(int32(i + 1)), ETag: res.ETag, ChecksumCRC32: res.ChecksumCRC32})
	}
	if _, err := c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: &bucket, Key: &key, UploadId: up.UploadId,
		MultipartUpload: &types.CompletedMultipartUpload{Parts: done}}); err != nil {
		t.Fatalf("CompleteMultipartUpload: %v", err)
	}
	return all
}

func readAll(ctx context.Context, t *testing.T, c *s3.Client, bucket string, objects map[string][]byte, when string) {
	t.Helper()
	for k, want := range objects {
		res, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: &bucket, Key: aws.String(k)})
		if err != nil {
			t.Errorf("%s: GET %s: %v", when, k, err)
			continue
		}
		got, err := io.ReadAll(res.Body)
		res.Body.Close()
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s: GET %s: %d bytes (want %d), equal %v, %v", when, k, len(got), len(want), bytes.Equal(got, want), err)
		}
	}
}

type pieceFile struct{ node, path string }

// piecesOnDisks lists the piece files on every provider's host volume.
func piecesOnDisks(t *testing.T, nodes []*e2e.StorageNode) []pieceFile {
	t.Helper()
	var out []pieceFile
	for _, n := range nodes {
		err := filepath.WalkDir(filepath.Join(n.Disk, "pieces"), func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				if errors.Is(err, fs.ErrNotExist) {
					return nil
				}
				return err
			}
			if !d.IsDir() {
				out = append(out, pieceFile{node: n.Client, path: p})
			}
			return nil
		})
		if err != nil {
			t.Fatalf("walking %s's disk: %v", n.Client, err)
		}
	}
	return out
}

type savedPiece struct {
	path string
	data []byte
}

// corrupt flips every byte of a piece file past its header, in place, as a failing disk or a
// dishonest provider would serve them, and returns what it held.
func corrupt(t *testing.T, path string) savedPiece {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := savedPiece{path: path, data: bytes.Clone(b)}
	const header = 128
	for i := header; i < len(b); i++ {
		b[i] ^= 0x5a
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return s
}
