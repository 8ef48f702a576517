package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/dec2-cloud/dec2/allocator/pack"
	"github.com/dec2-cloud/dec2/allocator/pack/nomadbase"
)

func newPackCmd() *cobra.Command {
	var (
		in, out, algo string
		budget        time.Duration
		seed          uint64
	)
	cmd := &cobra.Command{
		Use:   "pack --in problem.json [--out result.json] [--budget 200ms] [--algo portfolio|nomad]",
		Short: "Place a problem's groups on its nodes and print the placements as JSON",
		Long: `pack reads a problem (nodes with capacity and current use, groups to place) and writes
the placements, the instances it could not place with the reason, and statistics: nodes
used, the lower bound on them, stranded capacity. --algo nomad places the same problem
with Nomad's own service scheduler instead, for comparison.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if in == "" {
				return usageError{fmt.Errorf("--in is required (a problem JSON file, or - for standard input)")}
			}
			if algo != "portfolio" && algo != "nomad" {
				return usageError{fmt.Errorf("--algo %q: use portfolio or nomad", algo)}
			}
			if budget < 0 {
				return usageError{fmt.Errorf("--budget %v: must be positive", budget)}
			}
			data, err := readInput(cmd.InOrStdin(), in)
			if err != nil {
				return err
			}
			p, err := pack.ParseProblem(data)
			if err != nil {
				return fmt.Errorf("%s: %w", in, err)
			}
			var res pack.Result
			if algo == "nomad" {
				res, err = nomadbase.Place(p, seed)
			} else {
				res, err = pack.Pack(cmd.Context(), p, pack.Options{Budget: budget, Seed: seed})
			}
			if err != nil {
				return fmt.Errorf("packing %s: %w", in, err)
			}
			return writeResult(cmd.OutOrStdout(), out, res)
		},
	}
	cmd.Flags().StringVar(&in, "in", "", "problem JSON file (- for standard input)")
	cmd.Flags().StringVar(&out, "out", "", "result JSON file (default standard output)")
	cmd.Flags().DurationVar(&budget, "budget", pack.DefaultBudget, "time the portfolio may spend")
	cmd.Flags().StringVar(&algo, "algo", "portfolio", "portfolio (dec2's packer) or nomad (Nomad's scheduler)")
	cmd.Flags().Uint64Var(&seed, "seed", 1, "seed for randomized restarts and Nomad's node shuffle")
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
		return nil, usageError{fmt.Errorf("reading the problem: %w", err)}
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
