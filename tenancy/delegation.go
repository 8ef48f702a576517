package tenancy

import (
	"crypto/ecdsa"
	"fmt"
	"math/big"
	"strconv"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/math"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/signer/core/apitypes"

	"github.com/dec2-cloud/dec2/conventions"
)

// Delegation is a wallet's EIP-712 consent that jobs of a namespace other than its own may be
// billed to it until a time. It is checked off chain, by billing and the allocator alike.
type Delegation struct {
	Wallet    common.Address
	Namespace string
	Until     time.Time
	Signature []byte // 65 bytes, v = 27 or 28 (as wallets sign) or 0 or 1
}

func (d Delegation) typedData(chainID *big.Int) apitypes.TypedData {
	return apitypes.TypedData{
		Types: apitypes.Types{
			"EIP712Domain": {{Name: "name", Type: "string"}, {Name: "version", Type: "string"}, {Name: "chainId", Type: "uint256"}},
			"Delegation":   {{Name: "wallet", Type: "address"}, {Name: "namespace", Type: "string"}, {Name: "until", Type: "uint64"}},
		},
		PrimaryType: "Delegation",
		Domain:      apitypes.TypedDataDomain{Name: "dec2", Version: "1", ChainId: (*math.HexOrDecimal256)(chainID)},
		Message: apitypes.TypedDataMessage{
			"wallet": d.Wallet.Hex(), "namespace": d.Namespace, "until": strconv.FormatInt(d.Until.Unix(), 10),
		},
	}
}

// Hash is the EIP-712 digest the wallet signs.
func (d Delegation) Hash(chainID *big.Int) ([]byte, error) {
	h, _, err := apitypes.TypedDataAndHash(d.typedData(chainID))
	if err != nil {
		return nil, fmt.Errorf("hashing the delegation of %s to namespace %q: %w", d.Wallet.Hex(), d.Namespace, err)
	}
	return h, nil
}

// Sign fills d.Wallet and d.Signature with key's; d.Namespace and d.Until say what it grants.
func Sign(key *ecdsa.PrivateKey, d Delegation, chainID *big.Int) (Delegation, error) {
	d.Wallet = crypto.PubkeyToAddress(key.PublicKey)
	h, err := d.Hash(chainID)
	if err != nil {
		return Delegation{}, err
	}
	sig, err := crypto.Sign(h, key)
	if err != nil {
		return Delegation{}, fmt.Errorf("signing the delegation to namespace %q: %w", d.Namespace, err)
	}
	sig[64] += 27
	d.Signature = sig
	return d, nil
}

// Meta is the job meta that carries d.
func (d Delegation) Meta() map[string]string {
	return map[string]string{
		conventions.MetaWallet:          d.Wallet.Hex(),
		conventions.MetaDelegation:      "0x" + common.Bytes2Hex(d.Signature),
		conventions.MetaDelegationUntil: strconv.FormatInt(d.Until.Unix(), 10),
	}
}

// Verify checks that d.Wallet signed d on chainID and that it still holds at at.
func (d Delegation) Verify(chainID *big.Int, at time.Time) error {
	if len(d.Signature) != 65 {
		return &Error{Reason: ReasonBadDelegation, Key: conventions.MetaDelegation, Err: fmt.Errorf("want a 65-byte signature, got %d bytes", len(d.Signature))}
	}
	h, err := d.Hash(chainID)
	if err != nil {
		return &Error{Reason: ReasonBadDelegation, Key: conventions.MetaDelegation, Err: err}
	}
	sig := append([]byte(nil), d.Signature...)
	if sig[64] >= 27 {
		sig[64] -= 27
	}
	pub, err := crypto.SigToPub(h, sig)
	if err != nil {
		return &Error{Reason: ReasonBadDelegation, Key: conventions.MetaDelegation, Err: fmt.Errorf("recovering the signer: %w", err)}
	}
	if signer := crypto.PubkeyToAddress(*pub); signer != d.Wallet {
		return &Error{Reason: ReasonBadDelegation, Key: conventions.MetaDelegation, Err: fmt.Errorf(
			"the signature is not %s's delegation to namespace %q until %d on chain %s (it recovers %s): sign it again with that wallet",
			d.Wallet.Hex(), d.Namespace, d.Until.Unix(), chainID, signer.Hex())}
	}
	if !at.Before(d.Until) {
		return &Error{Reason: ReasonDelegationEnded, Key: conventions.MetaDelegationUntil, Err: fmt.Errorf(
			"%s's delegation to namespace %q ended at %s: ask the wallet for a new one", d.Wallet.Hex(), d.Namespace, d.Until.UTC().Format(time.RFC3339))}
	}
	return nil
}
