// Command dec2-billing meters Nomad allocations and streams ERC20 pay for them through
// StreamEscrow, exactly once through crashes. `run` is the sidecar; `statement` prints usage.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/dec2-cloud/dec2/billing-sidecar/journal"
	"github.com/dec2-cloud/dec2/billing-sidecar/service"
	"github.com/dec2-cloud/dec2/contracts/chain"
	"github.com/dec2-cloud/dec2/metering"
	"github.com/dec2-cloud/dec2/walletkey"
)

func main() {
	if err := root().Execute(); err != nil {
		os.Exit(1)
	}
}

func root() *cobra.Command {
	c := &cobra.Command{Use: "dec2-billing", Short: "Meter Nomad allocations and stream ERC20 pay for them", SilenceUsage: true}
	c.AddCommand(runCmd(), statementCmd())
	return c
}

func runCmd() *cobra.Command {
	var (
		cfg                 service.Config
		escrow, deployment  string
		keyFile, configFile string
		confirmations       uint64
	)
	c := &cobra.Command{
		Use:   "run",
		Short: "Run the billing sidecar",
		Long: `Run the billing sidecar. Every flag can also come from the environment as
DEC2_BILLING_<FLAG> (e.g. DEC2_BILLING_CHAIN_RPC) or from a JSON file given with --config
({"chain-rpc": "...", ...}); flags win over the environment, the environment over the file.
The operator key comes from --key-file or DEC2_BILLING_KEY (hex) and is never logged.`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := fillFlags(cmd.Flags(), configFile); err != nil {
				return err
			}
			key, err := walletkey.Read(keyFile, "DEC2_BILLING_KEY", "operator")
			if err != nil {
				return err
			}
			cfg.Key, cfg.Confirmations = key, confirmations
			if cfg.Escrow, err = escrowAddress(escrow, deployment); err != nil {
				return err
			}
			if cfg.NomadToken == "" {
				cfg.NomadToken = os.Getenv("NOMAD_TOKEN")
			}
			cfg.Log = slog.New(slog.NewTextHandler(os.Stderr, nil))
			ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			return service.Run(ctx, cfg)
		},
	}
	f := c.Flags()
	f.StringVar(&configFile, "config", "", "JSON file of flag values")
	f.StringVar(&cfg.NomadAddr, "nomad-addr", envOr("NOMAD_ADDR", "http://127.0.0.1:4646"), "Nomad HTTP API address")
	f.StringVar(&cfg.NomadToken, "nomad-token", "", "Nomad ACL token (read-only plus job-stop); default $NOMAD_TOKEN")
	f.StringVar(&cfg.ChainRPC, "chain-rpc", "http://127.0.0.1:8545", "Ethereum JSON-RPC URL")
	f.StringVar(&escrow, "escrow", "", "StreamEscrow address (or --deployment)")
	f.StringVar(&deployment, "deployment", "", "deployments/<chain-id>.json to read the escrow address from")
	f.StringVar(&keyFile, "key-file", "", "file holding the operator's hex private key (else $DEC2_BILLING_KEY)")
	f.Uint64Var(&confirmations, "confirmations", 2, "blocks an action must be buried under before it counts as done")
	f.StringVar(&cfg.JournalPath, "journal", "dec2-billing.db", "journal file (bbolt)")
	f.StringVar(&cfg.MetricsAddr, "metrics-addr", "127.0.0.1:9466", "listen address for /metrics, /events and /statement")
	f.DurationVar(&cfg.StatsInterval, "stats-interval", 5*time.Second, "allocation stats polling interval")
	f.DurationVar(&cfg.SettleInterval, "settle-interval", time.Minute, "settleMany batch interval")
	f.DurationVar(&cfg.InsolvencyInterval, "insolvency-interval", 5*time.Second, "insolvency check interval")
	f.DurationVar(&cfg.InsolvencyGrace, "insolvency-grace", 5*time.Minute, "time from insolvency to stopping the consumer's jobs")
	f.DurationVar(&cfg.BumpAfter, "bump-after", 2*time.Minute, "raise fees of a transaction unmined this long")
	f.StringVar(&cfg.StorageURL, "storage", "", "dec2-storage URL: pay providers for stored pieces (the operator key must be one of its --meter wallets); empty: off")
	f.DurationVar(&cfg.StorageInterval, "storage-interval", 5*time.Minute, "how often storage usage is read and its streams re-rated")
	return c
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

