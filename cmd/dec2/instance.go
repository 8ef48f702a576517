package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"regexp"
	"strings"
	"time"

	"github.com/hashicorp/nomad/api"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/dec2-cloud/dec2/catalog"
	"github.com/dec2-cloud/dec2/cli/instance"
	"github.com/dec2-cloud/dec2/cli/size"
	"github.com/dec2-cloud/dec2/instances"
)

func (a *app) instanceCmd() *cobra.Command {
	c := &cobra.Command{Use: "instance", Short: "Rent, inspect and stop instances"}
	c.AddCommand(a.instanceTypesCmd(), a.instanceRunCmd(), a.instanceLsCmd(), a.instanceDescribeCmd(),
		a.instanceLogsCmd(), a.instanceExecCmd(), a.instanceStopCmd())
	explainRefusals(a, c)
	return c
}

// instances is the instance client: reads from Nomad, submissions and stops through the
// allocator, both in the signed-in namespace.
func (a *app) instances() (*instances.Client, error) {
	nomad, err := a.nomad()
	if err != nil {
		return nil, err
	}
	via, standby, err := a.allocators()
	if err != nil {
		return nil, err
	}
	return instances.New(nomad, via, standby...), nil
}

func (a *app) instanceTypesCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "types",
		Short: "List the instance types (the catalogue)",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			return a.print(instance.Types(catalog.Types()))
		},
	}
}

// specFlags maps the first word of instances.Spec's validation errors to the flag at fault.
var specFlags = []struct{ prefix, flag string }{
	{"name", "--name"}, {"type", "--type"}, {"image", "--image"}, {"port", "--port"},
	{"count", "--count"}, {"gpu memory", "--gpu-memory"}, {"wallet", "--wallet"},
}

func flagError(err error) error {
	for _, f := range specFlags {
		if strings.HasPrefix(err.Error(), f.prefix) {
			return fmt.Errorf("%s: %w", f.flag, err)
		}
	}
	return err
}

func (a *app) instanceRunCmd() *cobra.Command {
	var (
		spec               instances.Spec
		gpuMem, walletFlag string
		timeout            time.Duration
	)
	c := &cobra.Command{
		Use:   "run --type TYPE --image IMAGE",
		Short: "Rent an instance and wait until it runs",
		Example: `  dec2 instance run --type d2.small --image nginx:1.27-alpine --port 80
  dec2 instance run --type g1.a100x1 --image pytorch/pytorch --gpu-memory 40GiB --name train`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			if gpuMem != "" {
				n, err := size.ParseMiB(gpuMem)
				if err != nil {
					return fmt.Errorf("--gpu-memory: %w", err)
				}
				spec.GPUMemoryMiB = int(n)
			}
			if spec.Name == "" {
				spec.Name = defaultName(spec.Image)
			}
			who, err := a.payer(ctx, walletFlag)
			if err != nil {
				return err
			}
			spec.Wallet = who.Hex()
			if err := spec.Validate(); err != nil {
				return flagError(err)
			}
			w, err := a.reader(ctx)
			if err != nil {
				return err
			}
			defer w.Close()
			op, err := a.operator()
			if err != nil {
				return err
			}
			if err := w.RequireFunds(ctx, who, op); err != nil {
				return err
			}
			ic, err := a.instances()
			if err != nil {
				return err
			}
			update, done := a.progress()
			ctx, cancel := context.WithTimeout(ctx, timeout)
			defer cancel()
			in, err := instance.Run(ctx, ic, spec, update)
			done()
			if err != nil {
				return err
			}
			return a.print(in)
		},
	}
	f := c.Flags()
	f.StringVar(&spec.Type, "type", "", "instance type (see `dec2 instance types`)")
	f.StringVar(&spec.Image, "image", "", "container image")
	f.IntSliceVar(&spec.Ports, "port", nil, "container port to expose (repeat or comma-separate)")
	f.StringVar(&gpuMem, "gpu-memory", "", "minimum memory per GPU, e.g. 40GiB (GPU types only)")
	f.IntVar(&spec.Count, "count", 1, "number of copies")
	f.StringVar(&spec.Name, "name", "", "instance name (default: from the image, plus a random suffix)")
	f.StringSliceVar(&spec.Args, "arg", nil, "argument to the image's entrypoint (repeat)")
	f.StringVar(&walletFlag, "wallet", "", "wallet that pays (default: the namespace's wallet after dec2 login, else the key's address)")
	f.StringSliceVar(&spec.Datacenters, "datacenter", nil, "datacenters to run in (default all)")
	f.DurationVar(&timeout, "timeout", 5*time.Minute, "how long to wait for the instance to run")
	_ = c.MarkFlagRequired("type")
	_ = c.MarkFlagRequired("image")
	c.RegisterFlagCompletionFunc("type", func(_ *cobra.Command, _ []string, prefix string) ([]string, cobra.ShellCompDirective) {
		var names []string
		for _, t := range catalog.Types() {
			if strings.HasPrefix(t.Name, prefix) {
				names = append(names, t.Name+"\t"+t.Description)
			}
		}
		return names, cobra.ShellCompDirectiveNoFileComp
	})
	return c
}

var notName = regexp.MustCompile(`[^a-z0-9]+`)

// defaultName derives an instance name from the image: "nginx:1.27" → "nginx-3f9a".
func defaultName(image string) string {
	base := image[strings.LastIndex(image, "/")+1:]
	base, _, _ = strings.Cut(base, ":")
	base, _, _ = strings.Cut(base, "@")
	base = strings.Trim(notName.ReplaceAllString(strings.ToLower(base), "-"), "-")
	if base == "" {
		base = "instance"
	}
	return fmt.Sprintf("%s-%04x", base[:min(len(base), 40)], rand.IntN(1<<16))
}

