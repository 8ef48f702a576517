package siwe_test

import (
	"crypto/ecdsa"
	"errors"
	"math/big"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/dec2-cloud/dec2/identity/siwe"
)

// The example of EIP-4361 itself, with every optional field.
const example = `service.org wants you to sign in with your Ethereum account:
0xe5A12547fe4E872D192E3eCecb76F2Ce1aeA4946

I accept the ServiceOrg Terms of Service: https://service.org/tos

URI: https://service.org/login
Version: 1
Chain ID: 1
Nonce: 32891757
Issued At: 2021-09-30T16:25:24.000Z
Expiration Time: 2021-09-30T16:35:24Z
Not Before: 2021-09-30T16:25:24Z
Request ID: req-1
Resources:
- ipfs://Qme7ss3ARVgxv6rXqPiikMJ8u2NLgmgszg13pYrDKEoiu
- https://example.com/my-web2-claim.json`

func TestParseExample(t *testing.T) {
	m, err := siwe.Parse(example)
	if err != nil {
		t.Fatal(err)
	}
	if m.Domain != "service.org" || m.Address.Hex() != "0xe5A12547fe4E872D192E3eCecb76F2Ce1aeA4946" ||
		m.ChainID != 1 || m.Nonce != "32891757" || m.RequestID != "req-1" || len(m.Resources) != 2 ||
		!m.ExpirationTime.Equal(time.Date(2021, 9, 30, 16, 35, 24, 0, time.UTC)) ||
		m.Statement != "I accept the ServiceOrg Terms of Service: https://service.org/tos" {
		t.Errorf("parsed %+v", m)
	}
	// Issued At's ".000" is not kept: the rendering is the same instant.
	if got := m.String(); got != strings.Replace(example, "24.000Z", "24Z", 1) {
		t.Errorf("String() =\n%s", got)
	}
}

func TestParseWithoutStatement(t *testing.T) {
	msg := strings.Replace(example, "I accept the ServiceOrg Terms of Service: https://service.org/tos\n\n", "\n", 1)
	m, err := siwe.Parse(msg)
	if err != nil {
		t.Fatal(err)
	}
	if m.Statement != "" || !strings.Contains(m.String(), "4946\n\n\nURI: ") {
		t.Errorf("statement %q, rendering\n%s", m.Statement, m.String())
	}
}

func TestParseRejects(t *testing.T) {
	for _, tc := range []struct{ field, old, new string }{
		{"preamble", "wants you to sign in", "wants to sign in"},
		{"domain", "service.org wants", "service.org/x wants"},
		{"address", "0xe5A12547fe4E872D192E3eCecb76F2Ce1aeA4946", "0xe5a12547fe4e872d192e3ececb76f2ce1aea4946"},
		{"address", "0xe5A12547fe4E872D192E3eCecb76F2Ce1aeA4946", "0xe5A12547fe4E872D192E3eCecb76F2Ce1aeA494"},
		{"statement", "tos\n\nURI", "tos\nURI"},
		{"statement", "I accept", "I\taccept"},
		{"URI", "URI: https://service.org/login", "URI: /login"},
		{"Version", "Version: 1", "Version: 2"},
		{"Chain ID", "Chain ID: 1", "Chain ID: -1"},
		{"Nonce", "Nonce: 32891757", "Nonce: 1234"},
		{"Nonce", "Nonce: 32891757", "Nonce: 3289175-7"},
		{"Issued At", "Issued At: 2021-09-30T16:25:24.000Z", "Issued At: yesterday"},
		{"Expiration Time", "Expiration Time: 2021-09-30T16:35:24Z", "Expiration Time: 2021-09-30"},
		{"Not Before", "Not Before: 2021-09-30T16:25:24Z", "Not Before: soon"},
		{"Request ID", "Request ID: req-1", "Request ID: req 1"},
		{"Resources", "- ipfs://", "-  ipfs://"},
		{"Resources", "Resources:\n- ipfs://Qme7ss3ARVgxv6rXqPiikMJ8u2NLgmgszg13pYrDKEoiu\n- https://example.com/my-web2-claim.json", "Resources:"},
		{"message", "claim.json", "claim.json\n"},
		{"Version", "Version: 1\nChain ID: 1", "Chain ID: 1\nVersion: 1"},
		{"message", "Not Before: 2021-09-30T16:25:24Z\n", "Not Before: 2021-09-30T16:25:24Z\nFoo: bar\n"},
	} {
		msg := strings.Replace(example, tc.old, tc.new, 1)
		if msg == example {
			t.Fatalf("case %s: %q not in the example", tc.field, tc.old)
		}
		_, err := siwe.Parse(msg)
		var e *siwe.Error
		if !errors.As(err, &e) || e.Field != tc.field || !errors.Is(err, siwe.ErrMalformed) {
			t.Errorf("%s → %s: error %v, want a malformed-message error naming %s", tc.old, tc.new, err, tc.field)
		}
	}
	if _, err := siwe.Parse(strings.Repeat("x", siwe.MaxLen+1)); !errors.Is(err, siwe.ErrMalformed) {
		t.Errorf("an oversized message: %v", err)
	}
}

