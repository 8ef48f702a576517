package main

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/dec2-cloud/dec2/storage/crypt"
	"github.com/dec2-cloud/dec2/storage/meta/sqlstore"
	"github.com/dec2-cloud/dec2/storage/metaapi"
	storagenode "github.com/dec2-cloud/dec2/storage/node"
	"github.com/dec2-cloud/dec2/storage/piecestore"
	"github.com/dec2-cloud/dec2/storage/s3keys"
)

func TestS3KeysCreate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s3keys.json")
	for range 2 {
		out, _, err := dec2(t, map[string]string{"DEC2_S3_KEYS": path}, "s3", "keys", "create")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out, "AWS_ACCESS_KEY_ID=DEC2") || !strings.Contains(out, "AWS_SECRET_ACCESS_KEY=") {
			t.Errorf("output %q", out)
		}
	}
	keys, err := s3keys.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) != 2 {
		t.Errorf("%d keys in the file after two creates", len(keys))
	}
	out, _, err := dec2(t, nil, "s3", "keys", "create", "--keys-file", filepath.Join(t.TempDir(), "k.json"))
	if err != nil || !strings.Contains(out, "k.json") {
		t.Errorf("--keys-file: %q %v", out, err)
	}
}

func TestS3ServeFlags(t *testing.T) {
	for _, args := range [][]string{
		{"s3", "serve", "--node", "0x70997970C51812dc3A010C7d01b50e0d17dc79C8=a=http://127.0.0.1:1"},
		{"s3", "serve", "--storage", "http://127.0.0.1:1", "--node", "nope=a=http://127.0.0.1:1"},
		{"s3", "serve", "--storage", "http://127.0.0.1:1", "--node", "0x70997970C51812dc3A010C7d01b50e0d17dc79C8=a"},
		{"s3", "serve", "--storage", "http://127.0.0.1:1", "--node", "0x70997970C51812dc3A010C7d01b50e0d17dc79C8==http://127.0.0.1:1"},
	} {
		if _, _, err := dec2(t, nil, args...); err == nil || !strings.Contains(err.Error(), "--") {
			t.Errorf("%v: %v, want an error naming the flag", args, err)
		}
	}
}

// TestS3Serve runs `dec2 s3 serve` against the real storage service (SQLite) and four real
// storage nodes, and stores and reads an object through it with aws-sdk-go-v2.
func TestS3Serve(t *testing.T) {
	dir := t.TempDir()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	st, err := sqlstore.Open(context.Background(), "sqlite://"+filepath.Join(dir, "meta.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	svc := httptest.NewServer(metaapi.New(metaapi.Config{Store: st, Log: quiet}))
	t.Cleanup(svc.Close)
	args := []string{"s3", "serve", "--storage", svc.URL, "--chain-id", "1337"}
	var stores []*piecestore.Store
	for i := range 4 {
		ps, err := piecestore.Open(filepath.Join(dir, fmt.Sprintf("node%d", i)), 1<<30)
		if err != nil {
			t.Fatal(err)
		}
		pk, err := crypto.GenerateKey()
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(storagenode.New(storagenode.Config{Store: ps, Key: pk, ChainID: 1337, MaxPieceSize: 64 << 20, Logger: quiet}).Handler())
		t.Cleanup(srv.Close)
		stores = append(stores, ps)
		args = append(args, "--node", fmt.Sprintf("%s=node%d=%s", crypto.PubkeyToAddress(pk.PublicKey).Hex(), i, srv.URL))
	}
	wk, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	keysPath := filepath.Join(dir, "s3keys.json")
	k, err := s3keys.Create(keysPath, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	args = append(args, "--listen", addr, "--keys-file", keysPath)

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, _, err := dec2Ctx(ctx, map[string]string{"DEC2_KEY": hex.EncodeToString(crypto.FromECDSA(wk))}, args...)
		done <- err
	}()
	c := s3.New(s3.Options{
		Region: "us-east-1", BaseEndpoint: aws.String("http://" + addr), UsePathStyle: true,
		Credentials: credentials.NewStaticCredentialsProvider(k.AccessKey, k.SecretKey, ""),
	})
	deadline := time.Now().Add(30 * time.Second)
	for {
		_, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("photos")})
		if err == nil {
			break
		}
		select {
		case err := <-done:
			cancel()
			t.Fatalf("dec2 s3 serve ended: %v", err)
		default:
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("the gateway did not answer: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	body := bytes.Repeat([]byte("a photo of the sea "), 100_000)
	if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("photos"), Key: aws.String("sea.jpg"), Body: bytes.NewReader(body)}); err != nil {
		t.Fatal(err)
	}
	got, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("photos"), Key: aws.String("sea.jpg")})
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(got.Body)
	got.Body.Close()
	if err != nil || !bytes.Equal(b, body) {
		t.Errorf("read back %d bytes (%v), want the %d written", len(b), err, len(body))
	}
	for i, ps := range stores {
		if ps.Usage().Pieces != 1 {
			t.Errorf("node %d holds %d pieces, want one piece of the one segment", i, ps.Usage().Pieces)
		}
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("dec2 s3 serve: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Error("dec2 s3 serve did not stop with its context")
	}
}

func TestMasterKey(t *testing.T) {
	wk, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	a, err := masterKey(wk, "")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := masterKey(wk, "")
	other, _ := crypto.GenerateKey()
	c, _ := masterKey(other, "")
	if a != b || a == c || a == (crypt.Key{}) {
		t.Error("the derived master key is not a function of the wallet key alone")
	}
	file := filepath.Join(t.TempDir(), "master")
	want := crypt.RandomKey()
	if err := os.WriteFile(file, []byte(hex.EncodeToString(want[:])+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if got, err := masterKey(wk, file); err != nil || got != want {
		t.Errorf("from a file: %v", err)
	}
	if err := os.WriteFile(file, []byte("abcd"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := masterKey(wk, file); !errors.Is(err, crypt.ErrMalformed) {
		t.Errorf("a short key: %v, want crypt.ErrMalformed", err)
	}
}
