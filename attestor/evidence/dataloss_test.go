package evidence

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/dec2-cloud/dec2/storage/audit"
	"github.com/dec2-cloud/dec2/storage/merkle"
	"github.com/dec2-cloud/dec2/storage/receipt"
)

func dataLoss(t *testing.T) Evidence {
	t.Helper()
	key, _ := crypto.GenerateKey()
	provider := crypto.PubkeyToAddress(key.PublicKey)
	data := bytes.Repeat([]byte{7}, 100_000)
	rc, err := receipt.Sign(key, 1337, receipt.Receipt{PieceID: common.Hash{0xab}, MerkleRoot: common.Hash(merkle.Root(data)),
		Size: uint64(len(data)), Expiry: 2_000_000_000, Provider: provider})
	if err != nil {
		t.Fatal(err)
	}
	auditor := common.HexToAddress("0x70997970C51812dc3A010C7d01b50e0d17dc79C8")
	ch := audit.Draw(audit.AuditorSeed(common.Hash{0x5e}, auditor), rc.Receipt)
	a := audit.Answer{PieceID: ch.PieceID, Leaf: ch.Leaf, Seed: ch.Seed, ChainID: 1337}
	if err := a.Sign(key); err != nil {
		t.Fatal(err)
	}
	return Evidence{Kind: DataLoss, ChainID: 1337, Registry: common.HexToAddress("0x5FbDB2315678afecb367f032d93F642f64180aa3").Hex(),
		Provider: provider.Hex(), NodeID: "node-1", DownSince: 1_800_000_000, WindowEnd: 1_800_000_060, NomadIndex: 7, Nonce: 2, Epoch: 1,
		Audit: &Audit{Outcome: AuditMissing, Consumer: common.HexToAddress("0x90F79bf6EB2c4f870365E785982E1f101E93b906").Hex(), Auditor: auditor.Hex(),
			SeedBlock: 42, Receipt: rc, Answer: a}}
}

func TestDataLossEvidenceRoundTrips(t *testing.T) {
	e := dataLoss(t)
	b, err := e.Canonical()
	if err != nil {
		t.Fatal(err)
	}
	got, err := Parse(b)
	if err != nil {
		t.Fatalf("parsing its own canonical form: %v\n%s", err, b)
	}
	h1, _ := e.Hash()
	h2, _ := got.Hash()
	if h1 != h2 {
		t.Error("the parsed evidence hashes differently")
	}
	want := crypto.Keccak256Hash([]byte("dec2/data_loss/node-1/" + e.Audit.Receipt.PieceID.Hex()))
	if got.Incident() != want {
		t.Errorf("incident %x, want keccak256 of the node and piece", got.Incident())
	}
	// Re-spelled (upper-case hex in the receipt) is the same evidence but not its canonical form.
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	m["audit"].(map[string]any)["receipt"].(map[string]any)["pieceId"] = "0xAB" + e.Audit.Receipt.PieceID.Hex()[4:]
	other, _ := json.Marshal(m)
	if _, err := Parse(other); err == nil {
		t.Error("a non-canonical spelling parsed")
	}
}

func TestDataLossEvidenceInvalid(t *testing.T) {
	for name, mutate := range map[string]func(*Evidence){
		"no audit":        func(e *Evidence) { e.Audit = nil },
		"unknown outcome": func(e *Evidence) { e.Audit.Outcome = "lost" },
		"lost allocations": func(e *Evidence) {
			e.Lost = []LostAlloc{{ID: "a", Namespace: "n", JobID: "j", Consumer: e.Audit.Consumer, Rate: "1"}}
		},
		"no seed block":      func(e *Evidence) { e.Audit.SeedBlock = 0 },
		"another piece":      func(e *Evidence) { e.Audit.Answer.PieceID = common.Hash{1} },
		"another provider":   func(e *Evidence) { e.Provider = common.HexToAddress("0x" + strconv.Itoa(1234567)).Hex() },
		"consumer not EIP55": func(e *Evidence) { e.Audit.Consumer = "0x90f79bf6eb2c4f870365e785982e1f101e93b906" },
		"no auditor":         func(e *Evidence) { e.Audit.Auditor = "" },
		"downtime w/ audit":  func(e *Evidence) { e.Kind = Downtime },
	} {
		e := dataLoss(t)
		mutate(&e)
		var inv *Invalid
		if err := e.Validate(); !errors.As(err, &inv) {
			t.Errorf("%s: %v, want *Invalid", name, err)
		}
	}
}
