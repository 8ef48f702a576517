package chain

import (
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
)

func TestTokenMintCapAndPermit(t *testing.T) {
	e := newEnv(t, DeployConfig{SupplyCap: Tokens(10_000_000)})
	tok, u := e.token(e.owner), e.users[0]
	if c := must(tok.Cap(e.ctx)); c.Cmp(Tokens(10_000_000)) != 0 {
		t.Fatalf("cap %v", c)
	}
	mustRevert(t, errOf(e.token(u).Mint(e.ctx, u.Address(), big64(1))), "AccessControlUnauthorizedAccount")
	supply := must(tok.TotalSupply(e.ctx))
	room := new(big.Int).Sub(Tokens(10_000_000), supply)
	mustRevert(t, errOf(tok.Mint(e.ctx, u.Address(), new(big.Int).Add(room, big64(1)))), "ERC20ExceededCap")
	must(tok.Mint(e.ctx, u.Address(), room))
	eq(t, "supply at cap", must(tok.TotalSupply(e.ctx)), Tokens(10_000_000))

	// A permit signed in Go is accepted by OpenZeppelin's ERC20Permit, once.
	spender := e.users[1]
	p := Permit{Owner: u.Address(), Spender: spender.Address(), Value: big64(77), Nonce: must(tok.Nonces(e.ctx, u.Address())), Deadline: big.NewInt(int64(e.now()) + 60)}
	v, r, s := must3(SignPermit(u.Key(), u.ChainID(), tok.Addr, p))
	data := tok.b.PackPermit(p.Owner, p.Spender, p.Value, p.Deadline, v, r, s)
	must(spender.send(e.ctx, tok.bc, tok.Addr, data, nil))
	eq(t, "permit nonce", must(tok.Nonces(e.ctx, u.Address())), new(big.Int).Add(p.Nonce, big64(1)))
	mustRevert(t, errOf(spender.send(e.ctx, tok.bc, tok.Addr, data, nil)), "ERC2612InvalidSigner")
}

func must3[A, B, C any](a A, b B, c C, err error) (A, B, C) {
	if err != nil {
		panic(err)
	}
	return a, b, c
}

func saleEnv(t *testing.T, soft, hard, perBuyer int64) (*env, uint64, uint64) {
	// Block time starts an hour ahead of the wall clock (newEnv); the sale opens a little later.
	start := time.Now().Add(time.Hour + 30*time.Second).Truncate(time.Second)
	end := start.Add(time.Hour)
	e := newEnv(t, DeployConfig{Sale: &SaleConfig{
		Rate: big64(1000), Start: start, End: end,
		SoftCap: big64(soft), HardCap: big64(hard), MaxPerBuyer: big64(perBuyer),
	}})
	return e, uint64(start.Unix()), uint64(end.Unix())
}

func (e *env) warpTo(ts uint64) {
	if now := e.now(); ts > now {
		e.warp(time.Duration(ts-now) * time.Second)
	}
}

