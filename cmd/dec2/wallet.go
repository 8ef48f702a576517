package main

import (
	"context"
	"fmt"
	"math/big"
	"slices"

	"github.com/spf13/cobra"

	"github.com/dec2-cloud/dec2/cli/wallet"
	"github.com/dec2-cloud/dec2/metering"
)

func (a *app) walletCmd() *cobra.Command {
	c := &cobra.Command{Use: "wallet", Short: "Tokens, the escrow deposit that pays for instances, statements"}
	c.AddCommand(a.walletBalanceCmd(), a.walletDepositCmd(), a.walletWithdrawCmd(), a.walletStatementCmd(), a.walletDelegateCmd())
	return c
}

func (a *app) walletBalanceCmd() *cobra.Command {
	var addr string
	c := &cobra.Command{
		Use:   "balance",
		Short: "Show tokens held and the escrow deposit",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			who, err := a.address("address", addr)
			if err != nil {
				return err
			}
			w, err := a.reader(cmd.Context())
			if err != nil {
				return err
			}
			defer w.Close()
			b, err := w.BalanceOf(cmd.Context(), who)
			if err != nil {
				return err
			}
			return a.print(b)
		},
	}
	c.Flags().StringVar(&addr, "address", "", "wallet to show (default: the key's address)")
	return c
}

func (a *app) walletDepositCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "deposit AMOUNT",
		Short: "Move tokens into the escrow (and authorise the billing --operator)",
		Example: `  dec2 wallet deposit 50
  dec2 wallet deposit 50 --operator 0x70997970C51812dc3A010C7d01b50e0d17dc79C8`,
		Args: cobra.ExactArgs(1),
		RunE: a.transact(func(ctx context.Context, w *wallet.Wallet, amount *big.Int) (wallet.Receipts, error) {
			op, err := a.operator()
			if err != nil {
				return nil, err
			}
			return w.Deposit(ctx, amount, op)
		}),
	}
}

func (a *app) walletWithdrawCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "withdraw AMOUNT",
		Short: "Take refundable tokens back out of the escrow",
		Args:  cobra.ExactArgs(1),
		RunE: a.transact(func(ctx context.Context, w *wallet.Wallet, amount *big.Int) (wallet.Receipts, error) {
			return w.Withdraw(ctx, amount)
		}),
	}
}

// transact runs a command that takes a token AMOUNT and sends transactions signed by the key.
func (a *app) transact(send func(context.Context, *wallet.Wallet, *big.Int) (wallet.Receipts, error)) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		amount, err := wallet.ParseAmount(args[0])
		if err != nil {
			return err
		}
		w, err := a.signer(cmd.Context())
		if err != nil {
			return err
		}
		defer w.Close()
		rs, err := send(cmd.Context(), w, amount)
		if err != nil {
			return err
		}
		return a.print(rs)
	}
}

// statementFlags are the flags `wallet statement` and `provider earnings` share.
type statementFlags struct{ addr, since, until string }

func (s *statementFlags) register(c *cobra.Command) {
	f := c.Flags()
	f.StringVar(&s.addr, "address", "", "wallet (default: the key's address)")
	f.StringVar(&s.since, "since", "", "from: RFC 3339 time or a duration back from now (24h)")
	f.StringVar(&s.until, "until", "", "until: RFC 3339 time or a duration back from now")
}

func (a *app) statement(cmd *cobra.Command, s statementFlags, provider bool) error {
	who, err := a.address("address", s.addr)
	if err != nil {
		return err
	}
	q := wallet.StatementQuery{Since: s.since, Until: s.until}
	if provider {
		q.Provider = who.Hex()
	} else {
		q.Consumer = who.Hex()
	}
	st, err := wallet.ReadStatement(cmd.Context(), a.s.BillingURL, q)
	if err != nil {
		return err
	}
	return a.print(statementTable{st})
}

// statementTable is a statement as the table shows it: an allocation's line under its id and
// job, a storage line labelled storage with the GiB its provider held at the line's end.
// JSON is the statement's own (the lines carry kind, stored_bytes and gib_hours).
type statementTable struct{ wallet.Statement }

func (s statementTable) Header() []string {
	return []string{"ALLOC", "JOB", "CONSUMER", "PROVIDER", "FROM", "TO", "HOURS", "STORED", "CHARGED"}
}

func (s statementTable) Rows() [][]string {
	rows := s.Statement.Rows()
	for i, l := range s.Lines {
		stored := ""
		if l.Kind == metering.KindStorage {
			rows[i][0], rows[i][1], stored = "storage", "-", fmt.Sprintf("%.3f GiB", l.StoredGiB())
		}
		rows[i] = slices.Insert(rows[i], 7, stored)
	}
	total := rows[len(rows)-1]
	rows[len(rows)-1] = slices.Insert(total, 7, "")
	return rows
}

func (a *app) walletStatementCmd() *cobra.Command {
	var s statementFlags
	c := &cobra.Command{
		Use:   "statement",
		Short: "What your instances used and were charged",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, _ []string) error { return a.statement(cmd, s, false) },
	}
	s.register(c)
	return c
}
