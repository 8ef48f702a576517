// Package meta is what the storage service holds for each tenant: buckets, objects, and per
// object the ciphertext-level facts placement, audits, repair and billing need (segments with
// their erasure parameters and wrapped keys, pieces with their provider, Merkle root and
// receipt). Names and keys are the gateway's encrypted bytes: no plaintext name reaches here.
//
// This package is the model and the Store contract; storage/meta/sqlstore implements it on
// SQLite and PostgreSQL. It does no I/O.
package meta

import (
	"context"
	"time"
)

// Limits the store enforces; they keep one request's work and one row's size bounded.
const (
	MaxNameLen      = 1024 // bytes of an encrypted bucket name or object key
	MaxMetadataLen  = 64 << 10
	MaxWrappedKey   = 256
	MaxReceiptLen   = 1024
	MaxMerkleRoot   = 64
	MaxPieceHash    = 64
	MaxSegments     = 100_000
	MaxN            = 255 // Reed-Solomon over GF(2^8)
	DefaultList     = 1000
	MaxList         = 10_000
	MaxPiecesOnPage = 10_000
	MaxUsagePage    = 10_000
)

// Bucket is a tenant's bucket; Name is a hash or encryption of the plaintext name.
type Bucket struct {
	Name    []byte    `json:"name"`
	Created time.Time `json:"created"`
}

// Object is one object at one version. Version is assigned by the store on every write and
// only grows for a key (see PutOptions). Size is the plaintext (logical) size.
type Object struct {
	Bucket   []byte    `json:"bucket"`
	Key      []byte    `json:"key"`
	Version  int64     `json:"version"`
	ETag     string    `json:"etag"`
	Size     int64     `json:"size"`
	Metadata []byte    `json:"metadata,omitempty"` // content metadata, encrypted by the gateway
	Created  time.Time `json:"created"`
	Segments []Segment `json:"segments,omitempty"`
}

// Segment is one independently encrypted and erasure-coded part of an object, Index from 0.
// CipherSize is the encrypted segment's size before coding; Padding is what coding added to
// make it divisible by K.
//
// Part and Last are the data path's (storage/segment) own numbering, which the wrapped key is
// bound to: Part groups the segments of one write (0 for a single PUT), Last ends each group.
// The store keeps them as given; the gateway needs them to unwrap the key.
type Segment struct {
	Index      int     `json:"index"`
	Part       int     `json:"part,omitempty"`
	Last       bool    `json:"last,omitempty"`
	PlainSize  int64   `json:"plain_size"`
	CipherSize int64   `json:"cipher_size"`
	K          int     `json:"k"`
	N          int     `json:"n"`
	WrappedKey []byte  `json:"wrapped_key"`
	Padding    int64   `json:"padding"`
	Pieces     []Piece `json:"pieces"`
}

// Piece is one erasure-coded piece of a segment as a provider holds it.
type Piece struct {
	Index      int    `json:"index"`
	Provider   string `json:"provider"` // the provider's wallet
	NodeID     string `json:"node_id"`
	PieceID    string `json:"piece_id"`
	MerkleRoot []byte `json:"merkle_root"`
	// Hash is the whole piece's BLAKE3-256 hash, which a read that reconstructs checks each
	// piece against before trusting it.
	Hash    []byte `json:"hash,omitempty"`
	Size    int64  `json:"size"`
	Receipt []byte `json:"receipt,omitempty"` // the provider's signed receipt
}

// PutOptions: with IfVersion nil the write replaces whatever is there (last writer wins);
// with IfVersion set it succeeds only while the stored version is *IfVersion (0: no object),
// else *Conflict.
type PutOptions struct {
	IfVersion *int64 `json:"if_version,omitempty"`
}

// PutResult is the new version and, when the write replaced an object, the replaced one with
// its segments and pieces: their pieces are garbage now and the writer deletes them.
type PutResult struct {
	Version  int64   `json:"version"`
	Replaced *Object `json:"replaced,omitempty"`
}

// ListOptions select a page of keys in byte order: those starting with Prefix, after
// StartAfter, at most Limit (DefaultList when 0, at most MaxList). With a Delimiter byte set,
// keys that hold it after the prefix are rolled up into one common prefix each, as S3 does.
type ListOptions struct {
	Prefix     []byte
	StartAfter []byte
	Limit      int
	Delimiter  []byte // empty or one byte
}

// ListPage is one page: objects (without segments) and common prefixes, each in byte order.
// When Truncated, the next page starts after Next.
type ListPage struct {
	Objects   []Object `json:"objects"`
	Prefixes  [][]byte `json:"prefixes,omitempty"`
	Truncated bool     `json:"truncated"`
	Next      []byte   `json:"next,omitempty"`
}

// HeldPiece is a piece a provider holds, with whose object it is part of: what audits
// challenge and what billing meters.
type HeldPiece struct {
	Tenant  string `json:"tenant"`
	Bucket  []byte `json:"bucket"`
	Key     []byte `json:"key"`
	Version int64  `json:"version"`
	Segment int    `json:"segment"`
	Piece
}

// ProviderUsage is what one provider holds for a tenant: Bytes is the sum of its pieces'
// sizes, so over all providers the tenant pays n/k × its logical bytes.
type ProviderUsage struct {
	Provider string `json:"provider"`
	Pieces   int64  `json:"pieces"`
	Bytes    int64  `json:"bytes"`
}

// TenantUsage is what one provider holds for one tenant: a row of Store.UsageAll, what billing
// meters storage by.
type TenantUsage struct {
	Tenant string `json:"tenant"`
	ProviderUsage
}

// UsageKey is a (tenant, provider) pair, the order UsageAll pages in; the zero key comes
// before every pair.
type UsageKey struct {
	Tenant   string `json:"tenant"`
	Provider string `json:"provider"`
}

// Store holds every tenant's metadata. Every call but PiecesOn, UsageAll and Repairs' is confined to
// tenant's rows: another tenant's bucket of the same name is a different bucket.
type Store interface {
	CreateBucket(ctx context.Context, tenant string, name []byte) (Bucket, error)
	// DeleteBucket deletes an empty bucket; ErrBucketNotEmpty otherwise.
	DeleteBucket(ctx context.Context, tenant string, name []byte) error
	ListBuckets(ctx context.Context, tenant string) ([]Bucket, error)
	// PutObject replaces the object's segments and pieces in one transaction.
	PutObject(ctx context.Context, tenant string, o Object, opt PutOptions) (PutResult, error)
	GetObject(ctx context.Context, tenant string, bucket, key []byte) (Object, error)
	// DeleteObject returns the deleted object with its segments, whose pieces are now garbage.
	DeleteObject(ctx context.Context, tenant string, bucket, key []byte, opt PutOptions) (Object, error)
	ListObjects(ctx context.Context, tenant string, bucket []byte, opt ListOptions) (ListPage, error)
	// PiecesOn pages through the pieces provider holds, by piece id after after.
	PiecesOn(ctx context.Context, provider, after string, limit int) ([]HeldPiece, error)
	UsageByProvider(ctx context.Context, tenant string) ([]ProviderUsage, error)
	// UsageAll pages through what every provider holds for every tenant, by (tenant,
	// provider) after after, at most limit rows (MaxUsagePage when 0). Each page is one
	// transaction's view; pages are not one snapshot.
	UsageAll(ctx context.Context, after UsageKey, limit int) ([]TenantUsage, error)
	Repairs
	Close() error
}
