// Package metasnap is what a snapshot of the storage service's metadata is on the providers:
// the database file, encrypted and erasure-coded like any object (storage/piecesink), and a
// small sealed manifest naming its pieces, copied to several providers under an id only the
// service's wallet can derive. With the wallet key alone, a new coordinator lists the
// manifests on the region's storage nodes, takes the newest that opens and rebuilds the
// database from its pieces: losing the coordinator's disk loses no customer data.
//
// This package is the format and the choices (ids, sealing, which snapshots to keep); it does
// no I/O. storage/metasnap/keeper moves the bytes.
package metasnap

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/dec2-cloud/dec2/storage/crypt"
	"github.com/dec2-cloud/dec2/storage/meta"
)

// Version is the manifest format; a manifest of another version is not opened.
const Version = 1

// Keys are what the service's master key (crypt.MasterFromWallet of its wallet) derives for
// snapshots: Data wraps the database's segment keys, Manifest seals manifests, and Tag starts
// every manifest's piece id, so that a node lists them by prefix.
type Keys struct {
	Data, Manifest crypt.Key
	Tag            [TagSize]byte
}

// TagSize is the id prefix manifests share: long enough that no other piece of the wallet
// starts with it by chance.
const TagSize = 16

// KeysFrom derives the snapshot keys from the service's master key.
func KeysFrom(master crypt.Key) Keys {
	k := Keys{
		Data:     crypt.PurposeKey(master, "metadata snapshot data"),
		Manifest: crypt.PurposeKey(master, "metadata snapshot manifest"),
	}
	tag := crypt.PurposeKey(master, "metadata snapshot tag")
	copy(k.Tag[:], tag[:])
	return k
}

// Manifest describes one snapshot: when it was taken (Seq, unix milliseconds, which orders
// snapshots), the database it holds and the segments its bytes were stored as.
type Manifest struct {
	Version  int            `json:"version"`
	Seq      uint64         `json:"seq"`
	Dialect  string         `json:"dialect"`
	Size     int64          `json:"size"`
	SHA256   []byte         `json:"sha256"`
	Segments []meta.Segment `json:"segments"`
}

// Taken is when the snapshot was taken.
func (m *Manifest) Taken() time.Time { return time.UnixMilli(int64(m.Seq)) }

// ID is a manifest's piece id: the tag, the snapshot's Seq and 8 random bytes (two services
// of one wallet that snapshot in the same millisecond never collide).
type ID [32]byte

// NewID returns a fresh id for the manifest of snapshot seq.
func (k *Keys) NewID(seq uint64) ID {
	var id ID
	copy(id[:], k.Tag[:])
	binary.BigEndian.PutUint64(id[TagSize:], seq)
	_, _ = rand.Read(id[TagSize+8:])
	return id
}

// Seq reads the snapshot an id names; ok is false for an id that does not carry the tag.
func (k *Keys) Seq(id ID) (seq uint64, ok bool) {
	if [TagSize]byte(id[:TagSize]) != k.Tag {
		return 0, false
	}
	return binary.BigEndian.Uint64(id[TagSize:]), true
}

// Seal encrypts m for its piece id; only the Manifest key opens it.
func (k *Keys) Seal(id ID, m Manifest) ([]byte, error) {
	plain, err := json.Marshal(m)
	if err != nil {
		return nil, fmt.Errorf("metasnap: encoding manifest %d: %w", m.Seq, err)
	}
	return crypt.NewStream(k.manifestKey(id)).Seal(nil, plain)
}

// manifestKey binds a sealed manifest to its id: a provider cannot serve an old manifest
// under a newer id, which would make a restore pick stale metadata as the newest.
func (k *Keys) manifestKey(id ID) crypt.Key { return crypt.PurposeKey(k.Manifest, string(id[:])) }

// BadManifest is a manifest piece that does not open or does not describe the snapshot its id
// names: corrupt, forged, of another wallet or of a format this build does not read.
type BadManifest struct {
	Seq    uint64
	Reason string
}

func (e *BadManifest) Error() string {
	return fmt.Sprintf("metadata snapshot %d: manifest %s", e.Seq, e.Reason)
}

// Open decrypts and checks the manifest stored under id.
func (k *Keys) Open(id ID, sealed []byte) (Manifest, error) {
	seq, ok := k.Seq(id)
	if !ok {
		return Manifest{}, &BadManifest{Reason: "id does not carry this wallet's snapshot tag"}
	}
	plain, err := crypt.NewStream(k.manifestKey(id)).Open(nil, sealed)
	if err != nil {
		return Manifest{}, &BadManifest{Seq: seq, Reason: "does not open with this wallet's key: " + err.Error()}
	}
	var m Manifest
	if err := json.Unmarshal(plain, &m); err != nil {
		return Manifest{}, &BadManifest{Seq: seq, Reason: "is not JSON: " + err.Error()}
	}
	switch {
	case m.Version != Version:
		return Manifest{}, &BadManifest{Seq: seq, Reason: fmt.Sprintf("is version %d, this build reads %d", m.Version, Version)}
	case m.Seq != seq:
		return Manifest{}, &BadManifest{Seq: seq, Reason: fmt.Sprintf("describes snapshot %d", m.Seq)}
	case m.Size < 0 || len(m.SHA256) != sha256.Size:
		return Manifest{}, &BadManifest{Seq: seq, Reason: "has no valid size and SHA-256"}
	}
	var total int64
	for _, g := range m.Segments {
		total += g.PlainSize
	}
	if total != m.Size {
		return Manifest{}, &BadManifest{Seq: seq, Reason: fmt.Sprintf("has segments of %d bytes for a database of %d", total, m.Size)}
	}
	return m, nil
}

// ErrNoSnapshot is a region in which no node lists a snapshot of this wallet.
var ErrNoSnapshot = errors.New("no metadata snapshot of this wallet on any storage node")

// Newest orders the snapshots the ids name, newest first, each once; ids without the tag are
// left out.
func (k *Keys) Newest(ids []ID) []uint64 {
	var seqs []uint64
	for _, id := range ids {
		if s, ok := k.Seq(id); ok {
			seqs = append(seqs, s)
		}
	}
	slices.Sort(seqs)
	seqs = slices.Compact(seqs)
	slices.Reverse(seqs)
	return seqs
}

// Stale is the snapshots beyond the newest keep, which may be deleted once a newer one is
// stored.
func Stale(newestFirst []uint64, keep int) []uint64 {
	if keep < 1 {
		keep = 1
	}
	if len(newestFirst) <= keep {
		return nil
	}
	return newestFirst[keep:]
}
