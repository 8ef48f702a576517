// Package erasure cuts a segment's ciphertext into n Reed-Solomon pieces of which any k rebuild
// it (github.com/klauspost/reedsolomon, systematic: pieces 0..k-1 are the data itself), and
// rebuilds it from pieces that are checked against the hashes recorded at upload, so that a
// provider returning corrupted bytes is named and routed around rather than trusted.
package erasure

import (
	"errors"
	"fmt"

	"github.com/klauspost/reedsolomon"

	"github.com/dec2-cloud/dec2/storage/merkle"
)

// MinProviders is the smallest region that gets erasure coding: 2/4 needs four providers.
const MinProviders = 4

// TooFewProvidersError is Choose's refusal of a region smaller than MinProviders.
type TooFewProvidersError struct{ Providers int }

func (e *TooFewProvidersError) Error() string {
	return fmt.Sprintf("erasure: %d providers, at least %d needed", e.Providers, MinProviders)
}

// Choose picks k/n for a region of the given number of providers, one piece per provider: n is
// the largest multiple of 4 that the region holds, capped at 16, and k = n/2. So 4–7 providers
// give 2/4, 8–11 give 4/8, 12–15 give 6/12, and 16 or more give 8/16.
//
// Why: k = n/2 keeps the expansion at 2, so the consumer's price per logical byte (n/k × bytes)
// does not change as the region grows; a larger k only spreads the same redundancy over more
// providers, tolerating more simultaneous losses (n−k). Rounding n down to a multiple of 4
// leaves up to three providers spare, so an upload can route around a provider that fails
// mid-write without giving up a distinct provider per piece (Storj uploads 80 pieces to 110
// nodes for the same reason). 16 is the cap because past it a segment's pieces grow small
// (64 MiB / 8 = 8 MiB) and per-piece costs — requests, receipts, Merkle roots — dominate.
func Choose(providers int) (k, n int, err error) {
	if providers < MinProviders {
		return 0, 0, &TooFewProvidersError{Providers: providers}
	}
	n = min(providers/4*4, 16)
	return n / 2, n, nil
}

// PieceHash is a piece's BLAKE3 Merkle root (storage/merkle), recorded at upload and checked
// on read. It is the root the provider's receipt signs and audits challenge, so one pass of
// hashing serves both: uploads hash n/k times the data, and hashing dominates their cost.
type PieceHash = merkle.Hash

// HashPiece hashes a piece.
func HashPiece(p []byte) PieceHash { return merkle.Root(p) }

// NotEnoughPiecesError says a decode had fewer than k usable pieces. Corrupt lists the pieces
// that were present but failed their hash or had the wrong size.
type NotEnoughPiecesError struct {
	Have, Need int
	Corrupt    []int
}

func (e *NotEnoughPiecesError) Error() string {
	return fmt.Sprintf("erasure: %d usable pieces, %d needed (corrupt: %v)", e.Have, e.Need, e.Corrupt)
}

// ErrShape means the pieces given do not fit the code: wrong count or unequal sizes.
var ErrShape = errors.New("erasure: pieces do not fit the code")

// Code is one k-of-n Reed-Solomon code. It is safe for concurrent use.
//
// For a given k, the pieces of k/m are the first m pieces of k/n for every n > m: the code's
// matrix is a Vandermonde matrix made systematic, whose parity rows do not depend on n. So a
// segment written narrow, k/m while the attestors barred providers, becomes a k/n segment by
// adding pieces m..n−1 (repair widens it), its own pieces unchanged.
type Code struct {
	k, n int
	enc  reedsolomon.Encoder
}

// New returns the k-of-n code; 1 ≤ k < n ≤ 256.
func New(k, n int) (*Code, error) {
	if k < 1 || n <= k || n > 256 {
		return nil, fmt.Errorf("erasure: code %d/%d: %w", k, n, ErrShape)
	}
	enc, err := reedsolomon.New(k, n-k)
	if err != nil {
		return nil, fmt.Errorf("erasure: code %d/%d: %w", k, n, err)
	}
	return &Code{k: k, n: n, enc: enc}, nil
}

// K is how many pieces rebuild the data.
func (c *Code) K() int { return c.k }

// N is how many pieces Encode makes.
func (c *Code) N() int { return c.n }

