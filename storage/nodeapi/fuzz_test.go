package nodeapi

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/dec2-cloud/dec2/storage/audit"
	"github.com/dec2-cloud/dec2/storage/merkle"
)

// FuzzParseAnswer: whatever a node sends, parsing never panics, never yields a leaf longer
// than a leaf, and what parses survives a re-encoding unchanged (the signature covers it).
func FuzzParseAnswer(f *testing.F) {
	key, _ := crypto.GenerateKey()
	a := audit.Answer{PieceID: common.Hash{1}, Leaf: 3, Seed: common.Hash{2}, Found: true, Data: []byte("leaf"),
		Proof: merkle.Proof{Size: 4, Siblings: []merkle.Hash{{9}}}, ChainID: 1337}
	if err := a.Sign(key); err != nil {
		f.Fatal(err)
	}
	good, _ := json.Marshal(a)
	f.Add(good)
	f.Add([]byte(`{"pieceId":"0x01","found":false}`))
	f.Add([]byte(`{"data":"` + string(bytes.Repeat([]byte("A"), 90000)) + `"}`))
	f.Add([]byte(`{} {}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		a, err := ParseAnswer(bytes.NewReader(b))
		if err != nil {
			return
		}
		if len(a.Data) > merkle.LeafSize {
			t.Fatalf("a %d-byte leaf parsed", len(a.Data))
		}
		again, err := json.Marshal(a)
		if err != nil {
			t.Fatal(err)
		}
		b2, err := ParseAnswer(bytes.NewReader(again))
		if err != nil || b2.Digest() != a.Digest() {
			t.Fatalf("re-encoded answer: %v, digest changed %v", err, b2.Digest() != a.Digest())
		}
	})
}
