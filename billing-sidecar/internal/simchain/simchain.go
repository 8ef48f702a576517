// Package simchain sets up the contracts on go-ethereum's simulated backend for billing tests:
// a deployed token and escrow, funded consumers that authorised the billing operator, providers.
package simchain

import (
	"context"
	"crypto/ecdsa"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/eth/ethconfig"
	"github.com/ethereum/go-ethereum/ethclient/simulated"
	"github.com/ethereum/go-ethereum/node"

	"github.com/dec2-cloud/dec2/billing-sidecar/chainsink"
	"github.com/dec2-cloud/dec2/contracts/chain"
	"github.com/dec2-cloud/dec2/contracts/devchain"
)

// Env is a simulated chain with the dec2 contracts.
type Env struct {
	Sim       *simulated.Backend
	Ctx       context.Context
	Owner     *chain.Client
	Consumers []*chain.Client
	Providers []common.Address
	Operator  *ecdsa.PrivateKey
	Addrs     chain.Addresses
}

// New deploys the contracts; consumers get a million tokens each, none deposited yet.
func New(t testing.TB, consumers, providers int) *Env {
	t.Helper()
	accounts, err := devchain.DevAccounts(devchain.DevMnemonic, 2+consumers+providers)
	if err != nil {
		t.Fatal(err)
	}
	alloc := types.GenesisAlloc{}
	for _, a := range accounts[:2+consumers] {
		alloc[a.Address] = types.Account{Balance: new(big.Int).Mul(big.NewInt(1000), big.NewInt(1e18))}
	}
	sim := simulated.NewBackend(alloc, func(_ *node.Config, ec *ethconfig.Config) {
		ec.Genesis.Config = devchain.ChainConfig() // mainnet-like gas (FACTS: no Bogota)
	})
	t.Cleanup(func() { sim.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	t.Cleanup(cancel)
	owner, err := chain.NewClient(ctx, sim.Client(), accounts[0].Key, chain.WithAfterSend(func(*types.Transaction) { sim.Commit() }), chain.WithReceiptPoll(time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	e := &Env{Sim: sim, Ctx: ctx, Owner: owner, Operator: accounts[1].Key}
	cfg := chain.DeployConfig{}
	for _, a := range accounts[2 : 2+consumers] {
		c := owner.As(a.Key)
		e.Consumers = append(e.Consumers, c)
		cfg.Mint = append(cfg.Mint, chain.Allocation{To: c.Address(), Amount: chain.Tokens(1_000_000)})
	}
	for _, a := range accounts[2+consumers:] {
		e.Providers = append(e.Providers, a.Address)
	}
	d, err := chain.Deploy(ctx, owner, cfg)
	if err != nil {
		t.Fatal(err)
	}
	e.Addrs = d.Addresses
	return e
}

// Fund deposits amount base units for consumer i and authorises the operator.
func (e *Env) Fund(t testing.TB, i int, amount *big.Int) {
	t.Helper()
	c := e.Consumers[i]
	if _, err := c.Token(e.Addrs.Token).Approve(e.Ctx, e.Addrs.Escrow, amount); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Escrow(e.Addrs.Escrow).Deposit(e.Ctx, amount); err != nil {
		t.Fatal(err)
	}
	op := crypto.PubkeyToAddress(e.Operator.PublicKey)
	if ok, _ := c.Escrow(e.Addrs.Escrow).IsOperator(e.Ctx, c.Address(), op); !ok {
		if _, err := c.Escrow(e.Addrs.Escrow).SetOperator(e.Ctx, op, true); err != nil {
			t.Fatal(err)
		}
	}
}

// Sink is a fresh chain adapter for the operator (as after a restart: nonces re-read).
func (e *Env) Sink(t testing.TB, depth uint64) *chainsink.Sink {
	t.Helper()
	s, err := chainsink.New(e.Ctx, e.Sim.Client(), e.Addrs.Escrow, e.Operator, depth)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// HeadTime is the latest block's timestamp.
func (e *Env) HeadTime(t testing.TB) time.Time {
	h, err := e.Sim.Client().HeaderByNumber(e.Ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	return time.Unix(int64(h.Time), 0)
}

// Balance is a token balance.
func (e *Env) Balance(t testing.TB, a common.Address) *big.Int {
	t.Helper()
	b, err := e.Owner.Token(e.Addrs.Token).BalanceOf(e.Ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
