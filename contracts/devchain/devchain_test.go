package devchain

import (
	"context"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/ethclient"
)

// The mnemonic's first accounts are the ones Hardhat and anvil print, so derivation is checked
// against independently published addresses.
func TestDevAccountsMatchWellKnownAddresses(t *testing.T) {
	accounts, err := DevAccounts(DevMnemonic, 3)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
		"0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
		"0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC",
	}
	for i, w := range want {
		if got := accounts[i].Address; got != common.HexToAddress(w) {
			t.Errorf("account %d = %s, want %s", i, got.Hex(), w)
		}
	}
}

func TestStartServesRPCAndMinesOnDemand(t *testing.T) {
	cfg := DefaultConfig()
	cfg.HTTPAddr, cfg.WSAddr, cfg.Accounts = "127.0.0.1:0", "127.0.0.1:0", 2
	c, err := Start(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	for _, url := range []string{c.HTTPURL, c.WSURL} {
		client, err := ethclient.DialContext(ctx, url)
		if err != nil {
			t.Fatalf("dial %s: %v", url, err)
		}
		id, err := client.ChainID(ctx)
		if err != nil || id.Int64() != ChainID {
			t.Fatalf("%s: chain id %v, %v; want %d", url, id, err, ChainID)
		}
		bal, err := client.BalanceAt(ctx, c.Accounts[1].Address, nil)
		if err != nil || bal.Cmp(cfg.Balance) < 0 {
			t.Fatalf("%s: balance of account 1 = %v, %v; want %v", url, bal, err, cfg.Balance)
		}
		client.Close()
	}

	client, err := ethclient.DialContext(ctx, c.HTTPURL)
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	from, to := c.Accounts[0], common.HexToAddress("0x000000000000000000000000000000000000dEaD")
	nonce, err := client.PendingNonceAt(ctx, from.Address)
	if err != nil {
		t.Fatal(err)
	}
	tip, err := client.SuggestGasTipCap(ctx)
	if err != nil {
		t.Fatal(err)
	}
	head, err := client.HeaderByNumber(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	feeCap := new(big.Int).Add(new(big.Int).Mul(head.BaseFee, big.NewInt(2)), tip)
	tx, err := types.SignNewTx(from.Key, types.LatestSignerForChainID(big.NewInt(ChainID)), &types.DynamicFeeTx{
		ChainID: big.NewInt(ChainID), Nonce: nonce, GasTipCap: tip, GasFeeCap: feeCap, Gas: 21000,
		To: &to, Value: big.NewInt(12345),
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := client.SendTransaction(ctx, tx); err != nil {
		t.Fatal(err)
	}
	for {
		r, err := client.TransactionReceipt(ctx, tx.Hash())
		if err == nil {
			if r.Status != types.ReceiptStatusSuccessful {
				t.Fatalf("transfer failed: %+v", r)
			}
			break
		}
		select {
		case <-ctx.Done():
			t.Fatal("transaction not mined on demand")
		case <-time.After(20 * time.Millisecond):
		}
	}
	if bal, _ := client.BalanceAt(ctx, to, nil); bal.Int64() != 12345 {
		t.Fatalf("recipient balance %v, want 12345", bal)
	}
}

func TestBlockPeriodSealsWithoutTransactions(t *testing.T) {
	_, client := startDialed(t, 1, time.Second)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for {
		n, err := client.BlockNumber(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if n >= 2 {
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("only %d blocks with a 1s period", n)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func TestStartRejectsBadConfig(t *testing.T) {
	for name, mutate := range map[string]func(*Config){
		"no accounts":    func(c *Config) { c.Accounts = 0 },
		"sub-second":     func(c *Config) { c.BlockPeriod = 500 * time.Millisecond },
		"bad http addr":  func(c *Config) { c.HTTPAddr = "localhost" },
		"empty mnemonic": func(c *Config) { c.Mnemonic = " " },
		"no balance":     func(c *Config) { c.Balance = nil },
	} {
		cfg := DefaultConfig()
		cfg.HTTPAddr, cfg.WSAddr = "127.0.0.1:0", ""
		mutate(&cfg)
		if c, err := Start(cfg); err == nil {
			c.Close()
			t.Errorf("%s: started", name)
		}
	}
}

// startDialed starts a chain on a free loopback port with accounts (and block period, 0 = on
// demand) and dials it; both close at cleanup.
func startDialed(t *testing.T, accounts int, period time.Duration) (*Chain, *ethclient.Client) {
	t.Helper()
	cfg := DefaultConfig()
	cfg.HTTPAddr, cfg.WSAddr, cfg.Accounts, cfg.BlockPeriod = "127.0.0.1:0", "", accounts, period
	c, err := Start(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	client, err := ethclient.Dial(c.HTTPURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(client.Close)
	return c, client
}
