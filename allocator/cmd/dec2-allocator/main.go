// Command dec2-allocator packs dec2 workloads onto providers: `pack` solves one problem
// from a JSON file. Exit codes: 0 done, 2 bad input or usage, 1 anything else.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/dec2-cloud/dec2/allocator/pack"
)

func main() {
	if err := newRootCmd(os.Stdin, os.Stdout).Execute(); err != nil {
		fmt.Fprintln(os.Stderr, "dec2-allocator:", err)
		os.Exit(exitCode(err))
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
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	root.AddCommand(newPackCmd(), newServeCmd(), newPlanCmd())
	return root
}

// usageError marks a mistake in how the command was called.
type usageError struct{ err error }

func (u usageError) Error() string { return u.err.Error() }
func (u usageError) Unwrap() error { return u.err }

func exitCode(err error) int {
	var ie *pack.InputError
	var ue usageError
	if errors.As(err, &ie) || errors.As(err, &ue) {
		return 2
	}
	return 1
}