// PieceSize is the size of each piece of size bytes of data: the data cut into k equal pieces,
// the last zero-padded, and at least one byte, since empty pieces cannot be coded.
func (c *Code) PieceSize(size int64) int64 { return max(1, (size+int64(c.k)-1)/int64(c.k)) }

// Padding is the number of zero bytes the data pieces carry after size bytes of data. It follows
// from size, so metadata records the size and not the padding.
func (c *Code) Padding(size int64) int64 { return int64(c.k)*c.PieceSize(size) - size }

// EncodedSize is the bytes of all n pieces of size bytes of data; a buffer with this capacity
// lets Encode work without a copy.
func (c *Code) EncodedSize(size int64) int64 { return int64(c.n) * c.PieceSize(size) }

// Encode cuts data into n pieces: data piece i is data[i·PieceSize:], the rest parity. When data
// has EncodedSize capacity, the pieces are slices of its backing array (overwritten past
// len(data)); otherwise they share one new allocation.
func (c *Code) Encode(data []byte) ([][]byte, error) {
	size := int64(len(data))
	ps, total := c.PieceSize(size), c.EncodedSize(size)
	buf := data[:cap(data)]
	if int64(len(buf)) < total {
		buf = make([]byte, total)
		copy(buf, data)
	}
	clear(buf[size : int64(c.k)*ps])
	pieces := make([][]byte, c.n)
	for i := range pieces {
		pieces[i] = buf[int64(i)*ps : int64(i+1)*ps : int64(i+1)*ps]
	}
	if err := c.enc.Encode(pieces); err != nil {
		return nil, fmt.Errorf("erasure: encode: %w", err)
	}
	return pieces, nil
}

// Reconstruct fills in place every nil piece of pieces (n entries, nil for missing or corrupt)
// from the others. The caller must have verified the pieces it passes: a wrong piece here yields
// wrong output, not an error.
func (c *Code) Reconstruct(pieces [][]byte) error {
	if len(pieces) != c.n {
		return fmt.Errorf("erasure: %d pieces for a %d/%d code: %w", len(pieces), c.k, c.n, ErrShape)
	}
	if err := c.enc.Reconstruct(pieces); err != nil {
		return c.reconstructErr(pieces, nil, err)
	}
	return nil
}

func (c *Code) reconstructErr(pieces [][]byte, corrupt []int, err error) error {
	if errors.Is(err, reedsolomon.ErrTooFewShards) {
		have := 0
		for _, p := range pieces {
			if len(p) > 0 {
				have++
			}
		}
		return &NotEnoughPiecesError{Have: have, Need: c.k, Corrupt: corrupt}
	}
	return fmt.Errorf("erasure: reconstruct: %v: %w", err, ErrShape)
}

// Decode rebuilds size bytes of data from pieces (n entries, nil where a piece was not fetched),
// after checking each against hashes, the hashes recorded at upload. It returns the indexes of
// pieces that failed their hash or had the wrong size, so the caller can report their providers
// and have them repaired; those pieces are not used. pieces is not modified.
func (c *Code) Decode(pieces [][]byte, hashes []PieceHash, size int64) (data []byte, corrupt []int, err error) {
	if len(pieces) != c.n || len(hashes) != c.n {
		return nil, nil, fmt.Errorf("erasure: %d pieces and %d hashes for a %d/%d code: %w", len(pieces), len(hashes), c.k, c.n, ErrShape)
	}
	ps := c.PieceSize(size)
	use := make([][]byte, c.n)
	have := 0
	for i, p := range pieces {
		if p == nil {
			continue
		}
		if int64(len(p)) != ps || HashPiece(p) != hashes[i] {
			corrupt = append(corrupt, i)
			continue
		}
		use[i] = p
		have++
	}
	if have < c.k {
		return nil, corrupt, &NotEnoughPiecesError{Have: have, Need: c.k, Corrupt: corrupt}
	}
	if err := c.enc.ReconstructData(use); err != nil {
		return nil, corrupt, c.reconstructErr(use, corrupt, err)
	}
	data = make([]byte, 0, int64(c.k)*ps)
	for _, p := range use[:c.k] {
		data = append(data, p...)
	}
	return data[:size], corrupt, nil
}
