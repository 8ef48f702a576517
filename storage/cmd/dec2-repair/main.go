// Command dec2-repair keeps stored segments at full redundancy: every round it finds the
// storage nodes Nomad has marked down for longer than the grace, and those the attestors
// disqualify by their audits (--reputation-url), rebuilds the pieces they held
// from k healthy pieces of each segment (ciphertext only: no consumer key), puts them on
// providers the packer chooses and records them in the storage service, and collects the
// pieces it put that no object lists any more (docs/storage.md, Repair).
//
//	dec2-repair run --storage http://127.0.0.1:4659 --key-file repairer.key [--every 30s] [--grace 1m] [--once] \
//	  [--reputation-url http://10.0.0.5:4658 ...] [--audit-threshold 0.9]
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

	"github.com/dec2-cloud/dec2/cmdmain"
	"github.com/dec2-cloud/dec2/storage/metaapi"
	"github.com/dec2-cloud/dec2/storage/piecesink"
	"github.com/dec2-cloud/dec2/storage/repair/repairer"
	"github.com/dec2-cloud/dec2/walletkey"
)

func main() {
	cmdmain.Execute(newRootCmd())
}

func newRootCmd() *cobra.Command {
	return cmdmain.Root("dec2-repair", "Rebuild the pieces of lost storage providers onto others", newRunCmd())
}

type options struct {
	storage, keyFile, nomadAddr string
	reputationURLs              []string
	auditThreshold              float64
	every, grace                time.Duration
	chainID                     uint64
	parallel                    int
	once                        bool
}

func newRunCmd() *cobra.Command {
	var o options
	cmd := &cobra.Command{
		Use:   "run --storage URL --key-file KEY",
		Short: "Repair in rounds until stopped (or one round with --once)",
		Long: `run reads the region's storage nodes from Nomad (NOMAD_ADDR, NOMAD_TOKEN; node:read), and
every --every repairs the segments with pieces on nodes down for longer than --grace, or that
a majority of the attestors (--reputation-url) rate below --audit-threshold by their audits
while Nomad has them up; those and the nodes the attestors give no work get no new pieces. The
repairer's key comes from --key-file or DEC2_REPAIR_KEY (hex) and is never logged; its wallet
must be a --repairer of the storage service.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if o.storage == "" {
				return cmdmain.Usage(errors.New("--storage is required"))
			}
			if o.every <= 0 || o.grace < 0 || o.parallel < 1 {
				return cmdmain.Usage(fmt.Errorf("--every %s, --grace %s, --parallel %d: want a positive interval, a grace of 0 or more and at least 1", o.every, o.grace, o.parallel))
			}
			if err := checkReputation(o.reputationURLs, o.auditThreshold); err != nil {
				return cmdmain.Usage(err)
			}
			key, err := walletkey.Read(o.keyFile, "DEC2_REPAIR_KEY", "repairer")
			if err != nil {
				return cmdmain.Usage(err)
			}
			cfg := api.DefaultConfig()
			if o.nomadAddr != "" {
				cfg.Address = o.nomadAddr
			}
			nomad, err := api.NewClient(cfg)
			if err != nil {
				return cmdmain.Usage(fmt.Errorf("the Nomad client: %w", err))
			}
			log := slog.New(slog.NewTextHandler(cmd.ErrOrStderr(), nil))
			w := &repairer.Worker{
				Catalog: &metaapi.Client{URL: o.storage, Key: key},
				Region:  func(ctx context.Context) (repairer.Region, error) { return repairer.ReadNomad(ctx, nomad) },
				Key:     key, ChainID: o.chainID, Grace: o.grace, Parallel: o.parallel, Log: log,
			}
			if len(o.reputationURLs) > 0 {
				w.Reputations = func(ctx context.Context) (*piecesink.Reputations, error) {
					return repairer.ReadReputations(ctx, nil, o.reputationURLs, o.auditThreshold)
				}
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			if o.once {
				rep, err := w.Round(ctx)
				log.Info("repair: round", "lost_nodes", rep.LostNodes, "condemned_nodes", rep.Condemned, "segments", rep.Segments, "repaired", rep.Repaired,
					"pieces", rep.Pieces, "bytes", rep.Bytes, "data_lost", rep.DataLost, "widened", rep.Widened, "orphans", rep.Orphans)
				return err
			}
			if err := w.Run(ctx, o.every); !errors.Is(err, context.Canceled) {
				return err
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.storage, "storage", os.Getenv("DEC2_STORAGE"), "the storage service's URL (default $DEC2_STORAGE)")
	f.StringVar(&o.keyFile, "key-file", "", "file holding the repairer's hex private key (else $DEC2_REPAIR_KEY)")
	f.StringVar(&o.nomadAddr, "nomad-addr", "", "Nomad's HTTP address (default $NOMAD_ADDR)")
	f.DurationVar(&o.every, "every", 30*time.Second, "time between rounds")
	f.DurationVar(&o.grace, "grace", time.Minute, "how long a storage node stays down before its pieces count as lost")
	f.Uint64Var(&o.chainID, "chain-id", 1337, "chain id the storage nodes' receipts must be signed for")
	f.IntVar(&o.parallel, "parallel", repairer.DefaultParallel, "segments repaired at once")
	f.BoolVar(&o.once, "once", false, "run one round and exit (as a Nomad batch job)")
	f.StringSliceVar(&o.reputationURLs, "reputation-url", nil, "an attestor's base URL, e.g. http://10.0.0.5:4658 (repeatable): more than half must answer for their reputations to count")
	f.Float64Var(&o.auditThreshold, "audit-threshold", piecesink.DefaultAuditThreshold, "a node whose audit reputation a majority of the attestors put below this is disqualified: its pieces are rebuilt elsewhere")
	return cmd
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
