package nodeapi

import (
	"bytes"
	"crypto/ecdsa"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/ethereum/go-ethereum/accounts"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/dec2-cloud/dec2/storage/merkle"
)

// Header names of a signed request. The body is named by its BLAKE3 Merkle root
// (storage/merkle) rather than hashed again with keccak: the uploader has the root already (it
// records it with the receipt) and the node computes it anyway while it writes the piece, so a
// signature costs neither side another pass over the bytes.
const (
	HeaderWallet      = "X-Dec2-Wallet"
	HeaderTimestamp   = "X-Dec2-Timestamp"
	HeaderSignature   = "X-Dec2-Signature"
	HeaderContentRoot = "X-Dec2-Content-Root"
	// HeaderMerkleRoot is on a piece's GET answer: the root the node holds for it.
	HeaderMerkleRoot = "X-Dec2-Merkle-Root"
)

// MaxSkew bounds how old (or how far ahead) a signed request's timestamp may be.
const MaxSkew = 60 * time.Second

// digest is the EIP-191 hash a wallet signs: the shape of attestor/peers' requests, with the
// request URI (its query holds the expiry the receipt will carry) and the body's root.
func digest(method, uri string, ts int64, root merkle.Hash) []byte {
	msg := fmt.Sprintf("dec2-storage\n%s\n%s\n%d\n%x", method, uri, ts, root[:])
	return accounts.TextHash([]byte(msg))
}

// Sign adds the authentication headers to r, whose body has Merkle root root (merkle.Root of
// an empty body for a DELETE).
func Sign(r *http.Request, key *ecdsa.PrivateKey, root merkle.Hash, now time.Time) error {
	ts := now.Unix()
	sig, err := crypto.Sign(digest(r.Method, r.URL.RequestURI(), ts, root), key)
	if err != nil {
		return fmt.Errorf("signing %s %s: %w", r.Method, r.URL.Path, err)
	}
	sig[64] += 27
	r.Header.Set(HeaderWallet, crypto.PubkeyToAddress(key.PublicKey).Hex())
	r.Header.Set(HeaderTimestamp, strconv.FormatInt(ts, 10))
	r.Header.Set(HeaderSignature, hexutil.Encode(sig))
	r.Header.Set(HeaderContentRoot, root.String())
	return nil
}

// Unauthenticated is why a request's wallet could not be trusted.
type Unauthenticated struct{ Reason string }

func (e *Unauthenticated) Error() string {
	return "unauthenticated storage request: " + e.Reason + " (sign uploads and deletes with the owner's wallet)"
}

// authenticate returns the wallet that signed r's headers and the body root it signed. The
// body itself is checked against the root once it has been read (see Put's accept).
func Authenticate(r *http.Request, now time.Time) (common.Address, merkle.Hash, error) {
	var root merkle.Hash
	wallet := r.Header.Get(HeaderWallet)
	if !common.IsHexAddress(wallet) {
		return common.Address{}, root, &Unauthenticated{Reason: "no " + HeaderWallet + " address"}
	}
	ts, err := strconv.ParseInt(r.Header.Get(HeaderTimestamp), 10, 64)
	if err != nil {
		return common.Address{}, root, &Unauthenticated{Reason: "no " + HeaderTimestamp}
	}
	if d := now.Sub(time.Unix(ts, 0)); d > MaxSkew || d < -MaxSkew {
		return common.Address{}, root, &Unauthenticated{Reason: fmt.Sprintf("timestamp %d is %s from now: a replay or a skewed clock", ts, d.Round(time.Second))}
	}
	if err := root.UnmarshalText([]byte(r.Header.Get(HeaderContentRoot))); err != nil {
		return common.Address{}, root, &Unauthenticated{Reason: "malformed " + HeaderContentRoot}
	}
	sig, err := hexutil.Decode(r.Header.Get(HeaderSignature))
	if err != nil || len(sig) != 65 || (sig[64] != 27 && sig[64] != 28) {
		return common.Address{}, root, &Unauthenticated{Reason: "malformed " + HeaderSignature}
	}
	rs := bytes.Clone(sig)
	rs[64] -= 27
	pub, err := crypto.SigToPub(digest(r.Method, r.URL.RequestURI(), ts, root), rs)
	if err != nil {
		return common.Address{}, root, &Unauthenticated{Reason: "signature does not recover"}
	}
	got := crypto.PubkeyToAddress(*pub)
	if got != common.HexToAddress(wallet) {
		return common.Address{}, root, &Unauthenticated{Reason: "signature is not " + wallet + "'s"}
	}
	return got, root, nil
}
