package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/hashicorp/nomad/api"
	"github.com/spf13/cobra"

	"github.com/dec2-cloud/dec2/cli/clientconfig"
	"github.com/dec2-cloud/dec2/cli/pricefile"
	"github.com/dec2-cloud/dec2/cli/provider"
	"github.com/dec2-cloud/dec2/cli/size"
	"github.com/dec2-cloud/dec2/cli/wallet"
	"github.com/dec2-cloud/dec2/nomad-plugins/gpu/gpuconfig"
)

const defaultDataDir = "/var/lib/dec2/nomad"

func (a *app) providerCmd() *cobra.Command {
	c := &cobra.Command{Use: "provider", Short: "Join this machine as a provider, see its standing, leave"}
	c.AddCommand(a.providerJoinCmd(), a.providerStatusCmd(), a.providerEarningsCmd(), a.providerLeaveCmd())
	return c
}

func (a *app) providerJoinCmd() *cobra.Command {
	var (
		cfg                                       clientconfig.Config
		walletFlag, priceFile, gpuPlugin, gpuFake string
		dynamicPorts, stake, nomadBin             string
		storageDir, storageSize                   string
		storagePort                               int
		start                                     bool
		dockerSetup                               clientconfig.DockerSetup
	)
	c := &cobra.Command{
		Use:   "join --servers HOST:4647 --price-file prices.json",
		Short: "Write this machine's Nomad client config and stake for it in ProviderRegistry",
		Example: `  dec2 provider join --servers 10.0.0.1:4647 --price-file prices.json
  dec2 provider join --servers 10.1.0.1:4647 --region us --price-file prices.json
  dec2 provider join --servers 10.0.0.1:4647 --price-file prices.json --gpu-plugin /opt/dec2/plugins/dec2-gpu --start
  dec2 provider join --servers 10.0.0.1:4647 --price-file prices.json --advertise 10.0.0.7 --storage /srv/dec2-storage --storage-size 500GiB`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			who, err := a.address("wallet", walletFlag)
			if err != nil {
				return err
			}
			cfg.Wallet = who
			pf, err := os.Open(priceFile)
			if err != nil {
				return fmt.Errorf("--price-file: %w", err)
			}
			prices, err := pricefile.Parse(pf)
			pf.Close()
			if err != nil {
				return fmt.Errorf("--price-file %s: %w", priceFile, err)
			}
			cfg.Prices = prices.Meta()
			if cfg.MinDynamicPort, cfg.MaxDynamicPort, err = portRange(dynamicPorts); err != nil {
				return err
			}
			if cfg.GPU, cfg.PluginDir, err = gpuPluginConfig(gpuPlugin, gpuFake); err != nil {
				return err
			}
			if cfg.Storage, err = storageConfig(storageDir, storageSize, storagePort); err != nil {
				return err
			}
			if gpuFake != "" && cfg.GPURuntime == "" {
				cfg.GPURuntime = "runc"
			}
			amount, err := wallet.ParseAmount(stake)
			if err != nil {
				return fmt.Errorf("--stake: %w", err)
			}
			if cfg.DataDir, err = filepath.Abs(cfg.DataDir); err != nil {
				return fmt.Errorf("--data-dir: %w", err)
			}
			if err := cfg.Validate(); err != nil {
				return err
			}
			// Nomad refuses a host volume whose path is missing.
			if cfg.Storage != nil {
				if err := os.MkdirAll(cfg.Storage.Dir, 0o750); err != nil {
					return fmt.Errorf("--storage: creating %s: %w", cfg.Storage.Dir, err)
				}
			}
			// Docker's side of the hardening (docs/sandbox.md): no-new-privileges, icc=false, the
			// metadata rule, and under --sandbox gvisor runsc as Docker's default runtime.
			dockerSetup.Sandbox, dockerSetup.Shared = cfg.Sandbox, cfg.SharedDocker
			if err := dockerSetup.Apply(a.stderr); err != nil {
				return err
			}
			w, err := a.signer(cmd.Context())
			if err != nil {
				return err
			}
			defer w.Close()
			j, err := provider.Join(cmd.Context(), w, cfg, amount, nomadBin)
			if err != nil {
				return err
			}
			if !start {
				return a.print(j)
			}
			bin, err := exec.LookPath(nomadBin)
			if err != nil {
				return fmt.Errorf("--nomad-bin %q: %w (install Nomad or pass its path)", nomadBin, err)
			}
			fmt.Fprintf(a.stderr, "node %s staked; starting: %s\n", j.NodeID, j.Start)
			// The agent takes over this process: signals and exit status are its own.
			return syscall.Exec(bin, []string{bin, "agent", "-config", j.ConfigPath}, os.Environ())
		},
	}
	f := c.Flags()
	f.StringSliceVar(&cfg.Servers, "servers", nil, "the region's Nomad servers, host:port of their RPC (4647)")
	f.StringVar(&walletFlag, "wallet", "", "provider wallet paid for this machine's work (default: the key's address)")
	f.StringVar(&priceFile, "price-file", "", `JSON prices, e.g. {"cpu_ghz_hour": "0.02", "mem_gb_hour": "0.005", "gpu_hour": {"A100-80GB": "1.5"}}`)
	f.StringVar(&gpuPlugin, "gpu-plugin", "", "path of the dec2-gpu plugin binary (its directory becomes plugin_dir)")
	f.StringVar(&gpuFake, "gpu-fake-devices", "", "fake GPUs from this JSON file instead of real ones (demos, tests)")
	f.StringVar(&cfg.GPURuntime, "gpu-runtime", "", "Docker runtime of tasks given GPUs (default nvidia, the NVIDIA container runtime; runc with --gpu-fake-devices)")
	f.StringVar(&cfg.DataDir, "data-dir", defaultDataDir, "the agent's state directory; the config is written into it")
	f.StringVar(&cfg.Name, "name", "", "node name (default: the host name)")
	f.StringVar(&cfg.NodePool, "node-pool", "", "Nomad node pool to join")
	f.StringVar(&cfg.Region, "region", "", "Nomad region of --servers, in a federation of regions (default global)")
	f.StringVar(&cfg.BindAddr, "bind", "", "address the agent listens on (default 0.0.0.0)")
	f.StringVar(&cfg.Advertise, "advertise", "", "address the servers reach this agent at")
	f.IntVar(&cfg.Ports.HTTP, "http-port", 0, "agent HTTP port (default 4646)")
	f.IntVar(&cfg.Ports.RPC, "rpc-port", 0, "agent RPC port (default 4647)")
	f.IntVar(&cfg.Ports.Serf, "serf-port", 0, "agent Serf port (default 4648)")
	f.StringVar(&cfg.NetworkInterface, "network-interface", "", "interface instances' ports are bound on")
	f.StringVar(&dynamicPorts, "dynamic-ports", "", "port range for instances, LOW-HIGH (default 20000-32000)")
	f.StringVar(&cfg.CgroupParent, "cgroup-parent", "", "cgroup parent of the agent's tasks (default nomad)")
	f.StringVar(&cfg.DedicatedTenant, "dedicated-tenant", "", "namespace whose work alone may run here")
	f.BoolVar(&cfg.ACL, "acl", true, "the region enforces Nomad ACLs (every dec2 region with tenants does; --acl=false only for a private region)")
	f.BoolVar(&cfg.SharedDocker, "shared-docker", false, "another agent uses this dockerd: never garbage-collect images or containers")
	f.StringVar(&cfg.Sandbox, "sandbox", "", `run consumer tasks under gVisor ("gvisor"): registers runsc with Docker as its default runtime and sets node meta dec2.sandbox`)
	f.IntVar(&cfg.PidsLimit, "pids-limit", clientconfig.DefaultPidsLimit, "most processes one task may run (the Docker driver's pids_limit)")
	f.StringVar(&dockerSetup.DaemonJSON, "docker-daemon-config", clientconfig.DefaultDaemonJSON, "Docker's daemon config, merged with dec2's keys (not with --shared-docker)")
	f.StringVar(&stake, "stake", "1000", "tokens to stake (at least the registry's minimum)")
	f.StringVar(&nomadBin, "nomad-bin", "nomad", "the nomad binary, for --start and the printed command")
	f.BoolVar(&start, "start", false, "start the agent after joining (it replaces this process)")
	f.StringVar(&storageDir, "storage", "", "offer this directory's disk for S3 pieces: a host volume for dec2-storagenode (needs --storage-size and --advertise)")
	f.StringVar(&storageSize, "storage-size", "", "how much of --storage to offer, e.g. 500GiB or 2TiB")
	f.IntVar(&storagePort, "storage-port", clientconfig.DefaultStoragePort, "the port dec2-storagenode serves on (advertised in node meta)")
	_ = c.MarkFlagRequired("servers")
	_ = c.MarkFlagRequired("price-file")
	_ = c.MarkFlagFilename("price-file", "json")
	_ = c.MarkFlagFilename("gpu-fake-devices", "json")
	_ = c.MarkFlagDirname("data-dir")
	return c
}

