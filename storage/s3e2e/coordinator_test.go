package s3e2e

import (
	"context"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/dec2-cloud/dec2/e2e"
)

// A lost coordinator. dec2-storage snapshots its database onto the six providers' storage
// nodes every 2 s. After a snapshot taken once every object was written, the service stops
// and its database is deleted. `dec2-storage restore`, with only the service's wallet key and
// Nomad's address, rebuilds the database from the newest snapshot on the nodes; a new service
// on the restored database, at the same address, serves the consumer's gateway again, and
// every object reads and lists as it was.
func TestMetadataRestoredAfterALostCoordinator(t *testing.T) {
	e2e.RequireIntegration(t)
	key, _ := crypto.GenerateKey()
	keyFile := filepath.Join(t.TempDir(), "storage.key")
	if err := os.WriteFile(keyFile, []byte(hex.EncodeToString(crypto.FromECDSA(key))), 0o600); err != nil {
		t.Fatal(err)
	}
	snapshotArgs := []string{"--key-file", keyFile, "--snapshot-every", "2s", "--snapshot-keep", "2"}
	w := startWorld(t, 1<<30, snapshotArgs...)
	ctx, cancel := context.WithTimeout(context.Background(), 6*time.Minute)
	defer cancel()
	c := w.s3
	objects := map[string][]byte{"small": withMarkers(3000), "medium": withMarkers(5 << 20), "dir/nested": withMarkers(40 << 10)}
	for _, bucket := range []string{"kept", "also-kept"} {
		if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(bucket)}); err != nil {
			t.Fatalf("CreateBucket %s: %v", bucket, err)
		}
		for k, body := range objects {
			if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(k), Body: strings.NewReader(string(body))}); err != nil {
				t.Fatalf("PutObject %s/%s: %v", bucket, k, err)
			}
		}
	}
	// Two more snapshots stored: the second began after the last write.
	stored := func() int { return strings.Count(w.svc.Log(), "metadata snapshot stored") }
	after := stored() + 2
	e2e.Poll(t, "two snapshots after the last write", 2*time.Minute, 500*time.Millisecond, func() (bool, error) {
		return stored() >= after, nil
	})

	w.svc.Stop()
	for _, f := range []string{w.svc.DB, w.svc.DB + "-wal", w.svc.DB + "-shm"} {
		if err := os.Remove(f); err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
	}
	restore := exec.CommandContext(ctx, e2e.BuildBinary(t, "./storage/cmd/dec2-storage"), "restore",
		"--db", "sqlite://"+w.svc.DB, "--key-file", keyFile, "--nomad-addr", w.region.Addr)
	out, err := restore.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "restored "+w.svc.DB) {
		t.Fatalf("dec2-storage restore: %v\n%s", err, out)
	}
	t.Logf("%s", strings.TrimSpace(string(out)))
	again, err := exec.CommandContext(ctx, e2e.BuildBinary(t, "./storage/cmd/dec2-storage"), "restore",
		"--db", "sqlite://"+w.svc.DB, "--key-file", keyFile, "--nomad-addr", w.region.Addr).CombinedOutput()
	if err == nil {
		t.Errorf("a second restore over the restored database succeeded:\n%s", again)
	}

	e2e.StartStorageServiceAt(t, w.svc.URL, w.svc.DB, nil, append(snapshotArgs, "--nomad-addr", w.region.Addr)...)
	for _, bucket := range []string{"kept", "also-kept"} {
		readAll(ctx, t, c, bucket, objects, "after the restore")
		list, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(bucket)})
		if err != nil || len(list.Contents) != len(objects) {
			t.Errorf("listing %s after the restore: %d objects, %v; want %d", bucket, len(list.Contents), err, len(objects))
		}
	}
}
