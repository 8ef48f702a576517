// Package devenv stands up what billing needs on a local dev chain: the chain itself, the dec2
// contracts, consumers holding tokens, and the billing operator's key. The e2e tests and the
// demo use it; production points dec2-billing at a real deployment instead.
package devenv

import (
	"context"
	"crypto/ecdsa"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"net/http/httptest"
	"path/filepath"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/dec2-cloud/dec2/billing-sidecar/service"
	"github.com/dec2-cloud/dec2/contracts/chain"
	"github.com/dec2-cloud/dec2/contracts/devchain"
)

// Account roles among the dev chain's prefunded accounts.
const (
	deployer      = 0
	operator      = 1
	firstConsumer = 2
	Consumers     = 3 // accounts 2..4 hold tokens to deposit
	firstProvider = firstConsumer + Consumers
	Providers     = 3 // accounts 5..7 are provider wallets
)

// Env is a running dev chain with the contracts deployed.
type Env struct {
	Chain  *devchain.Chain
	RPC    *ethclient.Client
	Addrs  chain.Addresses
	owner  *chain.Client
	blocks time.Duration
}

// Start runs a dev chain on loopback (free ports, blocks every blockPeriod; 0 = on demand) and
// deploys the contracts, minting a million tokens to each consumer account.
func Start(ctx context.Context, blockPeriod time.Duration) (*Env, error) {
	cfg := devchain.DefaultConfig()
	cfg.HTTPAddr, cfg.WSAddr, cfg.BlockPeriod = "127.0.0.1:0", "", blockPeriod
	c, err := devchain.Start(cfg)
	if err != nil {
		return nil, err
	}
	e := &Env{Chain: c, blocks: blockPeriod}
	if e.RPC, err = ethclient.DialContext(ctx, c.HTTPURL); err != nil {
		c.Close()
		return nil, fmt.Errorf("dialling dev chain: %w", err)
	}
	if e.owner, err = chain.NewClient(ctx, e.RPC, c.Accounts[deployer].Key, chain.WithReceiptPoll(100*time.Millisecond)); err != nil {
		e.Close()
		return nil, err
	}
	dc := chain.DeployConfig{}
	for i := 0; i < Consumers; i++ {
		dc.Mint = append(dc.Mint, chain.Allocation{To: e.Consumer(i), Amount: chain.Tokens(1_000_000)})
	}
	d, err := chain.Deploy(ctx, e.owner, dc)
	if err != nil {
		e.Close()
		return nil, fmt.Errorf("deploying contracts: %w", err)
	}
	e.Addrs = d.Addresses
	return e, nil
}

// Close stops the chain.
func (e *Env) Close() {
	if e.RPC != nil {
		e.RPC.Close()
	}
	e.Chain.Close()
}

// Owner is the deployer's client: the contracts' owner (their governance) on the dev chain.
func (e *Env) Owner() *chain.Client { return e.owner }

// Consumer is consumer i's wallet.
func (e *Env) Consumer(i int) common.Address { return e.Chain.Accounts[firstConsumer+i].Address }

// Provider is provider i's wallet (for node meta dec2.wallet).
func (e *Env) Provider(i int) common.Address { return e.Chain.Accounts[firstProvider+i].Address }

// Operator is the billing operator's address.
func (e *Env) Operator() common.Address { return e.Chain.Accounts[operator].Address }

// Deposit has consumer i deposit amount base units into the escrow and authorise the operator.
func (e *Env) Deposit(ctx context.Context, i int, amount *big.Int) error {
	c := e.owner.As(e.Chain.Accounts[firstConsumer+i].Key)
	if _, err := c.Token(e.Addrs.Token).Approve(ctx, e.Addrs.Escrow, amount); err != nil {
		return fmt.Errorf("approving deposit: %w", err)
	}
	if _, err := c.Escrow(e.Addrs.Escrow).Deposit(ctx, amount); err != nil {
		return fmt.Errorf("depositing: %w", err)
	}
	ok, err := c.Escrow(e.Addrs.Escrow).IsOperator(ctx, c.Address(), e.Operator())
	if err != nil || ok {
		return err
	}
	if _, err := c.Escrow(e.Addrs.Escrow).SetOperator(ctx, e.Operator(), true); err != nil {
		return fmt.Errorf("authorising the billing operator: %w", err)
	}
	return nil
}

// Balance is a token balance (a provider's earnings).
func (e *Env) Balance(ctx context.Context, a common.Address) (*big.Int, error) {
	return e.owner.Token(e.Addrs.Token).BalanceOf(ctx, a)
}

// Account is a consumer's escrow account.
func (e *Env) Account(ctx context.Context, i int) (chain.AccountView, error) {
	return e.owner.Escrow(e.Addrs.Escrow).Account(ctx, e.Consumer(i))
}

// Key is the private key of the dev account at a; nil when a is not one.
func (e *Env) Key(a common.Address) *ecdsa.PrivateKey {
	for _, acct := range e.Chain.Accounts {
		if acct.Address == a {
			return acct.Key
		}
	}
	return nil
}

