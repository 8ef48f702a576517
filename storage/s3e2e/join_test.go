package s3e2e

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/dec2-cloud/dec2/e2e"
	"github.com/dec2-cloud/dec2/storage/nomadnodes"
)

// A provider whose storage node joins the region after `dec2 s3 serve` started takes pieces
// once the gateway lists the region again (--nodes-every): with one of the first four gone,
// the region's 2/4 code can only be written with the newcomer, and the objects written before
// and after read.
func TestGatewayTakesInANodeThatJoinsLater(t *testing.T) {
	e2e.RequireIntegration(t)
	w := startWorldOf(t, worldOptions{providers: 5, later: 1, capacity: 1 << 30, gatewayArgs: []string{"--nodes-every", "1s"}})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	bucket := "joins"
	if _, err := w.s3.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: &bucket}); err != nil {
		t.Fatalf("CreateBucket: %v", err)
	}
	objects := map[string][]byte{"before": withMarkers(300 << 10)}
	if _, err := w.s3.PutObject(ctx, &s3.PutObjectInput{Bucket: &bucket, Key: aws.String("before"), Body: bytes.NewReader(objects["before"])}); err != nil {
		t.Fatalf("PutObject before the join: %v", err)
	}

	newcomer := e2e.StartStorageNodes(t, w.region, w.later, 1<<30)[0]
	e2e.Poll(t, "Nomad to list the newcomer's storage node", time.Minute, 500*time.Millisecond, func() (bool, error) {
		nodes, _, err := nomadnodes.List(ctx, w.region.API)
		return len(nodes) == len(w.nodes)+1, err
	})
	w.nodes[0].Stop(t, w.region)

	// Bounded: the gateway lists the region every second.
	objects["after"] = withMarkers(200 << 10)
	var err error
	for range 30 {
		if _, err = w.s3.PutObject(ctx, &s3.PutObjectInput{Bucket: &bucket, Key: aws.String("after"), Body: bytes.NewReader(objects["after"])}); err == nil {
			break
		}
		time.Sleep(time.Second)
	}
	if err != nil {
		t.Fatalf("PutObject with %s gone and %s joined: %v", w.nodes[0].Client, newcomer.Client, err)
	}
	if got := piecesOnDisks(t, []*e2e.StorageNode{newcomer}); len(got) == 0 {
		t.Errorf("no piece on %s's disk after a write that needs it", newcomer.Client)
	}
	readAll(ctx, t, w.s3, bucket, objects, fmt.Sprintf("with %s gone and %s joined", w.nodes[0].Client, newcomer.Client))
}
