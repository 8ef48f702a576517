package s3e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/dec2-cloud/dec2/e2e"
	"github.com/dec2-cloud/dec2/reputation"
	"github.com/dec2-cloud/dec2/reputation/reputationclient"
	"github.com/dec2-cloud/dec2/storage/meta"
	"github.com/dec2-cloud/dec2/storage/metaapi"
)

// attestor serves a real reputation.Book as dec2-attestor does (GET /v1/reputation), under a
// path prefix per reader (URL), and counts each reader's reads.
type attestor struct {
	srv  *httptest.Server
	mu   sync.Mutex
	book *reputation.Book
	read map[string]int
}

func newAttestor(t *testing.T) *attestor {
	t.Helper()
	b, err := reputation.NewBook(reputation.DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	a := &attestor{book: b, read: map[string]int{}}
	a.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reader, ok := strings.CutSuffix(r.URL.Path, reputationclient.Path)
		if !ok {
			http.NotFound(w, r)
			return
		}
		a.mu.Lock()
		a.read[reader]++
		rep := a.book.Report("0x00000000000000000000000000000000000000a1", time.Now().UTC())
		a.mu.Unlock()
		_ = json.NewEncoder(w).Encode(rep)
	}))
	t.Cleanup(a.srv.Close)
	return a
}

// URL is the attestor as reader asks it.
func (a *attestor) URL(reader string) string { return a.srv.URL + "/" + reader }

// audit records outcomes of the node's audits.
func (a *attestor) audit(node string, ok bool, times int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	for range times {
		a.book.ObserveAudit(node, ok)
	}
}

// waitReads waits until reader has read the attestor twice more: a reader reads once a round,
// so by then it has acted on a report served after the call.
func (a *attestor) waitReads(t *testing.T, reader string) {
	t.Helper()
	a.mu.Lock()
	from := a.read["/"+reader]
	a.mu.Unlock()
	e2e.Poll(t, reader+" to read the attestor twice", time.Minute, 100*time.Millisecond, func() (bool, error) {
		a.mu.Lock()
		defer a.mu.Unlock()
		return a.read["/"+reader] >= from+2, nil
	})
}

// codes counts the tenant's segments by k/n and names those with a piece on node.
func codes(ctx context.Context, t *testing.T, c *metaapi.Client, node string) (map[string]int, []string) {
	t.Helper()
	out := map[string]int{}
	var on []string
	buckets, err := c.ListBuckets(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range buckets {
		page, err := c.ListObjects(ctx, b.Name, meta.ListOptions{})
		if err != nil {
			t.Fatal(err)
		}
		for _, lo := range page.Objects {
			o, err := c.GetObject(ctx, b.Name, lo.Key)
			if err != nil {
				t.Fatal(err)
			}
			for _, g := range o.Segments {
				providers := map[string]bool{}
				for _, p := range g.Pieces {
					providers[p.Provider] = true
					if p.NodeID == node {
						on = append(on, fmt.Sprintf("%d/%d segment %d", g.K, g.N, g.Index))
					}
				}
				if len(g.Pieces) != g.N || len(providers) != g.N {
					t.Errorf("a %d/%d segment has %d pieces on %d providers", g.K, g.N, len(g.Pieces), len(providers))
				}
				out[fmt.Sprintf("%d/%d", g.K, g.N)]++
			}
		}
	}
	return out, on
}

// A region of exactly four providers (2/4's n) whose consumer's gateway reads the attestors
// every 500 ms. One provider fails three audits while the gateway runs: the next object is
// written 2/3 on the other three, none of it on the barred provider, instead of every write
// failing. dec2-repair (--reputation-url, rounds every 2 s) leaves the narrow segments alone
// while only three providers may take pieces, and widens them to 2/4 once the provider's
// audits pass again; every object reads through the gateway.
func TestNarrowedWritesWidenedByRepair(t *testing.T) {
	e2e.RequireIntegration(t)
	att := newAttestor(t)
	repairerKey, _ := crypto.GenerateKey()
	w := startWorldOf(t, worldOptions{providers: 4, capacity: 1 << 30,
		serviceArgs: []string{"--repairer", crypto.PubkeyToAddress(repairerKey.PublicKey).Hex()},
		gatewayArgs: []string{"--attestor", att.URL("gateway"), "--reputation-every", "500ms"}})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	bucket := "narrow"
	if _, err := w.s3.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: &bucket}); err != nil {
		t.Fatalf("CreateBucket: %v", err)
	}
	objects := map[string][]byte{}
	put := func(key string, body []byte) {
		t.Helper()
		if _, err := w.s3.PutObject(ctx, &s3.PutObjectInput{Bucket: &bucket, Key: aws.String(key), Body: bytes.NewReader(body)}); err != nil {
			t.Fatalf("PutObject %s: %v", key, err)
		}
		objects[key] = body
	}
	catalog := &metaapi.Client{URL: w.svc.URL, Key: w.wallet}
	barred := w.nodes[0]

	put("before", withMarkers(3000))
	att.audit(barred.NodeID, false, 3)
	att.waitReads(t, "gateway")
	put("during", withMarkers(5<<20))
	got, on := codes(ctx, t, catalog, barred.NodeID)
	if got["2/4"] != 1 || got["2/3"] != 1 || len(on) != 1 {
		t.Fatalf("segments %v, on the barred node %v: want the first object 2/4 on every provider, the second 2/3 off the barred one", got, on)
	}
	readAll(ctx, t, w.s3, bucket, objects, "with a provider barred")

	rep := e2e.StartRepairer(t, w.svc.URL, w.region.Addr, repairerKey, "--every", "2s", "--reputation-url", att.URL("repairer"))
	att.waitReads(t, "repairer")
	if got, _ := codes(ctx, t, catalog, barred.NodeID); got["2/3"] != 1 {
		t.Fatalf("segments %v after a repair round with three providers free to take pieces: want the 2/3 one left as it is\nrepairer:\n%s", got, rep.LogTail())
	}
	att.audit(barred.NodeID, true, 20)
	e2e.Poll(t, "the 2/3 segment widened to 2/4", 2*time.Minute, time.Second, func() (bool, error) {
		got, _ := codes(ctx, t, catalog, barred.NodeID)
		return got["2/4"] == 2, nil
	})
	if _, on := codes(ctx, t, catalog, barred.NodeID); len(on) != 2 {
		t.Errorf("on the provider cleared: %v, want a piece of each object", on)
	}
	readAll(ctx, t, w.s3, bucket, objects, "after the widening")
}
