// Command dec2-chain runs dec2's development chain and deploys the contract set to any chain.
//
//	dec2-chain serve              # dev chain on 127.0.0.1:8545 (HTTP) and :8546 (WS), chain id 1337
//	dec2-chain serve --deploy     # ...and deploy the contracts to it
//	dec2-chain deploy --rpc URL   # deploy to any chain; writes deployments/<chain-id>.json
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := newRootCmd(os.Stdout).ExecuteContext(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "dec2-chain:", err)
		os.Exit(1)
	}
}

func newRootCmd(out io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:           "dec2-chain",
		Short:         "dec2's development chain and contract deployment",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(out)
	root.AddCommand(newServeCmd(), newDeployCmd())
	return root
}
