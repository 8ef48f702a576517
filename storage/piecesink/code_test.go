package piecesink_test

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"github.com/dec2-cloud/dec2/reputation"
	"github.com/dec2-cloud/dec2/storage/crypt"
	"github.com/dec2-cloud/dec2/storage/meta"
	"github.com/dec2-cloud/dec2/storage/piecesink"
)

// barring is one attestor's report, from a real reputation.Book, in which each node of ids
// failed its last three audits (disqualified at the default threshold), as a view to Rate.
func barring(t *testing.T, ids ...string) *piecesink.Reputations {
	t.Helper()
	b, err := reputation.NewBook(reputation.DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range ids {
		for range 3 {
			b.ObserveAudit(id, false)
		}
	}
	view, err := piecesink.NewReputations([]reputation.Report{b.Report("a", time.Now())}, 1, piecesink.DefaultAuditThreshold)
	if err != nil {
		t.Fatal(err)
	}
	return view
}

// A write narrows the region's code, keeping k, to the providers the attestors leave it: on a
// region of exactly n providers with one barred it writes k/(n−1) instead of failing, never
// puts a piece on a barred node, and below k + 1 usable providers it refuses with how many
// are usable and needed, leaving nothing behind. Providers enough to spare the barred keep the
// region's code, and a cleared bar restores it.
func TestWriteNarrowsTheCodeWhileProvidersAreBarred(t *testing.T) {
	for _, tc := range []struct {
		name       string
		providers  int
		barred     int
		k, n       int // 0: refused
		usable     int
		regionK, N int
	}{
		{"4 providers, none barred", 4, 0, 2, 4, 4, 2, 4},
		{"4 providers, 1 barred", 4, 1, 2, 3, 3, 2, 4},
		{"4 providers, 2 barred", 4, 2, 0, 0, 2, 2, 4},
		{"5 providers, 1 barred", 5, 1, 2, 4, 4, 2, 4},
		{"8 providers, 3 barred", 8, 3, 4, 5, 5, 4, 8},
		{"8 providers, 4 barred", 8, 4, 0, 0, 4, 4, 8},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newCluster(t, tc.providers, nil)
			d, _ := newData(t, c, nil)
			var ids []string
			for _, nd := range c.nodes[:tc.barred] {
				ids = append(ids, nd.ID)
			}
			if got := d.Rate(barring(t, ids...)); len(got) != tc.barred {
				t.Fatalf("Rate barred %d nodes, want %d", len(got), tc.barred)
			}
			kek := crypt.RandomKey()
			plain := plaintext(2*segSize + 5)
			segs, err := d.Write(context.Background(), kek, bytes.NewReader(plain))
			if tc.k == 0 {
				var few *piecesink.TooFewProviders
				if !errors.As(err, &few) || few.Usable != tc.usable || few.Providers != tc.providers || few.Need != tc.regionK+1 ||
					few.K != tc.regionK || few.N != tc.N || !few.Unavailable() {
					t.Fatalf("Write: %v, want TooFewProviders{usable %d of %d, need %d}", err, tc.usable, tc.providers, tc.regionK+1)
				}
				if n := c.pieces(); n != 0 {
					t.Errorf("a refused write left %d pieces on the nodes", n)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			checkWritten(t, c, segs, tc.k, tc.n, ids)
			if got := read(t, d, kek, segs, 0, int64(len(plain))); !bytes.Equal(got, plain) {
				t.Fatal("the object does not read back")
			}
			// Cleared, every provider takes pieces again under the region's code.
			d.Rate(nil)
			segs, err = d.Write(context.Background(), kek, bytes.NewReader(plain))
			if err != nil {
				t.Fatal(err)
			}
			checkWritten(t, c, segs, tc.regionK, tc.N, nil)
		})
	}
}

// checkWritten checks that every segment is k/n with its n pieces on distinct providers, a
// valid object's metadata, none on the nodes in barred.
func checkWritten(t *testing.T, c *cluster, segs []meta.Segment, k, n int, barred []string) {
	t.Helper()
	o := meta.Object{Bucket: []byte("b"), Key: []byte("k"), Size: 2*segSize + 5, Segments: segs}
	if err := o.Validate(); err != nil {
		t.Errorf("the segments are not valid metadata: %v", err)
	}
	for i, g := range segs {
		providers := map[string]bool{}
		for _, p := range g.Pieces {
			providers[p.Provider] = true
			for _, b := range barred {
				if p.NodeID == b {
					t.Errorf("segment %d: piece %d on the barred node %s", i, p.Index, b)
				}
			}
		}
		if g.K != k || g.N != n || len(g.Pieces) != n || len(providers) != n {
			t.Errorf("segment %d: %d/%d with %d pieces on %d providers, want %d/%d on %d distinct providers",
				i, g.K, g.N, len(g.Pieces), len(providers), k, n, n)
		}
	}
}

// A narrowed segment still survives a lost piece: with the node holding a 2/3 segment's first
// data piece stopped, the object reads by reconstruction from the other two.
func TestNarrowedSegmentSurvivesALostPiece(t *testing.T) {
	c := newCluster(t, 4, nil)
	bad := &badPieces{}
	d, _ := newData(t, c, bad)
	d.Rate(barring(t, c.nodes[3].ID))
	kek := crypt.RandomKey()
	plain := plaintext(3*segSize + 77)
	segs, err := d.Write(context.Background(), kek, bytes.NewReader(plain))
	if err != nil {
		t.Fatal(err)
	}
	if segs[0].K != 2 || segs[0].N != 3 {
		t.Fatalf("segment 0 is %d/%d, want 2/3", segs[0].K, segs[0].N)
	}
	for _, p := range segs[0].Pieces {
		if p.Index == 0 {
			c.servers[c.index(p.NodeID)].Close()
		}
	}
	if got := read(t, d, kek, segs, 0, int64(len(plain))); !bytes.Equal(got, plain) {
		t.Fatal("the 2/3 object does not read with one holder stopped")
	}
	if len(bad.list()) == 0 {
		t.Error("the stopped holder's pieces were not reported")
	}
}
