package chain

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
)

func TestAddressesRoundTrip(t *testing.T) {
	a := Addresses{
		ChainID: 1337, Token: common.HexToAddress("0x5FbDB2315678afecb367f032d93F642f64180aa3"),
		Escrow: common.HexToAddress("0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512"), Registry: common.HexToAddress("0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0"),
		Owner: common.HexToAddress("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"), Block: 1,
	}
	path := DeploymentPath(t.TempDir(), a.ChainID)
	if filepath.Base(path) != "1337.json" {
		t.Fatalf("deployment path %s", path)
	}
	if err := WriteAddresses(path, a); err != nil {
		t.Fatal(err)
	}
	got, err := ReadAddresses(path)
	if err != nil || got != a {
		t.Fatalf("read back %+v, %v; want %+v", got, err, a)
	}
	if err := WriteAddresses(path, Addresses{ChainID: 5}); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadAddresses(path); err == nil || !strings.Contains(err.Error(), `no "escrow" address`) {
		t.Fatalf("incomplete deployment accepted: %v", err)
	}
}
