// Command dec2-storage is the storage service: the metadata of tenants' buckets, objects,
// segments and pieces behind a wallet-signed HTTP API (docs/storage.md).
//
//	dec2-storage serve --listen 127.0.0.1:4659 --db sqlite:///var/lib/dec2/meta.db
//	dec2-storage serve --db postgres://dec2@db.internal/dec2 --operator 0xAUDITOR... --meter 0xBILLING... --repairer 0xREPAIR...
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
	listen, db string
	operators  []common.Address
	meters     []common.Address
	repairers  []common.Address
}

// errUsage marks bad input, which exits 2.
var errUsage = errors.New("usage")

func parse(args []string, stderr io.Writer) (options, error) {
	var o options
	if len(args) == 0 || args[0] != "serve" {
		fmt.Fprintln(stderr, "usage: dec2-storage serve [--listen ADDR] [--db sqlite:///PATH | postgres://...] [--operator 0xWALLET]... [--meter 0xWALLET]... [--repairer 0xWALLET]...")
		return o, errUsage
	}
	fs := flag.NewFlagSet("dec2-storage serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.listen, "listen", "127.0.0.1:4659", "address to serve on")
	fs.StringVar(&o.db, "db", envOr("DEC2_STORAGE_DB", "sqlite://dec2-storage.db"), "the metadata database: sqlite:///path or postgres://... (default $DEC2_STORAGE_DB)")
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
		err = serve(ctx, o, log, nil)
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
	log.Info("serving", "listen", ln.Addr().String(), "db", store.Dialect(), "operators", len(o.operators), "meters", len(o.meters), "repairers", len(o.repairers))
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