var now = time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)

func testKey(t testing.TB) *ecdsa.PrivateKey {
	t.Helper()
	key, err := crypto.HexToECDSA("4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318")
	if err != nil {
		t.Fatal(err)
	}
	return key
}

func valid(key *ecdsa.PrivateKey) siwe.Message {
	return siwe.Message{
		Domain:         "id.dec2.test:4657",
		Address:        crypto.PubkeyToAddress(key.PublicKey),
		Statement:      "Sign in to dec2.",
		URI:            "http://id.dec2.test:4657",
		ChainID:        1337,
		Nonce:          "abcdef0123456789",
		IssuedAt:       now.Add(-time.Minute),
		ExpirationTime: now.Add(4 * time.Minute),
	}
}

func params(consumed *[]string) siwe.Params {
	return siwe.Params{Domains: []string{"id.dec2.test:4657"}, ChainID: 1337, Now: now, Consume: func(n string) error {
		if slices.Contains(*consumed, n) || n != "abcdef0123456789" {
			return errors.New("nonce unknown or used")
		}
		*consumed = append(*consumed, n)
		return nil
	}}
}

func sign(t *testing.T, key *ecdsa.PrivateKey, msg string) []byte {
	t.Helper()
	sig, err := siwe.Sign(msg, key)
	if err != nil {
		t.Fatal(err)
	}
	return sig
}

func TestVerifyAccepts(t *testing.T) {
	key := testKey(t)
	msg := valid(key).String()
	sig := sign(t, key, msg)
	var used []string
	m, err := siwe.Verify(msg, sig, params(&used))
	if err != nil || m.Address != crypto.PubkeyToAddress(key.PublicKey) {
		t.Fatalf("Verify: %v, %+v", err, m)
	}
	// A domain the service lists after its own (a region console's) is accepted as well.
	console := valid(key)
	console.Domain, console.Nonce = "console.dec2.test", "abcdef0123456789"
	p := params(&[]string{})
	p.Domains = append(p.Domains, "console.dec2.test")
	if _, err := siwe.Verify(console.String(), sign(t, key, console.String()), p); err != nil {
		t.Errorf("a message for a listed console's domain: %v", err)
	}
	// v = 0/1, as raw signers produce it, is the same signature; the nonce is spent by now.
	sig[64] -= 27
	if _, err := siwe.Verify(msg, sig, params(&used)); !errors.Is(err, siwe.ErrNonce) {
		t.Errorf("replay with v-27: %v, want the nonce refused", err)
	}
}

