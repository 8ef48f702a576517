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
	"path/filepath"
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
	MetaWallet          = conventions.MetaWallet
	MetaDedicatedTenant = conventions.MetaDedicatedTenant
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
	// Storage, when set, offers Dir's disk for S3 pieces: a host volume for dec2-storagenode
	// and the node meta that lets gateways and placement find it.
	Storage *Storage

	// What `dec2 provider join` leaves to Nomad, and the test harness and the Terraform
	// provider-node module set; zero values leave each out.

	Region, Datacenter string
	LogLevel           string
	// CPUTotalCompute (MHz) and MemoryTotalMB override what the client fingerprints.
	CPUTotalCompute, MemoryTotalMB int
	// DiskTotalMB sets both disk_total_mb and disk_free_mb.
	DiskTotalMB int
	// Meta is further node meta; Prices, the wallet, the dedicated tenant and the sandbox win.
	Meta map[string]string
	// HostNetworks are the client's host_network blocks.
	HostNetworks []HostNetwork
	// HostVolumes are further host_volume blocks, name → host path (writable).
	HostVolumes map[string]string
	// RawExec enables the raw_exec driver (tests only: it runs tasks unconfined as the agent's
	// user); the config always says whether it is on.
	RawExec bool
}

// Storage is what `dec2 provider join --storage DIR --storage-size SIZE` offers.
type Storage struct {
	Dir           string // absolute; the host volume's path
	CapacityBytes int64
	// Port is where dec2-storagenode serves on the advertised address (0 = DefaultStoragePort).
	Port int
}

// StorageVolume names the host volume holding the pieces (jobspecs/storagenode.nomad.hcl's
// default); DefaultStoragePort is dec2-storagenode's port (docs/conventions.md).
const (
	StorageVolume      = "dec2-storage"
	DefaultStoragePort = 4660
)

// Endpoint is the storage node's URL as gateways reach it at advertise.
func (s Storage) Endpoint(advertise string) string {
	port := s.Port
	if port == 0 {
		port = DefaultStoragePort
	}
	return "http://" + net.JoinHostPort(advertise, strconv.Itoa(port))
}

// HostNetwork is a client host_network block: allocation ports with host_network = Name bind
// on Interface's address.
type HostNetwork struct{ Name, Interface string }

// runtimeName is what dockerd accepts as a runtime's name.
var runtimeName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]*$`)

// regionName keeps region names to what reads the same in a URL's ?region=, a Terraform
// variable and a node name, though Nomad itself takes any string.
var regionName = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`)

// ValidRegion reports whether name is a region name dec2 accepts: 1-63 lowercase letters,
// digits and dashes, not starting with a dash ("global", "eu", "us-east").
func ValidRegion(name string) bool { return regionName.MatchString(name) }

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
	if c.Region != "" && !ValidRegion(c.Region) {
		errs = append(errs, fmt.Errorf("--region %q: want 1-63 lowercase letters, digits and dashes, e.g. eu or us-east", c.Region))
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
	for _, v := range c.strings() {
		if strings.Contains(v, "${") || strings.Contains(v, "%{") {
			errs = append(errs, fmt.Errorf("%q: ${ and %%{ would read differently to Nomad (HCL 1) and HCL 2 tools; leave them out", v))
		}
	}
	for k := range c.Prices {
		if !strings.HasPrefix(k, "dec2.price.") {
			errs = append(errs, fmt.Errorf("--price-file: %q is not a dec2.price.* key", k))
		}
	}
	if st := c.Storage; st != nil {
		if !filepath.IsAbs(st.Dir) {
			errs = append(errs, fmt.Errorf("--storage %q: want the absolute path of the directory pieces are kept in", st.Dir))
		}
		if st.CapacityBytes <= 0 {
			errs = append(errs, errors.New("--storage-size: say how much of the disk to offer, e.g. 500GiB"))
		}
		if c.Advertise == "" {
			errs = append(errs, errors.New("--storage needs --advertise: the address consumers' gateways reach the storage node at"))
		}
		if st.Port < 0 || st.Port > 65535 {
			errs = append(errs, fmt.Errorf("--storage-port %d is not a TCP port", st.Port))
		}
	}
	return errors.Join(errs...)
}

// NodeMeta is the node meta the agent advertises: Meta, Prices, the wallet (when set), the
// dedicated tenant and the sandbox.
func (c Config) NodeMeta() map[string]string {
	m := maps.Clone(c.Meta)
	if m == nil {
		m = map[string]string{}
	}
	maps.Copy(m, c.Prices)
	if c.Wallet != (common.Address{}) {
		m[MetaWallet] = c.Wallet.Hex()
	}
	if c.DedicatedTenant != "" {
		m[MetaDedicatedTenant] = c.DedicatedTenant
	}
	if c.Sandbox != "" {
		m[MetaSandbox] = c.Sandbox
	}
	if c.Storage != nil {
		m[conventions.MetaStorageCapacity] = strconv.FormatInt(c.Storage.CapacityBytes, 10)
		m[conventions.MetaStorageEndpoint] = c.Storage.Endpoint(c.Advertise)
	}
	return m
}

// Volumes are the client's host volumes: HostVolumes and the storage volume.
func (c Config) Volumes() map[string]string {
	v := maps.Clone(c.HostVolumes)
	if c.Storage != nil {
		if v == nil {
			v = map[string]string{}
		}
		v[StorageVolume] = c.Storage.Dir
	}
	return v
}

// strings are the config's string values, which Render writes into the agent config.
func (c Config) strings() []string {
	s := []string{c.Name, c.Region, c.Datacenter, c.DataDir, c.BindAddr, c.Advertise, c.NetworkInterface,
		c.CgroupParent, c.NodePool, c.DedicatedTenant, c.PluginDir, c.LogLevel}
	s = append(s, c.Servers...)
	for k, v := range c.NodeMeta() {
		s = append(s, k, v)
	}
	for _, hn := range c.HostNetworks {
		s = append(s, hn.Name, hn.Interface)
	}
	for name, path := range c.Volumes() {
		s = append(s, name, path)
	}
	if c.GPU != nil {
		s = append(s, c.GPU.FakeDevicesFile, c.GPU.SysfsRoot, c.GPU.NVMLLibrary)
		s = append(s, c.GPU.IgnoredGPUIDs...)
	}
	return s
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
