package sqlstore_test

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/dec2-cloud/dec2/storage/meta"
)

// Several gateways of one tenant race on one key: last-writer-wins puts leave exactly one
// write's rows (no mix of segments, no orphan pieces), and compare-and-swap increments lose
// no update.
func TestRacingWriters(t *testing.T) {
	backends(t, func(t *testing.T, s meta.Store) {
		c := ctx(t)
		mustBucket(t, s, alice, "b")
		const writers, rounds = 6, 8
		var wg sync.WaitGroup
		errs := make(chan error, writers*rounds*4)
		for w := range writers {
			wg.Go(func() {
				for r := range rounds {
					tag := fmt.Sprintf("w%d-r%d", w, r)
					if _, err := s.PutObject(c, alice, object("b", "lww", tag, 1+(w+r)%3), meta.PutOptions{}); err != nil {
						errs <- fmt.Errorf("put %s: %w", tag, err)
					}
					if err := increment(s, w); err != nil {
						errs <- err
					}
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		got, err := s.GetObject(c, alice, []byte("b"), []byte("lww"))
		if err != nil {
			t.Fatal(err)
		}
		if want := object("b", "lww", got.ETag, len(got.Segments)); !equalObjects(got, withTimes(want, got)) {
			t.Errorf("the object after the race mixes writes:\n%+v", got)
		}
		held, err := s.PiecesOn(c, providers[2], "", 0)
		if err != nil {
			t.Fatal(err)
		}
		var lww int
		for _, h := range held {
			if string(h.Key) == "lww" {
				lww++
				if !strings.Contains(h.PieceID, "-"+got.ETag+"-") {
					t.Errorf("orphan piece %s of a replaced write on %s", h.PieceID, providers[2])
				}
			}
		}
		if lww != len(got.Segments) {
			t.Errorf("%d pieces of the object on %s, want one per segment (%d)", lww, providers[2], len(got.Segments))
		}
		ctr, err := s.GetObject(c, alice, []byte("b"), []byte("counter"))
		if err != nil {
			t.Fatal(err)
		}
		if ctr.ETag != strconv.Itoa(writers*rounds) {
			t.Errorf("counter at %s after %d compare-and-swap increments: updates were lost", ctr.ETag, writers*rounds)
		}
	})
}

func withTimes(o, from meta.Object) meta.Object {
	o.Version, o.Created = from.Version, from.Created
	return o
}

// increment adds one to the counter object's ETag by read, then compare-and-swap, again on
// conflict.
func increment(s meta.Store, w int) error {
	for {
		var n int
		var ifv int64
		cur, err := s.GetObject(context.Background(), alice, []byte("b"), []byte("counter"))
		switch {
		case errors.Is(err, meta.ErrNoSuchKey):
		case err != nil:
			return fmt.Errorf("reading the counter: %w", err)
		default:
			n, _ = strconv.Atoi(cur.ETag)
			ifv = cur.Version
		}
		o := object("b", "counter", strconv.Itoa(n+1), 1)
		o.Segments[0].Pieces[0].NodeID = "writer-" + strconv.Itoa(w)
		_, err = s.PutObject(context.Background(), alice, o, meta.PutOptions{IfVersion: &ifv})
		var conflict *meta.Conflict
		if errors.As(err, &conflict) {
			continue
		}
		if err != nil {
			return fmt.Errorf("incrementing the counter: %w", err)
		}
		return nil
	}
}
