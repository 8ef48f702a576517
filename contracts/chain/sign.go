package chain

import (
	"bytes"
	"crypto/ecdsa"
	"fmt"
	"math/big"
	"sort"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/math"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/signer/core/apitypes"
)

// Names in the contracts' EIP-712 domains.
const (
	tokenDomainName    = "dec2"
	registryDomainName = "dec2 ProviderRegistry"
)

var eip712Domain = []apitypes.Type{
	{Name: "name", Type: "string"},
	{Name: "version", Type: "string"},
	{Name: "chainId", Type: "uint256"},
	{Name: "verifyingContract", Type: "address"},
}

// SlashTypeString is the EIP-712 type attestors sign (ProviderRegistry.SLASH_TYPEHASH's preimage).
const SlashTypeString = "Slash(address provider,address consumer,bytes32 reason,bytes32 evidenceHash,uint256 amount,uint256 nonce,uint256 deadline,uint64 epoch)"

// SlashDigest is the EIP-712 digest attestors sign for a slash report. r.Epoch must be the
// registry's configEpoch when the report is submitted (see Registry.ConfigEpoch).
func SlashDigest(chainID *big.Int, registry common.Address, r SlashReport) ([]byte, error) {
	td := apitypes.TypedData{
		Types: apitypes.Types{
			"EIP712Domain": eip712Domain,
			"Slash": {
				{Name: "provider", Type: "address"},
				{Name: "consumer", Type: "address"},
				{Name: "reason", Type: "bytes32"},
				{Name: "evidenceHash", Type: "bytes32"},
				{Name: "amount", Type: "uint256"},
				{Name: "nonce", Type: "uint256"},
				{Name: "deadline", Type: "uint256"},
				{Name: "epoch", Type: "uint64"},
			},
		},
		PrimaryType: "Slash",
		Domain:      domain(registryDomainName, chainID, registry),
		Message: apitypes.TypedDataMessage{
			"provider":     r.Provider.Hex(),
			"consumer":     r.Consumer.Hex(),
			"reason":       r.Reason[:],
			"evidenceHash": r.EvidenceHash[:],
			"amount":       (*math.HexOrDecimal256)(r.Amount),
			"nonce":        (*math.HexOrDecimal256)(r.Nonce),
			"deadline":     (*math.HexOrDecimal256)(r.Deadline),
			"epoch":        (*math.HexOrDecimal256)(new(big.Int).SetUint64(r.Epoch)),
		},
	}
	digest, _, err := apitypes.TypedDataAndHash(td)
	if err != nil {
		return nil, fmt.Errorf("hash slash report: %w", err)
	}
	return digest, nil
}

// SignSlashReport returns one attestor's signature over a report.
func SignSlashReport(key *ecdsa.PrivateKey, chainID *big.Int, registry common.Address, r SlashReport) ([]byte, error) {
	digest, err := SlashDigest(chainID, registry, r)
	if err != nil {
		return nil, err
	}
	return signDigest(key, digest)
}

// SortSignatures orders signatures by ascending signer address, as ProviderRegistry.slash
// requires (it rejects duplicates that way).
func SortSignatures(digest []byte, sigs [][]byte) ([][]byte, error) {
	type signed struct {
		addr common.Address
		sig  []byte
	}
	all := make([]signed, len(sigs))
	for i, s := range sigs {
		if len(s) != 65 {
			return nil, fmt.Errorf("signature %d: %d bytes, want 65", i, len(s))
		}
		raw := bytes.Clone(s)
		raw[64] -= 27
		pub, err := crypto.SigToPub(digest, raw)
		if err != nil {
			return nil, fmt.Errorf("signature %d: recover signer: %w", i, err)
		}
		all[i] = signed{crypto.PubkeyToAddress(*pub), s}
	}
	sort.Slice(all, func(i, j int) bool { return bytes.Compare(all[i].addr[:], all[j].addr[:]) < 0 })
	out := make([][]byte, len(all))
	for i, s := range all {
		out[i] = s.sig
	}
	return out, nil
}

// Permit is an EIP-2612 approval signed off-chain.
type Permit struct {
	Owner, Spender         common.Address
	Value, Nonce, Deadline *big.Int
}

// SignPermit signs a permit for the Dec2Token at tokenAddr and returns it as (v, r, s).
func SignPermit(key *ecdsa.PrivateKey, chainID *big.Int, tokenAddr common.Address, p Permit) (uint8, [32]byte, [32]byte, error) {
	td := apitypes.TypedData{
		Types: apitypes.Types{
			"EIP712Domain": eip712Domain,
			"Permit": {
				{Name: "owner", Type: "address"},
				{Name: "spender", Type: "address"},
				{Name: "value", Type: "uint256"},
				{Name: "nonce", Type: "uint256"},
				{Name: "deadline", Type: "uint256"},
			},
		},
		PrimaryType: "Permit",
		Domain:      domain(tokenDomainName, chainID, tokenAddr),
		Message: apitypes.TypedDataMessage{
			"owner":    p.Owner.Hex(),
			"spender":  p.Spender.Hex(),
			"value":    (*math.HexOrDecimal256)(p.Value),
			"nonce":    (*math.HexOrDecimal256)(p.Nonce),
			"deadline": (*math.HexOrDecimal256)(p.Deadline),
		},
	}
	digest, _, err := apitypes.TypedDataAndHash(td)
	if err != nil {
		return 0, [32]byte{}, [32]byte{}, fmt.Errorf("hash permit: %w", err)
	}
	sig, err := signDigest(key, digest)
	if err != nil {
		return 0, [32]byte{}, [32]byte{}, err
	}
	return sig[64], [32]byte(sig[:32]), [32]byte(sig[32:64]), nil
}

func domain(name string, chainID *big.Int, verifying common.Address) apitypes.TypedDataDomain {
	return apitypes.TypedDataDomain{
		Name:              name,
		Version:           "1",
		ChainId:           (*math.HexOrDecimal256)(chainID),
		VerifyingContract: verifying.Hex(),
	}
}

// signDigest signs with the 27/28 recovery id OpenZeppelin's ECDSA.recover expects.
func signDigest(key *ecdsa.PrivateKey, digest []byte) ([]byte, error) {
	sig, err := crypto.Sign(digest, key)
	if err != nil {
		return nil, fmt.Errorf("sign: %w", err)
	}
	sig[64] += 27
	return sig, nil
}