// KeyHex is Key as the hex the CLI and Terraform take; "" when a is not a dev account.
func (e *Env) KeyHex(a common.Address) string {
	if k := e.Key(a); k != nil {
		return hex.EncodeToString(crypto.FromECDSA(k))
	}
	return ""
}

// Authorised says whether consumer i has authorised the billing operator.
func (e *Env) Authorised(ctx context.Context, i int) (bool, error) {
	return e.owner.Escrow(e.Addrs.Escrow).IsOperator(ctx, e.Consumer(i), e.Operator())
}

// Stream reads a stream by key.
func (e *Env) Stream(ctx context.Context, key [32]byte) (chain.StreamView, error) {
	return e.owner.Escrow(e.Addrs.Escrow).Stream(ctx, key)
}

// BillingConfig is a sidecar config for this chain: the operator key, the escrow, one
// confirmation when blocks come on a period (none when on demand), and short intervals.
func (e *Env) BillingConfig(nomadAddr, nomadToken, journalPath string) service.Config {
	conf := uint64(0)
	if e.blocks > 0 {
		conf = 1
	}
	return service.Config{
		NomadAddr: nomadAddr, NomadToken: nomadToken, ChainRPC: e.Chain.HTTPURL, Escrow: e.Addrs.Escrow,
		Key: e.Chain.Accounts[operator].Key, Confirmations: conf, JournalPath: journalPath,
		StatsInterval: time.Second, SettleInterval: 10 * time.Second, InsolvencyInterval: time.Second,
		InsolvencyGrace: 30 * time.Second, BumpAfter: 30 * time.Second,
	}
}

// StakeProvider registers wallet (a dev account) for nodeID with amount staked, funding it
// from the last consumer's tokens.
func (e *Env) StakeProvider(ctx context.Context, wallet common.Address, nodeID string, amount *big.Int) error {
	key := e.Key(wallet)
	if key == nil {
		return fmt.Errorf("staking for node %s: %s is not a dev account", nodeID, wallet.Hex())
	}
	funder := e.owner.As(e.Chain.Accounts[firstConsumer+Consumers-1].Key)
	if _, err := funder.Token(e.Addrs.Token).Transfer(ctx, wallet, amount); err != nil {
		return fmt.Errorf("funding provider %s: %w", wallet.Hex(), err)
	}
	p := e.owner.As(key)
	if _, err := p.Token(e.Addrs.Token).Approve(ctx, e.Addrs.Registry, amount); err != nil {
		return fmt.Errorf("approving provider %s's stake: %w", wallet.Hex(), err)
	}
	if _, err := p.Registry(e.Addrs.Registry).Register(ctx, nodeID, amount); err != nil {
		return fmt.Errorf("registering provider %s for node %s: %w", wallet.Hex(), nodeID, err)
	}
	return nil
}

// SetAttestors makes attestors the registry's attestor set with threshold k in one rotation
// (the deployer, the default attestor, leaves it) and gives each 10 ETH for gas.
func (e *Env) SetAttestors(ctx context.Context, attestors []common.Address, k uint32) error {
	reg := e.owner.Registry(e.Addrs.Registry)
	var remove []common.Address
	if ok, err := reg.IsAttestor(ctx, e.owner.Address()); err != nil {
		return err
	} else if ok {
		remove = append(remove, e.owner.Address())
	}
	for _, a := range attestors {
		if _, err := e.owner.SendETH(ctx, a, chain.Tokens(10)); err != nil {
			return fmt.Errorf("funding attestor %s: %w", a.Hex(), err)
		}
	}
	if _, err := reg.RotateAttestors(ctx, remove, attestors, k); err != nil {
		return fmt.Errorf("rotating the attestor set: %w", err)
	}
	return nil
}

// TB is what ServeBilling needs of a test (testing.TB has it).
type TB interface {
	Helper()
	Fatalf(format string, args ...any)
	Logf(format string, args ...any)
	Cleanup(func())
	TempDir() string
}

// ServeBilling runs the billing sidecar in process against the Nomad region at nomadAddr (its
// journal in a temporary directory, logs discarded), serves its /statement and /metrics on
// loopback, and returns that URL; it stops at cleanup.
func (e *Env) ServeBilling(t TB, nomadAddr, nomadToken string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	cfg := e.BillingConfig(nomadAddr, nomadToken, filepath.Join(t.TempDir(), "billing.db"))
	cfg.Log = slog.New(slog.DiscardHandler)
	svc, err := service.New(ctx, cfg)
	if err != nil {
		cancel()
		t.Fatalf("starting billing: %v", err)
	}
	done := make(chan error, 1)
	go func() { done <- svc.Run(ctx) }()
	srv := httptest.NewServer(svc.Handler())
	t.Cleanup(func() {
		srv.Close()
		cancel()
		if err := <-done; err != nil && !errors.Is(err, context.Canceled) {
			t.Logf("billing service stopped with: %v", err)
		}
		svc.Close()
	})
	return srv.URL
}
