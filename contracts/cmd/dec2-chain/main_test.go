package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/dec2-cloud/dec2/contracts/chain"
	"github.com/dec2-cloud/dec2/contracts/devchain"
)

func TestDeployToDevChain(t *testing.T) {
	cfg := devchain.DefaultConfig()
	cfg.HTTPAddr, cfg.WSAddr = "127.0.0.1:0", ""
	c, err := devchain.Start(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	dir := t.TempDir()
	var out bytes.Buffer
	root := newRootCmd(&out)
	root.SetArgs([]string{"deploy", "--rpc", c.HTTPURL, "--deployments", dir, "--mint", "5"})
	if err := root.ExecuteContext(ctx); err != nil {
		t.Fatalf("deploy: %v\n%s", err, out.String())
	}
	path := filepath.Join(dir, "1337.json")
	addrs, err := chain.ReadAddresses(path)
	if err != nil {
		t.Fatal(err)
	}
	// Addresses on a fresh dev chain are deterministic: the committed example must be them.
	example, err := chain.ReadAddresses("../../../deployments/1337.json")
	if err != nil || example != addrs {
		t.Fatalf("deployments/1337.json = %+v (%v); a fresh dev chain gives %+v", example, err, addrs)
	}
	if !strings.Contains(out.String(), addrs.Escrow.Hex()) {
		t.Fatalf("deploy did not print the escrow address:\n%s", out.String())
	}
	ec, err := ethclient.DialContext(ctx, c.HTTPURL)
	if err != nil {
		t.Fatal(err)
	}
	defer ec.Close()
	client, err := chain.NewClient(ctx, ec, c.Accounts[1].Key)
	if err != nil {
		t.Fatal(err)
	}
	bal, err := client.Token(addrs.Token).BalanceOf(ctx, c.Accounts[1].Address)
	if err != nil || bal.Cmp(chain.Tokens(5)) != 0 {
		t.Fatalf("dev account 1 holds %v, %v; want 5 tokens", bal, err)
	}
	for name, a := range map[string][20]byte{"escrow": addrs.Escrow, "registry": addrs.Registry} {
		code, err := ec.CodeAt(ctx, a, nil)
		if err != nil || len(code) == 0 {
			t.Fatalf("%s at %x has no code (%v)", name, a, err)
		}
	}

	root = newRootCmd(&out)
	root.SetArgs([]string{"deploy", "--rpc", c.HTTPURL, "--owner", "nope"})
	if err := root.ExecuteContext(ctx); err == nil || !strings.Contains(err.Error(), "owner") {
		t.Fatalf("bad --owner accepted: %v", err)
	}
}
