// Package jwtkeys holds the identity service's RSA key: it signs the short-lived JWTs that
// Nomad's JWT auth method swaps for ACL tokens, and publishes the public half as a JWKS.
package jwtkeys

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/go-jose/go-jose/v4"
	"github.com/golang-jwt/jwt/v5"
)

// DefaultTTL is a JWT's life: it only has to reach Nomad's /v1/acl/login, seconds later.
const DefaultTTL = 15 * time.Minute

// Generate makes a 2048-bit key, for a service that does not keep one: its JWTs stop
// verifying at restart, which costs nothing since they are used once, at once.
func Generate() (*rsa.PrivateKey, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, fmt.Errorf("generating the JWT signing key: %w", err)
	}
	return key, nil
}

// LoadPEM reads an RSA private key in PKCS #1 ("RSA PRIVATE KEY") or PKCS #8 ("PRIVATE KEY") PEM.
func LoadPEM(path string) (*rsa.PrivateKey, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading the JWT signing key: %w", err)
	}
	block, _ := pem.Decode(data)
	if block == nil {
		return nil, fmt.Errorf("reading the JWT signing key %s: no PEM block", path)
	}
	if key, err := x509.ParsePKCS1PrivateKey(block.Bytes); err == nil {
		return key, nil
	}
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("reading the JWT signing key %s: neither PKCS #1 nor PKCS #8: %w", path, err)
	}
	key, ok := k.(*rsa.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("reading the JWT signing key %s: a %T, want RSA", path, k)
	}
	return key, nil
}

// Config is what the issued JWTs say about themselves.
type Config struct {
	Issuer   string
	Audience string
	TTL      time.Duration    // DefaultTTL when 0
	Now      func() time.Time // time.Now when nil
}

// Signer issues JWTs with one key.
type Signer struct {
	key *rsa.PrivateKey
	kid string
	cfg Config
}

// New returns a signer; the key id is the key's RFC 7638 thumbprint, so it changes with the key.
func New(key *rsa.PrivateKey, cfg Config) (*Signer, error) {
	if cfg.Issuer == "" || cfg.Audience == "" {
		return nil, errors.New("creating the JWT signer: issuer and audience are required")
	}
	if cfg.TTL <= 0 {
		cfg.TTL = DefaultTTL
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	thumb, err := (&jose.JSONWebKey{Key: &key.PublicKey}).Thumbprint(crypto.SHA256)
	if err != nil {
		return nil, fmt.Errorf("creating the JWT signer: thumbprinting the key: %w", err)
	}
	return &Signer{key: key, kid: base64.RawURLEncoding.EncodeToString(thumb), cfg: cfg}, nil
}

// Claims are an issued JWT's claims: the registered ones, and the two Nomad's auth method maps.
type Claims struct {
	jwt.RegisteredClaims
	Wallet    string `json:"wallet"`
	Namespace string `json:"namespace"`
}

// Issue signs a JWT for wallet's namespace and returns it with its expiry.
func (s *Signer) Issue(wallet common.Address, namespace string) (string, time.Time, error) {
	now := s.cfg.Now().Truncate(time.Second)
	exp := now.Add(s.cfg.TTL)
	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, Claims{
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    s.cfg.Issuer,
			Audience:  jwt.ClaimStrings{s.cfg.Audience},
			Subject:   wallet.Hex(),
			IssuedAt:  jwt.NewNumericDate(now),
			NotBefore: jwt.NewNumericDate(now),
			ExpiresAt: jwt.NewNumericDate(exp),
		},
		Wallet:    wallet.Hex(),
		Namespace: namespace,
	})
	tok.Header["kid"] = s.kid
	signed, err := tok.SignedString(s.key)
	if err != nil {
		return "", time.Time{}, fmt.Errorf("signing the JWT for %s: %w", wallet.Hex(), err)
	}
	return signed, exp, nil
}

// KeyID is the kid of the JWTs' header and the JWKS.
func (s *Signer) KeyID() string { return s.kid }

// JWKS is the public key set Nomad fetches to verify the JWTs.
func (s *Signer) JWKS() jose.JSONWebKeySet {
	return jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{
		Key: &s.key.PublicKey, KeyID: s.kid, Algorithm: string(jose.RS256), Use: "sig",
	}}}
}
