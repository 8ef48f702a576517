// Package audit is how storage providers are audited: which piece and which leaf a challenge
// asks for, drawn from a seed nobody can predict (a recent block hash); whether a provider's
// signed answer passes against the receipt it signed for the piece; containment (a challenge
// that times out is asked again, the same one, before it counts as a miss); and how each
// verdict moves the provider's audit reputation. It is pure: the seed source, the storage
// service and the nodes are the caller's.
package audit

import (
	"context"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/dec2-cloud/dec2/storage/merkle"
	"github.com/dec2-cloud/dec2/storage/receipt"
)

// Seed is a recent block: its hash is the challenge's randomness, its time bounds from below
// when an answer bearing it was signed (nobody knew the hash before the block).
type Seed struct {
	Block uint64
	Hash  common.Hash
	Time  time.Time
}

// Seeds is where seeds come from (the chain).
type Seeds interface {
	Seed(ctx context.Context) (Seed, error)
}

// Challenge asks for leaf Leaf of piece PieceID under Seed.
type Challenge struct {
	PieceID common.Hash
	Leaf    uint64
	Seed    common.Hash
}

// AuditorSeed is the seed one auditor draws its challenges from at a block: the block's hash
// with the auditor's address. Attestors that audit a provider at the same block then challenge
// different pieces, so their audits add up instead of repeating one another, and still
// nobody can foresee a draw before the block. A verifier recomputes it from the evidence's
// block and auditor.
func AuditorSeed(block common.Hash, auditor common.Address) common.Hash {
	return crypto.Keccak256Hash([]byte("dec2/audit-seed"), block[:], auditor[:])
}

// Point is where in a provider's pieces (ordered by id) the seed lands: the challenge takes
// the first piece whose id, as 64 lowercase hex digits, sorts after it, wrapping around to the
// first piece. Piece ids are random, so every piece can be drawn and none can be foreseen.
func Point(seed common.Hash, provider common.Address) string {
	return hex.EncodeToString(crypto.Keccak256(seed[:], provider[:]))
}

// Draw is the challenge of piece r under seed: the leaf is keccak256(seed ‖ piece id) modulo
// the receipt's leaf count, so the provider cannot know it before the block and every
// attestor recomputes it.
func Draw(seed common.Hash, r receipt.Receipt) Challenge {
	h := crypto.Keccak256(seed[:], r.PieceID[:])
	return Challenge{PieceID: r.PieceID, Leaf: binary.BigEndian.Uint64(h[24:]) % merkle.Leaves(r.Size), Seed: seed}
}

// Outcome is what one challenge came to.
type Outcome int

const (
	// Pass: the leaf and proof lead to the receipt's root.
	Pass Outcome = iota
	// Corrupt: a signed leaf or proof that does not lead to the receipt's root. Evidence.
	Corrupt
	// Missing: a signed "no such piece" for a piece whose receipt was unexpired at the seed's
	// block. Evidence.
	Missing
	// Timeout: no answer within the deadline; containment asks again.
	Timeout
	// Unattributable: an answer that is not the provider's signed word (garbled, unsigned,
	// for another challenge) or a refusal: a failure for reputation, no evidence.
	Unattributable
	// Expired: "no such piece" for a piece whose receipt had run out; no failure.
	Expired
	// Contained: a timeout still being asked again; no verdict yet.
	Contained
	// Miss: a challenge that timed out every time it was asked.
	Miss
)

var outcomeNames = [...]string{"pass", "corrupt", "missing", "timeout", "unattributable", "expired", "contained", "miss"}

func (o Outcome) String() string {
	if int(o) < len(outcomeNames) {
		return outcomeNames[o]
	}
	return "unknown"
}

// Evidence says whether the outcome is evidence of data loss a slash can rest on.
func (o Outcome) Evidence() bool { return o == Corrupt || o == Missing }

// Reputation says how the outcome moves the provider's audit reputation: counted says
// whether it counts at all, ok whether as a success.
func (o Outcome) Reputation() (ok, counted bool) {
	switch o {
	case Pass:
		return true, true
	case Corrupt, Missing, Unattributable, Miss:
		return false, true
	}
	return false, false
}

// ErrNotDrawn is an answer for a leaf the seed does not draw for the piece.
var ErrNotDrawn = errors.New("the answer's leaf is not the one its seed draws for the piece")

// Judge checks a, the answer to ch (which must be Draw(seed.Hash, rc.Receipt)), against the
// provider's receipt rc, signed for chainID; seedTime is the seed block's time. The error
// says why an Unattributable answer is one.
func Judge(chainID uint64, rc receipt.Signed, ch Challenge, seedTime time.Time, a Answer) (Outcome, error) {
	if err := receipt.Verify(chainID, rc); err != nil {
		return Unattributable, err
	}
	if Draw(ch.Seed, rc.Receipt) != ch {
		return Unattributable, ErrNotDrawn
	}
	if err := a.Check(chainID, rc.Provider, ch); err != nil {
		return Unattributable, err
	}
	if !a.Found {
		if rc.Expiry <= uint64(seedTime.Unix()) {
			return Expired, nil
		}
		return Missing, nil
	}
	if err := merkle.Verify(merkle.Hash(rc.MerkleRoot), a.Leaf, a.Data, a.Proof); err != nil {
		return Corrupt, err
	}
	return Pass, nil
}