// storageConfig reads --storage, --storage-size and --storage-port; no --storage offers none.
func storageConfig(dir, sizeFlag string, port int) (*clientconfig.Storage, error) {
	if dir == "" {
		if sizeFlag != "" {
			return nil, errors.New("--storage-size needs --storage, the directory whose disk is offered")
		}
		return nil, nil
	}
	if sizeFlag == "" {
		return nil, errors.New("--storage needs --storage-size: say how much of the disk to offer, e.g. 500GiB")
	}
	mib, err := size.ParseMiB(sizeFlag)
	if err != nil {
		return nil, fmt.Errorf("--storage-size: %w", err)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("--storage: %w", err)
	}
	return &clientconfig.Storage{Dir: abs, CapacityBytes: mib << 20, Port: port}, nil
}

// portRange reads --dynamic-ports "LOW-HIGH".
func portRange(s string) (int, int, error) {
	if s == "" {
		return 0, 0, nil
	}
	lo, hi, ok := strings.Cut(s, "-")
	l, err1 := strconv.Atoi(strings.TrimSpace(lo))
	h, err2 := strconv.Atoi(strings.TrimSpace(hi))
	if !ok || err1 != nil || err2 != nil || l < 1 || h > 65535 || l > h {
		return 0, 0, fmt.Errorf("--dynamic-ports %q: want LOW-HIGH within 1-65535, e.g. 20000-32000", s)
	}
	return l, h, nil
}

