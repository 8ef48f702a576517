// Package packcli is the `pack` command over a problem file, shared by dec2-allocator (dec2's
// portfolio) and the dev binary dec2-packnomad (Nomad's own scheduler, for comparison), so that
// the allocator links no scheduler it does not serve.
package packcli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/dec2-cloud/dec2/allocator/pack"
)

// Placer places a problem within budget, randomised by seed.
type Placer func(ctx context.Context, p pack.Problem, budget time.Duration, seed uint64) (pack.Result, error)

// Portfolio is dec2's packer.
func Portfolio(ctx context.Context, p pack.Problem, budget time.Duration, seed uint64) (pack.Result, error) {
	return pack.Pack(ctx, p, pack.Options{Budget: budget, Seed: seed})
}

// UsageError marks a mistake in how a command was called (exit 2).
type UsageError struct{ Err error }

func (u UsageError) Error() string { return u.Err.Error() }
func (u UsageError) Unwrap() error { return u.Err }

// ExitCode is 2 for bad input or usage, 1 for anything else.
func ExitCode(err error) int {
	var ie *pack.InputError
	var ue UsageError
	if errors.As(err, &ie) || errors.As(err, &ue) {
		return 2
	}
	return 1
}

// Command is `pack --in problem.json` placing with place; long says what places it.
func Command(place Placer, long string) *cobra.Command {
	var (
		in, out string
		budget  time.Duration
		seed    uint64
	)
	cmd := &cobra.Command{
		Use:   "pack --in problem.json [--out result.json] [--budget 200ms] [--seed 1]",
		Short: "Place a problem's groups on its nodes and print the placements as JSON",
		Long: `pack reads a problem (nodes with capacity and current use, groups to place) and writes
the placements, the instances it could not place with the reason, and statistics: nodes
used, the lower bound on them, stranded capacity. ` + long,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if in == "" {
				return UsageError{fmt.Errorf("--in is required (a problem JSON file, or - for standard input)")}
			}
			if budget < 0 {
				return UsageError{fmt.Errorf("--budget %v: must be positive", budget)}
			}
			data, err := readInput(cmd.InOrStdin(), in)
			if err != nil {
				return err
			}
			p, err := pack.ParseProblem(data)
			if err != nil {
				return fmt.Errorf("%s: %w", in, err)
			}
			res, err := place(cmd.Context(), p, budget, seed)
			if err != nil {
				return fmt.Errorf("packing %s: %w", in, err)
			}
			return writeResult(cmd.OutOrStdout(), out, res)
		},
	}
	cmd.Flags().StringVar(&in, "in", "", "problem JSON file (- for standard input)")
	cmd.Flags().StringVar(&out, "out", "", "result JSON file (default standard output)")
	cmd.Flags().DurationVar(&budget, "budget", pack.DefaultBudget, "time the packer may spend")
	cmd.Flags().Uint64Var(&seed, "seed", 1, "seed for randomized restarts (and Nomad's node shuffle)")
	cmd.SetContext(context.Background())
	return cmd
}

func readInput(stdin io.Reader, path string) ([]byte, error) {
	if path == "-" {
		data, err := io.ReadAll(stdin)
		if err != nil {
			return nil, fmt.Errorf("reading the problem from standard input: %w", err)
		}
		return data, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, UsageError{fmt.Errorf("reading the problem: %w", err)}
	}
	return data, nil
}

func writeResult(stdout io.Writer, path string, res pack.Result) error {
	data, err := json.MarshalIndent(res, "", "  ")
	if err != nil {
		return fmt.Errorf("encoding the result: %w", err)
	}
	data = append(data, '\n')
	if path == "" {
		_, err = stdout.Write(data)
		return err
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return fmt.Errorf("writing the result: %w", err)
	}
	return nil
}
