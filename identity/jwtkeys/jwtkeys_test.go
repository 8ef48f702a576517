package jwtkeys_test

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/go-jose/go-jose/v4"
	"github.com/golang-jwt/jwt/v5"

	"github.com/dec2-cloud/dec2/identity/jwtkeys"
)

var wallet = common.HexToAddress("0xe5A12547fe4E872D192E3eCecb76F2Ce1aeA4946")

func newKey(t *testing.T) *rsa.PrivateKey {
	t.Helper()
	key, err := jwtkeys.Generate()
	if err != nil {
		t.Fatal(err)
	}
	return key
}

// verify checks token against the signer's JWKS as Nomad does: through its JSON, by kid.
func verify(t *testing.T, s *jwtkeys.Signer, token string, now time.Time) (*jwtkeys.Claims, error) {
	t.Helper()
	raw, err := json.Marshal(s.JWKS())
	if err != nil {
		t.Fatal(err)
	}
	var set jose.JSONWebKeySet
	if err := json.Unmarshal(raw, &set); err != nil {
		t.Fatal(err)
	}
	claims := &jwtkeys.Claims{}
	_, err = jwt.ParseWithClaims(token, claims, func(tok *jwt.Token) (any, error) {
		keys := set.Key(tok.Header["kid"].(string))
		if len(keys) != 1 {
			t.Fatalf("kid %v not in the JWKS %s", tok.Header["kid"], raw)
		}
		return keys[0].Key, nil
	}, jwt.WithValidMethods([]string{"RS256"}), jwt.WithIssuer("dec2-identity"), jwt.WithAudience("dec2-nomad"),
		jwt.WithTimeFunc(func() time.Time { return now }))
	return claims, err
}

func TestIssueVerifiesAgainstJWKS(t *testing.T) {
	now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	s, err := jwtkeys.New(newKey(t), jwtkeys.Config{Issuer: "dec2-identity", Audience: "dec2-nomad", Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	token, exp, err := s.Issue(wallet, "t-e5a12547fe4e872d192e3ececb76f2ce1aea4946")
	if err != nil {
		t.Fatal(err)
	}
	if !exp.Equal(now.Add(jwtkeys.DefaultTTL)) {
		t.Errorf("expires %v, want the default 15 minutes", exp)
	}
	c, err := verify(t, s, token, now.Add(time.Minute))
	if err != nil {
		t.Fatalf("the JWT does not verify with the JWKS: %v", err)
	}
	if c.Wallet != wallet.Hex() || c.Subject != wallet.Hex() || c.Namespace != "t-e5a12547fe4e872d192e3ececb76f2ce1aea4946" ||
		!c.IssuedAt.Equal(now) || !c.NotBefore.Equal(now) {
		t.Errorf("claims %+v", c)
	}
	if _, err := verify(t, s, token, exp.Add(time.Second)); err == nil {
		t.Errorf("an expired JWT verifies")
	}
	other, _ := jwtkeys.New(newKey(t), jwtkeys.Config{Issuer: "dec2-identity", Audience: "dec2-nomad"})
	forged, _, _ := other.Issue(wallet, "t-x")
	if other.KeyID() == s.KeyID() {
		t.Fatal("two keys share a kid")
	}
	if _, err := jwt.Parse(forged, func(*jwt.Token) (any, error) { return s.JWKS().Keys[0].Key, nil }); err == nil {
		t.Errorf("a JWT from another key verifies with this JWKS")
	}
}

func TestLoadPEM(t *testing.T) {
	key := newKey(t)
	pkcs8, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for name, block := range map[string]*pem.Block{
		"pkcs1.pem": {Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)},
		"pkcs8.pem": {Type: "PRIVATE KEY", Bytes: pkcs8},
	} {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, pem.EncodeToMemory(block), 0o600); err != nil {
			t.Fatal(err)
		}
		got, err := jwtkeys.LoadPEM(path)
		if err != nil || !got.Equal(key) {
			t.Errorf("%s: %v", name, err)
		}
	}
	bad := filepath.Join(dir, "bad.pem")
	_ = os.WriteFile(bad, []byte("not pem"), 0o600)
	for _, p := range []string{bad, filepath.Join(dir, "missing.pem")} {
		if _, err := jwtkeys.LoadPEM(p); err == nil {
			t.Errorf("LoadPEM(%s) succeeded", p)
		}
	}
}

func TestNewNeedsIssuerAndAudience(t *testing.T) {
	if _, err := jwtkeys.New(newKey(t), jwtkeys.Config{Issuer: "x"}); err == nil {
		t.Error("a signer without an audience")
	}
}
