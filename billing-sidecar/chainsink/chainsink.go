// Package chainsink is the ledger's chain adapter: StreamEscrow through its abigen bindings over
// any Ethereum JSON-RPC backend (the dev chain, a real node, go-ethereum's simulated backend).
// It owns the operator key and its nonces, signs without sending so the ledger can journal a
// transaction before it leaves, bumps fees on stuck ones, and reads state at a confirmation depth.
package chainsink

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
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/dec2-cloud/dec2/billing-sidecar/journal"
	"github.com/dec2-cloud/dec2/billing-sidecar/ledger"
	"github.com/dec2-cloud/dec2/contracts/bindings/escrow"
	"github.com/dec2-cloud/dec2/contracts/chain"
)

// Backend is the JSON-RPC surface the sink uses; ethclient.Client and simulated.Client have it.
type Backend interface {
	bind.ContractBackend
	ethereum.TransactionReader
	ethereum.ChainIDReader
	ethereum.BlockNumberReader
}

// Gas limits for stream calls. They are fixed rather than estimated: estimation runs against
// the latest block's timestamp, where a stream starting this second looks "in the future".
// Unused gas is not charged.
const (
	GasOpen  = 600_000
	GasClose = 400_000
	// settleMany: measured ~22k per stream in batches of 100 and ~65k for a lone stream paying
	// a provider's first token balance; the bound leaves room for both.
	GasSettleBase      = 60_000
	GasSettlePerStream = 80_000
)

// Sink talks to one StreamEscrow deployment as one operator.
type Sink struct {
	b       Backend
	escrow  *escrow.StreamEscrow
	inst    *bind.BoundContract
	key     *ecdsa.PrivateKey
	from    common.Address
	chainID *big.Int
	depth   uint64

	mu     sync.Mutex
	nonces chain.Nonces
}

// New connects to the escrow at addr. depth is the number of blocks an action must be buried
// under before it counts (0 = the latest block).
func New(ctx context.Context, b Backend, addr common.Address, key *ecdsa.PrivateKey, depth uint64) (*Sink, error) {
	id, err := b.ChainID(ctx)
	if err != nil {
		return nil, fmt.Errorf("reading chain id: %w", err)
	}
	code, err := b.CodeAt(ctx, addr, nil)
	if err != nil {
		return nil, fmt.Errorf("reading code at escrow %s: %w", addr.Hex(), err)
	}
	if len(code) == 0 {
		return nil, fmt.Errorf("no contract at escrow address %s on chain %s: check the deployment file", addr.Hex(), id)
	}
	e := escrow.NewStreamEscrow()
	return &Sink{b: b, escrow: e, inst: e.Instance(b, addr), key: key, from: crypto.PubkeyToAddress(key.PublicKey), chainID: id, depth: depth}, nil
}

// Operator is the address the sink sends from.
// ChainID is the chain the sink pays on (delegations are signed for it).
func (s *Sink) ChainID() *big.Int { return new(big.Int).Set(s.chainID) }

func (s *Sink) Operator() common.Address { return s.from }

func (s *Sink) callOpts(ctx context.Context, confirmed bool) (*bind.CallOpts, error) {
	opts := &bind.CallOpts{Context: ctx}
	if confirmed && s.depth > 0 {
		head, err := s.b.BlockNumber(ctx)
		if err != nil {
			return nil, fmt.Errorf("reading head: %w", err)
		}
		n := uint64(0)
		if head > s.depth {
			n = head - s.depth
		}
		opts.BlockNumber = new(big.Int).SetUint64(n)
	}
	return opts, nil
}

// Stream implements ledger.Chain.
func (s *Sink) Stream(ctx context.Context, key common.Hash, confirmed bool) (ledger.StreamState, error) {
	opts, err := s.callOpts(ctx, confirmed)
	if err != nil {
		return ledger.StreamState{}, err
	}
	v, err := bind.Call(s.inst, opts, s.escrow.PackGetStream(key), s.escrow.UnpackGetStream)
	if err != nil {
		return ledger.StreamState{}, fmt.Errorf("getStream(%s): %w", key.Hex(), err)
	}
	return ledger.StreamState{Exists: v.Consumer != (common.Address{}), Start: v.Start, End: v.End, HaltedAt: v.HaltedAt, Owed: v.Owed}, nil
}

