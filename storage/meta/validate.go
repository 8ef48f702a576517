package meta

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"
)

// text says whether s fits a text column on every backend: UTF-8 without NUL (PostgreSQL
// refuses both), at most max bytes.
func text(s string, max int) bool {
	return len(s) <= max && utf8.ValidString(s) && !strings.ContainsRune(s, 0)
}

// ValidateTenant checks a tenant's id (the API passes its wallet address).
func ValidateTenant(tenant string) error {
	if tenant == "" || !text(tenant, 128) {
		return &Invalid{Field: "tenant", Reason: "want 1 to 128 characters (the tenant's wallet)"}
	}
	return nil
}

// ValidateName checks an encrypted bucket name or object key.
func ValidateName(field string, name []byte) error {
	if len(name) == 0 || len(name) > MaxNameLen {
		return &Invalid{Field: field, Reason: fmt.Sprintf("want 1 to %d bytes, got %d", MaxNameLen, len(name))}
	}
	return nil
}

// Validate checks o before a write: names, sizes, segments numbered from 0 whose plaintext
// sizes add up to Size, erasure parameters, and at least K distinct pieces per segment (a
// segment with fewer cannot be read back).
func (o *Object) Validate() error {
	if err := ValidateName("bucket", o.Bucket); err != nil {
		return err
	}
	if err := ValidateName("key", o.Key); err != nil {
		return err
	}
	switch {
	case !text(o.ETag, 256):
		return &Invalid{Field: "etag", Reason: "want UTF-8 without NUL, at most 256 bytes"}
	case o.Size < 0:
		return &Invalid{Field: "size", Reason: "negative"}
	case len(o.Metadata) > MaxMetadataLen:
		return &Invalid{Field: "metadata", Reason: fmt.Sprintf("over %d bytes", MaxMetadataLen)}
	case len(o.Segments) > MaxSegments:
		return &Invalid{Field: "segments", Reason: fmt.Sprintf("%d segments, at most %d", len(o.Segments), MaxSegments)}
	}
	var total int64
	for i := range o.Segments {
		s := &o.Segments[i]
		if err := s.validate(i); err != nil {
			return err
		}
		total += s.PlainSize
		if total < 0 {
			return &Invalid{Field: "segments", Reason: "plaintext sizes overflow"}
		}
	}
	if total != o.Size {
		return &Invalid{Field: "size", Reason: fmt.Sprintf("%d, but the segments hold %d plaintext bytes", o.Size, total)}
	}
	return nil
}

func (s *Segment) validate(i int) error {
	field := fmt.Sprintf("segments[%d]", i)
	bad := func(what, why string) error { return &Invalid{Field: field + what, Reason: why} }
	switch {
	case s.Index != i:
		return bad(".index", fmt.Sprintf("%d; segments are numbered from 0 in order", s.Index))
	case s.Part < 0:
		return bad(".part", "negative")
	case s.PlainSize < 0 || s.CipherSize < 0 || s.Padding < 0:
		return bad("", "negative size or padding")
	case s.K < 1 || s.N < s.K || s.N > MaxN:
		return bad("", fmt.Sprintf("k=%d n=%d; want 1 <= k <= n <= %d", s.K, s.N, MaxN))
	case len(s.WrappedKey) == 0 || len(s.WrappedKey) > MaxWrappedKey:
		return bad(".wrapped_key", fmt.Sprintf("want 1 to %d bytes", MaxWrappedKey))
	case len(s.Pieces) < s.K || len(s.Pieces) > s.N:
		return bad(".pieces", fmt.Sprintf("%d pieces; want k=%d to n=%d", len(s.Pieces), s.K, s.N))
	}
	seen := make(map[int]bool, len(s.Pieces))
	for j := range s.Pieces {
		p := &s.Pieces[j]
		pf := fmt.Sprintf(".pieces[%d]", j)
		switch {
		case p.Index < 0 || p.Index >= s.N || seen[p.Index]:
			return bad(pf+".index", fmt.Sprintf("%d: want distinct indexes below n=%d", p.Index, s.N))
		case p.Provider == "" || !text(p.Provider, 128):
			return bad(pf+".provider", "want the provider's wallet")
		case !text(p.NodeID, 128):
			return bad(pf+".node_id", "want UTF-8 without NUL, at most 128 bytes")
		case p.PieceID == "" || !text(p.PieceID, 128):
			return bad(pf+".piece_id", "want 1 to 128 bytes of UTF-8 without NUL")
		case len(p.MerkleRoot) > MaxMerkleRoot:
			return bad(pf+".merkle_root", fmt.Sprintf("over %d bytes", MaxMerkleRoot))
		case len(p.Hash) > MaxPieceHash:
			return bad(pf+".hash", fmt.Sprintf("over %d bytes", MaxPieceHash))
		case p.Size < 0:
			return bad(pf+".size", "negative")
		case len(p.Receipt) > MaxReceiptLen:
			return bad(pf+".receipt", fmt.Sprintf("over %d bytes", MaxReceiptLen))
		}
		seen[p.Index] = true
	}
	return nil
}

// Normalize checks o and fills in the default limit.
func (o *ListOptions) Normalize() error {
	switch {
	case o.Limit < 0 || o.Limit > MaxList:
		return &Invalid{Field: "limit", Reason: fmt.Sprintf("%d; want 0 (the default, %d) to %d", o.Limit, DefaultList, MaxList)}
	case len(o.Delimiter) > 1:
		return &Invalid{Field: "delimiter", Reason: "want at most one byte"}
	case len(o.Prefix) > MaxNameLen || len(o.StartAfter) > MaxNameLen:
		return &Invalid{Field: "prefix", Reason: fmt.Sprintf("over %d bytes", MaxNameLen)}
	}
	if o.Limit == 0 {
		o.Limit = DefaultList
	}
	return nil
}

// PrefixEnd is the least byte string above every string starting with prefix, nil when there
// is none (an empty prefix, or one of 0xff bytes only): the exclusive end of a prefix scan.
func PrefixEnd(prefix []byte) []byte {
	end := bytes.Clone(prefix)
	for i := len(end) - 1; i >= 0; i-- {
		if end[i] < 0xff {
			end[i]++
			return end[:i+1]
		}
	}
	return nil
}
