package chain

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
)

// Backend is what the helpers need from a chain connection: go-ethereum's ethclient.Client and
// the simulated backend's client both satisfy it.
type Backend interface {
	bind.ContractBackend
	bind.DeployBackend
	ChainID(ctx context.Context) (*big.Int, error)
}

// Client sends transactions from one key and waits for their receipts. It is safe for concurrent
// use; transactions from one Client are sent one at a time so that nonces stay in order.
type Client struct {
	backend   Backend
	key       *ecdsa.PrivateKey
	from      common.Address
	chainID   *big.Int
	afterSend func(*types.Transaction)
	poll      time.Duration
	mu        sync.Mutex
	nonces    Nonces
}

// Option configures a Client.
type Option func(*Client)

// WithAfterSend runs f after each transaction is sent; tests use it to mine the transaction on
// the simulated backend at once.
func WithAfterSend(f func(*types.Transaction)) Option { return func(c *Client) { c.afterSend = f } }

// WithReceiptPoll sets how often receipts are polled (default 50ms).
func WithReceiptPoll(d time.Duration) Option { return func(c *Client) { c.poll = d } }

// NewClient binds key to backend, reading the chain id from it.
func NewClient(ctx context.Context, backend Backend, key *ecdsa.PrivateKey, opts ...Option) (*Client, error) {
	id, err := backend.ChainID(ctx)
	if err != nil {
		return nil, fmt.Errorf("read chain id: %w", err)
	}
	c := &Client{
		backend: backend,
		key:     key,
		from:    crypto.PubkeyToAddress(key.PublicKey),
		chainID: id,
		poll:    50 * time.Millisecond,
	}
	for _, o := range opts {
		o(c)
	}
	return c, nil
}

// As returns a Client for another key on the same backend and options.
func (c *Client) As(key *ecdsa.PrivateKey) *Client {
	return &Client{
		backend:   c.backend,
		key:       key,
		from:      crypto.PubkeyToAddress(key.PublicKey),
		chainID:   c.chainID,
		afterSend: c.afterSend,
		poll:      c.poll,
	}
}

func (c *Client) Address() common.Address { return c.from }
func (c *Client) ChainID() *big.Int       { return new(big.Int).Set(c.chainID) }
func (c *Client) Backend() Backend        { return c.backend }
func (c *Client) Key() *ecdsa.PrivateKey  { return c.key }

// ErrReverted reports a transaction mined with a failed status. Most reverts are caught by gas
// estimation as a *RevertError; one that only happens in the block the transaction lands in
// (time moved on) comes back as a *RevertError wrapping ErrReverted.
var ErrReverted = errors.New("transaction reverted")

// send signs and sends a call through bc and waits until it is mined.
func (c *Client) send(ctx context.Context, bc *bind.BoundContract, to common.Address, data []byte, value *big.Int) (*types.Receipt, error) {
	gas, err := c.backend.EstimateGas(ctx, ethereum.CallMsg{From: c.from, To: &to, Data: data, Value: value})
	if err != nil {
		return nil, DecodeRevert(err)
	}
	c.mu.Lock()
	opts := bind.NewKeyedTransactor(c.key, c.chainID)
	opts.Context = ctx
	opts.Value = value
	// Estimates run against the latest block, but the transaction lands in a later one where
	// time has moved on: accrual bookkeeping costs more, and a consumer may run dry on the way
	// (recording the halt costs ~30k per consumer). Only gas used is paid, so be generous.
	opts.GasLimit = 2*gas + 50_000
	if err := c.setNonce(ctx, opts); err != nil {
		c.mu.Unlock()
		return nil, err
	}
	tx, err := bind.Transact(bc, opts, data)
	c.sent(tx, err)
	c.mu.Unlock()
	if err != nil {
		return nil, DecodeRevert(err)
	}
	r, err := c.wait(ctx, tx)
	if errors.Is(err, ErrReverted) {
		// Replaying the call on the block it failed in recovers the custom error.
		msg := ethereum.CallMsg{From: c.from, To: &to, Data: data, Value: value, Gas: tx.Gas()}
		if _, cerr := c.backend.CallContract(ctx, msg, r.BlockNumber); cerr != nil {
			if re, ok := DecodeRevert(cerr).(*RevertError); ok {
				re.err = err
				return r, re
			}
		}
	}
	return r, err
}

// setNonce picks the nonce under c.mu (Nonces).
func (c *Client) setNonce(ctx context.Context, opts *bind.TransactOpts) error {
	n, err := c.nonces.Next(ctx, c.backend, c.from)
	if err != nil {
		return err
	}
	opts.Nonce = new(big.Int).SetUint64(n)
	return nil
}

// sent notes a send's outcome under c.mu. After a failed send the node's count is trusted again.
func (c *Client) sent(tx *types.Transaction, err error) {
	if err != nil {
		c.nonces.Forget()
		return
	}
	c.nonces.Used(tx.Nonce())
	if c.afterSend != nil {
		c.afterSend(tx)
	}
}

func (c *Client) deploy(ctx context.Context, bytecode, constructorInput []byte) (common.Address, *types.Receipt, error) {
	c.mu.Lock()
	opts := bind.NewKeyedTransactor(c.key, c.chainID)
	opts.Context = ctx
	if err := c.setNonce(ctx, opts); err != nil {
		c.mu.Unlock()
		return common.Address{}, nil, err
	}
	addr, tx, err := bind.DeployContract(opts, bytecode, c.backend, constructorInput)
	c.sent(tx, err)
	c.mu.Unlock()
	if err != nil {
		return common.Address{}, nil, DecodeRevert(err)
	}
	r, err := c.wait(ctx, tx)
	return addr, r, err
}

// SendETH transfers wei to an address (funding test and demo accounts).
func (c *Client) SendETH(ctx context.Context, to common.Address, wei *big.Int) (*types.Receipt, error) {
	return c.send(ctx, bind.NewBoundContract(to, abi.ABI{}, c.backend, c.backend, c.backend), to, nil, wei)
}

// wait polls for the receipt until ctx ends; with no deadline on ctx it gives up after 2 minutes.
func (c *Client) wait(ctx context.Context, tx *types.Transaction) (*types.Receipt, error) {
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, 2*time.Minute)
		defer cancel()
	}
	for {
		r, err := c.backend.TransactionReceipt(ctx, tx.Hash())
		switch {
		case err == nil && r.Status == types.ReceiptStatusSuccessful:
			return r, nil
		case err == nil:
			return r, fmt.Errorf("%w: %s", ErrReverted, tx.Hash())
		case !errors.Is(err, ethereum.NotFound) && !strings.Contains(err.Error(), "indexing is in progress"):
			// A node that just started is still indexing: that answer is worth waiting out.
			return nil, fmt.Errorf("receipt of %s: %w", tx.Hash(), err)
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("waiting for %s to be mined: %w", tx.Hash(), ctx.Err())
		case <-time.After(c.poll):
		}
	}
}

// call runs a view function and decodes its result.
func call[T any](ctx context.Context, bc *bind.BoundContract, data []byte, unpack func([]byte) (T, error)) (T, error) {
	v, err := bind.Call(bc, &bind.CallOpts{Context: ctx}, data, unpack)
	if err != nil {
		var zero T
		return zero, DecodeRevert(err)
	}
	return v, nil
}
