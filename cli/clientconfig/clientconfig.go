// Package clientconfig renders the Nomad client agent configuration a provider runs with:
// the hardened Docker driver, the dec2-gpu device plugin, and the node meta billing and the
// allocator read (CONVENTIONS: dec2.wallet, dec2.price.*, dec2.dedicated_tenant). It is pure:
// `dec2 provider join` writes what Render returns.
package clientconfig

import (
	"errors"
	"fmt"
	"maps"
	"net"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/ethereum/go-ethereum/common"

	"github.com/dec2-cloud/dec2/conventions"
	"github.com/dec2-cloud/dec2/nomad-plugins/gpu/gpuconfig"
)

// Meta keys this package writes besides the prices.
const (
	MetaWallet          = "dec2.wallet"
	MetaDedicatedTenant = "dec2.dedicated_tenant"
	MetaSandbox         = conventions.MetaSandbox
)

// Sandboxes a provider may run consumer tasks under (docs/sandbox.md).
const (
	// SandboxGVisor runs consumer tasks under gVisor's runsc; node meta dec2.sandbox = "gvisor".
	SandboxGVisor = "gvisor"
	// GVisorRuntime is the Docker runtime name runsc is registered under.
	GVisorRuntime = "runsc"
	// DefaultGPURuntime is Nomad's runtime for tasks given NVIDIA GPUs.
	DefaultGPURuntime = "nvidia"
)

// DefaultPidsLimit caps the processes of one task (the docker plugin's pids_limit): a fork
// bomb stops there. A task may ask for less, never more.
const DefaultPidsLimit = 1024

// cloudFingerprinters dial 169.254.169.254 at start-up. dec2 prices nodes by their meta, not
// their cloud's metadata, and with AWS_CA_BUNDLE set env_aws even aborts the agent.
const cloudFingerprinters = "env_aws,env_gce,env_azure,env_digitalocean"

// dockerCaps is the short list of capabilities a task may add back after dropping all: enough
// for ordinary images (nginx, postgres), never anything that reaches the host.
var dockerCaps = []string{"chown", "dac_override", "fowner", "kill", "net_bind_service", "setgid", "setuid"}

// Ports are the agent's own ports; zero means Nomad's default (4646, 4647, 4648).
type Ports struct{ HTTP, RPC, Serf int }

// Config is one provider machine's client agent.
type Config struct {
	Name    string // node name; "" = the host name
	DataDir string
	Servers []string // host:port of the region's servers (RPC)
	// BindAddr is where the agent listens; Advertise is the address others reach it at
	// ("" = Nomad's choice).
	BindAddr, Advertise string
	Ports               Ports
	// NetworkInterface is the interface allocation ports are bound on ("" = the default route's).
	NetworkInterface string
	// MinDynamicPort and MaxDynamicPort bound the ports allocations get (0 = Nomad's 20000-32000).
	MinDynamicPort, MaxDynamicPort int
	CgroupParent                   string // "" = Nomad's "nomad"
	NodePool                       string // "" = default
	ACL                            bool   // the region enforces ACLs
	Wallet                         common.Address
	Prices                         map[string]string // node meta dec2.price.*
	DedicatedTenant                string
	PluginDir                      string
	// GPU configures the dec2-gpu plugin; nil leaves it out (a machine without GPUs).
	GPU *gpuconfig.Config
	// SharedDocker keeps the Docker driver from garbage-collecting images and dangling
	// containers: another agent (or person) uses the same dockerd.
	SharedDocker bool
	// GPURuntime is the Docker runtime of tasks given GPUs ("" = Nomad's, nvidia, the NVIDIA
	// container runtime). Fake GPUs have no driver for it to mount, so they use runc.
	GPURuntime string
	// Sandbox is "" (tasks run under Docker's runc with the hardened defaults) or "gvisor"
	// (allow_runtimes lets tasks use only runsc, besides GPU tasks' runtime; node meta
	// dec2.sandbox). Docker must have runsc registered, and as its default runtime for tasks
	// that name none (DockerDaemonKeys).
	Sandbox string
	// PidsLimit is the docker plugin's pids_limit (0 = DefaultPidsLimit).
	PidsLimit int
}

