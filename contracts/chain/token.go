package chain

import (
	"context"
	"math/big"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/dec2-cloud/dec2/contracts/bindings/token"
)

// Decimals of the DEC2 token.
const Decimals = 18

// Tokens converts whole tokens to base units.
func Tokens(n int64) *big.Int {
	return new(big.Int).Mul(big.NewInt(n), new(big.Int).Exp(big.NewInt(10), big.NewInt(Decimals), nil))
}

// MinterRole is the token role allowed to mint.
var MinterRole = crypto.Keccak256Hash([]byte("MINTER_ROLE"))

// Token is Dec2Token at an address, used through a Client.
type Token struct {
	c    *Client
	Addr common.Address
	b    *token.Dec2Token
	bc   *bind.BoundContract
}

func (c *Client) Token(addr common.Address) *Token {
	b := token.NewDec2Token()
	return &Token{c: c, Addr: addr, b: b, bc: b.Instance(c.backend, addr)}
}

func (t *Token) Mint(ctx context.Context, to common.Address, amount *big.Int) (*types.Receipt, error) {
	return t.c.send(ctx, t.bc, t.Addr, t.b.PackMint(to, amount), nil)
}

func (t *Token) Approve(ctx context.Context, spender common.Address, amount *big.Int) (*types.Receipt, error) {
	return t.c.send(ctx, t.bc, t.Addr, t.ApproveData(spender, amount), nil)
}

// ApproveData is Approve's calldata, for a wallet that signs elsewhere (a browser's).
func (t *Token) ApproveData(spender common.Address, amount *big.Int) []byte {
	return t.b.PackApprove(spender, amount)
}

// Allowance is what spender may still take of owner's tokens.
func (t *Token) Allowance(ctx context.Context, owner, spender common.Address) (*big.Int, error) {
	return call(ctx, t.bc, t.b.PackAllowance(owner, spender), t.b.UnpackAllowance)
}

func (t *Token) Transfer(ctx context.Context, to common.Address, amount *big.Int) (*types.Receipt, error) {
	return t.c.send(ctx, t.bc, t.Addr, t.b.PackTransfer(to, amount), nil)
}

func (t *Token) GrantRole(ctx context.Context, role common.Hash, account common.Address) (*types.Receipt, error) {
	return t.c.send(ctx, t.bc, t.Addr, t.b.PackGrantRole(role, account), nil)
}

func (t *Token) RenounceRole(ctx context.Context, role common.Hash) (*types.Receipt, error) {
	return t.c.send(ctx, t.bc, t.Addr, t.b.PackRenounceRole(role, t.c.from), nil)
}

func (t *Token) HasRole(ctx context.Context, role common.Hash, account common.Address) (bool, error) {
	return call(ctx, t.bc, t.b.PackHasRole(role, account), t.b.UnpackHasRole)
}

func (t *Token) BalanceOf(ctx context.Context, account common.Address) (*big.Int, error) {
	return call(ctx, t.bc, t.b.PackBalanceOf(account), t.b.UnpackBalanceOf)
}

func (t *Token) TotalSupply(ctx context.Context) (*big.Int, error) {
	return call(ctx, t.bc, t.b.PackTotalSupply(), t.b.UnpackTotalSupply)
}

func (t *Token) Cap(ctx context.Context) (*big.Int, error) {
	return call(ctx, t.bc, t.b.PackCap(), t.b.UnpackCap)
}

func (t *Token) Nonces(ctx context.Context, owner common.Address) (*big.Int, error) {
	return call(ctx, t.bc, t.b.PackNonces(owner), t.b.UnpackNonces)
}
