package audit

import (
	"bytes"
	"crypto/ecdsa"
	"errors"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/dec2-cloud/dec2/storage/merkle"
	"github.com/dec2-cloud/dec2/storage/receipt"
)

const chainID = 1337

var seedTime = time.Unix(1_800_000_000, 0)

// piece is 3½ leaves of deterministic bytes, a receipt for it and the provider's key.
func piece(t *testing.T) ([]byte, receipt.Signed, *ecdsa.PrivateKey) {
	t.Helper()
	key, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	data := bytes.Repeat([]byte("0123456789abcdef"), 7*merkle.LeafSize/32)
	r := receipt.Receipt{PieceID: crypto.Keccak256Hash([]byte("piece")), MerkleRoot: common.Hash(merkle.Root(data)),
		Size: uint64(len(data)), Expiry: uint64(seedTime.Add(time.Hour).Unix()), Provider: crypto.PubkeyToAddress(key.PublicKey)}
	rc, err := receipt.Sign(key, chainID, r)
	if err != nil {
		t.Fatal(err)
	}
	return data, rc, key
}

// answer is key's honest answer to ch over data (nil data: not found).
func answer(t *testing.T, key *ecdsa.PrivateKey, ch Challenge, data []byte) Answer {
	t.Helper()
	a := Answer{PieceID: ch.PieceID, Leaf: ch.Leaf, Seed: ch.Seed, ChainID: chainID}
	if data != nil {
		leaf, proof, err := merkle.Prove(bytes.NewReader(data), ch.Leaf)
		if err != nil {
			t.Fatal(err)
		}
		a.Found, a.Data, a.Proof = true, leaf, proof
	}
	if err := a.Sign(key); err != nil {
		t.Fatal(err)
	}
	return a
}

func TestDrawIsInRangeAndSeeded(t *testing.T) {
	_, rc, _ := piece(t)
	leaves := map[uint64]bool{}
	for i := range 200 {
		seed := crypto.Keccak256Hash([]byte{byte(i)})
		ch := Draw(seed, rc.Receipt)
		if ch.Leaf >= merkle.Leaves(rc.Size) || ch.PieceID != rc.PieceID || ch.Seed != seed {
			t.Fatalf("seed %d drew %+v for a %d-leaf piece", i, ch, merkle.Leaves(rc.Size))
		}
		if Draw(seed, rc.Receipt) != ch {
			t.Fatal("the same seed drew two challenges")
		}
		leaves[ch.Leaf] = true
	}
	if len(leaves) != int(merkle.Leaves(rc.Size)) {
		t.Errorf("200 seeds drew leaves %v of %d", leaves, merkle.Leaves(rc.Size))
	}
	p := common.HexToAddress("0x70997970C51812dc3A010C7d01b50e0d17dc79C8")
	if a, b := Point(common.Hash{1}, p), Point(common.Hash{2}, p); a == b || len(a) != 64 {
		t.Errorf("points %s, %s", a, b)
	}
}

func TestJudge(t *testing.T) {
	data, rc, key := piece(t)
	other, _ := crypto.GenerateKey()
	seed := crypto.Keccak256Hash([]byte("block"))
	ch := Draw(seed, rc.Receipt)
	honest := answer(t, key, ch, data)
	garbage := bytes.Clone(data)
	for i := range garbage {
		garbage[i] ^= 0x5a
	}
	expired := rc
	expired.Expiry = uint64(seedTime.Unix())
	expired, _ = receipt.Sign(key, chainID, expired.Receipt)
	wrongLeaf := ch
	wrongLeaf.Leaf = (ch.Leaf + 1) % merkle.Leaves(rc.Size)
	resealed := honest
	resealed.Data = bytes.Clone(honest.Data)
	resealed.Data[0] ^= 1 // the leaf altered after signing: no longer the provider's word
	forgedReceipt := rc
	forgedReceipt.Size++

	for _, tc := range []struct {
		name   string
		rc     receipt.Signed
		ch     Challenge
		a      Answer
		want   Outcome
		reason error
	}{
		{"honest", rc, ch, honest, Pass, nil},
		{"garbage, signed", rc, ch, answer(t, key, ch, garbage), Corrupt, merkle.ErrMismatch},
		{"no such piece, signed", rc, ch, answer(t, key, ch, nil), Missing, nil},
		{"no such piece after expiry", expired, Draw(seed, expired.Receipt), answer(t, key, Draw(seed, expired.Receipt), nil), Expired, nil},
		{"signed by someone else", rc, ch, answer(t, other, ch, nil), Unattributable, &BadAnswer{}},
		{"altered after signing", rc, ch, resealed, Unattributable, &BadAnswer{}},
		{"another challenge's answer", rc, ch, answer(t, key, Draw(crypto.Keccak256Hash([]byte("old")), rc.Receipt), data), Unattributable, &BadAnswer{}},
		{"a leaf the seed does not draw", rc, wrongLeaf, answer(t, key, wrongLeaf, data), Unattributable, ErrNotDrawn},
		{"a receipt not the provider's", forgedReceipt, ch, honest, Unattributable, &receipt.BadSignature{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Judge(chainID, tc.rc, tc.ch, seedTime, tc.a)
			if got != tc.want {
				t.Fatalf("Judge = %v (%v), want %v", got, err, tc.want)
			}
			switch want := tc.reason.(type) {
			case nil:
				if got != Corrupt && err != nil {
					t.Errorf("unexpected error %v", err)
				}
			case *BadAnswer:
				if !errors.As(err, &want) {
					t.Errorf("error %v, want a BadAnswer", err)
				}
			case *receipt.BadSignature:
				if !errors.As(err, &want) {
					t.Errorf("error %v, want a BadSignature", err)
				}
			default:
				if !errors.Is(err, tc.reason) {
					t.Errorf("error %v, want %v", err, tc.reason)
				}
			}
		})
	}
}