// fillFlags sets flags not given on the command line from DEC2_BILLING_* variables, then from
// the JSON config file.
func fillFlags(fs *pflag.FlagSet, file string) error {
	fromFile := map[string]any{}
	if file != "" {
		b, err := os.ReadFile(file)
		if err != nil {
			return fmt.Errorf("reading config %s: %w", file, err)
		}
		if err := json.Unmarshal(b, &fromFile); err != nil {
			return fmt.Errorf("config %s: not a JSON object of flag values: %w", file, err)
		}
		for k := range fromFile {
			if fs.Lookup(k) == nil {
				return fmt.Errorf("config %s: unknown setting %q (settings are the run flags' names)", file, k)
			}
		}
	}
	var err error
	fs.VisitAll(func(f *pflag.Flag) {
		if f.Changed || err != nil {
			return
		}
		env := "DEC2_BILLING_" + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
		if v, ok := os.LookupEnv(env); ok {
			if e := f.Value.Set(v); e != nil {
				err = fmt.Errorf("%s=%q: %w", env, v, e)
			}
			return
		}
		if v, ok := fromFile[f.Name]; ok {
			if e := f.Value.Set(fmt.Sprint(v)); e != nil {
				err = fmt.Errorf("config %s: %s=%v: %w", file, f.Name, v, e)
			}
		}
	})
	return err
}

func escrowAddress(addr, deployment string) (common.Address, error) {
	if addr != "" {
		if !common.IsHexAddress(addr) {
			return common.Address{}, fmt.Errorf("--escrow %q is not a 0x address", addr)
		}
		return common.HexToAddress(addr), nil
	}
	if deployment == "" {
		return common.Address{}, fmt.Errorf("say where StreamEscrow is: --escrow <address> or --deployment deployments/<chain-id>.json")
	}
	a, err := chain.ReadAddresses(deployment)
	if err != nil {
		return common.Address{}, err
	}
	return a.Escrow, nil
}

func statementCmd() *cobra.Command {
	var consumer, provider, since, until, format, addr, journalPath string
	c := &cobra.Command{
		Use:   "statement",
		Short: "Print usage and charges for a consumer or provider",
		Example: `  dec2-billing statement --consumer 0xC0FFEE... --since 24h --format csv
  dec2-billing statement --provider 0xB0B... --since 2026-01-01T00:00:00Z --journal dec2-billing.db`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			f, err := metering.ParseFilter(consumer, provider, since, until)
			if err != nil {
				return err
			}
			if format != "csv" && format != "json" {
				return fmt.Errorf("--format %q: want csv or json", format)
			}
			if journalPath != "" {
				j, err := journal.OpenReadOnly(journalPath)
				if err != nil {
					return err
				}
				defer j.Close()
				recs, err := j.Usage(f)
				if err != nil {
					return err
				}
				return service.WriteStatement(cmd.OutOrStdout(), metering.Statement(recs), format)
			}
			q := url.Values{"consumer": {consumer}, "provider": {provider}, "since": {f.Since.Format(time.RFC3339)}, "format": {format}}
			if !f.Until.IsZero() {
				q.Set("until", f.Until.Format(time.RFC3339))
			}
			if f.Since.IsZero() {
				q.Del("since")
			}
			cl := &http.Client{Timeout: 30 * time.Second}
			resp, err := cl.Get(strings.TrimRight(addr, "/") + "/statement?" + q.Encode())
			if err != nil {
				return fmt.Errorf("asking the sidecar at %s (or read a journal with --journal): %w", addr, err)
			}
			defer resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				b, _ := io.ReadAll(resp.Body)
				return fmt.Errorf("sidecar at %s: %s: %s", addr, resp.Status, strings.TrimSpace(string(b)))
			}
			_, err = io.Copy(cmd.OutOrStdout(), resp.Body)
			return err
		},
	}
	f := c.Flags()
	f.StringVar(&consumer, "consumer", "", "consumer wallet")
	f.StringVar(&provider, "provider", "", "provider wallet")
	f.StringVar(&since, "since", "", "start: RFC 3339 time or a duration back from now (24h)")
	f.StringVar(&until, "until", "", "end: RFC 3339 time or a duration back from now")
	f.StringVar(&format, "format", "json", "csv or json")
	f.StringVar(&addr, "addr", "http://127.0.0.1:9466", "a running sidecar's metrics address")
	f.StringVar(&journalPath, "journal", "", "read this journal file instead of asking a running sidecar")
	return c
}
