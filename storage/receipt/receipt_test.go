package receipt

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

func testKey(t *testing.T) (*Receipt, Signed) {
	t.Helper()
	key, _ := crypto.HexToECDSA("4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318")
	r := Receipt{PieceID: common.HexToHash("0x01"), MerkleRoot: common.HexToHash("0x02"), Size: 4096, Expiry: 1_900_000_000,
		Provider: crypto.PubkeyToAddress(key.PublicKey)}
	s, err := Sign(key, 1337, r)
	if err != nil {
		t.Fatal(err)
	}
	return &r, s
}

func TestSignedReceiptVerifies(t *testing.T) {
	_, s := testKey(t)
	if err := Verify(1337, s); err != nil {
		t.Fatal(err)
	}
	// It survives its JSON form, which is what a node answers and the metadata service keeps.
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	var back Signed
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if err := Verify(1337, back); err != nil {
		t.Errorf("after JSON %s: %v", b, err)
	}
}

func TestAlteredReceiptsFail(t *testing.T) {
	_, s := testKey(t)
	other, _ := crypto.GenerateKey()
	for name, alter := range map[string]func(*Signed){
		"size":     func(s *Signed) { s.Size++ },
		"expiry":   func(s *Signed) { s.Expiry-- },
		"root":     func(s *Signed) { s.MerkleRoot[31] ^= 1 },
		"piece":    func(s *Signed) { s.PieceID[0] ^= 1 },
		"provider": func(s *Signed) { s.Provider = crypto.PubkeyToAddress(other.PublicKey) },
		"v":        func(s *Signed) { s.Signature[64] = 5 },
		"short":    func(s *Signed) { s.Signature = s.Signature[:64] },
	} {
		c := s
		c.Signature = append([]byte(nil), s.Signature...)
		alter(&c)
		var bad *BadSignature
		if err := Verify(1337, c); !errors.As(err, &bad) {
			t.Errorf("%s altered: %v, want *BadSignature", name, err)
		}
	}
	if err := Verify(1, s); err == nil {
		t.Error("a receipt for chain 1337 verifies on chain 1")
	}
}

func TestSignRefusesAnotherProvider(t *testing.T) {
	r, _ := testKey(t)
	other, _ := crypto.GenerateKey()
	if _, err := Sign(other, 1337, *r); err == nil {
		t.Error("signed a receipt naming another provider")
	}
}

// The digest is EIP-712's, computed by hand from the type string: a wallet or contract that
// hashes the same struct gets the same digest.
func TestDigestIsEIP712(t *testing.T) {
	r, _ := testKey(t)
	got, err := Digest(1337, *r)
	if err != nil {
		t.Fatal(err)
	}
	word := func(v uint64) []byte { return common.LeftPadBytes(new(big.Int).SetUint64(v).Bytes(), 32) }
	domainType := crypto.Keccak256([]byte("EIP712Domain(string name,string version,uint256 chainId)"))
	domain := crypto.Keccak256(domainType, crypto.Keccak256([]byte(DomainName)), crypto.Keccak256([]byte(DomainVersion)), word(1337))
	structHash := crypto.Keccak256(crypto.Keccak256([]byte(TypeString)), r.PieceID[:], r.MerkleRoot[:], word(r.Size), word(r.Expiry),
		common.LeftPadBytes(r.Provider[:], 32))
	want := crypto.Keccak256([]byte{0x19, 0x01}, domain, structHash)
	if hex.EncodeToString(got) != hex.EncodeToString(want) {
		t.Errorf("digest %x, want %x", got, want)
	}
}
