// Package client is the consumer's side of wallet sign-in, what `dec2 login` and
// `dec2 logout` call: it signs a Sign-In with Ethereum message with the wallet's key, trades
// it for a JWT at the identity service, and the JWT for a Nomad ACL token at Nomad.
package client

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/hashicorp/nomad/api"

	"github.com/dec2-cloud/dec2/identity/siwe"
	"github.com/dec2-cloud/dec2/identity/wire"
)

// messageLifetime is how long the signed message is good for: it is posted at once.
const messageLifetime = 5 * time.Minute

// Statement is what the wallet shows its owner above the message's fields.
const Statement = "Sign in to dec2: bind this wallet to its namespace and get a Nomad token for it."

// Session is a signed-in wallet's Nomad token.
type Session struct {
	NomadToken string // the token's secret: NOMAD_TOKEN
	AccessorID string
	Namespace  string // NOMAD_NAMESPACE
	Wallet     string // checksummed 0x address
	ExpiresAt  time.Time
}

// Error is the identity service's refusal: Code is stable (e.g. "bad_nonce", "expired",
// "namespace_taken"), Message says what to do.
type Error struct {
	Status  int
	Code    string
	Message string
}

func (e *Error) Error() string {
	return fmt.Sprintf("identity service: %s (%d %s)", e.Message, e.Status, e.Code)
}

// Login signs in with key at the identity service at identityURL, then logs in to Nomad at
// nomadAddr with the JWT it returns. The message names the identity URL's host as its domain:
// the CLI signs only for the service it talks to, so a service at another address cannot
// have it sign a message good at the real one.
func Login(ctx context.Context, identityURL, nomadAddr string, key *ecdsa.PrivateKey) (Session, error) {
	base, err := parseBase(identityURL)
	if err != nil {
		return Session{}, err
	}
	who := crypto.PubkeyToAddress(key.PublicKey)
	msg, err := challenge(ctx, base, who, base.Host, base.String())
	if err != nil {
		return Session{}, err
	}
	sig, err := siwe.Sign(msg, key)
	if err != nil {
		return Session{}, err
	}
	return Complete(ctx, identityURL, nomadAddr, msg, hexutil.Encode(sig))
}

// Challenge is the first half of a sign-in whose signer is elsewhere (the region console's
// page, whose browser wallet holds the key): a fresh nonce from the identity service and the
// message for address to sign. The message names uri, the page the wallet signs on, and its
// host as the domain: a browser wallet compares the domain with the page's origin, so the
// identity service must list the console's host among its -domain values. Complete finishes
// the sign-in.
func Challenge(ctx context.Context, identityURL, uri string, address common.Address) (string, error) {
	base, err := parseBase(identityURL)
	if err != nil {
		return "", err
	}
	page, err := url.Parse(uri)
	if err != nil || page.Host == "" {
		return "", fmt.Errorf("signing in: the page's URL %q: want http(s)://host[:port]/path", uri)
	}
	return challenge(ctx, base, address, page.Host, uri)
}

// Complete posts a signed message (the signature 0x-hex, as wallets return it) to the
// identity service at identityURL and logs in to Nomad at nomadAddr with the JWT it returns.
// A refusal of the message is an *Error.
func Complete(ctx context.Context, identityURL, nomadAddr, message, signature string) (Session, error) {
	base, err := parseBase(identityURL)
	if err != nil {
		return Session{}, err
	}
	var login wire.LoginResponse
	req := wire.LoginRequest{Message: message, Signature: signature}
	if err := call(ctx, http.MethodPost, base.String()+"/v1/siwe/login", nil, req, &login); err != nil {
		who := "the message's wallet"
		if m, perr := siwe.Parse(message); perr == nil {
			who = m.Address.Hex()
		}
		return Session{}, fmt.Errorf("signing in as %s: %w", who, err)
	}
	return nomadLogin(ctx, nomadAddr, login)
}

func parseBase(identityURL string) (*url.URL, error) {
	base, err := url.Parse(strings.TrimSuffix(identityURL, "/"))
	if err != nil || base.Host == "" {
		return nil, fmt.Errorf("signing in: identity URL %q: want http(s)://host[:port]", identityURL)
	}
	return base, nil
}

// challenge gets a nonce and renders the message for address and domain.
func challenge(ctx context.Context, base *url.URL, address common.Address, domain, uri string) (string, error) {
	var n wire.NonceResponse
	if err := call(ctx, http.MethodGet, base.String()+"/v1/siwe/nonce", nil, nil, &n); err != nil {
		return "", fmt.Errorf("signing in: getting a nonce: %w", err)
	}
	now := time.Now().UTC().Truncate(time.Second)
	return siwe.Message{
		Domain: domain, Address: address, Statement: Statement,
		URI: uri, ChainID: n.ChainID, Nonce: n.Nonce, IssuedAt: now, ExpirationTime: now.Add(messageLifetime),
	}.String(), nil
}

func nomadLogin(ctx context.Context, nomadAddr string, login wire.LoginResponse) (Session, error) {
	nomad, err := api.NewClient(&api.Config{Address: nomadAddr})
	if err != nil {
		return Session{}, fmt.Errorf("logging in to Nomad at %s: %w", nomadAddr, err)
	}
	tok, _, err := nomad.ACLAuth().Login(&api.ACLLoginRequest{AuthMethodName: login.AuthMethod, LoginToken: login.JWT},
		(&api.WriteOptions{}).WithContext(ctx))
	if err != nil {
		return Session{}, fmt.Errorf("logging in to Nomad at %s with auth method %s: %w", nomadAddr, login.AuthMethod, err)
	}
	s := Session{NomadToken: tok.SecretID, AccessorID: tok.AccessorID, Namespace: login.Namespace, Wallet: login.Wallet}
	if tok.ExpirationTime != nil {
		s.ExpiresAt = *tok.ExpirationTime
	}
	return s, nil
}

// Logout revokes nomadToken through the identity service.
func Logout(ctx context.Context, identityURL, nomadToken string) error {
	u := strings.TrimSuffix(identityURL, "/") + "/v1/logout"
	if err := call(ctx, http.MethodPost, u, http.Header{"X-Nomad-Token": {nomadToken}}, nil, nil); err != nil {
		return fmt.Errorf("logging out: %w", err)
	}
	return nil
}

// call does one JSON request; a non-2xx answer becomes an *Error.
func call(ctx context.Context, method, u string, header http.Header, in, out any) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, body)
	if err != nil {
		return err
	}
	for k, v := range header {
		req.Header[k] = v
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return fmt.Errorf("reading %s %s: %w", method, u, err)
	}
	if resp.StatusCode/100 != 2 {
		var e wire.ErrorResponse
		if json.Unmarshal(data, &e) != nil || e.Error == "" {
			e = wire.ErrorResponse{Error: strings.TrimSpace(string(data)), Code: fmt.Sprintf("http_%d", resp.StatusCode)}
		}
		return &Error{Status: resp.StatusCode, Code: e.Code, Message: e.Error}
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("decoding the answer of %s %s: %w", method, u, err)
	}
	return nil
}
