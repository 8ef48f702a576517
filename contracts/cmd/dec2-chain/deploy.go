package main

import (
	"crypto/ecdsa"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/spf13/cobra"

	"github.com/dec2-cloud/dec2/contracts/chain"
	"github.com/dec2-cloud/dec2/contracts/devchain"
)

func newDeployCmd() *cobra.Command {
	var (
		rpcURL, keyHex, dir, owner, treasury string
		repairFund                           string
		repairBps                            uint16
		attestors                            []string
		threshold                            uint32
		minStake, mintEach                   int64
		unbond                               time.Duration
		shareBps                             uint16
	)
	cmd := &cobra.Command{
		Use:   "deploy",
		Short: "Deploy Dec2Token, StreamEscrow and ProviderRegistry and write their addresses",
		Long: `Deploys the contract set to the chain at --rpc and writes <deployments>/<chain-id>.json.
The deployer key comes from --key or DEC2_CHAIN_KEY (hex); on the dev chain (id 1337) it
defaults to dev account 0, which then also mints --mint tokens to the first ten dev accounts.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			ec, err := ethclient.DialContext(ctx, rpcURL)
			if err != nil {
				return fmt.Errorf("dial %s: %w", rpcURL, err)
			}
			defer ec.Close()
			id, err := ec.ChainID(ctx)
			if err != nil {
				return fmt.Errorf("read chain id from %s: %w", rpcURL, err)
			}
			if keyHex == "" {
				keyHex = os.Getenv("DEC2_CHAIN_KEY")
			}
			var key *ecdsa.PrivateKey
			cfg := chain.DeployConfig{
				MinStake: chain.Tokens(minStake), UnbondDelay: unbond, ConsumerShareBps: shareBps, Threshold: threshold,
				RepairShareBps: repairBps,
			}
			switch {
			case keyHex != "":
				if key, err = crypto.HexToECDSA(strings.TrimPrefix(keyHex, "0x")); err != nil {
					return fmt.Errorf("deployer key: want 64 hex digits: %w", err)
				}
			case id.Int64() == devchain.ChainID:
				dev, err := devchain.DevAccounts(devchain.DevMnemonic, 10)
				if err != nil {
					return err
				}
				key = dev[0].Key
				for _, a := range dev {
					cfg.Mint = append(cfg.Mint, chain.Allocation{To: a.Address, Amount: chain.Tokens(mintEach)})
				}
			default:
				return fmt.Errorf("chain %v is not the dev chain: give the deployer key with --key or DEC2_CHAIN_KEY", id)
			}
			if cfg.Owner, err = optAddress("owner", owner); err != nil {
				return err
			}
			if cfg.Treasury, err = optAddress("treasury", treasury); err != nil {
				return err
			}
			if cfg.RepairFund, err = optAddress("repair-fund", repairFund); err != nil {
				return err
			}
			if repairBps > 0 && cfg.RepairFund == (common.Address{}) {
				return fmt.Errorf("--repair-share-bps %d needs --repair-fund, the repair worker's wallet (dec2-repair's key)", repairBps)
			}
			if int(repairBps)+int(shareBps) > 10_000 {
				return fmt.Errorf("--repair-share-bps %d and --consumer-share-bps %d together exceed 10000 (the whole slash)", repairBps, shareBps)
			}
			for _, a := range attestors {
				addr, err := optAddress("attestor", a)
				if err != nil {
					return err
				}
				cfg.Attestors = append(cfg.Attestors, addr)
			}
			client, err := chain.NewClient(ctx, ec, key)
			if err != nil {
				return err
			}
			return deployAndWrite(cmd, client, cfg, dir)
		},
	}
	f := cmd.Flags()
	f.StringVar(&rpcURL, "rpc", "http://"+devchain.DefaultHTTPAddr, "JSON-RPC URL of the chain")
	f.StringVar(&keyHex, "key", "", "deployer private key, hex (default $DEC2_CHAIN_KEY; dev account 0 on chain 1337)")
	f.StringVar(&dir, "deployments", "deployments", "directory for <chain-id>.json")
	f.StringVar(&owner, "owner", "", "owner of the contracts (default: the deployer)")
	f.StringVar(&treasury, "treasury", "", "receives slashed stake (default: the owner)")
	f.StringSliceVar(&attestors, "attestor", nil, "attestor address, repeatable (default: the deployer)")
	f.Uint32Var(&threshold, "threshold", 1, "attestor signatures a slash needs")
	f.Int64Var(&minStake, "min-stake", 1000, "minimum provider stake, whole tokens")
	f.DurationVar(&unbond, "unbond-delay", 7*24*time.Hour, "delay before unbonded stake can be withdrawn")
	f.Uint16Var(&shareBps, "consumer-share-bps", 5000, "share of a slash paid to the affected consumer, basis points")
	f.StringVar(&repairFund, "repair-fund", "", "the repair worker's wallet, paid --repair-share-bps of every slash for rebuilding what slashed providers lost")
	f.Uint16Var(&repairBps, "repair-share-bps", 0, "share of a slash paid to --repair-fund, basis points (0: none)")
	f.Int64Var(&mintEach, "mint", 1_000_000, "whole tokens minted to each dev account (dev chain only)")
	return cmd
}

func optAddress(what, s string) (common.Address, error) {
	if s == "" {
		return common.Address{}, nil
	}
	if !common.IsHexAddress(s) {
		return common.Address{}, fmt.Errorf("%s %q: want a 0x-prefixed 20-byte hex address", what, s)
	}
	return common.HexToAddress(s), nil
}

func deployAndWrite(cmd *cobra.Command, client *chain.Client, cfg chain.DeployConfig, dir string) error {
	d, err := chain.Deploy(cmd.Context(), client, cfg)
	if err != nil {
		return err
	}
	path := chain.DeploymentPath(dir, d.ChainID)
	if err := chain.WriteAddresses(path, d.Addresses); err != nil {
		return err
	}
	b, err := json.MarshalIndent(d.Addresses, "", "  ")
	if err != nil {
		return err
	}
	fmt.Fprintf(cmd.OutOrStdout(), "deployed to chain %d, written to %s:\n%s\n", d.ChainID, path, b)
	return nil
}