func TestVerifyRejects(t *testing.T) {
	key := testKey(t)
	other, _ := crypto.GenerateKey()
	for _, tc := range []struct {
		name  string
		edit  func(*siwe.Message)
		key   *ecdsa.PrivateKey
		want  error
		field string
	}{
		{"signed by another wallet", func(*siwe.Message) {}, other, siwe.ErrSignature, "signature"},
		{"wrong domain", func(m *siwe.Message) { m.Domain = "evil.test" }, key, siwe.ErrDomain, "domain"},
		{"wrong chain", func(m *siwe.Message) { m.ChainID = 1 }, key, siwe.ErrChainID, "Chain ID"},
		{"unknown nonce", func(m *siwe.Message) { m.Nonce = "zzzzzzzzzzzz" }, key, siwe.ErrNonce, "Nonce"},
		{"no expiration", func(m *siwe.Message) { m.ExpirationTime = time.Time{} }, key, siwe.ErrExpired, "Expiration Time"},
		{"expired", func(m *siwe.Message) { m.ExpirationTime = now }, key, siwe.ErrExpired, "Expiration Time"},
		{"lives too long", func(m *siwe.Message) { m.ExpirationTime = m.IssuedAt.Add(11 * time.Minute) }, key, siwe.ErrExpired, "Expiration Time"},
		{"issued in the future", func(m *siwe.Message) {
			m.IssuedAt, m.ExpirationTime = now.Add(2*time.Minute), now.Add(3*time.Minute)
		}, key, siwe.ErrNotYet, "Issued At"},
		{"not before", func(m *siwe.Message) { m.NotBefore = now.Add(time.Minute) }, key, siwe.ErrNotYet, "Not Before"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := valid(key)
			tc.edit(&m)
			var used []string
			_, err := siwe.Verify(m.String(), sign(t, tc.key, m.String()), params(&used))
			var e *siwe.Error
			if !errors.Is(err, tc.want) || !errors.As(err, &e) || e.Field != tc.field {
				t.Errorf("error %v, want %v on %s", err, tc.want, tc.field)
			}
			if len(used) != 0 {
				t.Errorf("a rejected message consumed its nonce")
			}
		})
	}
}

func TestVerifyRejectsBadSignatures(t *testing.T) {
	key := testKey(t)
	msg := valid(key).String()
	good := sign(t, key, msg)
	highS := slices.Clone(good)
	// s' = n − s is the malleable twin of a signature.
	n := crypto.S256().Params().N
	s := new(big.Int).SetBytes(highS[32:64])
	new(big.Int).Sub(n, s).FillBytes(highS[32:64])
	highS[64] ^= 1
	badV := slices.Clone(good)
	badV[64] = 29
	for name, sig := range map[string][]byte{
		"short":         good[:64],
		"v = 29":        badV,
		"high s":        highS,
		"zero r,s":      make([]byte, 65),
		"other message": sign(t, key, strings.Replace(msg, "Sign in", "Sign out", 1)),
	} {
		var used []string
		if _, err := siwe.Verify(msg, sig, params(&used)); !errors.Is(err, siwe.ErrSignature) {
			t.Errorf("%s: %v, want a bad-signature error", name, err)
		}
	}
	for _, s := range []string{"", "0x", "abcd", "0xzz"} {
		if _, err := siwe.ParseSignature(s); !errors.Is(err, siwe.ErrSignature) {
			t.Errorf("ParseSignature(%q): %v", s, err)
		}
	}
}

func equal(a, b *siwe.Message) bool {
	return a.Domain == b.Domain && a.Address == b.Address && a.Statement == b.Statement && a.URI == b.URI &&
		a.ChainID == b.ChainID && a.Nonce == b.Nonce && a.IssuedAt.Equal(b.IssuedAt) &&
		a.ExpirationTime.Equal(b.ExpirationTime) && a.NotBefore.Equal(b.NotBefore) &&
		a.RequestID == b.RequestID && slices.Equal(a.Resources, b.Resources)
}

func FuzzParse(f *testing.F) {
	f.Add(example)
	f.Add(valid(testKey(f)).String())
	f.Fuzz(func(t *testing.T, s string) {
		m, err := siwe.Parse(s)
		if err != nil {
			return
		}
		again, err := siwe.Parse(m.String())
		if err != nil {
			t.Fatalf("the rendering of a parsed message does not parse: %v\n%s", err, m.String())
		}
		if !equal(m, again) {
			t.Fatalf("parse(String(m)) = %+v, want %+v", again, m)
		}
	})
}

func FuzzVerify(f *testing.F) {
	key := testKey(f)
	msg := valid(key).String()
	sig, _ := siwe.Sign(msg, key)
	f.Add(msg, sig)
	f.Add(example, sig)
	f.Fuzz(func(t *testing.T, msg string, sig []byte) {
		var used []string
		_, _ = siwe.Verify(msg, sig, params(&used))
	})
}
