// Command dec2-allocator packs dec2 workloads onto providers: `pack` solves one problem
// from a JSON file. Exit codes: 0 done, 2 bad input or usage, 1 anything else.
package main

import (
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/dec2-cloud/dec2/allocator/packcli"
)

func main() {
	if err := newRootCmd(os.Stdin, os.Stdout).Execute(); err != nil {
		fmt.Fprintln(os.Stderr, "dec2-allocator:", err)
		os.Exit(packcli.ExitCode(err))
	}
}

func newRootCmd(stdin io.Reader, stdout io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:           "dec2-allocator",
		Short:         "Pack dec2 workloads onto providers with as little waste as possible",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return packcli.UsageError{Err: err} })
	root.AddCommand(packcli.Command(packcli.Portfolio, "It places with dec2's portfolio of packers."), newServeCmd(), newPlanCmd())
	return root
}
