package s3e2e

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/dec2-cloud/dec2/e2e"
	"github.com/dec2-cloud/dec2/storage/nodeapi"
	"github.com/dec2-cloud/dec2/storage/piecestore"
	"github.com/dec2-cloud/dec2/storage/s3keys"
)

// BenchmarkGateway is the figures over loopback: PUT and GET of 1 GiB through
// `dec2 s3 serve` to six dec2-storagenode processes, the same bytes written to and read from
// one storage node directly (64 MiB pieces, as many as a 1 GiB object has segments), and
// listing 10,000 keys with ListObjectsV2 (ten pages). Run with -benchtime 3x; the ratios are
// gateway/direct ns/op.
func BenchmarkGateway(b *testing.B) {
	e2e.RequireIntegration(b)
	const size = 1 << 30
	var nodes []*e2e.StorageNode
	var args []string
	for i := range 6 {
		n := e2e.StartStorageNodeProcess(b, fmt.Sprintf("node%d", i), b.TempDir(), 4<<30)
		nodes = append(nodes, n)
		args = append(args, "--node", n.Provider.Hex()+"="+n.NodeID+"="+n.URL)
	}
	svc := e2e.StartStorageService(b)
	wallet, _ := crypto.GenerateKey()
	keysFile := filepath.Join(b.TempDir(), "s3keys.json")
	key, err := s3keys.Create(keysFile, time.Now())
	if err != nil {
		b.Fatal(err)
	}
	gw := e2e.StartS3Gateway(b, svc.URL, wallet, keysFile, nil, args...)
	c := s3.New(s3.Options{
		Region: "us-east-1", BaseEndpoint: aws.String(gw.Endpoint), UsePathStyle: true,
		Credentials:                credentials.NewStaticCredentialsProvider(key.AccessKey, key.SecretKey, ""),
		RequestChecksumCalculation: aws.RequestChecksumCalculationWhenSupported,
		ResponseChecksumValidation: aws.ResponseChecksumValidationWhenSupported,
	})
	ctx := context.Background()
	bucket := "bench"
	if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: &bucket}); err != nil {
		b.Fatal(err)
	}
	data := make([]byte, size)
	_, _ = rand.Read(data)

	b.Run("put-1GiB-gateway", func(b *testing.B) {
		b.SetBytes(size)
		for b.Loop() {
			if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: &bucket, Key: aws.String("big"), Body: bytes.NewReader(data)}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("get-1GiB-gateway", func(b *testing.B) {
		b.SetBytes(size)
		for b.Loop() {
			res, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: &bucket, Key: aws.String("big")})
			if err != nil {
				b.Fatal(err)
			}
			n, err := io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if err != nil || n != size {
				b.Fatalf("read %d bytes: %v", n, err)
			}
		}
	})

	direct := &nodeapi.Client{URL: nodes[0].URL, Key: wallet, ChainID: 1337}
	const piece = 64 << 20
	var ids []piecestore.ID
	b.Run("put-1GiB-one-node-direct", func(b *testing.B) {
		b.SetBytes(size)
		for b.Loop() {
			for _, id := range ids {
				if err := direct.Delete(ctx, id); err != nil {
					b.Fatal(err)
				}
			}
			ids = ids[:0]
			for off := 0; off < size; off += piece {
				var id piecestore.ID
				_, _ = rand.Read(id[:])
				if _, err := direct.Put(ctx, id, data[off:off+piece], uint64(time.Now().Add(time.Hour).Unix())); err != nil {
					b.Fatal(err)
				}
				ids = append(ids, id)
			}
		}
	})
	b.Run("get-1GiB-one-node-direct", func(b *testing.B) {
		b.SetBytes(size)
		for b.Loop() {
			for _, id := range ids {
				if _, err := direct.Get(ctx, id, 0, -1); err != nil {
					b.Fatal(err)
				}
			}
		}
	})

	putKeys(b, c, bucket, 10_000)
	b.Run("list-10000-keys", func(b *testing.B) {
		for b.Loop() {
			n := 0
			in := &s3.ListObjectsV2Input{Bucket: &bucket, Prefix: aws.String("k/")}
			for p := s3.NewListObjectsV2Paginator(c, in); p.HasMorePages(); {
				page, err := p.NextPage(ctx)
				if err != nil {
					b.Fatal(err)
				}
				n += len(page.Contents)
			}
			if n != 10_000 {
				b.Fatalf("listed %d keys, want 10000", n)
			}
		}
	})
}

// putKeys writes n one-byte objects k/00000… with 16 writers.
func putKeys(b *testing.B, c *s3.Client, bucket string, n int) {
	b.Helper()
	keys := make(chan int)
	errs := make(chan error, 16)
	var wg sync.WaitGroup
	for range 16 {
		wg.Go(func() {
			for i := range keys {
				_, err := c.PutObject(context.Background(), &s3.PutObjectInput{Bucket: &bucket, Key: aws.String(fmt.Sprintf("k/%05d", i)), Body: bytes.NewReader([]byte{byte(i)})})
				if err != nil {
					errs <- err
					return
				}
			}
		})
	}
	for i := range n {
		select {
		case keys <- i:
		case err := <-errs:
			close(keys)
			wg.Wait()
			b.Fatalf("writing key %d: %v", i, err)
		}
	}
	close(keys)
	wg.Wait()
	select {
	case err := <-errs:
		b.Fatal(err)
	default:
	}
}
