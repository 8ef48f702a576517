package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/dec2-cloud/dec2/allocator/packcli"
	"github.com/dec2-cloud/dec2/allocator/service"
)

func newPlanCmd() *cobra.Command {
	var (
		nf   nomadFlags
		file string
		ns   string
		vars []string
	)
	cmd := &cobra.Command{
		Use:   "plan -f job.nomad.hcl [--var k=v ...] [--nomad-addr URL]",
		Short: "Show where the allocator would place a job now, and what is left on each node",
		Long: `plan parses the job with Nomad's own parser (/v1/jobs/parse), reads the region, packs the
job as serve would (keeping a running version's placement where its groups are unchanged)
and prints the chosen nodes with the capacity left on each. Nothing is submitted or held.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if file == "" {
				return packcli.UsageError{Err: fmt.Errorf("-f is required: the job file to plan")}
			}
			src, err := os.ReadFile(file)
			if err != nil {
				return packcli.UsageError{Err: fmt.Errorf("reading the job file: %w", err)}
			}
			cfg := service.Config{NomadAddr: nf.addr, Token: nf.token, Region: nf.region}
			ctx := withContext(cmd)
			job, err := service.ParseJob(ctx, cfg, ns, string(src), strings.Join(vars, "\n"))
			if err != nil {
				return err
			}
			rep, err := service.PlanOnce(ctx, cfg, job)
			if err != nil {
				return err
			}
			return printReport(cmd, rep)
		},
	}
	nf.register(cmd)
	cmd.Flags().StringVarP(&file, "file", "f", "", "job file (HCL2, as nomad job run takes it)")
	cmd.Flags().StringArrayVar(&vars, "var", nil, "HCL2 variable, k=v (repeatable)")
	cmd.Flags().StringVar(&ns, "namespace", os.Getenv("NOMAD_NAMESPACE"), "namespace to parse and plan in when the job names none ($NOMAD_NAMESPACE if set)")
	return cmd
}

func printReport(cmd *cobra.Command, rep *service.Report) error {
	w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 0, 2, ' ', 0)
	fmt.Fprintf(w, "Job %q: %d node(s) in use by the new instances (lower bound %d), %s\n\n", rep.Job, rep.Stats.NodesUsed, rep.Stats.LowerBound, algo(rep.Stats.Algorithm))
	fmt.Fprintln(w, "GROUP\tTASK GROUP\tNODE\tNAME\tINSTANCES\tPLACEMENT\tCPU LEFT MHz\tMEMORY LEFT MiB\tDISK LEFT MiB\tGPUS LEFT")
	for _, r := range rep.Rows {
		how := "new"
		if r.Kept {
			how = "kept"
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%d\t%s\t%d\t%d\t%d\t%s\n", r.Group, r.Part, short(r.NodeID), r.NodeName, r.Instances, how,
			r.Left.CPUMHz, r.Left.MemoryMB, r.Left.DiskMB, strconv.Itoa(r.LeftGPUs))
	}
	return w.Flush()
}

func algo(name string) string {
	if name == "" {
		return "nothing to pack"
	}
	return "chosen by " + name
}

func short(id string) string {
	if len(id) > 8 {
		return id[:8]
	}
	return id
}
