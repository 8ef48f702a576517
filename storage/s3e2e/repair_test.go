package s3e2e

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/hashicorp/nomad/api"

	"github.com/dec2-cloud/dec2/e2e"
	"github.com/dec2-cloud/dec2/storage/meta"
	"github.com/dec2-cloud/dec2/storage/metaapi"
)

// A lost provider. Six providers run storage nodes as Nomad jobs; objects are stored 2/4
// through `dec2 s3 serve`. One provider that holds pieces vanishes: its storage node stops and
// its Nomad agent is killed, so Nomad marks its node down. dec2-repair, with its own key and
// no consumer key, rebuilds every piece the provider held onto the others within the bounded
// wait: every segment is back to n pieces on distinct, live providers, every object reads,
// and the usage billing meters (the catalog's, per provider) no longer names the lost one.
func TestRepairAfterALostProvider(t *testing.T) {
	e2e.RequireIntegration(t)
	repairerKey, _ := crypto.GenerateKey()
	w := startWorld(t, 1<<30, "--repairer", crypto.PubkeyToAddress(repairerKey.PublicKey).Hex())
	region, nodes, svc, wallet, c := w.region, w.nodes, w.svc, w.wallet, w.s3
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	bucket := "repair"
	if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: &bucket}); err != nil {
		t.Fatalf("CreateBucket: %v", err)
	}
	objects := map[string][]byte{"small": withMarkers(3000), "medium": withMarkers(5 << 20), "large": withMarkers(70 << 20)}
	for k, body := range objects {
		if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: &bucket, Key: aws.String(k), Body: bytes.NewReader(body)}); err != nil {
			t.Fatalf("PutObject %s: %v", k, err)
		}
	}
	catalog := &metaapi.Client{URL: svc.URL, Key: wallet}
	before := usage(ctx, t, catalog)

	// The victim is a provider holding pieces.
	var victim *e2e.StorageNode
	for _, n := range nodes {
		if before[strings.ToLower(n.Provider.Hex())].Pieces > 0 {
			victim = n
			break
		}
	}
	if victim == nil {
		t.Fatalf("no provider holds pieces: usage %+v", before)
	}
	lostPieces, lostBytes := before[strings.ToLower(victim.Provider.Hex())].Pieces, before[strings.ToLower(victim.Provider.Hex())].Bytes
	victim.Stop(t, region)
	lostAt := time.Now()
	region.Client(t, victim.Client).Kill()
	e2e.Poll(t, "Nomad to mark "+victim.Client+" down", 2*time.Minute, time.Second, func() (bool, error) {
		n, _, err := region.API.Nodes().Info(victim.NodeID, nil)
		return err == nil && n.Status == api.NodeStatusDown, err
	})
	downAfter := time.Since(lostAt)

	rep := e2e.StartRepairer(t, svc.URL, region.Addr, repairerKey, "--every", "2s", "--grace", "5s")
	e2e.Poll(t, "every segment back at full redundancy", 3*time.Minute, time.Second, func() (bool, error) {
		return fullRedundancy(ctx, catalog, victim.NodeID) == nil, nil
	})
	healed := time.Since(lostAt)
	if err := fullRedundancy(ctx, catalog, victim.NodeID); err != nil {
		t.Fatalf("%v\nrepairer:\n%s", err, rep.LogTail())
	}
	t.Logf("lost provider %s: %d pieces, %d bytes; Nomad marked it down after %s, full redundancy %s after the loss (grace 5s, rounds every 2s)",
		victim.Client, lostPieces, lostBytes, downAfter.Round(time.Second), healed.Round(time.Second))

	after := usage(ctx, t, catalog)
	if u, ok := after[strings.ToLower(victim.Provider.Hex())]; ok {
		t.Errorf("usage still names the lost provider: %+v", u)
	}
	var piecesBefore, piecesAfter, bytesBefore, bytesAfter int64
	for _, u := range before {
		piecesBefore, bytesBefore = piecesBefore+u.Pieces, bytesBefore+u.Bytes
	}
	for _, u := range after {
		piecesAfter, bytesAfter = piecesAfter+u.Pieces, bytesAfter+u.Bytes
	}
	if piecesAfter != piecesBefore || bytesAfter != bytesBefore {
		t.Errorf("after the repair the providers hold %d pieces, %d bytes; before %d, %d: want the same, moved", piecesAfter, bytesAfter, piecesBefore, bytesBefore)
	}
	readAll(ctx, t, c, bucket, objects, "after the repair")
}

// usage is what each provider holds for the tenant, by lowercase wallet.
func usage(ctx context.Context, t testing.TB, c *metaapi.Client) map[string]meta.ProviderUsage {
	t.Helper()
	us, err := c.Usage(ctx)
	if err != nil {
		t.Fatalf("reading usage: %v", err)
	}
	out := map[string]meta.ProviderUsage{}
	for _, u := range us {
		out[u.Provider] = u
	}
	return out
}

// fullRedundancy says why some segment of the tenant's objects is not at n pieces on distinct
// providers with none on the lost node, or nil.
func fullRedundancy(ctx context.Context, c *metaapi.Client, lost string) error {
	buckets, err := c.ListBuckets(ctx)
	if err != nil {
		return err
	}
	for _, b := range buckets {
		page, err := c.ListObjects(ctx, b.Name, meta.ListOptions{})
		if err != nil {
			return err
		}
		for _, lo := range page.Objects {
			o, err := c.GetObject(ctx, b.Name, lo.Key)
			if err != nil {
				return err
			}
			for _, g := range o.Segments {
				providers := map[string]bool{}
				for _, p := range g.Pieces {
					if p.NodeID == lost {
						return fmt.Errorf("segment %d still has piece %d on the lost node", g.Index, p.Index)
					}
					providers[p.Provider] = true
				}
				if len(g.Pieces) != g.N || len(providers) != g.N {
					return fmt.Errorf("segment %d: %d pieces on %d providers, want %d", g.Index, len(g.Pieces), len(providers), g.N)
				}
			}
		}
	}
	return nil
}
