// Command dec2-repair keeps stored segments at full redundancy: every round it finds the
// storage nodes Nomad has marked down for longer than the grace, and those the attestors
// disqualify by their audits (--reputation-url), rebuilds the pieces they held
// from k healthy pieces of each segment (ciphertext only: no consumer key), puts them on
// providers the packer chooses and records them in the storage service, and collects the
// pieces it put that no object lists any more (docs/storage.md, Repair). `watch` is the
// checker: it finds whether a round has work and, when it has, registers a worker job
// (`run --once`) through dec2-allocator, which places it.
//
//	dec2-repair run --storage http://127.0.0.1:4659 --key-file repairer.key [--every 30s] [--grace 1m] [--once] \
//	  [--reputation-url http://10.0.0.5:4658 ...] [--audit-threshold 0.9]
//	dec2-repair watch --storage http://127.0.0.1:4659 --key-file repairer.key --nomad-addr http://127.0.0.1:4656 \
//	  --var-file worker.vars.hcl [--jobspec repair.nomad.hcl] [--every 30s] [--grace 1m]
//
// Its wallet must be one of dec2-storage's --repairer wallets. Exit codes: 0 done, 2 bad
// input or usage, 1 anything else (with --once: a round that left work undone).
package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/hashicorp/nomad/api"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/dec2-cloud/dec2/cmdmain"
	"github.com/dec2-cloud/dec2/jobspecs"
	"github.com/dec2-cloud/dec2/storage/metaapi"
	"github.com/dec2-cloud/dec2/storage/piecesink"
	"github.com/dec2-cloud/dec2/storage/repair/repairer"
	"github.com/dec2-cloud/dec2/walletkey"
)

func main() {
	cmdmain.Execute(newRootCmd())
}

func newRootCmd() *cobra.Command {
	return cmdmain.Root("dec2-repair", "Rebuild the pieces of lost storage providers onto others", newRunCmd(), newWatchCmd())
}

// options are what both commands read the region and the catalog with.
type options struct {
	storage, keyFile, nomadAddr string
	reputationURLs              []string
	auditThreshold              float64
	every, grace                time.Duration
}

// flags declares the shared flags; every names what --every separates (rounds, checks).
func (o *options) flags(f *pflag.FlagSet, every string) {
	f.StringVar(&o.storage, "storage", os.Getenv("DEC2_STORAGE"), "the storage service's URL (default $DEC2_STORAGE)")
	f.StringVar(&o.keyFile, "key-file", "", "file holding the repairer's hex private key (else $DEC2_REPAIR_KEY)")
	f.DurationVar(&o.every, "every", 30*time.Second, "time between "+every)
	f.DurationVar(&o.grace, "grace", time.Minute, "how long a storage node stays down before its pieces count as lost")
	f.StringSliceVar(&o.reputationURLs, "reputation-url", nil, "an attestor's base URL, e.g. http://10.0.0.5:4658 (repeatable): more than half must answer for their reputations to count")
	f.Float64Var(&o.auditThreshold, "audit-threshold", piecesink.DefaultAuditThreshold, "a node whose audit reputation a majority of the attestors put below this is disqualified: its pieces are rebuilt elsewhere")
}

// worker checks the flags and builds the worker they describe, with its Nomad client.
func (o *options) worker(log *slog.Logger) (*repairer.Worker, *api.Client, error) {
	if o.storage == "" {
		return nil, nil, cmdmain.Usage(errors.New("--storage is required"))
	}
	if o.every <= 0 || o.grace < 0 {
		return nil, nil, cmdmain.Usage(fmt.Errorf("--every %s, --grace %s: want a positive interval and a grace of 0 or more", o.every, o.grace))
	}
	if err := checkReputation(o.reputationURLs, o.auditThreshold); err != nil {
		return nil, nil, cmdmain.Usage(err)
	}
	key, err := walletkey.Read(o.keyFile, "DEC2_REPAIR_KEY", "repairer")
	if err != nil {
		return nil, nil, cmdmain.Usage(err)
	}
	cfg := api.DefaultConfig()
	if o.nomadAddr != "" {
		cfg.Address = o.nomadAddr
	}
	nomad, err := api.NewClient(cfg)
	if err != nil {
		return nil, nil, cmdmain.Usage(fmt.Errorf("the Nomad client: %w", err))
	}
	w := &repairer.Worker{
		Catalog: &metaapi.Client{URL: o.storage, Key: key},
		Region:  func(ctx context.Context) (repairer.Region, error) { return repairer.ReadNomad(ctx, nomad) },
		Key:     key, Grace: o.grace, Log: log,
	}
	if len(o.reputationURLs) > 0 {
		w.Reputations = func(ctx context.Context) (repairer.Attestors, error) {
			return repairer.ReadReputations(ctx, nil, o.reputationURLs, o.auditThreshold)
		}
	}
	return w, nomad, nil
}

