// Package wallet is the CLI's side of the chain: the user's key, the deployed contracts, and
// the escrow and registry calls the wallet and provider commands make.
package wallet

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"math/big"
	"os"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/dec2-cloud/dec2/contracts/chain"
	"github.com/dec2-cloud/dec2/pricing"
)

// KeyEnv holds the wallet's private key as hex when no key file is given.
const KeyEnv = "DEC2_KEY"

// LoadKey reads the private key from keyFile (hex, as `cast wallet new` or geth print it), or
// from the hex in envKey when there is no file.
func LoadKey(keyFile, envKey string) (*ecdsa.PrivateKey, error) {
	src, hexKey := KeyEnv, envKey
	if keyFile != "" {
		b, err := os.ReadFile(keyFile)
		if err != nil {
			return nil, fmt.Errorf("reading the wallet key: %w", err)
		}
		src, hexKey = keyFile, string(b)
	}
	hexKey = strings.TrimPrefix(strings.TrimSpace(hexKey), "0x")
	if hexKey == "" {
		return nil, fmt.Errorf("no wallet key: set %s to the hex private key or pass --key-file", KeyEnv)
	}
	k, err := crypto.HexToECDSA(hexKey)
	if err != nil {
		// The key itself never goes into an error: it would end up in terminals and logs.
		return nil, fmt.Errorf("wallet key from %s is not a hex secp256k1 private key", src)
	}
	return k, nil
}

// Wallet is a connection to the chain with the contracts' addresses, signing as one key.
type Wallet struct {
	Client *chain.Client
	Addrs  chain.Addresses
	rpc    *ethclient.Client
}

// Open dials rpcURL and reads the deployment (default deployments/<chain-id>.json). key may be
// nil for read-only use: calls are then made from a throwaway key that never signs anything.
func Open(ctx context.Context, rpcURL, deployment string, key *ecdsa.PrivateKey) (*Wallet, error) {
	rpc, err := ethclient.DialContext(ctx, rpcURL)
	if err != nil {
		return nil, fmt.Errorf("connecting to the chain at %s (set DEC2_RPC_URL or --rpc-url): %w", rpcURL, err)
	}
	id, err := rpc.ChainID(ctx)
	if err != nil {
		rpc.Close()
		return nil, fmt.Errorf("asking %s for its chain id (is a node running there? set DEC2_RPC_URL or --rpc-url): %w", rpcURL, err)
	}
	if deployment == "" {
		deployment = chain.DeploymentPath("deployments", id.Uint64())
	}
	addrs, err := chain.ReadAddresses(deployment)
	if err != nil {
		rpc.Close()
		return nil, fmt.Errorf("%w (pass --deployment or set DEC2_DEPLOYMENT)", err)
	}
	if addrs.ChainID != id.Uint64() {
		rpc.Close()
		return nil, fmt.Errorf("deployment %s is for chain %d but %s is chain %d: pass the matching --deployment", deployment, addrs.ChainID, rpcURL, id)
	}
	if key == nil {
		if key, err = crypto.GenerateKey(); err != nil {
			rpc.Close()
			return nil, err
		}
	}
	c, err := chain.NewClient(ctx, rpc, key)
	if err != nil {
		rpc.Close()
		return nil, err
	}
	return &Wallet{Client: c, Addrs: addrs, rpc: rpc}, nil
}

// Close ends the connection.
func (w *Wallet) Close() { w.rpc.Close() }

// Address is the signing wallet's address.
func (w *Wallet) Address() common.Address { return w.Client.Address() }

// Balance is a wallet's money: tokens held and its escrow account.
type Balance struct {
	Wallet string `json:"wallet"`
	// Amounts are decimal tokens.
	Tokens     string `json:"tokens"`
	Deposit    string `json:"deposit"`
	Owed       string `json:"owed"`
	Refundable string `json:"refundable"`
	// RatePerHour is what the wallet's running streams cost an hour.
	RatePerHour    string `json:"rate_per_hour"`
	InsolventSince uint64 `json:"insolvent_since,omitempty"`
}

func (b Balance) Header() []string {
	return []string{"WALLET", "TOKENS", "DEPOSIT", "OWED", "REFUNDABLE", "RATE/HOUR"}
}

func (b Balance) Rows() [][]string {
	return [][]string{{b.Wallet, b.Tokens, b.Deposit, b.Owed, b.Refundable, b.RatePerHour}}
}

// BalanceOf reads who's balance.
func (w *Wallet) BalanceOf(ctx context.Context, who common.Address) (Balance, error) {
	tokens, err := w.Client.Token(w.Addrs.Token).BalanceOf(ctx, who)
	if err != nil {
		return Balance{}, fmt.Errorf("reading the token balance of %s: %w", who, err)
	}
	acc, err := w.Client.Escrow(w.Addrs.Escrow).Account(ctx, who)
	if err != nil {
		return Balance{}, fmt.Errorf("reading the escrow account of %s: %w", who, err)
	}
	return Balance{
		Wallet: who.Hex(), Tokens: pricing.FormatAmount(tokens), Deposit: pricing.FormatAmount(acc.Balance),
		Owed: pricing.FormatAmount(acc.Owed), Refundable: pricing.FormatAmount(acc.Refundable),
		RatePerHour:    pricing.FormatAmount(new(big.Int).Mul(acc.Rate, big.NewInt(3600))),
		InsolventSince: acc.InsolventSince,
	}, nil
}

