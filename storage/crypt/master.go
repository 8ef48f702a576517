package crypt

import (
	"crypto/ecdsa"
	"crypto/hkdf"
	"crypto/sha256"
	"errors"
	"fmt"

	"github.com/ethereum/go-ethereum/crypto"
)

// infoMaster names the master key's derivation from a wallet key, so that no other use of the
// wallet key yields the same bytes. Changing it (or the derivation) would lock every consumer
// out of what its gateways wrote.
const infoMaster = "dec2 s3 master key v1"

// MasterFromWallet derives the consumer's master key from its wallet key with HKDF-SHA256: one
// secret to back up, and every gateway and tool of the wallet (dec2 s3, the Terraform
// provider) reads what the others wrote.
func MasterFromWallet(wallet *ecdsa.PrivateKey) (Key, error) {
	// The wallet key's scalar as 32 big-endian bytes, zero-padded (go-ethereum's encoding,
	// which the derivation has used since its first release); nil for no key.
	d := crypto.FromECDSA(wallet)
	if len(d) == 0 {
		return Key{}, errors.New("crypt: deriving the master key: no wallet key")
	}
	b, err := hkdf.Key(sha256.New, d, nil, infoMaster, KeySize)
	if err != nil {
		return Key{}, fmt.Errorf("crypt: deriving the master key: %w", err)
	}
	return KeyFromBytes(b)
}
