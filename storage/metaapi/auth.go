package metaapi

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/accounts"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"
)

// Header names of a signed request. The idea is attestor/peers' (EIP-191 over the method, the
// path, a timestamp and the body's hash), with the query in the signed path (listings are
// selected by it) and a nonce, so that two identical requests in one second differ and a
// captured request cannot be replayed.
const (
	HeaderWallet    = "X-Dec2-Wallet"
	HeaderTimestamp = "X-Dec2-Timestamp"
	HeaderNonce     = "X-Dec2-Nonce"
	HeaderSignature = "X-Dec2-Signature"
)

// MaxSkew bounds how old (or how far ahead) a request's timestamp may be.
const MaxSkew = 60 * time.Second

// MaxBody bounds a request body: an object of at least 40,000 pieces (an 80 GiB object at
// 16/32 with 64 MiB segments). Larger objects go through multipart uploads.
const MaxBody = 32 << 20

// Unauthenticated is why a request's signer could not be trusted.
type Unauthenticated struct{ Reason string }

func (e *Unauthenticated) Error() string {
	return "unauthenticated request: " + e.Reason + " (sign requests with the tenant's wallet; see docs/storage.md)"
}

func digest(method, uri string, ts int64, nonce string, body []byte) []byte {
	msg := fmt.Sprintf("dec2-storage\n%s\n%s\n%d\n%s\n%x", method, uri, ts, nonce, crypto.Keccak256(body))
	return accounts.TextHash([]byte(msg))
}

// Sign adds the signature headers to r for body, signed by key at now.
func Sign(r *http.Request, key *ecdsa.PrivateKey, body []byte, now time.Time) error {
	var n [16]byte
	_, _ = rand.Read(n[:]) // never fails (crypto/rand panics on an unusable source)
	nonce := hex.EncodeToString(n[:])
	ts := now.Unix()
	sig, err := crypto.Sign(digest(r.Method, r.URL.RequestURI(), ts, nonce, body), key)
	if err != nil {
		return fmt.Errorf("signing %s %s: %w", r.Method, r.URL.Path, err)
	}
	sig[64] += 27
	r.Header.Set(HeaderWallet, crypto.PubkeyToAddress(key.PublicKey).Hex())
	r.Header.Set(HeaderTimestamp, strconv.FormatInt(ts, 10))
	r.Header.Set(HeaderNonce, nonce)
	r.Header.Set(HeaderSignature, hexutil.Encode(sig))
	return nil
}

// verify reads r's body (at most MaxBody) and returns the wallet that signed the request when
// the signature is the wallet's over exactly this request, the timestamp is within MaxSkew of
// now and the nonce is fresh.
func verify(r *http.Request, seen *nonces, now time.Time) (common.Address, []byte, error) {
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxBody+1))
	if err != nil {
		return common.Address{}, nil, fmt.Errorf("reading request body: %w", err)
	}
	if len(body) > MaxBody {
		return common.Address{}, nil, &http.MaxBytesError{Limit: MaxBody}
	}
	wallet := r.Header.Get(HeaderWallet)
	if !common.IsHexAddress(wallet) {
		return common.Address{}, nil, &Unauthenticated{Reason: "no " + HeaderWallet + " address"}
	}
	ts, err := strconv.ParseInt(r.Header.Get(HeaderTimestamp), 10, 64)
	if err != nil {
		return common.Address{}, nil, &Unauthenticated{Reason: "no " + HeaderTimestamp}
	}
	if d := now.Sub(time.Unix(ts, 0)); d > MaxSkew || d < -MaxSkew {
		return common.Address{}, nil, &Unauthenticated{Reason: fmt.Sprintf("timestamp %d is %s from now: a replay or a skewed clock", ts, d.Round(time.Second))}
	}
	nonce := r.Header.Get(HeaderNonce)
	if len(nonce) < 16 || len(nonce) > 64 {
		return common.Address{}, nil, &Unauthenticated{Reason: "no " + HeaderNonce + " (16 to 64 characters)"}
	}
	sig, err := hexutil.Decode(r.Header.Get(HeaderSignature))
	if err != nil || len(sig) != 65 || (sig[64] != 27 && sig[64] != 28) {
		return common.Address{}, nil, &Unauthenticated{Reason: "malformed " + HeaderSignature}
	}
	rs := bytes.Clone(sig)
	rs[64] -= 27
	pub, err := crypto.SigToPub(digest(r.Method, r.URL.RequestURI(), ts, nonce, body), rs)
	if err != nil {
		return common.Address{}, nil, &Unauthenticated{Reason: "signature does not recover"}
	}
	got := crypto.PubkeyToAddress(*pub)
	if got != common.HexToAddress(wallet) {
		return common.Address{}, nil, &Unauthenticated{Reason: "signature is not " + wallet + "'s"}
	}
	if err := seen.spend(got, nonce, now); err != nil {
		return common.Address{}, nil, err
	}
	return got, body, nil
}

// nonces remembers the nonces spent within the skew window, per wallet: a request seen
// once is refused the second time. One instance's memory: see docs/storage.md.
type nonces struct {
	mu   sync.Mutex
	max  int
	seen map[string]time.Time // wallet+nonce → when it may be forgotten
}

// errTooManyNonces: the window holds more requests than the service keeps track of.
var errTooManyNonces = fmt.Errorf("too many requests within %s; retry shortly", MaxSkew)

func newNonces(max int) *nonces { return &nonces{max: max, seen: map[string]time.Time{}} }

func (n *nonces) spend(wallet common.Address, nonce string, now time.Time) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	k := string(wallet[:]) + nonce
	if _, ok := n.seen[k]; ok {
		return &Unauthenticated{Reason: "nonce already used: a replayed request"}
	}
	if len(n.seen) >= n.max {
		for k, until := range n.seen {
			if now.After(until) {
				delete(n.seen, k)
			}
		}
		if len(n.seen) >= n.max {
			return errTooManyNonces
		}
	}
	// A request is accepted until MaxSkew after its timestamp; keeping the nonce 2×MaxSkew
	// after now covers that whatever the timestamp was.
	n.seen[k] = now.Add(2 * MaxSkew)
	return nil
}