// RequireFunds fails with what to run when who has nothing left in the escrow to pay with,
// or (when operator is known) has not let billing open streams.
func (w *Wallet) RequireFunds(ctx context.Context, who, operator common.Address) error {
	esc := w.Client.Escrow(w.Addrs.Escrow)
	acc, err := esc.Account(ctx, who)
	if err != nil {
		return fmt.Errorf("reading the escrow account of %s: %w", who, err)
	}
	if acc.Refundable.Sign() == 0 {
		if acc.Balance.Sign() == 0 {
			return fmt.Errorf("no escrow deposit for wallet %s: run `dec2 wallet deposit 50`", who)
		}
		return fmt.Errorf("the escrow deposit of wallet %s is used up by running instances: run `dec2 wallet deposit 50`", who)
	}
	if operator == (common.Address{}) {
		return nil
	}
	ok, err := esc.IsOperator(ctx, who, operator)
	if err != nil {
		return fmt.Errorf("checking the billing operator of %s: %w", who, err)
	}
	if !ok {
		return fmt.Errorf("wallet %s has not authorised billing operator %s: run `dec2 wallet deposit 0 --operator %s`", who, operator, operator)
	}
	return nil
}

// Receipt is what a transaction-sending command prints.
type Receipt struct {
	Action string `json:"action"`
	Amount string `json:"amount,omitempty"`
	Tx     string `json:"tx,omitempty"`
	Block  uint64 `json:"block,omitempty"`
}

func (r Receipt) Header() []string { return []string{"ACTION", "AMOUNT", "TX", "BLOCK"} }

func (r Receipt) Rows() [][]string {
	return [][]string{{r.Action, r.Amount, r.Tx, fmt.Sprint(r.Block)}}
}

// Receipts lists the transactions one command sent.
type Receipts []Receipt

func (rs Receipts) Header() []string { return Receipt{}.Header() }

func (rs Receipts) Rows() [][]string {
	var out [][]string
	for _, r := range rs {
		out = append(out, r.Rows()...)
	}
	return out
}

// Deposit moves amount into the escrow (approve, then deposit) and, when operator is set and
// not yet authorised, lets it open streams for this wallet.
func (w *Wallet) Deposit(ctx context.Context, amount *big.Int, operator common.Address) (Receipts, error) {
	var out Receipts
	esc := w.Client.Escrow(w.Addrs.Escrow)
	if amount.Sign() > 0 {
		have, err := w.Client.Token(w.Addrs.Token).BalanceOf(ctx, w.Address())
		if err != nil {
			return nil, fmt.Errorf("reading the token balance: %w", err)
		}
		if have.Cmp(amount) < 0 {
			return nil, fmt.Errorf("wallet %s holds %s tokens, less than the %s to deposit: buy or receive tokens first", w.Address(), pricing.FormatAmount(have), pricing.FormatAmount(amount))
		}
		r, err := w.Client.Token(w.Addrs.Token).Approve(ctx, w.Addrs.Escrow, amount)
		if err != nil {
			return nil, fmt.Errorf("approving the escrow to take %s tokens: %w", pricing.FormatAmount(amount), err)
		}
		out = append(out, Receipt{"approve", pricing.FormatAmount(amount), r.TxHash.Hex(), r.BlockNumber.Uint64()})
		if r, err = esc.Deposit(ctx, amount); err != nil {
			return out, fmt.Errorf("depositing %s tokens: %w", pricing.FormatAmount(amount), err)
		}
		out = append(out, Receipt{"deposit", pricing.FormatAmount(amount), r.TxHash.Hex(), r.BlockNumber.Uint64()})
	}
	if operator != (common.Address{}) {
		ok, err := esc.IsOperator(ctx, w.Address(), operator)
		if err != nil {
			return out, fmt.Errorf("checking the billing operator: %w", err)
		}
		if !ok {
			r, err := esc.SetOperator(ctx, operator, true)
			if err != nil {
				return out, fmt.Errorf("authorising billing operator %s: %w", operator, err)
			}
			out = append(out, Receipt{"authorise operator " + operator.Hex(), "", r.TxHash.Hex(), r.BlockNumber.Uint64()})
		}
	}
	if len(out) == 0 {
		return nil, errors.New("nothing to do: give an amount above 0, or --operator to authorise")
	}
	return out, nil
}

// Withdraw takes amount of the refundable deposit back.
func (w *Wallet) Withdraw(ctx context.Context, amount *big.Int) (Receipts, error) {
	r, err := w.Client.Escrow(w.Addrs.Escrow).Withdraw(ctx, amount)
	if err != nil {
		return nil, fmt.Errorf("withdrawing %s tokens (see `dec2 wallet balance` for what is refundable): %w", pricing.FormatAmount(amount), err)
	}
	return Receipts{{"withdraw", pricing.FormatAmount(amount), r.TxHash.Hex(), r.BlockNumber.Uint64()}}, nil
}

// ParseAmount reads a decimal token amount from the command line.
func ParseAmount(s string) (*big.Int, error) {
	v, err := pricing.ParseAmount(strings.TrimSpace(s))
	if err != nil {
		return nil, fmt.Errorf("amount: %w", err)
	}
	return v, nil
}
