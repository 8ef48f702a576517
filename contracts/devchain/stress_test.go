package devchain

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/params"
)

// Many senders at once against the on-demand sealer: every transaction must be mined, and soon.
// A transaction that reaches the pool while a block is being sealed must not be left behind with
// nothing to seal it (it used to hang `make demo` and the e2e tests until their deadline).
func TestOnDemandSealsConcurrentSenders(t *testing.T) {
	senders, perSender := 20, 20
	if testing.Short() {
		senders, perSender = 10, 10 // the race detector's run (-short) is slow enough as it is
	}
	c, client := startDialed(t, senders, 0)
	// Unloaded, 400 transactions take 3 s; the bound is for a loaded CI machine. A transaction
	// left unsealed fails here, loudly, with the senders it stranded.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	start := time.Now()
	signer := types.LatestSignerForChainID(big.NewInt(ChainID))
	sink := common.HexToAddress("0x000000000000000000000000000000000000dEaD")
	errs := make([]error, senders)
	var wg sync.WaitGroup
	for i, acct := range c.Accounts {
		wg.Go(func() {
			for n := range uint64(perSender) {
				// Fees as bind fills them: the node's suggested tip over twice the head's base fee.
				tip, err := client.SuggestGasTipCap(ctx)
				if err != nil {
					errs[i] = fmt.Errorf("sender %d tx %d: tip: %w", i, n, err)
					return
				}
				head, err := client.HeaderByNumber(ctx, nil)
				if err != nil {
					errs[i] = fmt.Errorf("sender %d tx %d: head: %w", i, n, err)
					return
				}
				tx, err := types.SignNewTx(acct.Key, signer, &types.DynamicFeeTx{
					ChainID: big.NewInt(ChainID), Nonce: n, GasTipCap: tip, Gas: 21000, To: &sink, Value: big.NewInt(1),
					GasFeeCap: new(big.Int).Add(new(big.Int).Mul(head.BaseFee, big.NewInt(2)), tip),
				})
				if err != nil {
					errs[i] = err
					return
				}
				if err := client.SendTransaction(ctx, tx); err != nil {
					errs[i] = fmt.Errorf("sender %d tx %d: send: %w", i, n, err)
					return
				}
				if err := waitMined(ctx, client, tx); err != nil {
					errs[i] = fmt.Errorf("sender %d tx %d (nonce %d, tip %v): %w", i, n, tx.Nonce(), tip, err)
					return
				}
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		pending, queued, _ := poolStatus(client)
		t.Fatalf("after %v, txpool pending %d queued %d:\n%v", time.Since(start).Round(time.Millisecond), pending, queued, err)
	}
	if bal, err := client.BalanceAt(ctx, sink, nil); err != nil || bal.Int64() != int64(senders*perSender) {
		t.Fatalf("sink balance %v, %v; want %d", bal, err, senders*perSender)
	}
	t.Logf("%d transactions from %d senders mined in %v", senders*perSender, senders, time.Since(start).Round(time.Millisecond))
}

func waitMined(ctx context.Context, client *ethclient.Client, tx *types.Transaction) error {
	for {
		r, err := client.TransactionReceipt(ctx, tx.Hash())
		if err == nil {
			if r.Status != types.ReceiptStatusSuccessful {
				return fmt.Errorf("%s failed: %+v", tx.Hash(), r)
			}
			return nil
		}
		// A node that just started answers "transaction indexing is in progress" for a while.
		if !errors.Is(err, ethereum.NotFound) && !strings.Contains(err.Error(), "indexing is in progress") {
			return err
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%s not mined: %w", tx.Hash(), ctx.Err())
		case <-time.After(10 * time.Millisecond):
		}
	}
}

func poolStatus(client *ethclient.Client) (pending, queued uint64, err error) {
	var st struct{ Pending, Queued hexUint64 }
	err = client.Client().Call(&st, "txpool_status")
	return uint64(st.Pending), uint64(st.Queued), err
}

type hexUint64 uint64

func (h *hexUint64) UnmarshalJSON(b []byte) error {
	var v big.Int
	if len(b) < 4 || b[0] != '"' {
		return fmt.Errorf("not a hex quantity: %s", b)
	}
	if _, ok := v.SetString(string(b[3:len(b)-1]), 16); !ok {
		return fmt.Errorf("not a hex quantity: %s", b)
	}
	*h = hexUint64(v.Uint64())
	return nil
}

// A transaction whose tip is under the miner's minimum is refused when sent, not accepted and
// left in the pool for ever (where waiting for it hangs, and go-ethereum's period-0 loop seals
// empty blocks in a busy loop trying to get rid of it).
func TestRefusesTipTheMinerWouldNotTake(t *testing.T) {
	c, client := startDialed(t, 1, 0)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	head, err := client.HeaderByNumber(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	send := func(nonce uint64, tip *big.Int) (*types.Transaction, error) {
		to := common.HexToAddress("0x000000000000000000000000000000000000dEaD")
		tx, err := types.SignNewTx(c.Accounts[0].Key, types.LatestSignerForChainID(big.NewInt(ChainID)), &types.DynamicFeeTx{
			ChainID: big.NewInt(ChainID), Nonce: nonce, GasTipCap: tip, Gas: 21000, To: &to, Value: big.NewInt(1),
			GasFeeCap: new(big.Int).Add(new(big.Int).Mul(head.BaseFee, big.NewInt(2)), tip),
		})
		if err != nil {
			t.Fatal(err)
		}
		return tx, client.SendTransaction(ctx, tx)
	}
	low := big.NewInt(params.GWei/1000 - 1) // one wei under the miner's minimum
	if tx, err := send(0, low); err == nil {
		wctx, wcancel := context.WithTimeout(ctx, 5*time.Second)
		defer wcancel()
		t.Fatalf("a tip of %v wei was accepted; mined: %v", low, waitMined(wctx, client, tx))
	} else if !strings.Contains(err.Error(), "below minimum") {
		t.Fatalf("tip %v: %v, want it refused as below the minimum", low, err)
	}
	tip, err := client.SuggestGasTipCap(ctx)
	if err != nil {
		t.Fatal(err)
	}
	tx, err := send(0, tip)
	if err != nil {
		t.Fatal(err)
	}
	if err := waitMined(ctx, client, tx); err != nil {
		t.Fatalf("suggested tip %v: %v", tip, err)
	}
}
