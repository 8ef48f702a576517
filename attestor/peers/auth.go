// Package peers carries attestors' requests to each other over HTTP, authenticated by the
// sender's attestor key: every request names its sender and carries an EIP-191 signature over
// the method, path, a timestamp and the body's hash, so a peer refuses anything not sent by a
// member of the attestor set, altered on the way, or replayed long after it was sent.
package peers

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/accounts"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"
)

// Header names of an authenticated request.
const (
	HeaderSender    = "X-Dec2-Attestor"
	HeaderTimestamp = "X-Dec2-Timestamp"
	HeaderSignature = "X-Dec2-Signature"
)

// MaxSkew bounds how old (or how far ahead) a request's timestamp may be.
const MaxSkew = 60 * time.Second

// maxBody bounds what a peer reads from one request or answer.
const maxBody = 4 << 20

// Peer is another attestor: its address in the registry's attestor set and its base URL.
type Peer struct {
	Addr common.Address
	URL  string
}

// ParsePeer reads "0xADDRESS=URL", the form of --peer.
func ParsePeer(s string) (Peer, error) {
	addr, url, ok := strings.Cut(s, "=")
	if !ok || !common.IsHexAddress(addr) || !strings.HasPrefix(url, "http") {
		return Peer{}, fmt.Errorf("peer %q: want 0xADDRESS=http://host:port (an attestor's address and base URL)", s)
	}
	return Peer{Addr: common.HexToAddress(addr), URL: strings.TrimRight(url, "/")}, nil
}

// Unauthenticated is why a request's sender could not be trusted.
type Unauthenticated struct{ Reason string }

func (e *Unauthenticated) Error() string {
	return "unauthenticated attestor request: " + e.Reason + " (sign requests with an attestor key the registry lists)"
}

func digest(method, path string, ts int64, body []byte) []byte {
	bh := crypto.Keccak256(body)
	msg := fmt.Sprintf("dec2-attestor\n%s\n%s\n%d\n%x", method, path, ts, bh)
	return accounts.TextHash([]byte(msg))
}

// Sign adds the authentication headers to r for body.
func Sign(r *http.Request, key *ecdsa.PrivateKey, body []byte, now time.Time) error {
	ts := now.Unix()
	sig, err := crypto.Sign(digest(r.Method, r.URL.Path, ts, body), key)
	if err != nil {
		return fmt.Errorf("signing request to %s: %w", r.URL.Path, err)
	}
	sig[64] += 27
	r.Header.Set(HeaderSender, crypto.PubkeyToAddress(key.PublicKey).Hex())
	r.Header.Set(HeaderTimestamp, strconv.FormatInt(ts, 10))
	r.Header.Set(HeaderSignature, hexutil.Encode(sig))
	return nil
}

// Verify reads r's body (at most 4 MiB) and returns its sender when the signature is the
// sender's, the timestamp is within MaxSkew of now and member accepts the sender.
func Verify(r *http.Request, member func(common.Address) bool, now time.Time) (common.Address, []byte, error) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil {
		return common.Address{}, nil, fmt.Errorf("reading request body: %w", err)
	}
	if len(body) > maxBody {
		return common.Address{}, nil, &Unauthenticated{Reason: "body over 4 MiB"}
	}
	sender := r.Header.Get(HeaderSender)
	if !common.IsHexAddress(sender) {
		return common.Address{}, nil, &Unauthenticated{Reason: "no " + HeaderSender + " address"}
	}
	ts, err := strconv.ParseInt(r.Header.Get(HeaderTimestamp), 10, 64)
	if err != nil {
		return common.Address{}, nil, &Unauthenticated{Reason: "no " + HeaderTimestamp}
	}
	if d := now.Sub(time.Unix(ts, 0)); d > MaxSkew || d < -MaxSkew {
		return common.Address{}, nil, &Unauthenticated{Reason: fmt.Sprintf("timestamp %d is %s from now: a replay or a skewed clock", ts, d.Round(time.Second))}
	}
	sig, err := hexutil.Decode(r.Header.Get(HeaderSignature))
	if err != nil || len(sig) != 65 || (sig[64] != 27 && sig[64] != 28) {
		return common.Address{}, nil, &Unauthenticated{Reason: "malformed " + HeaderSignature}
	}
	rs := bytes.Clone(sig)
	rs[64] -= 27
	pub, err := crypto.SigToPub(digest(r.Method, r.URL.Path, ts, body), rs)
	if err != nil {
		return common.Address{}, nil, &Unauthenticated{Reason: "signature does not recover"}
	}
	got := crypto.PubkeyToAddress(*pub)
	if got != common.HexToAddress(sender) {
		return common.Address{}, nil, &Unauthenticated{Reason: "signature is not " + sender + "'s"}
	}
	if !member(got) {
		return common.Address{}, nil, &Unauthenticated{Reason: got.Hex() + " is not an attestor"}
	}
	return got, body, nil
}

// Refused is a peer's answer other than success: its status and the reason it gave.
type Refused struct {
	Peer   common.Address
	Status int
	Reason string
}

func (e *Refused) Error() string {
	return fmt.Sprintf("attestor %s refused (%d): %s", e.Peer.Hex(), e.Status, e.Reason)
}

// ErrorBody is how a peer says why it refused.
type ErrorBody struct {
	Error  string `json:"error"`
	Reason string `json:"reason,omitempty"`
}

// Client posts signed JSON requests to peers.
type Client struct {
	HTTP *http.Client
	Key  *ecdsa.PrivateKey
	Now  func() time.Time
}

// Post sends req as JSON to peer's path and decodes a 200 answer into resp; any other answer
// is a *Refused.
func (c *Client) Post(ctx context.Context, p Peer, path string, req, resp any) error {
	body, err := json.Marshal(req)
	if err != nil {
		return fmt.Errorf("encoding request to %s: %w", p.Addr.Hex(), err)
	}
	r, err := http.NewRequestWithContext(ctx, http.MethodPost, p.URL+path, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("request to attestor %s: %w", p.Addr.Hex(), err)
	}
	r.Header.Set("Content-Type", "application/json")
	if err := Sign(r, c.Key, body, c.Now()); err != nil {
		return err
	}
	res, err := c.HTTP.Do(r)
	if err != nil {
		return fmt.Errorf("asking attestor %s: %w", p.Addr.Hex(), err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(io.LimitReader(res.Body, maxBody))
	if err != nil {
		return fmt.Errorf("reading attestor %s's answer: %w", p.Addr.Hex(), err)
	}
	if res.StatusCode != http.StatusOK {
		var eb ErrorBody
		_ = json.Unmarshal(b, &eb)
		reason := eb.Reason
		if reason == "" {
			reason = eb.Error
		}
		if reason == "" {
			reason = strings.TrimSpace(string(b))
		}
		return &Refused{Peer: p.Addr, Status: res.StatusCode, Reason: reason}
	}
	if err := json.Unmarshal(b, resp); err != nil {
		return fmt.Errorf("decoding attestor %s's answer: %w", p.Addr.Hex(), err)
	}
	return nil
}

// IsRefused says whether err is a peer's deliberate refusal (not a network failure).
func IsRefused(err error) bool {
	var r *Refused
	return errors.As(err, &r)
}
