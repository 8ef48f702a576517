package piecesink

import (
	"fmt"

	"github.com/ethereum/go-ethereum/common"

	"github.com/dec2-cloud/dec2/storage/erasure"
)

// TooFewProviders is a write refused because too few of the region's providers may take new
// pieces: the attestors bar the others, and even the narrowest code a write may fall back to,
// k/(k+1), needs one provider more than k.
type TooFewProviders struct {
	// Usable is the providers with a node the attestors do not bar, of the region's Providers;
	// Need is how many the narrowest code needs (K + 1).
	Usable, Providers, Need int
	// K and N are the region's code.
	K, N int
}

// Unavailable says that the write may succeed later, when the attestors clear providers: the
// gateway answers S3's 503 ServiceUnavailable, which clients retry.
func (e *TooFewProviders) Unavailable() bool { return true }

func (e *TooFewProviders) Error() string {
	return fmt.Sprintf("piecesink: %d of the region's %d storage providers may take new pieces (the attestors bar the others); its %d/%d code needs at least %d (k + 1) to write a segment that survives a lost piece",
		e.Usable, e.Providers, e.K, e.N, e.Need)
}

// codeFor is the code a write over f uses, by its nodes' reputations. With every provider
// free to take pieces it is the region's k/n. While the attestors bar some, so that only
// u < n providers may take a piece, it is k/u: k stays (pieces keep their size, a read
// fetches from as many providers, and repair widens the segment back to k/n on the same k
// once providers return), and n drops to what the providers allow, never below k + 1, the
// floor below which a single lost piece would lose the segment. Fewer than k + 1 usable
// providers is *TooFewProviders.
//
// Only bars count, not nodes that fail to answer: a bar is the attestors' standing judgement,
// re-read on a schedule, while a node that misses one capacity request may be back a second
// later, and narrowing every write for a blink would trade durability for sparing the
// client a retry.
func (d *Data) codeFor(f *fleet) (*erasure.Code, error) {
	all := make(map[common.Address]bool, len(f.nodes))
	usable := make(map[common.Address]bool, len(f.nodes))
	for i, nd := range f.nodes {
		all[nd.Provider] = true
		if f.reps[i] >= 0 {
			usable[nd.Provider] = true
		}
	}
	k, n := d.code.K(), d.code.N()
	switch u := len(usable); {
	case u >= n:
		return d.code, nil
	case u > k:
		return d.narrow[u], nil
	default:
		return nil, &TooFewProviders{Usable: u, Providers: len(all), Need: k + 1, K: k, N: n}
	}
}
