package main

import (
	"fmt"
	"log/slog"
	"net"
	"time"

	"github.com/spf13/cobra"

	"github.com/dec2-cloud/dec2/cli/wallet"
	"github.com/dec2-cloud/dec2/cmdmain"
	"github.com/dec2-cloud/dec2/console/backend"
	"github.com/dec2-cloud/dec2/console/web"
)

func (a *app) consoleCmd() *cobra.Command {
	var listen string
	var attestors []string
	var perPage int
	var storage, masterFile string
	c := &cobra.Command{
		Use:   "console",
		Short: "Serve the web console on 127.0.0.1 with this CLI's settings and wallet",
		Long: `console serves the dec2 web console (instances, launch, buckets, wallet, provider, region,
operator) on a loopback address, acting with the CLI's own settings, Nomad token and wallet
key, as ` + "`nomad ui`" + ` does: the browser needs no wallet of its own.`,
		Example: `  dec2 console                      # http://127.0.0.1:4661/
  dec2 console --listen 127.0.0.1:0 # any free port`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkAttestors(attestors); err != nil {
				return err
			}
			if err := loopback(listen); err != nil {
				return err
			}
			ctx := cmd.Context()
			key, err := wallet.LoadKey(a.s.KeyFile, a.getenv(wallet.KeyEnv))
			if err != nil {
				return err
			}
			master, err := masterKey(key, masterFile)
			if err != nil {
				return err
			}
			if storage == "" {
				storage = a.getenv("DEC2_STORAGE")
			}
			log := slog.New(slog.NewTextHandler(a.stderr, nil))
			b, err := backend.New(ctx, backend.Config{Settings: a.s, Key: key, Attestors: attestors, Storage: storage, Master: master, Log: log})
			if err != nil {
				return err
			}
			defer b.Close()
			srv, err := web.New(b, log, perPage)
			if err != nil {
				return err
			}
			ln, err := net.Listen("tcp", listen)
			if err != nil {
				return fmt.Errorf("--listen %s: %w", listen, err)
			}
			fmt.Fprintf(a.stdout, "dec2 console for %s: http://%s/\n", b.Wallet(), ln.Addr())
			go srv.Run(ctx)
			if err := cmdmain.Serve(ctx, ln, srv.Handler(), 5*time.Second); err != nil {
				return fmt.Errorf("the console: %w", err)
			}
			return nil
		},
	}
	f := c.Flags()
	f.StringVar(&listen, "listen", "127.0.0.1:4661", "loopback address to serve on")
	f.IntVar(&perPage, "per-page", 0, "instances a page lists (default 50)")
	f.StringSliceVar(&attestors, "attestor", splitList(a.getenv(attestorsEnv)),
		"an attestor's base URL for the provider page's reputation (repeatable; default $"+attestorsEnv+")")
	// The buckets page reads storage as `dec2 s3 ls` does, with the same two flags.
	f.StringVar(&storage, "storage", "", "the storage service's URL, dec2-storage, for the buckets page (default $DEC2_STORAGE)")
	f.StringVar(&masterFile, "master-key-file", "", "file holding the 32-byte master key in hex (default: derived from the wallet key)")
	return c
}

// loopback refuses a listen address off the machine: the console acts with the CLI's key.
func loopback(listen string) error {
	host, _, err := net.SplitHostPort(listen)
	if err != nil {
		return fmt.Errorf("--listen %q: want HOST:PORT, e.g. 127.0.0.1:4661: %w", listen, err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("--listen %q: the console acts with your wallet key, so it serves only on a loopback address such as 127.0.0.1", listen)
	}
	return nil
}
