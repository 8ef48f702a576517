package main

import (
	"context"
	"crypto/ecdsa"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/dec2-cloud/dec2/cli/wallet"
	"github.com/dec2-cloud/dec2/conventions"
	"github.com/dec2-cloud/dec2/reputation/reputationclient"
	"github.com/dec2-cloud/dec2/storage/crypt"
	"github.com/dec2-cloud/dec2/storage/erasure"
	"github.com/dec2-cloud/dec2/storage/gateway"
	"github.com/dec2-cloud/dec2/storage/metaapi"
	"github.com/dec2-cloud/dec2/storage/nomadnodes"
	"github.com/dec2-cloud/dec2/storage/piecesink"
	"github.com/dec2-cloud/dec2/storage/s3keys"
)

func (a *app) s3Cmd() *cobra.Command {
	c := &cobra.Command{Use: "s3", Short: "S3-compatible storage on providers' disks: buckets and objects, the consumer's own gateway and its keys"}
	keys := &cobra.Command{Use: "keys", Short: "Access keys of the local S3 gateway; they never leave this machine"}
	keys.AddCommand(a.s3KeysCreateCmd())
	c.AddCommand(keys, a.s3ServeCmd(), a.s3MbCmd(), a.s3RbCmd(), a.s3LsCmd(), a.s3CpCmd(), a.s3RmCmd())
	return c
}

// s3Store is how an s3 command reaches storage: the storage service, the master key and, for
// commands that move object bytes, the storage nodes.
type s3Store struct {
	storage, masterFile string
	nodes               []string
	chainID             uint64
	// attestors and auditThreshold steer placement by the providers' reputation.
	attestors      []string
	auditThreshold float64
}

// catalogFlags are what every command that touches buckets needs.
func (o *s3Store) catalogFlags(f *pflag.FlagSet) {
	f.StringVar(&o.storage, "storage", "", "the storage service's URL, dec2-storage (default $DEC2_STORAGE)")
	f.StringVar(&o.masterFile, "master-key-file", "", "file holding the 32-byte master key in hex (default: derived from the wallet key)")
}

// nodeFlags are what commands that move object bytes need besides.
func (o *s3Store) nodeFlags(f *pflag.FlagSet) {
	f.StringArrayVar(&o.nodes, "node", nil, "a storage node as 0xPROVIDER=NODE_ID=URL; repeat for each (at least 4; default: the Nomad region's storage nodes)")
	f.Uint64Var(&o.chainID, "chain-id", 1337, "the chain the storage nodes sign receipts for")
	f.StringSliceVar(&o.attestors, "attestor", nil,
		"an attestor's base URL, e.g. http://10.0.0.5:4658 (repeatable; default $"+attestorsEnv+", comma-separated): placement weighs the providers' reputation and gives no new pieces to those the attestors bar")
	f.Float64Var(&o.auditThreshold, "audit-threshold", piecesink.DefaultAuditThreshold, "with --attestor: a storage node whose audit reputation is below this gets no new pieces")
}

// s3Gateway is the gateway backend a command runs over, and what it was built with.
type s3Gateway struct {
	*gateway.Backend
	wallet common.Address
	nodes  int
	// rater steers placement by the attestors' reputations; nil without --attestor.
	rater *rater
	// joiner lists the region's storage nodes again; nil with --node or without a data path.
	joiner *joiner
}

