package main

import (
	"fmt"

	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/spf13/cobra"

	"github.com/dec2-cloud/dec2/contracts/chain"
	"github.com/dec2-cloud/dec2/contracts/devchain"
)

func newServeCmd() *cobra.Command {
	cfg := devchain.DefaultConfig()
	var deploy bool
	var deployDir string
	var mintEach int64
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the dev chain until interrupted",
		Long: `Runs an in-process go-ethereum node in dev mode: JSON-RPC over HTTP and WebSocket,
chain id 1337, accounts derived from a mnemonic (m/44'/60'/0'/0/i) and prefunded.
Blocks are sealed when a transaction arrives, or every --block-period.
The accounts' keys are public knowledge: never use them on a real network.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, err := devchain.Start(cfg)
			if err != nil {
				return err
			}
			defer c.Close()
			out := cmd.OutOrStdout()
			fmt.Fprintf(out, "dev chain %d\n  http %s\n", devchain.ChainID, c.HTTPURL)
			if c.WSURL != "" {
				fmt.Fprintf(out, "  ws   %s\n", c.WSURL)
			}
			fmt.Fprintf(out, "  mnemonic %q\n", cfg.Mnemonic)
			for i, a := range c.Accounts {
				fmt.Fprintf(out, "  (%d) %s 0x%x\n", i, a.Address.Hex(), crypto.FromECDSA(a.Key))
			}
			if deploy {
				ctx := cmd.Context()
				ec, err := ethclient.DialContext(ctx, c.HTTPURL)
				if err != nil {
					return fmt.Errorf("dial the dev chain: %w", err)
				}
				defer ec.Close()
				client, err := chain.NewClient(ctx, ec, c.Accounts[0].Key)
				if err != nil {
					return err
				}
				var mint []chain.Allocation
				for _, a := range c.Accounts {
					mint = append(mint, chain.Allocation{To: a.Address, Amount: chain.Tokens(mintEach)})
				}
				if err := deployAndWrite(cmd, client, chain.DeployConfig{Mint: mint}, deployDir); err != nil {
					return err
				}
			}
			fmt.Fprintln(out, "ready; Ctrl-C stops")
			<-cmd.Context().Done()
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&cfg.HTTPAddr, "http", cfg.HTTPAddr, "HTTP JSON-RPC listen address (port 0 picks one)")
	f.StringVar(&cfg.WSAddr, "ws", cfg.WSAddr, `WebSocket JSON-RPC listen address ("" disables)`)
	f.StringVar(&cfg.DataDir, "datadir", "", "keep the chain in this directory (default: in memory)")
	f.DurationVar(&cfg.BlockPeriod, "block-period", 0, "seal a block this often (whole seconds; 0 = when a transaction arrives)")
	f.StringVar(&cfg.Mnemonic, "mnemonic", cfg.Mnemonic, "mnemonic the prefunded accounts derive from")
	f.IntVar(&cfg.Accounts, "accounts", cfg.Accounts, "number of prefunded accounts")
	f.BoolVar(&deploy, "deploy", false, "deploy the contract set from account 0 once the chain is up")
	f.StringVar(&deployDir, "deployments", "deployments", "directory for <chain-id>.json (with --deploy)")
	f.Int64Var(&mintEach, "mint", 1_000_000, "whole tokens minted to each dev account (with --deploy)")
	return cmd
}