// gpuPluginConfig turns --gpu-plugin and --gpu-fake-devices into the plugin block and plugin_dir.
func gpuPluginConfig(path, fake string) (*gpuconfig.Config, string, error) {
	if path == "" {
		if fake != "" {
			return nil, "", fmt.Errorf("--gpu-fake-devices needs --gpu-plugin (the dec2-gpu binary that serves them)")
		}
		return nil, "", nil
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, "", fmt.Errorf("--gpu-plugin: %w", err)
	}
	if st, err := os.Stat(abs); err != nil || st.IsDir() || st.Mode()&0o111 == 0 {
		return nil, "", fmt.Errorf("--gpu-plugin %s: want the executable dec2-gpu binary (build it with `make plugins`)", path)
	}
	if filepath.Base(abs) != gpuconfig.Name {
		return nil, "", fmt.Errorf("--gpu-plugin %s: Nomad finds the plugin by file name, so it must be called %s", path, gpuconfig.Name)
	}
	c := gpuconfig.DefaultConfig()
	if fake != "" {
		if c.FakeDevicesFile, err = filepath.Abs(fake); err != nil {
			return nil, "", fmt.Errorf("--gpu-fake-devices: %w", err)
		}
		c.Backends = []string{gpuconfig.BackendFake}
	}
	return &c, filepath.Dir(abs), nil
}

// nodeFlags find the node a status or leave is about.
type nodeFlags struct{ dataDir, node string }