// s3Backend builds the gateway backend: the one `dec2 s3 serve` serves and the other s3
// commands call in process. With withData it stores and reads object bytes on the storage
// nodes (--node, else those Nomad lists); without, it manages buckets and lists from the
// storage service alone, and needs no nodes.
func (a *app) s3Backend(ctx context.Context, o s3Store, owner string, withData bool, log *slog.Logger) (s3Gateway, error) {
	storage, given, err := a.s3Flags(o)
	if err != nil {
		return s3Gateway{}, err
	}
	key, err := wallet.LoadKey(a.s.KeyFile, a.getenv(wallet.KeyEnv))
	if err != nil {
		return s3Gateway{}, err
	}
	master, err := masterKey(key, o.masterFile)
	if err != nil {
		return s3Gateway{}, err
	}
	catalog := &metaapi.Client{URL: storage, Key: key}
	g := s3Gateway{wallet: crypto.PubkeyToAddress(key.PublicKey)}
	if !withData {
		g.Backend, err = gateway.NewBucketsOnly(catalog, master, log)
		return g, err
	}
	// Checked here, not with the other flags: commands that move no bytes (mb, rb, ls) read no
	// attestor.
	attestors := a.s3Attestors(o)
	if err := checkAttestors(attestors); err != nil {
		return s3Gateway{}, err
	}
	if err := piecesink.CheckAuditThreshold(o.auditThreshold); err != nil {
		return s3Gateway{}, fmt.Errorf("--audit-threshold: %w", err)
	}
	nodes := given
	if len(nodes) == 0 {
		if nodes, err = a.discoverNodes(ctx); err != nil {
			return s3Gateway{}, err
		}
	}
	data, err := piecesink.New(piecesink.Config{Nodes: nodes, Key: key, ChainID: o.chainID, Log: log})
	if err != nil {
		return s3Gateway{}, fmt.Errorf("the data path over %d storage nodes: %w", len(nodes), err)
	}
	if len(attestors) > 0 {
		g.rater = &rater{data: data, attestors: attestors, auditThreshold: o.auditThreshold, log: log}
		g.rater.rate(ctx, time.Now())
	}
	g.nodes = len(nodes)
	if len(given) == 0 {
		g.joiner = &joiner{app: a, data: data, log: log}
	}
	g.Backend, err = gateway.New(gateway.Config{Catalog: catalog, Data: data, Master: master, Owner: owner, Log: log})
	return g, err
}

// s3Flags checks the storage flags before anything is read or dialled: the storage service's
// URL (--storage, else DEC2_STORAGE) and the --node values.
func (a *app) s3Flags(o s3Store) (storage string, nodes []piecesink.Node, err error) {
	storage = o.storage
	if storage == "" {
		storage = a.getenv("DEC2_STORAGE")
	}
	if storage == "" {
		return "", nil, errors.New("--storage: the storage service's URL is required (or set DEC2_STORAGE), e.g. http://127.0.0.1:4659")
	}
	nodes, err = parseNodes(o.nodes)
	return storage, nodes, err
}

// s3Attestors is --attestor, else $DEC2_ATTESTORS.
func (a *app) s3Attestors(o s3Store) []string {
	if len(o.attestors) > 0 {
		return o.attestors
	}
	return splitList(a.getenv(attestorsEnv))
}

// rater sets the data path's node reputations from the attestors (--attestor), barring from
// new pieces those they bar (piecesink.Data.Rate). A one-shot command reads them once; `dec2
// s3 serve` again every --reputation-every (refresh), so that a provider barred after it
// started gets no new pieces.
type rater struct {
	data           *piecesink.Data
	attestors      []string
	auditThreshold float64
	log            *slog.Logger
	// at is when the view in use was read (zero: none yet); barred the nodes it bars.
	at     time.Time
	barred map[string]bool
}

// staleReputations is how many refresh intervals the attestors' view outlives its last read
// with a quorum, as dec2-allocator's: past it, with too few attestors answering, every node
// takes pieces again, so attestors being down never keeps providers out for ever.
const staleReputations = 5

