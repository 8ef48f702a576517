package nodeapi

import (
	"github.com/ethereum/go-ethereum/common"

	"github.com/dec2-cloud/dec2/storage/merkle"
)

// ErrorBody is how the node says why it refused.
type ErrorBody struct {
	Error string `json:"error"`
}

// Challenge is the answer to an audit: one leaf of a piece and its Merkle proof, to be checked
// with merkle.Verify against the root in the piece's receipt (not Root, which is only what the
// node holds).
type Challenge struct {
	PieceID common.Hash  `json:"pieceId"`
	Root    merkle.Hash  `json:"merkleRoot"`
	Index   uint64       `json:"leaf"`
	Leaf    []byte       `json:"data"`
	Proof   merkle.Proof `json:"proof"`
}