func (n *nodeFlags) register(c *cobra.Command) {
	c.Flags().StringVar(&n.dataDir, "data-dir", defaultDataDir, "the agent's state directory (the node ID is read from it)")
	c.Flags().StringVar(&n.node, "node", "", "node ID, instead of reading it from --data-dir")
}

func (n nodeFlags) id() (string, error) {
	if n.node != "" {
		return n.node, nil
	}
	return provider.ReadNodeID(n.dataDir)
}

// attestorsEnv lists attestors' base URLs, comma-separated, for `provider status --attestor`.
const attestorsEnv = "DEC2_ATTESTORS"

func (a *app) providerStatusCmd() *cobra.Command {
	var n nodeFlags
	var addr string
	var attestors []string
	c := &cobra.Command{
		Use:   "status",
		Short: "Show this node in Nomad, its stake on chain and its reputation with the attestors",
		Example: `  dec2 provider status
  dec2 provider status --attestor http://10.0.0.5:4658 --attestor http://10.0.1.5:4658`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkAttestors(attestors); err != nil {
				return err
			}
			id, err := n.id()
			if err != nil {
				return err
			}
			who, err := a.address("wallet", addr)
			if err != nil {
				return err
			}
			w, nomad, err := a.chainAndNomad(cmd.Context(), a.reader)
			if err != nil {
				return err
			}
			defer w.Close()
			s, err := provider.ReadStatus(cmd.Context(), w, nomad, who, id)
			if err != nil {
				return err
			}
			s.Attestors, s.Reputation = provider.ReadReputation(cmd.Context(), http.DefaultClient, attestors, id)
			return a.print(s)
		},
	}
	n.register(c)
	c.Flags().StringVar(&addr, "wallet", "", "provider wallet (default: the key's address)")
	c.Flags().StringSliceVar(&attestors, "attestor", splitList(a.getenv(attestorsEnv)),
		"an attestor's base URL, e.g. http://10.0.0.5:4658 (repeatable; default $"+attestorsEnv+", comma-separated)")
	return c
}

// splitList reads a comma-separated environment list, blanks dropped.
func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// checkAttestors refuses attestor addresses that are not http(s) URLs, before anything is asked.
func checkAttestors(urls []string) error {
	for _, u := range urls {
		p, err := url.Parse(u)
		if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
			return fmt.Errorf("--attestor %q (or $%s): want an http(s) URL such as http://10.0.0.5:4658", u, attestorsEnv)
		}
	}
	return nil
}

func (a *app) providerEarningsCmd() *cobra.Command {
	var s statementFlags
	c := &cobra.Command{
		Use:   "earnings",
		Short: "What consumers were charged for work on this provider's nodes",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, _ []string) error { return a.statement(cmd, s, true) },
	}
	s.register(c)
	return c
}

func (a *app) providerLeaveCmd() *cobra.Command {
	var n nodeFlags
	var deadline time.Duration
	c := &cobra.Command{
		Use:   "leave",
		Short: "Drain this node and unbond its stake",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			id, err := n.id()
			if err != nil {
				return err
			}
			w, nomad, err := a.chainAndNomad(cmd.Context(), a.signer)
			if err != nil {
				return err
			}
			defer w.Close()
			l, err := provider.Leave(cmd.Context(), w, nomad, id, deadline)
			if err != nil {
				return err
			}
			return a.print(l)
		},
	}
	n.register(c)
	c.Flags().DurationVar(&deadline, "deadline", time.Hour, "how long running instances get to move before they are stopped")
	return c
}

// chainAndNomad opens the chain (for reads or signing) and a Nomad client.
func (a *app) chainAndNomad(ctx context.Context, open func(context.Context) (*wallet.Wallet, error)) (*wallet.Wallet, *api.Client, error) {
	nomad, err := a.nomad()
	if err != nil {
		return nil, nil, err
	}
	w, err := open(ctx)
	if err != nil {
		return nil, nil, err
	}
	return w, nomad, nil
}
