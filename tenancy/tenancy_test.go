package tenancy

import (
	"errors"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/dec2-cloud/dec2/conventions"
)

var chain = big.NewInt(1337)

func TestPayer(t *testing.T) {
	owner, _ := crypto.GenerateKey()
	other, _ := crypto.GenerateKey()
	ownerAddr := crypto.PubkeyToAddress(owner.PublicKey)
	otherAddr := crypto.PubkeyToAddress(other.PublicKey)
	now := time.Unix(1_800_000_000, 0)
	grant := func(key, ns string, until time.Time) map[string]string {
		signer := other
		if key == "owner" {
			signer = owner
		}
		d, err := Sign(signer, Delegation{Namespace: ns, Until: until}, chain)
		if err != nil {
			t.Fatal(err)
		}
		return d.Meta()
	}
	tamper := func(m map[string]string, k, v string) map[string]string { m[k] = v; return m }

	for _, tc := range []struct {
		name   string
		job    Job
		want   string // payer hex, or "" with a reason
		reason string
	}{
		{"bound, no job wallet", Job{"t-a", nil, ownerAddr.Hex()}, ownerAddr.Hex(), ""},
		{"job names the bound wallet", Job{"t-a", map[string]string{conventions.MetaWallet: ownerAddr.Hex()}, ownerAddr.Hex()}, ownerAddr.Hex(), ""},
		{"job names it in lower case", Job{"t-a", map[string]string{conventions.MetaWallet: "0x" + ownerAddr.Hex()[2:]}, ownerAddr.Hex()}, ownerAddr.Hex(), ""},
		{"unbound namespace", Job{"default", map[string]string{conventions.MetaWallet: ownerAddr.Hex()}, ""}, "", ReasonUnbound},
		{"malformed binding", Job{"t-a", nil, "alice"}, "", ReasonBadBinding},
		{"another wallet, no delegation", Job{"t-a", map[string]string{conventions.MetaWallet: otherAddr.Hex()}, ownerAddr.Hex()}, "", ReasonNotNamespaces},
		{"malformed job wallet", Job{"t-a", map[string]string{conventions.MetaWallet: "0x12"}, ownerAddr.Hex()}, "", ReasonBadJobWallet},
		{"delegated", Job{"t-a", grant("other", "t-a", now.Add(time.Hour)), ownerAddr.Hex()}, otherAddr.Hex(), ""},
		{"delegated to another namespace", Job{"t-a", grant("other", "t-b", now.Add(time.Hour)), ownerAddr.Hex()}, "", ReasonBadDelegation},
		{"delegation signed by the namespace's owner", Job{"t-a", tamper(grant("owner", "t-a", now.Add(time.Hour)), conventions.MetaWallet, otherAddr.Hex()), ownerAddr.Hex()}, "", ReasonBadDelegation},
		{"delegation with a moved end", Job{"t-a", tamper(grant("other", "t-a", now.Add(time.Hour)), conventions.MetaDelegationUntil, "1900000000"), ownerAddr.Hex()}, "", ReasonBadDelegation},
		{"delegation ended", Job{"t-a", grant("other", "t-a", now), ownerAddr.Hex()}, "", ReasonDelegationEnded},
		{"delegation malformed", Job{"t-a", tamper(grant("other", "t-a", now.Add(time.Hour)), conventions.MetaDelegation, "0xzz"), ownerAddr.Hex()}, "", ReasonBadDelegation},
		{"delegation without end", Job{"t-a", tamper(grant("other", "t-a", now.Add(time.Hour)), conventions.MetaDelegationUntil, ""), ownerAddr.Hex()}, "", ReasonBadDelegation},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Payer(tc.job, chain, now)
			if tc.reason == "" {
				if err != nil || got.Hex() != tc.want {
					t.Fatalf("Payer = %s, %v; want %s", got.Hex(), err, tc.want)
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) || e.Reason != tc.reason {
				t.Fatalf("Payer = %s, %v; want reason %s", got.Hex(), err, tc.reason)
			}
		})
	}
}

// A delegation made for one chain does not verify on another.
func TestDelegationBoundToChain(t *testing.T) {
	key, _ := crypto.GenerateKey()
	d, err := Sign(key, Delegation{Namespace: "t-a", Until: time.Unix(2_000_000_000, 0)}, chain)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Verify(chain, time.Unix(1_000, 0)); err != nil {
		t.Fatalf("own chain: %v", err)
	}
	if err := d.Verify(big.NewInt(1), time.Unix(1_000, 0)); err == nil {
		t.Fatal("a delegation for chain 1337 verified on chain 1")
	}
}

func FuzzPayer(f *testing.F) {
	// A fixed key: fuzz workers run this set-up again and must agree with the seeds.
	key, _ := crypto.HexToECDSA("8f2a55949038a9610f50fb23b5883af3b4ecb3c3bb792cbcefbd1542c692be63")
	d, _ := Sign(key, Delegation{Namespace: "t-a", Until: time.Unix(2_000_000_000, 0)}, chain)
	m := d.Meta()
	f.Add("t-a", "0x00000000000000000000000000000000000000c0", m[conventions.MetaWallet], m[conventions.MetaDelegation], m[conventions.MetaDelegationUntil])
	f.Add("", "", "", "", "")
	f.Fuzz(func(t *testing.T, ns, bound, wallet, sig, until string) {
		job := Job{Namespace: ns, NamespaceWallet: bound, Meta: map[string]string{
			conventions.MetaWallet: wallet, conventions.MetaDelegation: sig, conventions.MetaDelegationUntil: until}}
		got, err := Payer(job, chain, time.Unix(1_000, 0))
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Reason == "" {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		// Whoever pays is the namespace's wallet or signed for this namespace.
		b, berr := ParseWallet(bound)
		if berr != nil {
			t.Fatalf("paid by %s though the binding %q is malformed", got.Hex(), bound)
		}
		if got != b && got != crypto.PubkeyToAddress(key.PublicKey) {
			t.Fatalf("paid by %s, neither the binding %s nor the delegator", got.Hex(), b.Hex())
		}
	})
}

func FuzzParseWallet(f *testing.F) {
	for _, s := range []string{"0x00000000000000000000000000000000000000c0", "0xFB6916095ca1df60bB79Ce92cE3Ea74c37c5d359", "", "0x", "c0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := ParseWallet(s)
		if err == nil && !strings.EqualFold(a.Hex(), strings.TrimSpace(s)) {
			t.Fatalf("%q parsed as %s", s, a.Hex())
		}
	})
}