// rate reads the attestors once and applies their view at now. Without more than half of them
// answering, the view in use stands (placement goes on without one at start).
func (r *rater) rate(ctx context.Context, now time.Time) {
	reports, err := reputationclient.Fetch(ctx, nil, r.attestors)
	if ctx.Err() != nil {
		return
	}
	if err != nil {
		r.log.Warn("attestors unreachable or their reports invalid", "answered", len(reports), "of", len(r.attestors), "err", err)
	}
	view, err := piecesink.NewReputations(reports, len(r.attestors), r.auditThreshold)
	if err != nil {
		r.log.Warn("too few attestors answered: placement keeps the reputations it had (none at start)", "err", err)
		return
	}
	r.at = now
	r.apply(view)
}

// apply hands view to the data path and logs the nodes it bars or clears since the last.
func (r *rater) apply(view *piecesink.Reputations) {
	barred := map[string]bool{}
	for _, b := range r.data.Rate(view) {
		barred[b.ID] = true
		if !r.barred[b.ID] {
			r.log.Warn("storage node gets no new pieces", "node", b.ID, "provider", b.Provider, "score", b.Score, "audit", b.Audit, "disqualified_by_audits", b.Disqualified)
		}
	}
	for id := range r.barred {
		if !barred[id] {
			r.log.Info("storage node takes new pieces again", "node", id)
		}
	}
	r.barred = barred
}

// refresh reads the attestors every every until ctx ends, dropping a view that no quorum has
// renewed for staleReputations intervals.
func (r *rater) refresh(ctx context.Context, every time.Duration) {
	ticks(ctx, every, func(now time.Time) {
		r.rate(ctx, now)
		if !r.at.IsZero() && now.Sub(r.at) > staleReputations*every {
			r.log.Warn("no quorum of attestors answered since the last view; every storage node takes new pieces again", "last_view", r.at)
			r.at = time.Time{}
			r.apply(nil)
		}
	})
}

// ticks calls do every every until ctx ends.
func ticks(ctx context.Context, every time.Duration, do func(now time.Time)) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C:
			do(now)
		}
	}
}

// joiner lists the Nomad region's storage nodes again for `dec2 s3 serve` (piecesink.Data.Join),
// so that a provider that joined after the gateway started takes new pieces, and pieces repair
// put on it read.
type joiner struct {
	app  *app
	data *piecesink.Data
	log  *slog.Logger
}

// join lists the region's storage nodes once and merges them into the data path. A failed
// listing changes nothing: the nodes known stay in use until the next.
func (j *joiner) join(ctx context.Context) {
	c, err := j.app.nomad()
	if err == nil {
		var nodes []piecesink.Node
		if nodes, _, err = nomadnodes.List(ctx, c); err == nil {
			var joined piecesink.Joined
			if joined, err = j.data.Join(nodes); err == nil && (len(joined.Added) > 0 || len(joined.Updated) > 0) {
				j.log.Info("storage nodes joined or moved", "added", joined.Added, "updated", joined.Updated)
			}
		}
	}
	if err != nil && ctx.Err() == nil {
		j.log.Warn("listing the region's storage nodes again failed; the ones known stay in use", "err", err)
	}
}

// refresh joins every every until ctx ends.
func (j *joiner) refresh(ctx context.Context, every time.Duration) {
	ticks(ctx, every, func(time.Time) { j.join(ctx) })
}

// discoverNodes lists the storage nodes of the Nomad region the CLI is configured for.
func (a *app) discoverNodes(ctx context.Context) ([]piecesink.Node, error) {
	c, err := a.nomad()
	if err != nil {
		return nil, fmt.Errorf("finding storage nodes (or pass --node): %w", err)
	}
	nodes, skipped, err := nomadnodes.List(ctx, c)
	if err != nil {
		return nil, fmt.Errorf("finding storage nodes in the Nomad region at %s (or pass --node): %w", a.s.NomadAddr, err)
	}
	// A segment's pieces go to distinct providers, so the code counts providers, not nodes.
	providers := map[common.Address]bool{}
	for _, n := range nodes {
		providers[n.Provider] = true
	}
	if _, _, err := erasure.Choose(len(providers)); err != nil {
		msg := fmt.Sprintf("found %d storage nodes of %d providers in the Nomad region at %s (ready, eligible, with %s and %s meta), and storing needs at least %d providers",
			len(nodes), len(providers), a.s.NomadAddr, conventions.MetaStorageEndpoint, conventions.MetaWallet, erasure.MinProviders)
		if len(skipped) > 0 {
			var why []string
			for _, s := range skipped {
				why = append(why, s.String())
			}
			msg += "; left out: " + strings.Join(why, "; ")
		}
		return nil, fmt.Errorf("%s. Point --nomad-addr (NOMAD_ADDR) at a region with more storage providers (dec2 provider join --storage), or name the nodes with --node 0xPROVIDER=NODE_ID=URL: %w", msg, err)
	}
	return nodes, nil
}