// runtimeName is what dockerd accepts as a runtime's name.
var runtimeName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]*$`)

// Validate names the first field a provider must fix.
func (c Config) Validate() error {
	var errs []error
	if c.DataDir == "" {
		errs = append(errs, errors.New("--data-dir: say where the agent keeps its state"))
	}
	if len(c.Servers) == 0 {
		errs = append(errs, errors.New("--servers: name at least one server, e.g. 10.0.0.1:4647"))
	}
	for _, s := range c.Servers {
		if _, port, err := net.SplitHostPort(s); err != nil || port == "" {
			errs = append(errs, fmt.Errorf("--servers: %q is not host:port (the server's RPC port, normally 4647)", s))
		}
	}
	if c.Wallet == (common.Address{}) {
		errs = append(errs, errors.New("--wallet: the provider's 0x address is required"))
	}
	for _, p := range []int{c.Ports.HTTP, c.Ports.RPC, c.Ports.Serf, c.MinDynamicPort, c.MaxDynamicPort} {
		if p < 0 || p > 65535 {
			errs = append(errs, fmt.Errorf("ports: %d is not a TCP port (--http-port, --rpc-port, --serf-port, --dynamic-ports)", p))
		}
	}
	if (c.MinDynamicPort == 0) != (c.MaxDynamicPort == 0) || c.MinDynamicPort > c.MaxDynamicPort {
		errs = append(errs, fmt.Errorf("--dynamic-ports %d-%d: give both bounds, low before high", c.MinDynamicPort, c.MaxDynamicPort))
	}
	if c.GPURuntime != "" && !runtimeName.MatchString(c.GPURuntime) {
		errs = append(errs, fmt.Errorf("--gpu-runtime %q: want a Docker runtime name such as nvidia or runc", c.GPURuntime))
	}
	if c.Sandbox != "" && c.Sandbox != SandboxGVisor {
		errs = append(errs, fmt.Errorf("--sandbox %q: want %q or nothing", c.Sandbox, SandboxGVisor))
	}
	if c.PidsLimit < 0 {
		errs = append(errs, fmt.Errorf("--pids-limit %d: want a positive number of processes", c.PidsLimit))
	}
	for k := range c.Prices {
		if !strings.HasPrefix(k, "dec2.price.") {
			errs = append(errs, fmt.Errorf("--price-file: %q is not a dec2.price.* key", k))
		}
	}
	return errors.Join(errs...)
}

// Render returns the agent configuration as HCL. Call Validate first.
func (c Config) Render() string {
	var b strings.Builder
	line := func(indent int, format string, args ...any) {
		b.WriteString(strings.Repeat("  ", indent))
		fmt.Fprintf(&b, format, args...)
		b.WriteString("\n")
	}
	b.WriteString("# Nomad client agent of a dec2 provider, written by `dec2 provider join`.\n")
	if c.Name != "" {
		line(0, "name = %q", c.Name)
	}
	line(0, "data_dir = %q", c.DataDir)
	if c.BindAddr != "" {
		line(0, "bind_addr = %q", c.BindAddr)
	}
	line(0, "disable_update_check = true")
	// A provider that stops its agent leaves the cluster cleanly instead of looking lost.
	line(0, "leave_on_interrupt = true\nleave_on_terminate = true")
	if c.Ports != (Ports{}) {
		line(0, "ports {")
		for _, p := range []struct {
			name string
			port int
		}{{"http", c.Ports.HTTP}, {"rpc", c.Ports.RPC}, {"serf", c.Ports.Serf}} {
			if p.port != 0 {
				line(1, "%s = %d", p.name, p.port)
			}
		}
		line(0, "}")
	}
	if c.Advertise != "" {
		line(0, "advertise {\n  http = %q\n  rpc = %q\n  serf = %q\n}", c.Advertise, c.Advertise, c.Advertise)
	}
	if c.ACL {
		line(0, "acl {\n  enabled = true\n}")
	}
	// Billing meters from allocation stats, which read zeros unless these are published.
	line(0, "telemetry {\n  publish_allocation_metrics = true\n  publish_node_metrics = true\n  collection_interval = \"1s\"\n}")
	line(0, "server {\n  enabled = false\n}")
	line(0, "client {")
	line(1, "enabled = true")
	line(1, "servers = [%s]", quoteList(c.Servers))
	if c.NodePool != "" {
		line(1, "node_pool = %q", c.NodePool)
	}
	if c.NetworkInterface != "" {
		line(1, "network_interface = %q", c.NetworkInterface)
	}
	if c.MinDynamicPort != 0 {
		line(1, "min_dynamic_port = %d", c.MinDynamicPort)
		line(1, "max_dynamic_port = %d", c.MaxDynamicPort)
	}
	if c.CgroupParent != "" {
		line(1, "cgroup_parent = %q", c.CgroupParent)
	}
	line(1, "meta {")
	meta := c.Meta()
	for _, k := range slices.Sorted(maps.Keys(meta)) {
		line(2, "%q = %q", k, meta[k])
	}
	line(1, "}")
	line(1, "options {")
	line(2, "\"fingerprint.denylist\" = %q", cloudFingerprinters)
	line(1, "}")
	line(0, "}")
	if c.PluginDir != "" {
		line(0, "plugin_dir = %q", c.PluginDir)
	}
	line(0, "plugin \"docker\" {")
	line(1, "config {")
	line(2, "allow_privileged = false")
	line(2, "allow_caps = [%s]", quoteList(dockerCaps))
	line(2, "volumes {")
	line(3, "enabled = false")
	line(2, "}")
	line(2, "extra_labels = [\"job_name\", \"task_group_name\", \"task_name\", \"namespace\", \"node_id\", \"node_name\"]")
	if c.GPURuntime != "" {
		line(2, "nvidia_runtime = %q", c.GPURuntime)
	}
	line(2, "allow_runtimes = [%s]", quoteList(AllowRuntimes(c.Sandbox, c.GPURuntime)))
	line(2, "pids_limit = %d", c.pidsLimit())
	if c.SharedDocker {
		line(2, "gc {")
		line(3, "image = false")
		line(3, "dangling_containers {")
		line(4, "enabled = false")
		line(3, "}")
		line(2, "}")
	}
	line(1, "}")
	line(0, "}")
	if c.GPU != nil {
		b.WriteString(c.GPU.AgentHCL())
	}
	return b.String()
}

// Meta is the node meta the agent advertises.
func (c Config) Meta() map[string]string {
	m := maps.Clone(c.Prices)
	if m == nil {
		m = map[string]string{}
	}
	m[MetaWallet] = c.Wallet.Hex()
	if c.DedicatedTenant != "" {
		m[MetaDedicatedTenant] = c.DedicatedTenant
	}
	if c.Sandbox != "" {
		m[MetaSandbox] = c.Sandbox
	}
	return m
}

func (c Config) pidsLimit() int {
	if c.PidsLimit > 0 {
		return c.PidsLimit
	}
	return DefaultPidsLimit
}

// AllowRuntimes is the docker plugin's allow_runtimes for a sandbox and GPU runtime ("" =
// Nomad's nvidia): runc, or runsc under gVisor, and GPU tasks' runtime, which keeps NVIDIA's.
// Nomad lets a task that names no runtime run under Docker's default runtime whatever this
// list says, so a gVisor provider also makes runsc Docker's default (DockerDaemonKeys).
func AllowRuntimes(sandbox, gpuRuntime string) []string {
	rt := []string{"runc"}
	if sandbox == SandboxGVisor {
		rt = []string{GVisorRuntime}
	}
	if gpuRuntime == "" {
		gpuRuntime = DefaultGPURuntime
	}
	if !slices.Contains(rt, gpuRuntime) {
		rt = append(rt, gpuRuntime)
	}
	return rt
}

func quoteList(items []string) string {
	quoted := make([]string, len(items))
	for i, s := range items {
		quoted[i] = strconv.Quote(s)
	}
	return strings.Join(quoted, ", ")
}
