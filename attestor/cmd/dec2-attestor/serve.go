package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/dec2-cloud/dec2/attestor/peers"
	"github.com/dec2-cloud/dec2/attestor/service"
	"github.com/dec2-cloud/dec2/cmdmain"
	"github.com/dec2-cloud/dec2/contracts/chain"
	"github.com/dec2-cloud/dec2/walletkey"
)

func newServeCmd() *cobra.Command {
	var (
		cfg                service.Config
		listen, deployment string
		keyFile            string
		peerSpecs          []string
		freezeShare        float64
	)
	cmd := &cobra.Command{
		Use:   "serve --deployment deployments/<chain>.json --key-file KEY --peer 0xADDR=URL ...",
		Short: "Serve this attestor's API and watch the region",
		Long: `serve follows Nomad's event stream, probes every provider, keeps their reputation (GET
/v1/reputation, /metrics) and, when a provider's node stays down past the grace while it
ran consumers' work, agrees with its peers on signed evidence and submits the slash.
The attestor key comes from --key-file or DEC2_ATTESTOR_KEY (hex) and is never logged.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			key, err := walletkey.Read(keyFile, "DEC2_ATTESTOR_KEY", "attestor")
			if err != nil {
				return cmdmain.Usage(err)
			}
			addrs, err := chain.ReadAddresses(deployment)
			if err != nil {
				return cmdmain.Usage(fmt.Errorf("--deployment: %w", err))
			}
			for _, s := range peerSpecs {
				p, err := peers.ParsePeer(s)
				if err != nil {
					return cmdmain.Usage(fmt.Errorf("--peer: %w", err))
				}
				cfg.Peers = append(cfg.Peers, p)
			}
			cfg.Key, cfg.Registry, cfg.Escrow, cfg.DeployedAt = key, addrs.Registry, addrs.Escrow, addrs.Block
			cfg.Downtime.FreezeShare = freezeShare
			cfg.Logger = slog.New(slog.NewTextHandler(cmd.ErrOrStderr(), nil))
			return serve(cmd.Context(), listen, cfg)
		},
	}
	f := cmd.Flags()
	nomadAddr := os.Getenv("NOMAD_ADDR")
	if nomadAddr == "" {
		nomadAddr = "http://127.0.0.1:4646"
	}
	f.StringVar(&listen, "listen", "127.0.0.1:4658", "address to serve the attestor API on")
	f.StringVar(&cfg.NomadAddr, "nomad-addr", nomadAddr, "Nomad's HTTP API ($NOMAD_ADDR if set)")
	f.StringVar(&cfg.NomadToken, "token", os.Getenv("NOMAD_TOKEN"), "ACL token reading nodes, allocations and evaluations in every namespace ($NOMAD_TOKEN if set)")
	f.StringVar(&cfg.ChainRPC, "chain-rpc", "http://127.0.0.1:8545", "the chain's JSON-RPC URL")
	f.StringVar(&deployment, "deployment", "deployments/1337.json", "the contracts' addresses")
	f.StringVar(&keyFile, "key-file", "", "file holding this attestor's hex private key (else $DEC2_ATTESTOR_KEY)")
	f.StringArrayVar(&peerSpecs, "peer", nil, "another attestor as 0xADDRESS=http://host:port (repeat for each)")
	f.DurationVar(&cfg.Downtime.Grace, "grace", 10*time.Minute, "how long a node stays down before it is reported (never less than a job's disconnect.lost_after)")
	f.DurationVar(&cfg.Gates.LeaderHold, "leader-hold", 300*time.Second, "no signature for this long after a Nomad leader change")
	f.DurationVar(&cfg.Gates.MaxHeadAge, "max-head-age", 120*time.Second, "no signature while the latest block read is older")
	f.Float64Var(&freezeShare, "freeze-share", 0.34, "share of nodes going down together that freezes slashing (a mass outage)")
	f.DurationVar(&cfg.Downtime.FreezeWindow, "freeze-window", 0, "how close together nodes must go down to count as one outage; no node is judged sooner (default --grace)")
	f.DurationVar(&cfg.ProbeEvery, "probe-every", 30*time.Second, "how often providers and peers are probed")
	f.DurationVar(&cfg.Stage, "stage", time.Minute, "how long each fallback waits after the report's leader before it proposes instead")
	f.DurationVar(&cfg.Cooldown, "cooldown", 24*time.Hour, "least time between two incidents' slashes of one provider")
	f.IntVar(&cfg.SigningCap, "signing-cap", 50, "most slashes this attestor signs in any 24 hours")
	f.StringVar(&cfg.Storage, "storage", "", "dec2-storage's URL: audit storage providers and judge data_loss reports (this attestor's wallet must be a dec2-storage --operator)")
	f.DurationVar(&cfg.AuditEvery, "audit-every", 5*time.Minute, "how often each storage provider is challenged (with --storage)")
	f.DurationVar(&cfg.AuditDeadline, "audit-deadline", 10*time.Second, "how long a storage node may take to answer a challenge before it is asked again")
	f.DurationVar(&cfg.AuditFresh, "audit-fresh", time.Hour, "the oldest audit seed block whose data_loss evidence this attestor signs")
	return cmd
}

func serve(ctx context.Context, listen string, cfg service.Config) error {
	if ctx == nil {
		ctx = context.Background()
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		return cmdmain.Usage(fmt.Errorf("--listen %s: %w", listen, err))
	}
	svc, err := service.New(ctx, cfg)
	if err != nil {
		ln.Close()
		return err
	}
	cfg.Logger.Info("attestor serving", "address", svc.Address().Hex(), "listen", ln.Addr().String(), "peers", len(cfg.Peers))
	go svc.Run(ctx)
	return cmdmain.Serve(ctx, ln, svc.Handler(), 5*time.Second)
}