// s3Serve is what `dec2 s3 serve` runs with.
type s3Serve struct {
	s3Store
	listen, keysFile, region, certFile, tlsKeyFile string
	reputationEvery, nodesEvery                    time.Duration
}

func (a *app) s3ServeCmd() *cobra.Command {
	var o s3Serve
	c := &cobra.Command{
		Use:   "serve",
		Short: "Run the S3 gateway: objects encrypted here, erasure-coded onto storage nodes, catalogued by the storage service",
		Long: `serve runs the consumer's own S3 gateway. Every key stays on this machine: the S3 access keys
(dec2 s3 keys create), and the master key that encrypts object names and bytes, derived from the
wallet key (--key-file or DEC2_KEY) unless --master-key-file holds one. The wallet signs the
requests to the storage service (--storage) and owns the pieces on the storage nodes: those of
the Nomad region (--nomad-addr, NOMAD_ADDR) whose meta names a storage endpoint, or the ones
given with --node, once per node as 0xPROVIDER=NODE_ID=URL.`,
		Example: `  dec2 s3 serve --storage http://127.0.0.1:4659
  dec2 s3 serve --storage http://127.0.0.1:4659 \
    --node 0x70997970C51812dc3A010C7d01b50e0d17dc79C8=node-a=http://10.0.0.1:4660 ...`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return a.s3Serve(cmd, o) },
	}
	f := c.Flags()
	f.StringVar(&o.listen, "listen", "127.0.0.1:9000", "host:port the S3 API listens on")
	o.catalogFlags(f)
	o.nodeFlags(f)
	f.StringVar(&o.keysFile, "keys-file", "", "the access key file (default $DEC2_S3_KEYS, else s3keys.json beside the config)")
	f.StringVar(&o.region, "region", "us-east-1", "the SigV4 region clients sign for")
	f.StringVar(&o.certFile, "tls-cert", "", "serve TLS with this certificate (with --tls-key)")
	f.StringVar(&o.tlsKeyFile, "tls-key", "", "the TLS certificate's private key")
	f.DurationVar(&o.reputationEvery, "reputation-every", 30*time.Second, "with --attestor: how often the attestors' reputations are read again")
	f.DurationVar(&o.nodesEvery, "nodes-every", time.Minute, "without --node: how often the region's storage nodes are listed again (new providers take pieces, moved ones are followed)")
	return c
}

