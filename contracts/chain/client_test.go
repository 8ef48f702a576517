package chain

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/dec2-cloud/dec2/contracts/devchain"
)

// One Client used from many goroutines against a real node (the dev chain over HTTP): every
// transaction is mined, none is lost to a nonce clash.
func TestClientConcurrentSendsOnDevChain(t *testing.T) {
	cfg := devchain.DefaultConfig()
	cfg.HTTPAddr, cfg.WSAddr, cfg.Accounts = "127.0.0.1:0", "", 2
	dc, err := devchain.Start(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { dc.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	ec, err := ethclient.DialContext(ctx, dc.HTTPURL)
	if err != nil {
		t.Fatal(err)
	}
	defer ec.Close()
	c, err := NewClient(ctx, ec, dc.Accounts[0].Key, WithReceiptPoll(10*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	d, err := Deploy(ctx, c, DeployConfig{})
	if err != nil {
		t.Fatal(err)
	}
	tok := c.Token(d.Token)
	const n = 16
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for range n {
		wg.Go(func() {
			_, err := tok.Mint(ctx, dc.Accounts[1].Address, Tokens(1))
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if bal, err := tok.BalanceOf(ctx, dc.Accounts[1].Address); err != nil || bal.Cmp(Tokens(n)) != 0 {
		t.Fatalf("balance %v, %v; want %d tokens", bal, err, n)
	}
}
