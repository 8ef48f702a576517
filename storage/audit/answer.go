package audit

import (
	"bytes"
	"crypto/ecdsa"
	"encoding/binary"
	"fmt"

	"github.com/ethereum/go-ethereum/accounts"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/dec2-cloud/dec2/storage/merkle"
)

// Answer is a storage node's signed answer to a challenge: leaf Leaf of piece PieceID with its
// Merkle proof, or (Found false) the node's statement that it holds no such piece. The
// provider signs the piece id, the leaf index, the challenger's Seed, Found, the leaf's
// keccak256 and the proof, so a wrong or missing answer is the provider's own word and can
// be shown to anyone who holds its receipt for the piece.
type Answer struct {
	PieceID  common.Hash    `json:"pieceId"`
	Leaf     uint64         `json:"leaf"`
	Seed     common.Hash    `json:"seed"`
	Found    bool           `json:"found"`
	Data     []byte         `json:"data"` // the leaf, at most merkle.LeafSize bytes
	Proof    merkle.Proof   `json:"proof"`
	Provider common.Address `json:"provider"`
	ChainID  uint64         `json:"chainId"`
	// Signature is the provider's EIP-191 personal_sign of Digest, 65 bytes, v 27 or 28.
	Signature hexutil.Bytes `json:"signature"`
}

// answerDomain separates answer digests from every other thing a provider's key signs.
const answerDomain = "dec2-storage challenge v1\n"

// Digest is what the provider signs: keccak256 over the domain, the chain id, the piece id,
// the leaf index, the seed, Found, keccak256(Data), the proof's size and its siblings. The
// leaf travels beside the signature and is bound to it by its hash.
func (a Answer) Digest() common.Hash {
	var b bytes.Buffer
	b.WriteString(answerDomain)
	b.Write(binary.BigEndian.AppendUint64(nil, a.ChainID))
	b.Write(a.PieceID[:])
	b.Write(binary.BigEndian.AppendUint64(nil, a.Leaf))
	b.Write(a.Seed[:])
	if a.Found {
		b.WriteByte(1)
	} else {
		b.WriteByte(0)
	}
	b.Write(crypto.Keccak256(a.Data))
	b.Write(binary.BigEndian.AppendUint64(nil, a.Proof.Size))
	for _, s := range a.Proof.Siblings {
		b.Write(s[:])
	}
	return crypto.Keccak256Hash(b.Bytes())
}

// Sign sets Provider to key's address and signs a.
func (a *Answer) Sign(key *ecdsa.PrivateKey) error {
	a.Provider = crypto.PubkeyToAddress(key.PublicKey)
	d := a.Digest()
	sig, err := crypto.Sign(accounts.TextHash(d[:]), key)
	if err != nil {
		return fmt.Errorf("signing the answer to a challenge of piece %s: %w", a.PieceID.Hex(), err)
	}
	sig[crypto.RecoveryIDOffset] += 27
	a.Signature = sig
	return nil
}

// BadAnswer is an answer that is not what it must be to count as the provider's word:
// unsigned, signed by another key, for another chain, piece, leaf or seed, or over a leaf
// longer than a leaf can be.
type BadAnswer struct {
	PieceID common.Hash
	Reason  string
}

func (e *BadAnswer) Error() string {
	return fmt.Sprintf("answer to the challenge of piece %s: %s", e.PieceID.Hex(), e.Reason)
}

// Signer recovers who signed a; only a low-s signature with v 27 or 28 is accepted, so one
// answer has one signature.
func (a Answer) Signer() (common.Address, error) {
	if len(a.Signature) != crypto.SignatureLength {
		return common.Address{}, &BadAnswer{a.PieceID, fmt.Sprintf("signature is %d bytes, want %d", len(a.Signature), crypto.SignatureLength)}
	}
	sig := bytes.Clone(a.Signature)
	if sig[crypto.RecoveryIDOffset] != 27 && sig[crypto.RecoveryIDOffset] != 28 {
		return common.Address{}, &BadAnswer{a.PieceID, "signature's v is not 27 or 28"}
	}
	sig[crypto.RecoveryIDOffset] -= 27
	if !crypto.ValidateSignatureValues(sig[crypto.RecoveryIDOffset], common.BytesToHash(sig[:32]).Big(), common.BytesToHash(sig[32:64]).Big(), true) {
		return common.Address{}, &BadAnswer{a.PieceID, "signature's r or s out of range (s must be in the lower half)"}
	}
	d := a.Digest()
	pub, err := crypto.SigToPub(accounts.TextHash(d[:]), sig)
	if err != nil {
		return common.Address{}, &BadAnswer{a.PieceID, "signature does not recover"}
	}
	return crypto.PubkeyToAddress(*pub), nil
}

// Check says whether a is provider's signed answer to ch on chainID: the only answers an
// auditor may judge. It does not judge the leaf (Judge does).
func (a Answer) Check(chainID uint64, provider common.Address, ch Challenge) error {
	switch {
	case a.ChainID != chainID:
		return &BadAnswer{a.PieceID, fmt.Sprintf("signed for chain %d, want %d", a.ChainID, chainID)}
	case a.PieceID != ch.PieceID || a.Leaf != ch.Leaf || a.Seed != ch.Seed:
		return &BadAnswer{a.PieceID, fmt.Sprintf("answers piece %s leaf %d seed %s, asked piece %s leaf %d seed %s",
			a.PieceID.Hex(), a.Leaf, a.Seed.Hex(), ch.PieceID.Hex(), ch.Leaf, ch.Seed.Hex())}
	case len(a.Data) > merkle.LeafSize:
		return &BadAnswer{a.PieceID, fmt.Sprintf("leaf of %d bytes, more than a leaf's %d", len(a.Data), merkle.LeafSize)}
	case !a.Found && (len(a.Data) != 0 || a.Proof.Size != 0 || len(a.Proof.Siblings) != 0):
		return &BadAnswer{a.PieceID, "a missing piece's answer carries a leaf or proof"}
	}
	signer, err := a.Signer()
	if err != nil {
		return err
	}
	if signer != provider || a.Provider != provider {
		return &BadAnswer{a.PieceID, fmt.Sprintf("signed by %s (naming %s), not the provider %s", signer.Hex(), a.Provider.Hex(), provider.Hex())}
	}
	return nil
}