func (a *app) s3Serve(cmd *cobra.Command, o s3Serve) error {
	if _, _, err := a.s3Flags(o.s3Store); err != nil {
		return err
	}
	if o.reputationEvery <= 0 {
		return fmt.Errorf("--reputation-every %s: want a positive interval, e.g. 30s", o.reputationEvery)
	}
	if o.nodesEvery <= 0 {
		return fmt.Errorf("--nodes-every %s: want a positive interval, e.g. 1m", o.nodesEvery)
	}
	path, err := a.s3KeysPath(o.keysFile)
	if err != nil {
		return err
	}
	keys, err := s3keys.Load(path)
	if err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(a.stderr, nil))
	g, err := a.s3Backend(cmd.Context(), o.s3Store, keys[0].AccessKey, true, log)
	if err != nil {
		return err
	}
	// The refresh ends before serve returns: nothing of the gateway outlives the command.
	var refreshing sync.WaitGroup
	defer refreshing.Wait()
	ctx, cancel := context.WithCancel(cmd.Context())
	defer cancel()
	if g.rater != nil {
		refreshing.Go(func() { g.rater.refresh(ctx, o.reputationEvery) })
	}
	if g.joiner != nil {
		refreshing.Go(func() { g.joiner.refresh(ctx, o.nodesEvery) })
	}
	return gateway.Serve(ctx, g.Backend, gateway.ServeConfig{
		Listen: o.listen, Region: o.region, Keys: keys, CertFile: o.certFile, KeyFile: o.tlsKeyFile, Quiet: true,
		OnListen: func() {
			log.Info("S3 gateway listening", "listen", o.listen, "wallet", g.wallet.Hex(), "nodes", g.nodes)
		},
	})
}

// parseNodes reads --node values, 0xPROVIDER=NODE_ID=URL each.
func parseNodes(specs []string) ([]piecesink.Node, error) {
	var out []piecesink.Node
	for _, s := range specs {
		parts := strings.SplitN(s, "=", 3)
		if len(parts) != 3 || !common.IsHexAddress(parts[0]) || parts[1] == "" ||
			!(strings.HasPrefix(parts[2], "http://") || strings.HasPrefix(parts[2], "https://")) {
			return nil, fmt.Errorf("--node %q: want 0xPROVIDER=NODE_ID=http(s)://HOST:PORT", s)
		}
		out = append(out, piecesink.Node{Provider: common.HexToAddress(parts[0]), ID: parts[1], URL: parts[2]})
	}
	return out, nil
}

// masterKey reads the master key from file, or derives it from the wallet key
// (crypt.MasterFromWallet, which the Terraform provider's buckets share).
func masterKey(wk *ecdsa.PrivateKey, file string) (crypt.Key, error) {
	if file == "" {
		return crypt.MasterFromWallet(wk)
	}
	raw, err := os.ReadFile(file)
	if err != nil {
		return crypt.Key{}, fmt.Errorf("--master-key-file: %w", err)
	}
	b, err := hex.DecodeString(strings.TrimPrefix(strings.TrimSpace(string(raw)), "0x"))
	if err != nil {
		// The key itself never goes into an error.
		return crypt.Key{}, fmt.Errorf("--master-key-file %s: not hex", file)
	}
	k, err := crypt.KeyFromBytes(b)
	if err != nil {
		return crypt.Key{}, fmt.Errorf("--master-key-file %s: %w", file, err)
	}
	return k, nil
}

// s3KeysPath is where the gateway's keys live: --keys-file, DEC2_S3_KEYS, or beside the config.
func (a *app) s3KeysPath(flag string) (string, error) {
	if flag != "" {
		return flag, nil
	}
	if p := a.getenv("DEC2_S3_KEYS"); p != "" {
		return p, nil
	}
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("no --keys-file and no config directory: %w", err)
	}
	return filepath.Join(dir, "dec2", "s3keys.json"), nil
}

func (a *app) s3KeysCreateCmd() *cobra.Command {
	var file string
	c := &cobra.Command{
		Use:   "create",
		Short: "Create an access key pair for the local S3 gateway and print it once",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			path, err := a.s3KeysPath(file)
			if err != nil {
				return err
			}
			k, err := s3keys.Create(path, time.Now())
			if err != nil {
				return err
			}
			_, err = fmt.Fprintf(a.stdout, "AWS_ACCESS_KEY_ID=%s\nAWS_SECRET_ACCESS_KEY=%s\n# kept in %s\n", k.AccessKey, k.SecretKey, path)
			return err
		},
	}
	c.Flags().StringVar(&file, "keys-file", "", "the key file (default $DEC2_S3_KEYS, else s3keys.json beside the config)")
	return c
}
