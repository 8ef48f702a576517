package main

import (
	"context"
	"crypto/ecdsa"
	"fmt"
	"log/slog"
	"math/big"
	"net"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/ethereum/go-ethereum/crypto"
	"github.com/spf13/cobra"

	"github.com/dec2-cloud/dec2/allocator/leadership"
	"github.com/dec2-cloud/dec2/allocator/packcli"
	"github.com/dec2-cloud/dec2/allocator/service"
)

// nomadFlags are the flags serve and plan share to reach Nomad.
type nomadFlags struct {
	addr, token, region string
}

func (f *nomadFlags) register(cmd *cobra.Command) {
	addr := os.Getenv("NOMAD_ADDR")
	if addr == "" {
		addr = "http://127.0.0.1:4646"
	}
	cmd.Flags().StringVar(&f.addr, "nomad-addr", addr, "Nomad's HTTP API ($NOMAD_ADDR if set)")
	cmd.Flags().StringVar(&f.token, "token", os.Getenv("NOMAD_TOKEN"), "ACL token for reading the region ($NOMAD_TOKEN if set); callers' own tokens are used for their jobs")
	region := os.Getenv("NOMAD_REGION")
	if region == "" {
		region = "global"
	}
	cmd.Flags().StringVar(&f.region, "region", region, "Nomad region ($NOMAD_REGION if set)")
}

func newServeCmd() *cobra.Command {
	var (
		nf       nomadFlags
		listen   string
		packAll  bool
		budget   time.Duration
		holdTTL  time.Duration
		algos    []string
		chainID  uint64
		repURLs  []string
		repEvery time.Duration
		lock     string
		adv      string
		lockTTL  time.Duration
		storURL  string
		storKey  string
		storEvry time.Duration
	)
	cmd := &cobra.Command{
		Use:   "serve [--listen 127.0.0.1:4656] [--nomad-addr URL] [--pack-all]",
		Short: "Serve Nomad's HTTP API, packing every opted-in job registration onto providers",
		Long: `serve sits in front of a Nomad region: point NOMAD_ADDR at it and use nomad as usual.
Job registrations, plans and scalings of jobs with meta dec2.pack = "true" (every service
and batch job with --pack-all) are packed and pinned to the chosen nodes; the placement is
recorded in the job's dec2.plan meta. Every other call reaches Nomad unchanged.
Prometheus metrics are served on /metrics.

For high availability run two or more with --leader-lock: the holder of that Nomad variable
lock admits; the others forward job calls to it (its --advertise address) and one takes over,
restoring its reservations from the jobs' plans, when its lease lapses.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ln, err := net.Listen("tcp", listen)
			if err != nil {
				return packcli.UsageError{Err: fmt.Errorf("--listen %s: %w", listen, err)}
			}
			if adv == "" {
				adv = "http://" + ln.Addr().String()
			}
			meter, err := meterKey(storKey)
			if err != nil {
				return packcli.UsageError{Err: err}
			}
			ctx, stop := signal.NotifyContext(withContext(cmd), os.Interrupt, syscall.SIGTERM)
			defer stop()
			err = service.Serve(ctx, ln, service.Config{
				NomadAddr: nf.addr, Token: nf.token, Region: nf.region,
				PackAll: packAll, Budget: budget, HoldTTL: holdTTL, Algorithms: algos, ChainID: new(big.Int).SetUint64(chainID),
				ReputationURLs: repURLs, ReputationEvery: repEvery,
				LeaderLock: lock, Advertise: adv, LockTTL: lockTTL,
				StorageURL: storURL, StorageKey: meter, StorageEvery: storEvry,
				Logger: slog.New(slog.NewTextHandler(cmd.ErrOrStderr(), nil)),
			})
			if err != nil && ctx.Err() == nil {
				return err
			}
			return nil
		},
	}
	nf.register(cmd)
	cmd.Flags().StringVar(&listen, "listen", "127.0.0.1:4656", "address to serve on")
	cmd.Flags().BoolVar(&packAll, "pack-all", false, "pack every service and batch job, not only those with meta dec2.pack = \"true\"")
	cmd.Flags().DurationVar(&budget, "budget", 2*time.Millisecond, "time the packer may take per registration")
	cmd.Flags().StringSliceVar(&algos, "algorithms", service.DefaultAlgorithms, "portfolio members tried per registration (see pack --help)")
	cmd.Flags().DurationVar(&holdTTL, "hold-ttl", 60*time.Second, "how long promised capacity waits for Nomad's allocations")
	cmd.Flags().Uint64Var(&chainID, "chain-id", 1337, "chain billing pays on; wallets' delegations in job meta are signed for it")
	cmd.Flags().StringSliceVar(&repURLs, "reputation-url", nil, "an attestor's base URL, e.g. http://10.0.0.5:4658 (repeatable): nodes a majority of the attestors rate below their threshold get no new work; none: every node does")
	cmd.Flags().DurationVar(&repEvery, "reputation-every", 30*time.Second, "how often the attestors' reputations are fetched")
	cmd.Flags().StringVar(&lock, "leader-lock", "", "Nomad variable whose lock elects the one allocator of the region that admits, e.g. "+leadership.DefaultPath+"; empty: this one runs alone")
	cmd.Flags().StringVar(&adv, "advertise", "", "base URL the region's other allocators forward job calls to (default http://<listen address>)")
	cmd.Flags().DurationVar(&lockTTL, "lock-ttl", leadership.MinTTL, "lease of the leader lock: a crashed leader is replaced within about this long (Nomad's minimum is 10s)")
	cmd.Flags().StringVar(&storURL, "storage-url", "", "the storage service (dec2-storage): jobs that let dec2 choose their region prefer, other things equal, the region holding their tenant's buckets")
	cmd.Flags().StringVar(&storKey, "storage-key-file", "", "file holding the hex key of a wallet dec2-storage names with --meter (else $DEC2_ALLOCATOR_METER_KEY); needed with --storage-url")
	cmd.Flags().DurationVar(&storEvry, "storage-every", 30*time.Second, "how often the tenants' storage usage is read")
	return cmd
}

// meterKey reads the storage meter's key from file, else $DEC2_ALLOCATOR_METER_KEY; nil when
// neither is set.
func meterKey(file string) (*ecdsa.PrivateKey, error) {
	src, h := "DEC2_ALLOCATOR_METER_KEY", os.Getenv("DEC2_ALLOCATOR_METER_KEY")
	if file != "" {
		b, err := os.ReadFile(file)
		if err != nil {
			return nil, fmt.Errorf("--storage-key-file: %w", err)
		}
		src, h = "--storage-key-file "+file, string(b)
	}
	h = strings.TrimPrefix(strings.TrimSpace(h), "0x")
	if h == "" {
		return nil, nil
	}
	k, err := crypto.HexToECDSA(h)
	if err != nil {
		// The key itself never goes into an error: it would end up in terminals and logs.
		return nil, fmt.Errorf("the storage meter key from %s is not a hex secp256k1 private key", src)
	}
	return k, nil
}

// withContext gives commands a context when cobra was run without one.
func withContext(cmd *cobra.Command) context.Context {
	if ctx := cmd.Context(); ctx != nil {
		return ctx
	}
	return context.Background()
}
