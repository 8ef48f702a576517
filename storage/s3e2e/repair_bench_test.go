package s3e2e

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/hashicorp/nomad/api"

	"github.com/dec2-cloud/dec2/e2e"
	"github.com/dec2-cloud/dec2/storage/metaapi"
)

// BenchmarkRepair is the issue's figure "time from a lost provider to full redundancy, per GiB
// of pieces": 1 GiB stored 2/4 over six providers (storage node jobs on a real Nomad region),
// the provider holding the most pieces killed (its node job stopped, its agent killed), and
// dec2-repair started once Nomad marks the node down, with no grace: it reports Nomad's
// detection and the repair's time separately, and the repair's per GiB of pieces rebuilt. Run
// with -benchtime 1x.
func BenchmarkRepair(b *testing.B) {
	e2e.RequireIntegration(b)
	for range b.N {
		b.StopTimer()
		benchRepair(b)
	}
}

func benchRepair(b *testing.B) {
	const objects, size = 16, 64 << 20
	repairerKey, _ := crypto.GenerateKey()
	w := startWorld(b, 4<<30, "--repairer", crypto.PubkeyToAddress(repairerKey.PublicKey).Hex())
	region, nodes, svc, wallet, c := w.region, w.nodes, w.svc, w.wallet, w.s3
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Minute)
	defer cancel()
	bucket := "bench"
	if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: &bucket}); err != nil {
		b.Fatal(err)
	}
	body := make([]byte, size)
	for i := range objects {
		_, _ = rand.Read(body)
		if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: &bucket, Key: aws.String(fmt.Sprint(i)), Body: bytes.NewReader(body)}); err != nil {
			b.Fatalf("PutObject %d: %v", i, err)
		}
	}
	catalog := &metaapi.Client{URL: svc.URL, Key: wallet}
	held := usage(ctx, b, catalog)
	victim := nodes[0]
	for _, n := range nodes {
		if held[strings.ToLower(n.Provider.Hex())].Bytes > held[strings.ToLower(victim.Provider.Hex())].Bytes {
			victim = n
		}
	}
	lost := held[strings.ToLower(victim.Provider.Hex())]

	b.StartTimer()
	victim.Stop(b, region)
	lostAt := time.Now()
	region.Client(b, victim.Client).Kill()
	e2e.Poll(b, "Nomad to mark "+victim.Client+" down", 2*time.Minute, 500*time.Millisecond, func() (bool, error) {
		n, _, err := region.API.Nodes().Info(victim.NodeID, nil)
		return err == nil && n.Status == api.NodeStatusDown, err
	})
	downAt := time.Now()
	rep := e2e.StartRepairer(b, svc.URL, region.Addr, repairerKey, "--every", "1s", "--grace", "0s")
	e2e.Poll(b, "full redundancy", 15*time.Minute, 500*time.Millisecond, func() (bool, error) {
		return fullRedundancy(ctx, catalog, victim.NodeID) == nil, nil
	})
	done := time.Now()
	b.StopTimer()
	if u, ok := usage(ctx, b, catalog)[strings.ToLower(victim.Provider.Hex())]; ok {
		b.Fatalf("usage still names the lost provider: %+v\n%s", u, rep.LogTail())
	}
	gib := float64(lost.Bytes) / (1 << 30)
	repairS := done.Sub(downAt).Seconds()
	b.ReportMetric(float64(lost.Pieces), "pieces-lost")
	b.ReportMetric(float64(lost.Bytes)/(1<<20), "MiB-lost")
	b.ReportMetric(downAt.Sub(lostAt).Seconds(), "s-to-down")
	b.ReportMetric(repairS, "s-repair")
	b.ReportMetric(repairS/gib, "s-repair/GiB")
	b.ReportMetric(done.Sub(lostAt).Seconds()/gib, "s-total/GiB")
}
