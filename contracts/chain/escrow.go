package chain

import (
	"context"
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/dec2-cloud/dec2/contracts/bindings/escrow"
)

// StreamView is a stream as StreamEscrow.getStream returns it; a zero Consumer means no stream
// has that key. End is 0 while open; HaltedAt is non-zero once the consumer's deposit ran out.
type StreamView = escrow.StreamEscrowStreamView

// AccountView is a consumer's escrow account as of the latest block.
type AccountView = escrow.StreamEscrowAccountView

// StreamKey derives a stream's idempotency key from a string the caller chooses, e.g.
// StreamKey(allocID + "/run"): the same input always names the same stream.
func StreamKey(s string) [32]byte { return crypto.Keccak256Hash([]byte(s)) }

// AllocStreamKey is the key the billing service opens an allocation's stream segment under:
// keccak256("dec2-billing/<allocID>/<segment>"). billing-sidecar/ledger.StreamKey is this.
func AllocStreamKey(allocID string, segment int) common.Hash {
	return crypto.Keccak256Hash([]byte(fmt.Sprintf("dec2-billing/%s/%d", allocID, segment)))
}

// Escrow is StreamEscrow at an address, used through a Client.
type Escrow struct {
	c    *Client
	Addr common.Address
	b    *escrow.StreamEscrow
	bc   *bind.BoundContract
}

func (c *Client) Escrow(addr common.Address) *Escrow {
	b := escrow.NewStreamEscrow()
	return &Escrow{c: c, Addr: addr, b: b, bc: b.Instance(c.backend, addr)}
}

// Binding is the generated binding, for decoding events from receipts.
func (e *Escrow) Binding() *escrow.StreamEscrow { return e.b }

// SetOperator lets (or stops) operator open and close streams paid from the caller's deposit.
func (e *Escrow) SetOperator(ctx context.Context, operator common.Address, approved bool) (*types.Receipt, error) {
	return e.c.send(ctx, e.bc, e.Addr, e.SetOperatorData(operator, approved), nil)
}

// SetOperatorData, DepositData and WithdrawData are the calls' calldata, for a wallet that
// signs elsewhere (a browser's).
func (e *Escrow) SetOperatorData(operator common.Address, approved bool) []byte {
	return e.b.PackSetOperator(operator, approved)
}

func (e *Escrow) DepositData(amount *big.Int) []byte { return e.b.PackDeposit(amount) }

func (e *Escrow) WithdrawData(amount *big.Int) []byte { return e.b.PackWithdraw(amount) }

// Deposit moves amount from the caller to its escrow account; approve the escrow first.
func (e *Escrow) Deposit(ctx context.Context, amount *big.Int) (*types.Receipt, error) {
	return e.c.send(ctx, e.bc, e.Addr, e.DepositData(amount), nil)
}

// DepositWithPermit deposits with an EIP-2612 permit signed by the caller's key: one
// transaction, no prior approve.
func (e *Escrow) DepositWithPermit(ctx context.Context, tok *Token, amount *big.Int, deadline time.Time) (*types.Receipt, error) {
	nonce, err := tok.Nonces(ctx, e.c.from)
	if err != nil {
		return nil, err
	}
	p := Permit{Owner: e.c.from, Spender: e.Addr, Value: amount, Nonce: nonce, Deadline: big.NewInt(deadline.Unix())}
	v, r, s, err := SignPermit(e.c.key, e.c.chainID, tok.Addr, p)
	if err != nil {
		return nil, err
	}
	return e.c.send(ctx, e.bc, e.Addr, e.b.PackDepositWithPermit(amount, p.Deadline, v, r, s), nil)
}

// Withdraw takes back up to the refundable part of the caller's deposit.
func (e *Escrow) Withdraw(ctx context.Context, amount *big.Int) (*types.Receipt, error) {
	return e.c.send(ctx, e.bc, e.Addr, e.WithdrawData(amount), nil)
}

// OpenStream starts paying provider `rate` base units per second from consumer's deposit, from
// `start` (unix seconds; 0 = the block's time). Reverts StreamExists if key was used before.
func (e *Escrow) OpenStream(ctx context.Context, key [32]byte, consumer, provider common.Address, rate *big.Int, start uint64) (*types.Receipt, error) {
	return e.c.send(ctx, e.bc, e.Addr, e.b.PackOpenStream(key, consumer, provider, rate, start), nil)
}

// CloseStream ends the stream at `end` (unix seconds, between its start and the block's time)
// and pays the provider what it earned.
func (e *Escrow) CloseStream(ctx context.Context, key [32]byte, end uint64) (*types.Receipt, error) {
	return e.c.send(ctx, e.bc, e.Addr, e.b.PackCloseStream(key, end), nil)
}

// WithdrawFromStream pays the calling provider what its stream has accrued.
func (e *Escrow) WithdrawFromStream(ctx context.Context, key [32]byte) (*types.Receipt, error) {
	return e.c.send(ctx, e.bc, e.Addr, e.b.PackWithdrawFromStream(key), nil)
}

// SettleMany pays every listed stream's provider in one transaction, up to until (unix
// seconds) at most.
func (e *Escrow) SettleMany(ctx context.Context, keys [][32]byte, until uint64) (*types.Receipt, error) {
	return e.c.send(ctx, e.bc, e.Addr, e.b.PackSettleMany(keys, until), nil)
}

func (e *Escrow) Stream(ctx context.Context, key [32]byte) (StreamView, error) {
	return call(ctx, e.bc, e.b.PackGetStream(key), e.b.UnpackGetStream)
}

func (e *Escrow) StreamExists(ctx context.Context, key [32]byte) (bool, error) {
	return call(ctx, e.bc, e.b.PackStreamExists(key), e.b.UnpackStreamExists)
}

func (e *Escrow) Account(ctx context.Context, consumer common.Address) (AccountView, error) {
	return call(ctx, e.bc, e.b.PackGetAccount(consumer), e.b.UnpackGetAccount)
}

// InsolventSince is the last second the consumer's streams were funded, or 0 while solvent.
func (e *Escrow) InsolventSince(ctx context.Context, consumer common.Address) (uint64, error) {
	return call(ctx, e.bc, e.b.PackInsolventSince(consumer), e.b.UnpackInsolventSince)
}

func (e *Escrow) IsOperator(ctx context.Context, consumer, operator common.Address) (bool, error) {
	return call(ctx, e.bc, e.b.PackIsOperator(consumer, operator), e.b.UnpackIsOperator)
}