// InsolventSince is the contract's view of when the consumer's streams halted (0 = solvent).
func (s *Sink) InsolventSince(ctx context.Context, consumer common.Address) (uint64, error) {
	v, err := bind.Call(s.inst, &bind.CallOpts{Context: ctx}, s.escrow.PackInsolventSince(consumer), s.escrow.UnpackInsolventSince)
	if err != nil {
		return 0, fmt.Errorf("insolventSince(%s): %w", consumer.Hex(), err)
	}
	return v, nil
}

// Account is the consumer's escrow account now.
func (s *Sink) Account(ctx context.Context, consumer common.Address) (escrow.StreamEscrowAccountView, error) {
	return bind.Call(s.inst, &bind.CallOpts{Context: ctx}, s.escrow.PackGetAccount(consumer), s.escrow.UnpackGetAccount)
}

// HeadTime implements ledger.Chain.
func (s *Sink) HeadTime(ctx context.Context) (uint64, error) {
	h, err := s.b.HeaderByNumber(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("reading head: %w", err)
	}
	return h.Time, nil
}

func (s *Sink) pack(c ledger.Call) ([]byte, uint64, error) {
	switch c.Kind {
	case journal.KindOpen:
		if c.Rate == nil || c.Rate.Sign() <= 0 || c.Rate.BitLen() > 96 {
			return nil, 0, fmt.Errorf("rate %v out of range", c.Rate)
		}
		return s.escrow.PackOpenStream(c.StreamKey, c.Consumer, c.Provider, c.Rate, c.At), GasOpen, nil
	case journal.KindClose:
		return s.escrow.PackCloseStream(c.StreamKey, c.At), GasClose, nil
	}
	return nil, 0, fmt.Errorf("unknown call kind %q", c.Kind)
}

func (s *Sink) transactOpts(ctx context.Context) *bind.TransactOpts {
	signer := types.LatestSignerForChainID(s.chainID)
	return &bind.TransactOpts{
		From:    s.from,
		Context: ctx,
		NoSend:  true,
		Signer: func(a common.Address, tx *types.Transaction) (*types.Transaction, error) {
			if a != s.from {
				return nil, bind.ErrNotAuthorized
			}
			return types.SignTx(tx, signer, s.key)
		},
	}
}

// Sign implements ledger.Chain. Fees come from the node's suggestions through bind (a tip
// below the miner's minimum would never be mined).
func (s *Sink) Sign(ctx context.Context, c ledger.Call) (journal.Tx, error) {
	data, gas, err := s.pack(c)
	if err != nil {
		return journal.Tx{}, err
	}
	return s.signData(ctx, data, gas)
}

func (s *Sink) signData(ctx context.Context, data []byte, gas uint64) (journal.Tx, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	nonce, err := s.nonces.Next(ctx, s.b, s.from)
	if err != nil {
		return journal.Tx{}, err
	}
	opts := s.transactOpts(ctx)
	opts.Nonce, opts.GasLimit = new(big.Int).SetUint64(nonce), gas
	tx, err := bind.Transact(s.inst, opts, data)
	if err != nil {
		return journal.Tx{}, err
	}
	raw, err := tx.MarshalBinary()
	if err != nil {
		return journal.Tx{}, err
	}
	s.nonces.Used(nonce)
	return journal.Tx{Hash: tx.Hash().Hex(), Nonce: tx.Nonce(), Raw: raw}, nil
}

// Broadcast implements ledger.Chain.
func (s *Sink) Broadcast(ctx context.Context, t journal.Tx) error {
	var tx types.Transaction
	if err := tx.UnmarshalBinary(t.Raw); err != nil {
		return fmt.Errorf("decoding journaled tx %s: %w", t.Hash, err)
	}
	err := s.b.SendTransaction(ctx, &tx)
	switch {
	case err == nil:
		return nil
	case strings.Contains(err.Error(), "already known"), strings.Contains(err.Error(), "replacement transaction underpriced"):
		return nil // the pool has it (or a higher-fee version of it)
	case strings.Contains(err.Error(), "nonce too low"):
		return ledger.ErrNonceUsed
	}
	return err
}