func TestSaleSuccessfulSale(t *testing.T) {
	e, start, end := saleEnv(t, 100, 1000, 600)
	a, b := e.users[0], e.users[1]
	sa, sb := a.Sale(e.addrs.Sale), b.Sale(e.addrs.Sale)
	if !must(e.token(e.owner).HasRole(e.ctx, MinterRole, e.addrs.Sale)) {
		t.Fatal("deploy did not grant the sale MINTER_ROLE")
	}
	mustRevert(t, errOf(sa.Buy(e.ctx, big64(10))), "SaleNotOpen")
	e.warpTo(start)
	mustRevert(t, errOf(sa.Buy(e.ctx, big64(0))), "ZeroPurchase")
	r := must(sa.Buy(e.ctx, big64(500)))
	if ev := oneEvent(t, r, sa.b.UnpackPurchasedEvent); ev.Buyer != a.Address() || ev.Tokens.Int64() != 500_000 {
		t.Fatalf("Purchased %+v", ev)
	}
	mustRevert(t, errOf(sa.Buy(e.ctx, big64(101))), "BuyerLimitExceeded")
	must(sb.Buy(e.ctx, big64(500)))
	mustRevert(t, errOf(sa.Buy(e.ctx, big64(1))), "HardCapExceeded")
	mustRevert(t, errOf(sa.Claim(e.ctx)), "SaleNotEnded")
	mustRevert(t, errOf(e.owner.Sale(e.addrs.Sale).WithdrawProceeds(e.ctx, e.owner.Address())), "SaleNotEnded")

	e.warpTo(end)
	mustRevert(t, errOf(sa.Buy(e.ctx, big64(1))), "SaleNotOpen")
	mustRevert(t, errOf(sa.Refund(e.ctx)), "SoftCapReached")
	before := e.balance(a.Address())
	r = must(sa.Claim(e.ctx))
	oneEvent(t, r, sa.b.UnpackClaimedEvent)
	eq(t, "claimed tokens", e.balance(a.Address()), new(big.Int).Add(before, big64(500_000)))
	mustRevert(t, errOf(sa.Claim(e.ctx)), "NothingToClaim")

	mustRevert(t, errOf(sa.WithdrawProceeds(e.ctx, a.Address())), "OwnableUnauthorizedAccount")
	// A recipient that refuses ETH (the token contract has no receive function) keeps the
	// proceeds in the sale.
	mustRevert(t, errOf(e.owner.Sale(e.addrs.Sale).WithdrawProceeds(e.ctx, e.addrs.Token)), "EthTransferFailed")
	treasury := common.HexToAddress("0x00000000000000000000000000000000000d0c2e")
	r = must(e.owner.Sale(e.addrs.Sale).WithdrawProceeds(e.ctx, treasury))
	oneEvent(t, r, sa.b.UnpackProceedsWithdrawnEvent)
	if bal := must(e.sim.Client().BalanceAt(e.ctx, treasury, nil)); bal.Int64() != 1000 {
		t.Fatalf("proceeds %v, want 1000 wei", bal)
	}
	mustRevert(t, errOf(e.owner.Sale(e.addrs.Sale).WithdrawProceeds(e.ctx, treasury)), "AlreadyWithdrawn")
}

func TestSaleRefundsWhenSoftCapMissed(t *testing.T) {
	e, start, end := saleEnv(t, 1000, 2000, 600)
	a := e.users[0]
	sa := a.Sale(e.addrs.Sale)
	e.warpTo(start)
	must(sa.Buy(e.ctx, big64(400)))
	mustRevert(t, errOf(sa.Refund(e.ctx)), "SaleNotEnded")
	e.warpTo(end)
	mustRevert(t, errOf(sa.Claim(e.ctx)), "SoftCapNotReached")
	mustRevert(t, errOf(e.owner.Sale(e.addrs.Sale).WithdrawProceeds(e.ctx, e.owner.Address())), "SoftCapNotReached")
	r := must(sa.Refund(e.ctx))
	if ev := oneEvent(t, r, sa.b.UnpackRefundedEvent); ev.WeiRefunded.Int64() != 400 {
		t.Fatalf("Refunded %+v", ev)
	}
	if bal := must(e.sim.Client().BalanceAt(e.ctx, e.addrs.Sale, nil)); bal.Sign() != 0 {
		t.Fatalf("sale still holds %v wei", bal)
	}
	mustRevert(t, errOf(sa.Refund(e.ctx)), "NothingToClaim")
	if c := must(sa.Contribution(e.ctx, a.Address())); c.Sign() != 0 {
		t.Fatalf("contribution after refund %v", c)
	}
}

func TestSaleRejectsBadConfig(t *testing.T) {
	e := newEnv(t, DeployConfig{})
	now := time.Unix(int64(e.now()), 0)
	for name, sc := range map[string]SaleConfig{
		"end before start": {Rate: big64(1), Start: now.Add(time.Hour), End: now, SoftCap: big64(1), HardCap: big64(2), MaxPerBuyer: big64(1)},
		"soft above hard":  {Rate: big64(1), Start: now, End: now.Add(time.Hour), SoftCap: big64(3), HardCap: big64(2), MaxPerBuyer: big64(1)},
		"zero rate":        {Rate: big64(0), Start: now, End: now.Add(time.Hour), SoftCap: big64(1), HardCap: big64(2), MaxPerBuyer: big64(1)},
	} {
		if _, err := Deploy(e.ctx, e.owner, DeployConfig{Sale: &sc}); !IsRevert(err, "InvalidConfig") {
			t.Errorf("%s: want InvalidConfig, got %v", name, err)
		}
	}
}
