package crypt

import (
	"encoding/hex"
	"testing"

	"github.com/ethereum/go-ethereum/crypto"
)

// The derivation must never change: these are the keys the first release derived (through
// HKDF over go-ethereum's crypto.FromECDSA), and consumers' data is encrypted under them.
func TestMasterFromWalletKnownAnswers(t *testing.T) {
	for wallet, want := range map[string]string{
		"59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d": "b10ca2c2419d18aae4e1af4c0f952e88435f615ba49eba693e7ae800ad03fa94",
		// A scalar with leading zero bytes: it is padded to 32 bytes, not shortened.
		"0000000000000000000000000000000000000000000000000000000000000001": "b42e11922c9687646dffc5e65205fe945813201d6e45ed3c20a782671fd110e9",
	} {
		wk, err := crypto.HexToECDSA(wallet)
		if err != nil {
			t.Fatal(err)
		}
		got, err := MasterFromWallet(wk)
		if err != nil {
			t.Fatal(err)
		}
		if hex.EncodeToString(got[:]) != want {
			t.Errorf("MasterFromWallet(%s…) = %x, want %s", wallet[:8], got, want)
		}
	}
	if _, err := MasterFromWallet(nil); err == nil {
		t.Error("no wallet key: no error")
	}
}
