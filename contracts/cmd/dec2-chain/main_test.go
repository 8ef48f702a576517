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

	for _, bad := range [][]string{
		{"--owner", "nope"},
		{"--repair-share-bps", "2000"},
		{"--repair-fund", c.Accounts[2].Address.Hex(), "--repair-share-bps", "6000"},
	} {
		root = newRootCmd(&out)
		root.SetArgs(append([]string{"deploy", "--rpc", c.HTTPURL}, bad...))
		if err := root.ExecuteContext(ctx); err == nil || !strings.Contains(err.Error(), strings.TrimPrefix(bad[len(bad)-2], "--")) {
			t.Errorf("deploy %v: %v, want an error naming the flag", bad, err)
		}
	}

	// A repair fund is paid its share of every slash (contracts/chain tests the split).
	dir2 := t.TempDir()
	root = newRootCmd(&out)
	root.SetArgs([]string{"deploy", "--rpc", c.HTTPURL, "--deployments", dir2, "--repair-fund", c.Accounts[2].Address.Hex(), "--repair-share-bps", "2000"})
	if err := root.ExecuteContext(ctx); err != nil {
		t.Fatalf("deploy with a repair fund: %v", err)
	}
	withFund, err := chain.ReadAddresses(filepath.Join(dir2, "1337.json"))
	if err != nil {
		t.Fatal(err)
	}
	reg := client.Registry(withFund.Registry)
	if fund, err := reg.RepairFund(ctx); err != nil || fund != c.Accounts[2].Address {
		t.Errorf("repairFund = %s (%v), want %s", fund.Hex(), err, c.Accounts[2].Address.Hex())
	}
	if bps, err := reg.RepairShareBps(ctx); err != nil || bps != 2000 {
		t.Errorf("repairShareBps = %d (%v), want 2000", bps, err)
	}
}
