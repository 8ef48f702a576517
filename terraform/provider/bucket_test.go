package provider_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"regexp"
	"testing"

	"github.com/ethereum/go-ethereum/crypto"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/dec2-cloud/dec2/e2e"
	"github.com/dec2-cloud/dec2/storage/crypt"
	"github.com/dec2-cloud/dec2/storage/gateway"
	"github.com/dec2-cloud/dec2/storage/meta"
	"github.com/dec2-cloud/dec2/storage/metaapi"
	"github.com/dec2-cloud/dec2/storage/piecesink"
)

// storage is the real storage service on SQLite and four real storage nodes on loopback, and
// the wallet's own gateway backend over them: what `dec2 s3` builds for the same wallet key.
func storage(t *testing.T, walletHex string) (service string, gw *gateway.Backend) {
	t.Helper()
	l := e2e.StartLocalStorage(t, 4, 1<<30)
	quiet := slog.New(slog.DiscardHandler)
	wk, err := crypto.HexToECDSA(walletHex)
	if err != nil {
		t.Fatal(err)
	}
	master, err := crypt.MasterFromWallet(wk)
	if err != nil {
		t.Fatal(err)
	}
	data, err := piecesink.New(piecesink.Config{Nodes: l.Nodes, Key: wk, ChainID: 1337, Log: quiet})
	if err != nil {
		t.Fatal(err)
	}
	gw, err = gateway.New(gateway.Config{Catalog: &metaapi.Client{URL: l.Service, Key: wk}, Data: data, Master: master, Log: quiet})
	if err != nil {
		t.Fatal(err)
	}
	return l.Service, gw
}

// A bucket through its life with real tofu against the real storage service: refused at plan
// time for a name S3 refuses; created, and it is the wallet's gateway's bucket (the gateway
// stores an object in it); destroying it while it holds the object fails and keeps it; imported;
// recreated after it was deleted outside Terraform; destroyed once empty.
func TestAccBucket(t *testing.T) {
	factories := useTofu(t)
	wallet := hex.EncodeToString(crypto.FromECDSA(mustKey(t)))
	service, gw := storage(t, wallet)
	config := func(name string) string {
		return header + fmt.Sprintf(`
provider "dec2" {
  storage_address = %q
  private_key     = %q
}
resource "dec2_bucket" "photos" {
  name = %q
}
`, service, wallet, name)
	}
	ctx := context.Background()
	const res = "dec2_bucket.photos"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories,
		CheckDestroy: func(*terraform.State) error {
			if err := gw.BucketExists(ctx, "acc-photos"); !errors.Is(err, meta.ErrNoSuchBucket) {
				return fmt.Errorf("the bucket after destroy: %v, want none", err)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config:      config("Acc_Photos"),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Invalid bucket name.*"Acc_Photos"`),
			},
			{
				Config: config("acc-photos"),
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(res, "id", "acc-photos"),
					resource.TestCheckResourceAttr(res, "name", "acc-photos"),
					func(*terraform.State) error {
						// The gateway of the same wallet sees the bucket and stores in it.
						bs, err := gw.Buckets(ctx)
						if err != nil || len(bs) != 1 || bs[0].Name != "acc-photos" {
							return fmt.Errorf("the gateway's buckets: %+v, %v; want acc-photos", bs, err)
						}
						_, err = gw.Put(ctx, "acc-photos", "sea.jpg", bytes.NewReader(bytes.Repeat([]byte("sea "), 1000)))
						return err
					},
				),
			},
			{
				Config:      config("acc-photos"),
				Destroy:     true,
				ExpectError: regexp.MustCompile(`(?s)The bucket is not empty.*"acc-photos" still holds objects`),
			},
			{
				// The failed destroy kept the bucket and its object.
				PreConfig: func() {
					body, _, err := gw.Get(ctx, "acc-photos", "sea.jpg")
					if err != nil {
						t.Fatalf("the object after the refused destroy: %v", err)
					}
					defer body.Close()
					if b, err := io.ReadAll(body); err != nil || len(b) != 4000 {
						t.Fatalf("the object after the refused destroy: %d bytes, %v", len(b), err)
					}
				},
				ResourceName:      res,
				ImportState:       true,
				ImportStateId:     "acc-photos",
				ImportStateVerify: true,
			},
			{
				PreConfig: func() {
					if err := gw.Remove(ctx, "acc-photos", "sea.jpg"); err != nil {
						t.Fatal(err)
					}
					if err := gw.RemoveBucket(ctx, "acc-photos"); err != nil {
						t.Fatal(err)
					}
				},
				Config:             config("acc-photos"),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true, // deleted outside Terraform: to be created again
			},
			{
				Config: config("acc-photos"),
				Check: func(*terraform.State) error {
					return gw.BucketExists(ctx, "acc-photos")
				},
			},
		},
	})
}

func mustKey(t *testing.T) *ecdsa.PrivateKey {
	t.Helper()
	k, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	return k
}
