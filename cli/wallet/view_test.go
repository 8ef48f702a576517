package wallet

import (
	"bytes"
	"testing"

	"github.com/dec2-cloud/dec2/cli/golden"
	"github.com/dec2-cloud/dec2/cli/output"
)

func TestViewsGolden(t *testing.T) {
	views := map[string]output.Tabular{
		"balance": Balance{Wallet: "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC", Tokens: "999950", Deposit: "50", Owed: "0.0021", Refundable: "49.9979", RatePerHour: "0.01135"},
		"receipts": Receipts{
			{Action: "approve", Amount: "50", Tx: "0x1111111111111111111111111111111111111111111111111111111111111111", Block: 7},
			{Action: "deposit", Amount: "50", Tx: "0x2222222222222222222222222222222222222222222222222222222222222222", Block: 8},
		},
	}
	golden.CheckViews(t, views)
}

func TestLoadKey(t *testing.T) {
	const hexKey = "59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d"
	if _, err := LoadKey("", "0x"+hexKey+"\n"); err != nil {
		t.Fatalf("a 0x-prefixed key with a newline: %v", err)
	}
	if _, err := LoadKey("", ""); err == nil || !bytes.Contains([]byte(err.Error()), []byte("DEC2_KEY")) {
		t.Fatalf("no key: %v, want it to say DEC2_KEY", err)
	}
	_, err := LoadKey("", "zz"+hexKey[2:])
	if err == nil || bytes.Contains([]byte(err.Error()), []byte(hexKey[2:])) {
		t.Fatalf("a bad key: %v (the key must never appear in the error)", err)
	}
}
