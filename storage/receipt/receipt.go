// Package receipt is the EIP-712 receipt a storage provider signs when it accepts a piece: the
// piece's id, its Merkle root, size and expiry, under the provider's address. Receipts are the
// evidence audits and slashing rest on: a provider that signed one and later cannot answer a
// challenge against its root has lost data it promised to keep.
package receipt

import (
	"bytes"
	"crypto/ecdsa"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/common/math"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/signer/core/apitypes"
)

// DomainName and DomainVersion name the receipts' EIP-712 domain. The domain has no verifying
// contract: receipts are checked off chain by auditors, and on chain only through a slash's
// evidence.
const (
	DomainName    = "dec2 Storage"
	DomainVersion = "1"
)

// TypeString is the receipt's EIP-712 type.
const TypeString = "Receipt(bytes32 pieceId,bytes32 merkleRoot,uint64 size,uint64 expiry,address provider)"

// Receipt is what a provider promises: to keep Size bytes of piece PieceID, whose BLAKE3
// Merkle root (storage/merkle) is MerkleRoot, until Expiry (unix seconds).
type Receipt struct {
	PieceID    common.Hash    `json:"pieceId"`
	MerkleRoot common.Hash    `json:"merkleRoot"`
	Size       uint64         `json:"size"`
	Expiry     uint64         `json:"expiry"`
	Provider   common.Address `json:"provider"`
}

// Signed is a receipt with the chain id its domain names and the provider's signature
// (65 bytes, v = 27 or 28).
type Signed struct {
	Receipt
	ChainID   uint64        `json:"chainId"`
	Signature hexutil.Bytes `json:"signature"`
}

// Digest is the EIP-712 hash of r on chainID that the provider signs.
func Digest(chainID uint64, r Receipt) ([]byte, error) {
	td := apitypes.TypedData{
		Types: apitypes.Types{
			"EIP712Domain": {
				{Name: "name", Type: "string"},
				{Name: "version", Type: "string"},
				{Name: "chainId", Type: "uint256"},
			},
			"Receipt": {
				{Name: "pieceId", Type: "bytes32"},
				{Name: "merkleRoot", Type: "bytes32"},
				{Name: "size", Type: "uint64"},
				{Name: "expiry", Type: "uint64"},
				{Name: "provider", Type: "address"},
			},
		},
		PrimaryType: "Receipt",
		Domain: apitypes.TypedDataDomain{
			Name: DomainName, Version: DomainVersion,
			ChainId: (*math.HexOrDecimal256)(new(big.Int).SetUint64(chainID)),
		},
		Message: apitypes.TypedDataMessage{
			"pieceId":    r.PieceID[:],
			"merkleRoot": r.MerkleRoot[:],
			"size":       (*math.HexOrDecimal256)(new(big.Int).SetUint64(r.Size)),
			"expiry":     (*math.HexOrDecimal256)(new(big.Int).SetUint64(r.Expiry)),
			"provider":   r.Provider.Hex(),
		},
	}
	digest, _, err := apitypes.TypedDataAndHash(td)
	if err != nil {
		return nil, fmt.Errorf("hashing receipt for piece %s: %w", r.PieceID.Hex(), err)
	}
	return digest, nil
}

// Sign signs r with key, whose address must be r.Provider: a receipt names the provider that
// answers for it.
func Sign(key *ecdsa.PrivateKey, chainID uint64, r Receipt) (Signed, error) {
	if a := crypto.PubkeyToAddress(key.PublicKey); a != r.Provider {
		return Signed{}, fmt.Errorf("signing receipt for piece %s: key is %s's, the receipt names provider %s", r.PieceID.Hex(), a.Hex(), r.Provider.Hex())
	}
	d, err := Digest(chainID, r)
	if err != nil {
		return Signed{}, err
	}
	sig, err := crypto.Sign(d, key)
	if err != nil {
		return Signed{}, fmt.Errorf("signing receipt for piece %s: %w", r.PieceID.Hex(), err)
	}
	// 27/28 as OpenZeppelin's ECDSA.recover and wallets expect.
	sig[64] += 27
	return Signed{Receipt: r, ChainID: chainID, Signature: sig}, nil
}

// BadSignature is a receipt whose signature is not its provider's.
type BadSignature struct {
	PieceID common.Hash
	Reason  string
}

func (e *BadSignature) Error() string {
	return fmt.Sprintf("receipt for piece %s: %s", e.PieceID.Hex(), e.Reason)
}

// Verify checks that s is signed by s.Provider on chain chainID (the chain the verifier
// trusts, not the one the receipt claims).
func Verify(chainID uint64, s Signed) error {
	if s.ChainID != chainID {
		return &BadSignature{PieceID: s.PieceID, Reason: fmt.Sprintf("signed for chain %d, want %d", s.ChainID, chainID)}
	}
	if len(s.Signature) != 65 || (s.Signature[64] != 27 && s.Signature[64] != 28) {
		return &BadSignature{PieceID: s.PieceID, Reason: "malformed signature"}
	}
	d, err := Digest(chainID, s.Receipt)
	if err != nil {
		return err
	}
	sig := bytes.Clone(s.Signature)
	sig[64] -= 27
	pub, err := crypto.SigToPub(d, sig)
	if err != nil {
		return &BadSignature{PieceID: s.PieceID, Reason: "signature does not recover"}
	}
	if got := crypto.PubkeyToAddress(*pub); got != s.Provider {
		return &BadSignature{PieceID: s.PieceID, Reason: "signed by " + got.Hex() + ", not the provider " + s.Provider.Hex()}
	}
	return nil
}
