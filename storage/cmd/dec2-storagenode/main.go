// Command dec2-storagenode stores a provider's pieces of dec2 S3 objects and serves them over
// HTTP, signing a receipt for every upload with the provider's key (see storage/node). Exit
// codes: 0 done, 2 bad input or usage, 1 anything else.
package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/dec2-cloud/dec2/cmdmain"
	"github.com/dec2-cloud/dec2/storage/node"
	"github.com/dec2-cloud/dec2/storage/piecestore"
	"github.com/dec2-cloud/dec2/walletkey"
)

func main() {
	cmdmain.Execute(newRootCmd())
}

func newRootCmd() *cobra.Command {
	return cmdmain.Root("dec2-storagenode", "Store pieces of dec2 S3 objects on this provider's disk and serve them", newServeCmd())
}

func newServeCmd() *cobra.Command {
	var (
		listen, dataDir, keyFile string
		capacity                 uint64
		cfg                      node.Config
	)
	cmd := &cobra.Command{
		Use:   "serve --data DIR --capacity BYTES --key-file KEY",
		Short: "Serve the piece API",
		Long: `serve keeps pieces under --data, at most --capacity bytes of them, and serves
PUT/GET/DELETE /v1/pieces/{id}, GET /v1/pieces/{id}/challenge?leaf=N, GET /v1/capacity,
/metrics and /healthz. Each upload is answered with an EIP-712 receipt signed by the provider
key, read from --key-file or DEC2_STORAGE_KEY (hex) and never logged.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if dataDir == "" || capacity == 0 {
				return cmdmain.Usage(errors.New("--data and --capacity are required"))
			}
			key, err := walletkey.Read(keyFile, "DEC2_STORAGE_KEY", "provider")
			if err != nil {
				return cmdmain.Usage(err)
			}
			store, err := piecestore.Open(dataDir, capacity)
			if err != nil {
				return err
			}
			cfg.Store, cfg.Key = store, key
			cfg.Logger = slog.New(slog.NewTextHandler(cmd.ErrOrStderr(), nil))
			return serve(cmd.Context(), listen, cfg)
		},
	}
	f := cmd.Flags()
	f.StringVar(&listen, "listen", "127.0.0.1:4660", "address to serve the piece API on")
	f.StringVar(&dataDir, "data", "", "directory pieces are kept in (the node's host volume)")
	f.Uint64Var(&capacity, "capacity", 0, "bytes of pieces this node may hold")
	f.StringVar(&keyFile, "key-file", "", "file holding the provider's hex private key (else $DEC2_STORAGE_KEY)")
	f.Uint64Var(&cfg.ChainID, "chain-id", 1337, "chain id receipts are signed for")
	f.Int64Var(&cfg.MaxPieceSize, "max-piece-size", 256<<20, "largest piece one upload may carry, bytes")
	return cmd
}

func serve(ctx context.Context, listen string, cfg node.Config) error {
	if ctx == nil {
		ctx = context.Background()
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		return cmdmain.Usage(fmt.Errorf("--listen %s: %w", listen, err))
	}
	svc := node.New(cfg)
	u := cfg.Store.Usage()
	cfg.Logger.Info("storage node serving", "provider", svc.Provider().Hex(), "listen", ln.Addr().String(),
		"capacity_bytes", u.Capacity, "used_bytes", u.Used, "pieces", u.Pieces)
	return cmdmain.Serve(ctx, ln, svc.Handler(), 10*time.Second)
}
