package terraform_test

import (
	"context"
	"encoding/hex"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/dec2-cloud/dec2/e2e"
	"github.com/dec2-cloud/dec2/storage/crypt"
	"github.com/dec2-cloud/dec2/storage/gateway"
	"github.com/dec2-cloud/dec2/storage/meta"
	"github.com/dec2-cloud/dec2/storage/metaapi"
)

// TestStorageBucketExample applies examples/storage-bucket with tofu against dec2-storage run
// as a process: the bucket is the wallet's (what `dec2 s3` builds for the same key lists it),
// a second plan is empty, and destroy removes it.
func TestStorageBucketExample(t *testing.T) {
	e2e.RequireIntegration(t)
	svc := e2e.StartStorageService(t)
	wk, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	master, err := crypt.MasterFromWallet(wk)
	if err != nil {
		t.Fatal(err)
	}
	wallet, err := gateway.NewBucketsOnly(&metaapi.Client{URL: svc.URL, Key: wk}, master, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	tf := newTofu(t)
	tf.env = append(tf.env, "TF_VAR_storage_address="+svc.URL, "TF_VAR_name=tf-photos",
		"DEC2_PRIVATE_KEY="+hex.EncodeToString(crypto.FromECDSA(wk)))
	const ex = "examples/storage-bucket"
	tf.must(ex, "init", "-input=false")
	tf.must(ex, "apply", "-input=false", "-auto-approve")
	if got := tf.outputs(ex)["bucket"]; got != "s3://tf-photos" {
		t.Errorf("output bucket = %v, want s3://tf-photos", got)
	}
	ctx := context.Background()
	bs, err := wallet.Buckets(ctx)
	if err != nil || len(bs) != 1 || bs[0].Name != "tf-photos" {
		t.Fatalf("the wallet's buckets after apply: %+v, %v; want tf-photos", bs, err)
	}
	if plan := tf.must(ex, "plan", "-input=false"); !strings.Contains(plan, "No changes") {
		t.Errorf("second plan is not empty:\n%s", plan)
	}
	tf.must(ex, "destroy", "-input=false", "-auto-approve")
	if err := wallet.BucketExists(ctx, "tf-photos"); !errors.Is(err, meta.ErrNoSuchBucket) {
		t.Errorf("the bucket after destroy: %v, want none", err)
	}
}
