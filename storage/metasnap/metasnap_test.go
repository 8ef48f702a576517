package metasnap

import (
	"crypto/sha256"
	"errors"
	"slices"
	"testing"

	"github.com/dec2-cloud/dec2/storage/crypt"
	"github.com/dec2-cloud/dec2/storage/meta"
)

func keys(b byte) Keys { return KeysFrom(crypt.Key{0: b}) }

func manifest(seq uint64) Manifest {
	sum := sha256.Sum256([]byte("db"))
	return Manifest{Version: Version, Seq: seq, Dialect: "sqlite", Size: 300, SHA256: sum[:],
		Segments: []meta.Segment{{Index: 0, PlainSize: 200}, {Index: 1, PlainSize: 100}}}
}

func TestSealOpenRoundTrip(t *testing.T) {
	k := keys(1)
	id := k.NewID(1_800_000_000_000)
	sealed, err := k.Seal(id, manifest(1_800_000_000_000))
	if err != nil {
		t.Fatal(err)
	}
	m, err := k.Open(id, sealed)
	if err != nil {
		t.Fatal(err)
	}
	if m.Seq != 1_800_000_000_000 || m.Size != 300 || len(m.Segments) != 2 || m.Taken().UnixMilli() != 1_800_000_000_000 {
		t.Errorf("opened %+v", m)
	}
}

// What a provider could serve instead of the manifest, or another wallet could read: none
// opens.
func TestOpenRefusesWhatIsNotThisSnapshotsManifest(t *testing.T) {
	k := keys(1)
	old, newer := k.NewID(100), k.NewID(200)
	sealedOld, err := k.Seal(old, manifest(100))
	if err != nil {
		t.Fatal(err)
	}
	lying := manifest(200)
	lying.Size = 999
	sealedLying, _ := k.Seal(newer, lying)
	tampered := slices.Clone(sealedOld)
	tampered[len(tampered)/2] ^= 1
	other := keys(2)
	for name, tc := range map[string]struct {
		k      Keys
		id     ID
		sealed []byte
	}{
		"an old manifest under a newer id": {k, newer, sealedOld},
		"a flipped bit":                    {k, old, tampered},
		"another wallet's keys":            {other, old, sealedOld},
		"segments that do not add up":      {k, newer, sealedLying},
	} {
		var bad *BadManifest
		if _, err := tc.k.Open(tc.id, tc.sealed); !errors.As(err, &bad) {
			t.Errorf("%s: %v, want *BadManifest", name, err)
		}
	}
}

func TestIDsCarryTheTagAndOrderBySeq(t *testing.T) {
	k := keys(1)
	a, b, c := k.NewID(5), k.NewID(7), k.NewID(5)
	if a == c {
		t.Fatal("two ids of one snapshot collide")
	}
	if s, ok := k.Seq(b); !ok || s != 7 {
		t.Errorf("Seq(b) = %d, %v", s, ok)
	}
	k2 := keys(2)
	foreign := k2.NewID(9)
	if _, ok := k.Seq(foreign); ok {
		t.Error("another wallet's id reads as ours")
	}
	if got := k.Newest([]ID{a, foreign, b, c}); !slices.Equal(got, []uint64{7, 5}) {
		t.Errorf("Newest = %v, want [7 5]", got)
	}
}

func TestStaleKeepsTheNewest(t *testing.T) {
	for _, tc := range []struct {
		seqs []uint64
		keep int
		want []uint64
	}{
		{[]uint64{9, 8, 7, 6}, 2, []uint64{7, 6}},
		{[]uint64{9, 8}, 3, nil},
		{[]uint64{9, 8}, 0, []uint64{8}},
	} {
		if got := Stale(tc.seqs, tc.keep); !slices.Equal(got, tc.want) {
			t.Errorf("Stale(%v, %d) = %v, want %v", tc.seqs, tc.keep, got, tc.want)
		}
	}
}

// FuzzOpen: whatever bytes a node serves as a manifest, Open returns a manifest or a
// *BadManifest, never panics.
func FuzzOpen(f *testing.F) {
	k := keys(1)
	id := k.NewID(42)
	sealed, _ := k.Seal(id, manifest(42))
	f.Add(sealed)
	f.Add([]byte("{}"))
	f.Fuzz(func(t *testing.T, b []byte) {
		var bad *BadManifest
		if _, err := k.Open(id, b); err != nil && !errors.As(err, &bad) {
			t.Fatalf("Open: %v, want nil or *BadManifest", err)
		}
	})
}
