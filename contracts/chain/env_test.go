package chain

import (
	"context"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/eth/ethconfig"
	"github.com/ethereum/go-ethereum/ethclient/simulated"
	"github.com/ethereum/go-ethereum/node"

	"github.com/dec2-cloud/dec2/contracts/devchain"
)

// env is a simulated chain with the contract set deployed. Every transaction is mined in its own
// block; block time starts an hour ahead of the wall clock so each block is exactly one second
// after its parent (deterministic accrual) unless a test warps time.
type env struct {
	t     *testing.T
	ctx   context.Context
	sim   *simulated.Backend
	owner *Client
	users []*Client // funded with ETH and tokens; roles are up to each test
	addrs Addresses
	gas   map[string]uint64
}

const envUsers = 9

func newEnv(t *testing.T, cfg DeployConfig) *env {
	t.Helper()
	accounts, err := devchain.DevAccounts(devchain.DevMnemonic, envUsers+1)
	if err != nil {
		t.Fatal(err)
	}
	alloc := types.GenesisAlloc{}
	for _, a := range accounts {
		alloc[a.Address] = types.Account{Balance: new(big.Int).Mul(big.NewInt(1000), big.NewInt(1e18))}
	}
	sim := simulated.NewBackend(alloc, func(_ *node.Config, ec *ethconfig.Config) {
		ec.Genesis.Config = devchain.ChainConfig()
	})
	t.Cleanup(func() { sim.Close() })
	if err := sim.AdjustTime(time.Hour); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	t.Cleanup(cancel)
	owner, err := NewClient(ctx, sim.Client(), accounts[0].Key, WithAfterSend(mineNow(ctx, sim)), WithReceiptPoll(time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, ctx: ctx, sim: sim, owner: owner}
	for _, a := range accounts[1:] {
		e.users = append(e.users, owner.As(a.Key))
	}
	if cfg.Mint == nil {
		for _, u := range e.users {
			cfg.Mint = append(cfg.Mint, Allocation{To: u.Address(), Amount: Tokens(1_000_000)})
		}
	}
	d, err := Deploy(ctx, owner, cfg)
	if err != nil {
		t.Fatal(err)
	}
	e.addrs, e.gas = d.Addresses, d.Gas
	return e
}

// mineNow seals blocks until tx is in one: the pool may promote a just-sent transaction after
// the first Commit has already sealed an empty block.
func mineNow(ctx context.Context, sim *simulated.Backend) func(*types.Transaction) {
	return func(tx *types.Transaction) {
		for range 100 {
			sim.Commit()
			if _, err := sim.Client().TransactionReceipt(ctx, tx.Hash()); err == nil {
				return
			}
			time.Sleep(time.Millisecond)
		}
	}
}

// now is the latest block's time.
func (e *env) now() uint64 {
	h, err := e.sim.Client().HeaderByNumber(e.ctx, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	return h.Time
}

// warp mines an empty block d after the latest one. The pool drops mined transactions a moment
// after their block (asynchronously), and AdjustTime refuses while it still lists any: retry.
func (e *env) warp(d time.Duration) {
	var err error
	for range 400 {
		if err = e.sim.AdjustTime(d); err == nil {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	e.t.Fatalf("warp %v: %v", d, err)
}

func (e *env) token(c *Client) *Token       { return c.Token(e.addrs.Token) }
func (e *env) escrow(c *Client) *Escrow     { return c.Escrow(e.addrs.Escrow) }
func (e *env) registry(c *Client) *Registry { return c.Registry(e.addrs.Registry) }

func (e *env) balance(a common.Address) *big.Int {
	b, err := e.token(e.owner).BalanceOf(e.ctx, a)
	if err != nil {
		e.t.Fatal(err)
	}
	return b
}

// must unwraps a result; a failure panics, which fails the test with the error and its stack.
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// errOf drops a result so a revert can be asserted inline.
func errOf[T any](_ T, err error) error { return err }

func mustRevert(t *testing.T, err error, name string) *RevertError {
	t.Helper()
	if !IsRevert(err, name) {
		t.Fatalf("want revert %s, got %v", name, err)
	}
	return err.(*RevertError)
}

func eq(t *testing.T, what string, got, want *big.Int) {
	t.Helper()
	if got.Cmp(want) != 0 {
		t.Fatalf("%s = %v, want %v", what, got, want)
	}
}

// events decodes every log of a receipt with unpack, keeping those that match.
func events[E any](r *types.Receipt, unpack func(*types.Log) (*E, error)) []*E {
	var out []*E
	for _, l := range r.Logs {
		if ev, err := unpack(l); err == nil {
			out = append(out, ev)
		}
	}
	return out
}

func oneEvent[E any](t *testing.T, r *types.Receipt, unpack func(*types.Log) (*E, error)) *E {
	t.Helper()
	evs := events(r, unpack)
	if len(evs) != 1 {
		t.Fatalf("want one %T in receipt, got %d", *new(E), len(evs))
	}
	return evs[0]
}

func big64(n int64) *big.Int { return big.NewInt(n) }
