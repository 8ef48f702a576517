package chain

import (
	"context"
	"math/big"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/dec2-cloud/dec2/contracts/bindings/sale"
)

// Sale is TokenSale at an address, used through a Client.
type Sale struct {
	c    *Client
	Addr common.Address
	b    *sale.TokenSale
	bc   *bind.BoundContract
}

func (c *Client) Sale(addr common.Address) *Sale {
	b := sale.NewTokenSale()
	return &Sale{c: c, Addr: addr, b: b, bc: b.Instance(c.backend, addr)}
}

// Buy pays wei for tokens delivered by Claim after a successful sale.
func (s *Sale) Buy(ctx context.Context, wei *big.Int) (*types.Receipt, error) {
	return s.c.send(ctx, s.bc, s.Addr, s.b.PackBuy(), wei)
}

func (s *Sale) Claim(ctx context.Context) (*types.Receipt, error) {
	return s.c.send(ctx, s.bc, s.Addr, s.b.PackClaim(), nil)
}

func (s *Sale) Refund(ctx context.Context) (*types.Receipt, error) {
	return s.c.send(ctx, s.bc, s.Addr, s.b.PackRefund(), nil)
}

func (s *Sale) WithdrawProceeds(ctx context.Context, to common.Address) (*types.Receipt, error) {
	return s.c.send(ctx, s.bc, s.Addr, s.b.PackWithdrawProceeds(to), nil)
}

func (s *Sale) Raised(ctx context.Context) (*big.Int, error) {
	return call(ctx, s.bc, s.b.PackRaised(), s.b.UnpackRaised)
}

func (s *Sale) Contribution(ctx context.Context, buyer common.Address) (*big.Int, error) {
	return call(ctx, s.bc, s.b.PackContributions(buyer), s.b.UnpackContributions)
}