func TestContainment(t *testing.T) {
	a := Challenge{PieceID: common.Hash{1}, Leaf: 2, Seed: common.Hash{3}}
	b := Challenge{PieceID: common.Hash{4}, Leaf: 0, Seed: common.Hash{5}}
	for _, tc := range []struct {
		name     string
		outcomes []Outcome
		want     []Outcome
	}{
		{"a pass", []Outcome{Pass}, []Outcome{Pass}},
		{"three timeouts then a pass", []Outcome{Timeout, Timeout, Timeout, Pass}, []Outcome{Contained, Contained, Contained, Pass}},
		{"four timeouts are a miss", []Outcome{Timeout, Timeout, Timeout, Timeout}, []Outcome{Contained, Contained, Contained, Miss}},
		{"a timeout then corrupt", []Outcome{Timeout, Corrupt}, []Outcome{Contained, Corrupt}},
		{"after a miss, a fresh count", []Outcome{Timeout, Timeout, Timeout, Timeout, Timeout}, []Outcome{Contained, Contained, Contained, Miss, Contained}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := NewContainment()
			for i, o := range tc.outcomes {
				if got := c.Record("p", a, o); got != tc.want[i] {
					t.Fatalf("outcome %d (%v): verdict %v, want %v", i, o, got, tc.want[i])
				}
				pending, ok := c.Pending("p")
				if contained := tc.want[i] == Contained; ok != contained || ok && pending != a {
					t.Fatalf("after outcome %d: pending %+v %v", i, pending, ok)
				}
			}
			if _, ok := c.Pending("q"); ok {
				t.Error("another provider is contained")
			}
		})
	}
	c := NewContainment()
	c.Record("p", a, Timeout)
	c.Record("p", a, Timeout)
	// Another challenge's timeout (the contained one was dropped) starts its own count.
	if got := c.Record("p", b, Timeout); got != Contained {
		t.Errorf("a new challenge's first timeout: %v", got)
	}
	if got, _ := c.Pending("p"); got != b {
		t.Errorf("pending %+v, want the new challenge", got)
	}
}

func TestOutcomeReputation(t *testing.T) {
	for o, want := range map[Outcome][2]bool{
		Pass: {true, true}, Corrupt: {false, true}, Missing: {false, true}, Unattributable: {false, true}, Miss: {false, true},
		Timeout: {false, false}, Contained: {false, false}, Expired: {false, false},
	} {
		if ok, counted := o.Reputation(); ok != want[0] || counted != want[1] {
			t.Errorf("%v: ok %v counted %v, want %v", o, ok, counted, want)
		}
		if o.Evidence() != (o == Corrupt || o == Missing) {
			t.Errorf("%v: evidence %v", o, o.Evidence())
		}
	}
}

// Two auditors at one block draw from different seeds, each the documented hash of the block
// and the auditor, which every verifier recomputes.
func TestAuditorSeedsDiffer(t *testing.T) {
	block := common.Hash{0xb1}
	a, b := common.Address{0xa}, common.Address{0xb}
	if AuditorSeed(block, a) == AuditorSeed(block, b) || AuditorSeed(block, a) == AuditorSeed(common.Hash{0xb2}, a) {
		t.Error("auditors or blocks share a seed")
	}
	if want := crypto.Keccak256Hash([]byte("dec2/audit-seed"), block[:], a[:]); AuditorSeed(block, a) != want {
		t.Errorf("AuditorSeed = %s, want keccak256(\"dec2/audit-seed\" ‖ block ‖ auditor) = %s", AuditorSeed(block, a).Hex(), want.Hex())
	}
	if Point(AuditorSeed(block, a), common.Address{1}) == Point(AuditorSeed(block, b), common.Address{1}) {
		t.Error("two auditors land on the same point")
	}
}
