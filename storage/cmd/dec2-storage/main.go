// Command dec2-storage is the storage service: the metadata of tenants' buckets, objects,
// segments and pieces behind a wallet-signed HTTP API (docs/storage.md). With a wallet key
// and --snapshot-every, it stores snapshots of its SQLite database on the region's storage
// nodes, encrypted and erasure-coded; `restore` rebuilds the database from the newest.
//
//	dec2-storage serve --listen 127.0.0.1:4659 --db sqlite:///var/lib/dec2/meta.db --key-file storage.key --snapshot-every 10m
//	dec2-storage serve --db postgres://dec2@db.internal/dec2 --operator 0xAUDITOR... --meter 0xBILLING... --repairer 0xREPAIR...
//	dec2-storage restore --db sqlite:///var/lib/dec2/meta.db --key-file storage.key
//
// Exit codes: 0 done, 2 bad usage, 1 anything else.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/dec2-cloud/dec2/storage/meta/sqlstore"
	"github.com/dec2-cloud/dec2/storage/metaapi"
)

type options struct {
	command, listen, db string
	operators           []common.Address
	meters              []common.Address
	repairers           []common.Address
	snapshots
}

// snapshots is where and how often metadata snapshots are stored (snapshot.go).
type snapshots struct {
	keyFile, nomadAddr string
	every              time.Duration
	keep               int
	chainID            uint64
}

// errUsage marks bad input, which exits 2.
var errUsage = errors.New("usage")

func parse(args []string, stderr io.Writer) (options, error) {
	var o options
	if len(args) == 0 || (args[0] != "serve" && args[0] != "restore") {
		fmt.Fprintln(stderr, "usage: dec2-storage serve [--listen ADDR] [--db sqlite:///PATH | postgres://...] [--operator 0xWALLET]... [--meter 0xWALLET]... [--repairer 0xWALLET]... [--key-file KEY --snapshot-every DURATION]")
		fmt.Fprintln(stderr, "       dec2-storage restore --db sqlite:///PATH --key-file KEY [--nomad-addr URL]")
		return o, errUsage
	}
	o.command = args[0]
	fs := flag.NewFlagSet("dec2-storage "+o.command, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.db, "db", envOr("DEC2_STORAGE_DB", "sqlite://dec2-storage.db"), "the metadata database: sqlite:///path or postgres://... (default $DEC2_STORAGE_DB)")
	fs.StringVar(&o.keyFile, "key-file", "", "file holding the service's hex wallet key, which owns and encrypts the metadata snapshots (else $DEC2_STORAGE_KEY)")
	fs.StringVar(&o.nomadAddr, "nomad-addr", "", "Nomad's HTTP address, where the storage nodes are listed (default $NOMAD_ADDR)")
	fs.Uint64Var(&o.chainID, "chain-id", 1337, "chain id the storage nodes' receipts must be signed for")
	if o.command == "restore" {
		if err := fs.Parse(args[1:]); err != nil {
			return o, fmt.Errorf("%w: %w", errUsage, err)
		}
		if fs.NArg() > 0 {
			return o, fmt.Errorf("%w: unexpected arguments %q", errUsage, fs.Args())
		}
		return o, nil
	}
	fs.StringVar(&o.listen, "listen", "127.0.0.1:4659", "address to serve on")
	fs.DurationVar(&o.every, "snapshot-every", 0, "store a snapshot of the SQLite database on the storage nodes this often (0: never; needs a wallet key)")
	fs.IntVar(&o.keep, "snapshot-keep", 3, "snapshots kept on the storage nodes; older ones are deleted")
	wallets := func(to *[]common.Address) func(string) error {
		return func(s string) error {
			if !common.IsHexAddress(s) {
				return fmt.Errorf("%q is not a wallet address", s)
			}
			*to = append(*to, common.HexToAddress(s))
			return nil
		}
	}
	fs.Func("operator", "a wallet that may list any provider's pieces (billing, auditors); repeatable", wallets(&o.operators))
	fs.Func("meter", "a wallet that may read every tenant's usage per provider (the billing operator, which pays providers by it); repeatable", wallets(&o.meters))
	fs.Func("repairer", "a wallet that may read and repair any tenant's segments and list any provider's pieces (dec2-repair); repeatable", wallets(&o.repairers))
	if err := fs.Parse(args[1:]); err != nil {
		return o, fmt.Errorf("%w: %w", errUsage, err)
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("%w: unexpected arguments %q", errUsage, fs.Args())
	}
	if o.every < 0 || o.keep < 1 {
		return o, fmt.Errorf("%w: --snapshot-every %s, --snapshot-keep %d: want an interval of 0 or more and at least 1 snapshot kept", errUsage, o.every, o.keep)
	}
	return o, nil
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

func main() {
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	o, err := parse(os.Args[1:], os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err == nil {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer stop()
		if o.command == "restore" {
			err = restore(ctx, o, log, os.Stdout)
		} else {
			err = serve(ctx, o, log, nil)
		}
	}
	if err != nil {
		log.Error("dec2-storage", "err", err)
		if errors.Is(err, errUsage) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

// serve runs the API until ctx ends; ready, when set, receives the address it listens on.
func serve(ctx context.Context, o options, log *slog.Logger, ready chan<- string) error {
	openCtx, cancel := context.WithTimeout(ctx, time.Minute)
	store, err := sqlstore.Open(openCtx, o.db)
	cancel()
	if err != nil {
		return err
	}
	defer store.Close()
	if o.every > 0 {
		k, err := o.keeper(log)
		if err != nil {
			return err
		}
		if store.Dialect() != "sqlite" {
			return fmt.Errorf("%w: --snapshot-every snapshots SQLite; a %s database is kept by its own replication (docs/durability.md)", errUsage, store.Dialect())
		}
		go snapshotEvery(ctx, store, k, o.every, log)
	}
	ln, err := net.Listen("tcp", o.listen)
	if err != nil {
		return fmt.Errorf("listening on %s: %w", o.listen, err)
	}
	srv := &http.Server{
		Handler:           metaapi.New(metaapi.Config{Store: store, Log: log, Operators: o.operators, Meters: o.meters, Repairers: o.repairers}),
		ReadHeaderTimeout: 10 * time.Second,
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	log.Info("serving", "listen", ln.Addr().String(), "db", store.Dialect(), "operators", len(o.operators), "meters", len(o.meters), "repairers", len(o.repairers), "snapshot_every", o.every)
	if ready != nil {
		ready <- ln.Addr().String()
	}
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return srv.Shutdown(shutdown)
}
