package devchain

import (
	"crypto/ecdsa"
	"crypto/hmac"
	"crypto/pbkdf2"
	"crypto/sha512"
	"encoding/binary"
	"fmt"
	"math/big"
	"strings"

	"github.com/ethereum/go-ethereum/crypto"
)

// DevMnemonic is the well-known development mnemonic (Hardhat's and anvil's default), so the dev
// chain's accounts are the ones every Ethereum tool already knows. Never fund these keys anywhere
// else: the whole world has them.
const DevMnemonic = "test test test test test test test test test test test junk"

// hardened marks a BIP-32 hardened child index.
const hardened = 1 << 31

// DeriveKey returns the key at m/44'/60'/0'/0/index of a BIP-39 mnemonic with an empty
// passphrase, as wallets derive Ethereum accounts. The mnemonic's checksum is not verified.
func DeriveKey(mnemonic string, index uint32) (*ecdsa.PrivateKey, error) {
	words := strings.Join(strings.Fields(mnemonic), " ")
	if words == "" {
		return nil, fmt.Errorf("derive key: empty mnemonic")
	}
	if index >= hardened {
		return nil, fmt.Errorf("derive key: index %d out of range", index)
	}
	seed, err := pbkdf2.Key(sha512.New, words, []byte("mnemonic"), 2048, 64)
	if err != nil {
		return nil, fmt.Errorf("derive key: bip39 seed: %w", err)
	}
	mac := hmac.New(sha512.New, []byte("Bitcoin seed"))
	mac.Write(seed)
	sum := mac.Sum(nil)
	k, chain := new(big.Int).SetBytes(sum[:32]), sum[32:]
	for _, child := range []uint32{44 + hardened, 60 + hardened, hardened, 0, index} {
		if k, chain, err = deriveChild(k, chain, child); err != nil {
			return nil, fmt.Errorf("derive key: %w", err)
		}
	}
	return crypto.ToECDSA(k.FillBytes(make([]byte, 32)))
}

// deriveChild is BIP-32's CKDpriv.
func deriveChild(k *big.Int, chain []byte, index uint32) (*big.Int, []byte, error) {
	var data []byte
	if index >= hardened {
		data = append([]byte{0}, k.FillBytes(make([]byte, 32))...)
	} else {
		priv, err := crypto.ToECDSA(k.FillBytes(make([]byte, 32)))
		if err != nil {
			return nil, nil, err
		}
		data = crypto.CompressPubkey(&priv.PublicKey)
	}
	data = binary.BigEndian.AppendUint32(data, index)
	mac := hmac.New(sha512.New, chain)
	mac.Write(data)
	sum := mac.Sum(nil)
	n := crypto.S256().Params().N
	il := new(big.Int).SetBytes(sum[:32])
	if il.Cmp(n) >= 0 {
		return nil, nil, fmt.Errorf("bip32 child %d: invalid key, use the next index", index)
	}
	child := il.Add(il, k)
	child.Mod(child, n)
	if child.Sign() == 0 {
		return nil, nil, fmt.Errorf("bip32 child %d: zero key, use the next index", index)
	}
	return child, sum[32:], nil
}