// Bump implements ledger.Chain: same nonce and call, fees raised by a quarter (the pool needs
// at least 10% to replace), and at least the node's current suggestion.
func (s *Sink) Bump(ctx context.Context, t journal.Tx) (journal.Tx, error) {
	var old types.Transaction
	if err := old.UnmarshalBinary(t.Raw); err != nil {
		return journal.Tx{}, fmt.Errorf("decoding journaled tx %s: %w", t.Hash, err)
	}
	up := func(v *big.Int) *big.Int {
		return new(big.Int).Div(new(big.Int).Mul(v, big.NewInt(125)), big.NewInt(100))
	}
	tip, feeCap := up(old.GasTipCap()), up(old.GasFeeCap())
	if sug, err := s.b.SuggestGasTipCap(ctx); err == nil && sug.Cmp(tip) > 0 {
		tip = sug
	}
	if head, err := s.b.HeaderByNumber(ctx, nil); err == nil && head.BaseFee != nil {
		if min := new(big.Int).Add(tip, new(big.Int).Mul(head.BaseFee, big.NewInt(2))); min.Cmp(feeCap) > 0 {
			feeCap = min
		}
	}
	tx, err := types.SignNewTx(s.key, types.LatestSignerForChainID(s.chainID), &types.DynamicFeeTx{
		ChainID: s.chainID, Nonce: old.Nonce(), GasTipCap: tip, GasFeeCap: feeCap, Gas: old.Gas(), To: old.To(), Value: old.Value(), Data: old.Data(),
	})
	if err != nil {
		return journal.Tx{}, fmt.Errorf("re-signing %s: %w", t.Hash, err)
	}
	raw, err := tx.MarshalBinary()
	if err != nil {
		return journal.Tx{}, err
	}
	return journal.Tx{Hash: tx.Hash().Hex(), Nonce: tx.Nonce(), Raw: raw}, nil
}

// Receipt implements ledger.Chain.
func (s *Sink) Receipt(ctx context.Context, hash common.Hash) (ledger.Receipt, error) {
	r, err := s.b.TransactionReceipt(ctx, hash)
	if errors.Is(err, ethereum.NotFound) {
		return ledger.Receipt{}, nil
	}
	if err != nil {
		return ledger.Receipt{}, err
	}
	return ledger.Receipt{Found: true, Success: r.Status == types.ReceiptStatusSuccessful}, nil
}

// Revert implements ledger.Chain: it runs the call against the latest state and names the
// contract's custom error if it would fail.
func (s *Sink) Revert(ctx context.Context, c ledger.Call) error {
	data, gas, err := s.pack(c)
	if err != nil {
		return err
	}
	to := s.inst.Address()
	_, err = s.b.CallContract(ctx, ethereum.CallMsg{From: s.from, To: &to, Gas: gas, Data: data}, nil)
	if err == nil {
		return nil
	}
	var re *chain.RevertError
	if errors.As(chain.DecodeRevert(err), &re) && re.Name != "" {
		switch re.Name {
		case "InsufficientDeposit":
			return fmt.Errorf("%w: deposit too small: %v", ledger.ErrConsumer, re)
		case "NotOperator":
			return fmt.Errorf("%w: the consumer has not authorised the billing operator (setOperator): %v", ledger.ErrConsumer, re)
		}
		return fmt.Errorf("StreamEscrow: %w", re)
	}
	return fmt.Errorf("call reverts: %w", err)
}

// SettleMany pays the providers of keys up to until in one transaction and waits for nothing:
// settlement is idempotent on chain (a settled stream pays nothing twice), so a lost one is
// simply repeated next round.
func (s *Sink) SettleMany(ctx context.Context, keys []common.Hash, until time.Time) (common.Hash, error) {
	ks := make([][32]byte, len(keys))
	for i, k := range keys {
		ks[i] = k
	}
	// Not estimated: at the latest block a stream settled in that very block owes nothing and
	// takes a cheap path, so an estimate can fall far short of the real cost a second later.
	t, err := s.signData(ctx, s.escrow.PackSettleMany(ks, uint64(until.Unix())), GasSettleBase+GasSettlePerStream*uint64(len(keys)))
	if err != nil {
		return common.Hash{}, err
	}
	return common.HexToHash(t.Hash), s.Broadcast(ctx, t)
}

// Resync forgets the local nonce so the next transaction reads it from the node again.
func (s *Sink) Resync() {
	s.mu.Lock()
	s.nonces.Forget()
	s.mu.Unlock()
}
