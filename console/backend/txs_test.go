package backend

import (
	"bytes"
	"context"
	"fmt"
	"math/big"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/dec2-cloud/dec2/cli/settings"
	"github.com/dec2-cloud/dec2/cli/wallet"
	"github.com/dec2-cloud/dec2/console/view"
	"github.com/dec2-cloud/dec2/contracts/chain"
)

// chainState answers the reads a deposit or withdrawal is planned from, as the contracts
// would: the wallet's tokens, the escrow's allowance, the operator's authorisation and the
// refundable deposit. Anything else is a test's mistake.
type chainState struct {
	chain.Backend
	tokens, allowance, refundable *big.Int
	operator                      bool
}

func (c *chainState) ChainID(context.Context) (*big.Int, error) { return big.NewInt(1337), nil }

func (c *chainState) CallContract(_ context.Context, msg ethereum.CallMsg, _ *big.Int) ([]byte, error) {
	word := func(v *big.Int) []byte { return common.LeftPadBytes(v.Bytes(), 32) }
	switch sel := msg.Data[:4]; {
	case bytes.Equal(sel, selector("balanceOf(address)")):
		return word(c.tokens), nil
	case bytes.Equal(sel, selector("allowance(address,address)")):
		return word(c.allowance), nil
	case bytes.Equal(sel, selector("isOperator(address,address)")):
		if c.operator {
			return word(big.NewInt(1)), nil
		}
		return word(new(big.Int)), nil
	case bytes.Equal(sel, selector("getAccount(address)")):
		// AccountView: balance, owed, refundable, rate, insolventSince.
		return bytes.Join([][]byte{word(c.refundable), word(new(big.Int)), word(c.refundable), word(new(big.Int)), word(new(big.Int))}, nil), nil
	}
	return nil, fmt.Errorf("unexpected call %x", msg.Data[:4])
}

func selector(sig string) []byte { return crypto.Keccak256([]byte(sig))[:4] }

var (
	tokenAddr  = common.HexToAddress("0x00000000000000000000000000000000000070c0")
	escrowAddr = common.HexToAddress("0x000000000000000000000000000000000000e5c0")
	user       = common.HexToAddress("0x00000000000000000000000000000000000000a1")
	billing    = common.HexToAddress("0x00000000000000000000000000000000000000b1")
)

func keyless(t *testing.T, st *chainState, operator string) *Backend {
	t.Helper()
	key, _ := crypto.GenerateKey()
	c, err := chain.NewClient(t.Context(), st, key)
	if err != nil {
		t.Fatal(err)
	}
	return &Backend{who: user, cfg: Config{Settings: settings.Settings{Operator: operator}},
		wallet: &wallet.Wallet{Client: c, Addrs: chain.Addresses{ChainID: 1337, Token: tokenAddr, Escrow: escrowAddr}}}
}

// wantCall checks tx calls sig on to with the ABI words args, encoded here independently of the
// bindings.
func wantCall(t *testing.T, tx view.Tx, to common.Address, sig string, args ...[]byte) {
	t.Helper()
	want := selector(sig)
	for _, a := range args {
		want = append(want, common.LeftPadBytes(a, 32)...)
	}
	if tx.To != to.Hex() || tx.Data != hexutil.Encode(want) {
		t.Errorf("%s: to %s data %s, want %s to %s data %s", tx.Action, tx.To, tx.Data, sig, to.Hex(), hexutil.Encode(want))
	}
}

func TestDepositTxs(t *testing.T) {
	amount := chain.Tokens(25)
	// Short allowance and an operator not yet authorised: approve, deposit, setOperator.
	b := keyless(t, &chainState{tokens: chain.Tokens(100), allowance: chain.Tokens(1), refundable: new(big.Int)}, billing.Hex())
	u, err := b.DepositTxs(t.Context(), amount)
	if err != nil {
		t.Fatal(err)
	}
	if u.ChainID != 1337 || u.From != user.Hex() || len(u.Txs) != 3 || u.Done != "Deposit of 25 DEC2 done in 3 transaction(s)." {
		t.Fatalf("deposit: %+v", u)
	}
	wantCall(t, u.Txs[0], tokenAddr, "approve(address,uint256)", escrowAddr.Bytes(), amount.Bytes())
	wantCall(t, u.Txs[1], escrowAddr, "deposit(uint256)", amount.Bytes())
	wantCall(t, u.Txs[2], escrowAddr, "setOperator(address,bool)", billing.Bytes(), []byte{1})
	if !strings.HasPrefix(u.Txs[0].Action, "approve") || !strings.HasPrefix(u.Txs[1].Action, "deposit") || !strings.Contains(u.Txs[2].Action, billing.Hex()) {
		t.Errorf("actions: %+v", u.Txs)
	}

	// Enough allowance and the operator authorised: the deposit alone.
	b = keyless(t, &chainState{tokens: chain.Tokens(100), allowance: amount, operator: true}, billing.Hex())
	if u, err = b.DepositTxs(t.Context(), amount); err != nil || len(u.Txs) != 1 {
		t.Fatalf("deposit with allowance: %+v, %v", u, err)
	}
	wantCall(t, u.Txs[0], escrowAddr, "deposit(uint256)", amount.Bytes())

	// No operator configured: no authorisation asked for.
	b = keyless(t, &chainState{tokens: chain.Tokens(100), allowance: new(big.Int)}, "")
	if u, err = b.DepositTxs(t.Context(), amount); err != nil || len(u.Txs) != 2 {
		t.Fatalf("deposit without an operator: %+v, %v", u, err)
	}

	// More than the wallet holds is refused before the wallet is asked.
	b = keyless(t, &chainState{tokens: chain.Tokens(10), allowance: new(big.Int)}, "")
	if _, err = b.DepositTxs(t.Context(), amount); err == nil || !strings.Contains(err.Error(), "holds 10 tokens") {
		t.Fatalf("a deposit beyond the wallet's tokens: %v", err)
	}
}

func TestWithdrawTxs(t *testing.T) {
	amount := chain.Tokens(5)
	b := keyless(t, &chainState{refundable: chain.Tokens(7)}, billing.Hex())
	u, err := b.WithdrawTxs(t.Context(), amount)
	if err != nil || len(u.Txs) != 1 || u.Done != "Withdrawal of 5 DEC2 done in 1 transaction(s)." {
		t.Fatalf("withdraw: %+v, %v", u, err)
	}
	wantCall(t, u.Txs[0], escrowAddr, "withdraw(uint256)", amount.Bytes())
	b = keyless(t, &chainState{refundable: chain.Tokens(3)}, "")
	if _, err = b.WithdrawTxs(t.Context(), amount); err == nil || !strings.Contains(err.Error(), "only 3 DEC2") {
		t.Fatalf("a withdrawal beyond the refundable: %v", err)
	}
}
