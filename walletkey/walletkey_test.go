package walletkey

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/crypto"
)

const hexKey = "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318"

func TestRead(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "key")
	if err := os.WriteFile(good, []byte("0x"+hexKey+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	want, _ := crypto.HexToECDSA(hexKey)
	k, err := Read(good, "DEC2_TEST_KEY", "test")
	if err != nil || !k.Equal(want) {
		t.Fatalf("from a file: %v", err)
	}
	t.Setenv("DEC2_TEST_KEY", hexKey)
	if k, err := Read("", "DEC2_TEST_KEY", "test"); err != nil || !k.Equal(want) {
		t.Fatalf("from the environment: %v", err)
	}
	t.Setenv("DEC2_TEST_KEY", "")
	if _, err := Read("", "DEC2_TEST_KEY", "test"); err == nil || !strings.Contains(err.Error(), "set DEC2_TEST_KEY") {
		t.Fatalf("no key: %v", err)
	}
	bad := filepath.Join(dir, "bad")
	_ = os.WriteFile(bad, []byte("not-a-key-but-secret"), 0o600)
	if _, err := Read(bad, "DEC2_TEST_KEY", "test"); err == nil || strings.Contains(err.Error(), "secret") {
		t.Fatalf("a bad key echoed or accepted: %v", err)
	}
}
