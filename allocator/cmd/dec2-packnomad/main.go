// Command dec2-packnomad places a pack problem with Nomad v1.11.3's own service scheduler, run
// in process, for comparison with dec2-allocator pack (benchmarks, BENCHMARKS.md). It is a dev
// tool: dec2-allocator does not link Nomad's scheduler.
package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/dec2-cloud/dec2/allocator/pack"
	"github.com/dec2-cloud/dec2/allocator/pack/nomadbase"
	"github.com/dec2-cloud/dec2/allocator/packcli"
)

func main() {
	if err := newCmd().Execute(); err != nil {
		fmt.Fprintln(os.Stderr, "dec2-packnomad:", err)
		os.Exit(packcli.ExitCode(err))
	}
}

func newCmd() *cobra.Command {
	cmd := packcli.Command(func(_ context.Context, p pack.Problem, _ time.Duration, seed uint64) (pack.Result, error) {
		return nomadbase.Place(p, seed)
	}, "It places with Nomad's own service scheduler (the budget is not used).")
	cmd.Use = "dec2-packnomad --in problem.json [--out result.json] [--seed 1]"
	cmd.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return packcli.UsageError{Err: err} })
	return cmd
}