func (a *app) instanceLsCmd() *cobra.Command {
	var walletFlag string
	var all bool
	c := &cobra.Command{
		Use:   "ls",
		Short: "List instances (the namespace's after dec2 login, else the key's wallet's, or --all)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			who := ""
			// Signed in, the namespace holds only the wallet's instances.
			tenant := a.s.Namespace != "" && walletFlag == ""
			if !all && !tenant {
				addr, err := a.address("wallet", walletFlag)
				if err != nil {
					return fmt.Errorf("%w (or list every instance with --all)", err)
				}
				who = addr.Hex()
			}
			ic, err := a.instances()
			if err != nil {
				return err
			}
			l, err := instance.ListAll(cmd.Context(), ic, who)
			if err != nil {
				return err
			}
			if tenant {
				bound, err := a.boundWallet(cmd.Context())
				if err != nil {
					return err
				}
				for i := range l {
					if l[i].Wallet == "" {
						l[i].Wallet = bound
					}
				}
			}
			return a.print(l)
		},
	}
	c.Flags().StringVar(&walletFlag, "wallet", "", "list this wallet's instances (default: the key's address)")
	c.Flags().BoolVar(&all, "all", false, "list every dec2 instance")
	return c
}

func (a *app) instanceDescribeCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "describe NAME",
		Short: "Show where an instance runs, its addresses and its cost per hour",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ic, err := a.instances()
			if err != nil {
				return err
			}
			in, err := instance.Describe(cmd.Context(), ic, args[0])
			if err != nil {
				return err
			}
			return a.print(in)
		},
	}
}

func (a *app) instanceLogsCmd() *cobra.Command {
	var follow, stderr bool
	var alloc, task string
	c := &cobra.Command{
		Use:   "logs NAME",
		Short: "Print an instance's output",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			nomad, al, t, err := a.target(cmd.Context(), args[0], alloc, task)
			if err != nil {
				return err
			}
			stream := "stdout"
			if stderr {
				stream = "stderr"
			}
			return instance.Logs(cmd.Context(), nomad, al, t, stream, follow, a.stdout)
		},
	}
	f := c.Flags()
	f.BoolVarP(&follow, "follow", "f", false, "keep printing new output until interrupted")
	f.BoolVar(&stderr, "stderr", false, "print stderr instead of stdout")
	f.StringVar(&alloc, "alloc", "", "allocation ID (prefix) when the instance has several")
	f.StringVar(&task, "task", "", "task, when the allocation has several")
	return c
}

func (a *app) instanceExecCmd() *cobra.Command {
	var alloc, task string
	var tty bool
	c := &cobra.Command{
		Use:   "exec NAME -- COMMAND [ARGS...]",
		Short: "Run a command inside an instance",
		Args:  cobra.MinimumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			nomad, al, t, err := a.target(cmd.Context(), args[0], alloc, task)
			if err != nil {
				return err
			}
			if tty {
				restore, err := rawStdin()
				if err != nil {
					return err
				}
				defer restore()
			}
			code, err := instance.Exec(cmd.Context(), nomad, al, t, args[1:], tty, a.stdin, a.stdout, a.stderr)
			if err != nil || code == 0 {
				return err
			}
			return exitError{code}
		},
	}
	f := c.Flags()
	f.StringVar(&alloc, "alloc", "", "allocation ID (prefix) when the instance has several")
	f.StringVar(&task, "task", "", "task, when the allocation has several")
	f.BoolVarP(&tty, "tty", "t", term.IsTerminal(int(os.Stdin.Fd())), "allocate a terminal (default when stdin is one)")
	return c
}

// target finds the allocation and task of instance name that logs and exec work on.
func (a *app) target(ctx context.Context, name, alloc, task string) (*api.Client, *api.Allocation, string, error) {
	nomad, err := a.nomad()
	if err != nil {
		return nil, nil, "", err
	}
	al, err := instance.Pick(ctx, nomad, name, alloc)
	if err != nil {
		return nil, nil, "", err
	}
	t, err := instance.TaskOf(al, task)
	if err != nil {
		return nil, nil, "", err
	}
	return nomad, al, t, nil
}

// rawStdin puts the terminal in raw mode so keys reach the remote shell as typed.
func rawStdin() (func(), error) {
	fd := int(os.Stdin.Fd())
	if !term.IsTerminal(fd) {
		return nil, fmt.Errorf("--tty: stdin is not a terminal (leave out -t)")
	}
	st, err := term.MakeRaw(fd)
	if err != nil {
		return nil, fmt.Errorf("--tty: %w", err)
	}
	return func() { _ = term.Restore(fd, st) }, nil
}

func (a *app) instanceStopCmd() *cobra.Command {
	var purge, noWait bool
	var timeout time.Duration
	c := &cobra.Command{
		Use:   "stop NAME",
		Short: "Stop an instance (billing stops with it)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ic, err := a.instances()
			if err != nil {
				return err
			}
			ctx, cancel := context.WithTimeout(cmd.Context(), timeout)
			defer cancel()
			if err := instance.Stop(ctx, ic, args[0], purge, !noWait); err != nil {
				return err
			}
			fmt.Fprintf(a.stderr, "instance %s stopped\n", args[0])
			return nil
		},
	}
	f := c.Flags()
	f.BoolVar(&purge, "purge", false, "also forget the instance's history in Nomad")
	f.BoolVar(&noWait, "no-wait", false, "return without waiting for the allocations to stop")
	f.DurationVar(&timeout, "timeout", 2*time.Minute, "how long to wait for the allocations to stop")
	return c
}