func newRunCmd() *cobra.Command {
	var (
		o        options
		chainID  uint64
		parallel int
		once     bool
	)
	cmd := &cobra.Command{
		Use:   "run --storage URL --key-file KEY",
		Short: "Repair in rounds until stopped (or one round with --once)",
		Long: `run reads the region's storage nodes from Nomad (NOMAD_ADDR, NOMAD_TOKEN; node:read), and
every --every repairs the segments with pieces on nodes down for longer than --grace, or that
a majority of the attestors (--reputation-url) rate below --audit-threshold by their audits
while Nomad has them up; those and the nodes the attestors give no work get no new pieces. The
repairer's key comes from --key-file or DEC2_REPAIR_KEY (hex) and is never logged; its wallet
must be a --repairer of the storage service. With --once it runs one round and exits, as the
worker job dec2-repair watch starts does.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if parallel < 1 {
				return cmdmain.Usage(fmt.Errorf("--parallel %d: want at least 1", parallel))
			}
			log := slog.New(slog.NewTextHandler(cmd.ErrOrStderr(), nil))
			w, _, err := o.worker(log)
			if err != nil {
				return err
			}
			w.ChainID, w.Parallel = chainID, parallel
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			if once {
				rep, err := w.Round(ctx)
				log.Info("repair: round", rep.Attrs()...)
				return err
			}
			if err := w.Run(ctx, o.every); !errors.Is(err, context.Canceled) {
				return err
			}
			return nil
		},
	}
	f := cmd.Flags()
	o.flags(f, "rounds")
	f.StringVar(&o.nomadAddr, "nomad-addr", "", "Nomad's HTTP address (default $NOMAD_ADDR)")
	f.Uint64Var(&chainID, "chain-id", 1337, "chain id the storage nodes' receipts must be signed for")
	f.IntVar(&parallel, "parallel", repairer.DefaultParallel, "segments repaired at once")
	f.BoolVar(&once, "once", false, "run one round and exit (as a Nomad batch job)")
	return cmd
}

func newWatchCmd() *cobra.Command {
	var (
		o                 options
		jobspec, varsFile string
	)
	cmd := &cobra.Command{
		Use:   "watch --storage URL --key-file KEY --nomad-addr ALLOCATOR --var-file VARS",
		Short: "Check for repair work and start a worker job for it through the allocator",
		Long: `watch is the checker: every --every it does the cheap part of a round (which storage nodes
are down past --grace or disqualified by the attestors, whether a segment has a piece on them
that k pieces can rebuild, orphans to collect, narrow segments to widen), reading catalog
entries and no piece but those the attestors report lost (to confirm them). When there is work and no worker is under way, it registers the worker,
a one-shot batch job that runs dec2-repair run --once, through --nomad-addr: dec2-allocator,
which packs and pins it onto a provider. The worker's job is --jobspec (default: the
repair.nomad.hcl dec2 ships) rendered by Nomad's parse endpoint with the variables in
--var-file; it must be a batch job with meta dec2.pack = "true". Its key and Nomad token are
the Nomad variable nomad/jobs/<job id>'s. The checker's own key (the same repairer wallet)
comes from --key-file or DEC2_REPAIR_KEY, its token from NOMAD_TOKEN (node:read, and
submit-job and read-job in the worker's namespace).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if o.nomadAddr == "" {
				return cmdmain.Usage(errors.New("--nomad-addr is required: dec2-allocator's address, which places the worker"))
			}
			hcl, err := readJobspec(jobspec)
			if err != nil {
				return cmdmain.Usage(err)
			}
			vars, err := os.ReadFile(varsFile)
			if err != nil {
				return cmdmain.Usage(fmt.Errorf("--var-file: %w", err))
			}
			log := slog.New(slog.NewTextHandler(cmd.ErrOrStderr(), nil))
			w, nomad, err := o.worker(log)
			if err != nil {
				return err
			}
			c := &repairer.Checker{Pending: w.Pending, Jobs: &repairer.NomadJobs{Client: nomad, HCL: hcl, Vars: string(vars)}, Log: log}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			if err := c.Run(ctx, o.every); !errors.Is(err, context.Canceled) {
				return err
			}
			return nil
		},
	}
	f := cmd.Flags()
	o.flags(f, "checks")
	f.StringVar(&o.nomadAddr, "nomad-addr", "", "dec2-allocator's address, in front of the region's Nomad (required)")
	f.StringVar(&jobspec, "jobspec", "", "the worker's jobspec (default: the repair.nomad.hcl built in)")
	f.StringVar(&varsFile, "var-file", "", "an HCL variables file for the worker's jobspec (storage, image, nomad_addr, ...; required)")
	return cmd
}

// readJobspec reads the worker's jobspec from path, or the built-in one.
func readJobspec(path string) (string, error) {
	if path == "" {
		return jobspecs.Source("repair")
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("--jobspec: %w", err)
	}
	return string(b), nil
}

// checkReputation refuses attestor URLs that are not http(s) base URLs and a threshold out of
// 0..1, before anything is asked.
func checkReputation(urls []string, auditThreshold float64) error {
	for _, u := range urls {
		p, err := url.Parse(u)
		if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
			return fmt.Errorf("--reputation-url %q: want an attestor's http(s) URL such as http://10.0.0.5:4658", u)
		}
	}
	if err := piecesink.CheckAuditThreshold(auditThreshold); err != nil {
		return fmt.Errorf("--audit-threshold: %w", err)
	}
	return nil
}
