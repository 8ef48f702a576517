package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/dec2-cloud/dec2/reputation"
	"github.com/dec2-cloud/dec2/reputation/reputationclient"
)

// attestor serves a real reputation.Book at GET /v1/reputation, as dec2-attestor does, and
// counts the reports it served.
type attestor struct {
	*httptest.Server
	mu     sync.Mutex
	book   *reputation.Book
	served int
	down   bool // answers 503
}

func newAttestor(t *testing.T) *attestor {
	t.Helper()
	b, err := reputation.NewBook(reputation.DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	a := &attestor{book: b}
	a.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != reputationclient.Path {
			http.NotFound(w, r)
			return
		}
		a.mu.Lock()
		a.served++
		rep, down := a.book.Report("0x00000000000000000000000000000000000000a1", time.Now().UTC()), a.down
		a.mu.Unlock()
		if down {
			http.Error(w, "down", http.StatusServiceUnavailable)
			return
		}
		_ = json.NewEncoder(w).Encode(rep)
	}))
	t.Cleanup(a.Close)
	return a
}

// audit records outcomes of the node's audits, then waits until the gateway has read a report
// with them: the second report served after them is asked for only once the first has been
// applied (the gateway reads the attestors one round at a time).
func (a *attestor) audit(t *testing.T, node string, ok bool, times int) {
	t.Helper()
	a.mu.Lock()
	for range times {
		a.book.ObserveAudit(node, ok)
	}
	from := a.served
	a.mu.Unlock()
	deadline := time.Now().Add(30 * time.Second)
	for {
		a.mu.Lock()
		n := a.served
		a.mu.Unlock()
		if n >= from+2 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the gateway read the attestor %d times in 30 s, want it read again every 100ms", n-from)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// `dec2 s3 serve --attestor URL --reputation-every 100ms` over four real storage nodes (a region
// of exactly n providers for 2/4) reads the attestor again while it runs: a node the attestor
// disqualifies by audits after the gateway started gets no piece of what is written next — the
// writes narrow to 2/3 rather than fail — and takes pieces again once its audits pass, or once
// the attestor has not answered for five intervals.
func TestS3ServeRefreshesReputations(t *testing.T) {
	w := startStorage(t)
	att := newAttestor(t)
	s := serveS3(t, w, "--attestor", att.URL, "--reputation-every", "100ms")
	ctx := t.Context()
	if _, err := s.s3.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("photos")}); err != nil {
		t.Fatal(err)
	}
	bodies := map[string][]byte{}
	put := func(key string, wantPieces []int) {
		t.Helper()
		body := bytes.Repeat([]byte(key+" "), 20_000)
		if _, err := s.s3.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("photos"), Key: aws.String(key), Body: bytes.NewReader(body)}); err != nil {
			t.Fatalf("PutObject %s: %v", key, err)
		}
		bodies[key] = body
		for i, st := range w.Stores {
			if got := st.Usage().Pieces; got != wantPieces[i] {
				t.Errorf("after %s: node %d holds %d pieces, want %d", key, i, got, wantPieces[i])
			}
		}
	}
	barred := w.Nodes[0].ID
	put("before", []int{1, 1, 1, 1})
	att.audit(t, barred, false, 3)
	put("barred", []int{1, 2, 2, 2})
	att.audit(t, barred, true, 20)
	put("cleared", []int{2, 3, 3, 3})
	att.audit(t, barred, false, 3)
	put("barred again", []int{2, 4, 4, 4})
	att.mu.Lock()
	att.down = true
	att.mu.Unlock()
	for i := 0; w.Stores[0].Usage().Pieces == 2; i++ {
		if i == 100 {
			t.Fatal("the node still gets no pieces 10 s after the attestor stopped answering, want 5 intervals")
		}
		time.Sleep(100 * time.Millisecond)
		body := []byte("while the attestor is down")
		if _, err := s.s3.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("photos"), Key: aws.String(fmt.Sprint("down-", i)), Body: bytes.NewReader(body)}); err != nil {
			t.Fatal(err)
		}
		bodies[fmt.Sprint("down-", i)] = body
	}
	for key, body := range bodies {
		got, err := s.s3.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("photos"), Key: aws.String(key)})
		if err != nil {
			t.Fatalf("GetObject %s: %v", key, err)
		}
		b, err := io.ReadAll(got.Body)
		got.Body.Close()
		if err != nil || !bytes.Equal(b, body) {
			t.Errorf("%s read back %d bytes (%v), want the %d written", key, len(b), err, len(body))
		}
	}
	// What the consumer pays for is what the nodes hold, the narrowed object included.
	if ls := decode[objectList](t, mustRun(t, s.env, "s3", "ls", "s3://photos", "-o", "json")); ls.Stored != w.Used() {
		t.Errorf("ls stored %d, the nodes hold %d", ls.Stored, w.Used())
	}
	log := s.stop()
	for _, want := range []string{
		fmt.Sprintf("storage node gets no new pieces\" node=%s", barred),
		"writes narrowed while the attestors bar storage providers",
		fmt.Sprintf("storage node takes new pieces again\" node=%s", barred),
		"writes use the region's code again",
		"no quorum of attestors answered since the last view",
	} {
		if !strings.Contains(log, want) {
			t.Errorf("the gateway's log lacks %q:\n%s", want, log)
		}
	}
}
