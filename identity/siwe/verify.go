package siwe

import (
	"crypto/ecdsa"
	"fmt"
	"math/big"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"
)

// Params are what a message must match. Consume takes the message's nonce out of the
// issuer's store and fails if it was never issued, has expired or was used.
type Params struct {
	// Domains are the domains a message may name: the service's own host[:port] as signers
	// see it, and each site (a region console) whose users sign in through it.
	Domains []string
	ChainID uint64
	Now     time.Time
	// MaxLifetime bounds Expiration Time − Issued At (default DefaultMaxLifetime), so that a
	// signed message is worth little to whoever copies it.
	MaxLifetime time.Duration
	Consume     func(nonce string) error
}

// DefaultMaxLifetime is the longest a message may be valid for. Sign-in is interactive: the
// wallet prompt, the signature and the POST take seconds.
const DefaultMaxLifetime = 10 * time.Minute

// clockSkew is how far in the future Issued At may be: the signer's clock is not ours.
const clockSkew = time.Minute

// Verify checks raw, the exact text that was signed, and its EIP-191 personal_sign signature,
// and returns the message. The nonce is consumed last, so a message rejected for another
// reason does not burn it.
func Verify(raw string, sig []byte, p Params) (*Message, error) {
	m, err := Parse(raw)
	if err != nil {
		return nil, err
	}
	signer, err := Recover(raw, sig)
	if err != nil {
		return nil, err
	}
	if signer != m.Address {
		return nil, &Error{Field: "signature", Reason: "signed by " + signer.Hex() + ", not by the message's address: sign with the wallet named in the message", Kind: ErrSignature}
	}
	if !slices.Contains(p.Domains, m.Domain) {
		return nil, &Error{Field: "domain", Reason: fmt.Sprintf("%q is not a domain this service signs in for (%s): build the message for one of them",
			m.Domain, strings.Join(p.Domains, ", ")), Kind: ErrDomain}
	}
	if m.ChainID != p.ChainID {
		return nil, &Error{Field: "Chain ID", Reason: fmt.Sprintf("%d is not this service's chain %d", m.ChainID, p.ChainID), Kind: ErrChainID}
	}
	if err := checkTimes(m, p); err != nil {
		return nil, err
	}
	if err := p.Consume(m.Nonce); err != nil {
		return nil, &Error{Field: "Nonce", Reason: err.Error(), Kind: ErrNonce}
	}
	return m, nil
}

func checkTimes(m *Message, p Params) error {
	maxLife := p.MaxLifetime
	if maxLife <= 0 {
		maxLife = DefaultMaxLifetime
	}
	switch {
	case m.ExpirationTime.IsZero():
		return &Error{Field: "Expiration Time", Reason: "required: sign a message that expires at most " + maxLife.String() + " after it was issued", Kind: ErrExpired}
	case !p.Now.Before(m.ExpirationTime):
		return &Error{Field: "Expiration Time", Reason: "passed at " + m.ExpirationTime.Format(time.RFC3339) + ": sign a fresh message", Kind: ErrExpired}
	case m.ExpirationTime.Sub(m.IssuedAt) > maxLife:
		return &Error{Field: "Expiration Time", Reason: "more than " + maxLife.String() + " after Issued At: sign a shorter-lived message", Kind: ErrExpired}
	case m.IssuedAt.After(p.Now.Add(clockSkew)):
		return &Error{Field: "Issued At", Reason: "in the future: check the signer's clock", Kind: ErrNotYet}
	case !m.NotBefore.IsZero() && p.Now.Before(m.NotBefore):
		return &Error{Field: "Not Before", Reason: "not reached until " + m.NotBefore.Format(time.RFC3339), Kind: ErrNotYet}
	}
	return nil
}

// textHash is EIP-191's personal_sign digest of msg.
func textHash(msg string) []byte {
	return crypto.Keccak256([]byte("\x19Ethereum Signed Message:\n" + strconv.Itoa(len(msg)) + msg))
}

// Recover returns the address whose key made sig over msg. It accepts v = 27/28 (wallets)
// or 0/1 (raw signers) and refuses high-s signatures, which are malleable copies of low-s ones.
func Recover(msg string, sig []byte) (addr common.Address, err error) {
	if len(sig) != crypto.SignatureLength {
		return addr, &Error{Field: "signature", Reason: fmt.Sprintf("%d bytes, want 65 (r, s, v)", len(sig)), Kind: ErrSignature}
	}
	rsv := append([]byte(nil), sig...)
	if rsv[64] >= 27 {
		rsv[64] -= 27
	}
	r, s := new(big.Int).SetBytes(rsv[:32]), new(big.Int).SetBytes(rsv[32:64])
	if rsv[64] > 1 || !crypto.ValidateSignatureValues(rsv[64], r, s, true) {
		return addr, &Error{Field: "signature", Reason: "not a valid secp256k1 signature (v must be 27, 28, 0 or 1; s low)", Kind: ErrSignature}
	}
	pub, err := crypto.SigToPub(textHash(msg), rsv)
	if err != nil {
		return addr, &Error{Field: "signature", Reason: "recovers no key: " + err.Error(), Kind: ErrSignature}
	}
	return crypto.PubkeyToAddress(*pub), nil
}

// Sign makes the personal_sign signature a wallet would, with v = 27/28.
func Sign(msg string, key *ecdsa.PrivateKey) ([]byte, error) {
	sig, err := crypto.Sign(textHash(msg), key)
	if err != nil {
		return nil, fmt.Errorf("signing the sign-in message: %w", err)
	}
	sig[64] += 27
	return sig, nil
}

// ParseSignature decodes a 0x-hex signature as wallets return it.
func ParseSignature(s string) ([]byte, error) {
	sig, err := hexutil.Decode(s)
	if err != nil {
		return nil, &Error{Field: "signature", Reason: "want 0x-prefixed hex: " + err.Error(), Kind: ErrSignature}
	}
	if len(sig) != crypto.SignatureLength {
		return nil, &Error{Field: "signature", Reason: fmt.Sprintf("%d bytes, want 65 (r, s, v)", len(sig)), Kind: ErrSignature}
	}
	return sig, nil
}
