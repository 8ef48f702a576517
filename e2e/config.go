package e2e

import (
	"fmt"
	"maps"
	"net"
	"slices"
	"strconv"
	"strings"

	"github.com/dec2-cloud/dec2/conventions"
)

// cloudFingerprinters dial 169.254.169.254, which tests must never reach; with AWS_CA_BUNDLE
// set, env_aws even aborts the agent's start.
const cloudFingerprinters = "env_aws,env_gce,env_azure,env_digitalocean"

// dockerCaps is the short list of capabilities a task may add back after dropping all.
var dockerCaps = []string{"chown", "dac_override", "fowner", "kill", "net_bind_service", "setgid", "setuid"}

// DockerPidsLimit is the docker plugin's pids_limit, as `dec2 provider join` renders it
// (clientconfig.DefaultPidsLimit): the most processes one task may run.
const DockerPidsLimit = 1024

// SandboxGVisor is Client.Sandbox for gVisor; GVisorRuntime its Docker runtime.
const (
	SandboxGVisor = "gvisor"
	GVisorRuntime = "runsc"
)

// DockerBridgeNetwork is the host_network every client has on Docker's default bridge
// (docker0) when it exists: a port with host_network = DockerBridgeNetwork is published on the
// bridge's gateway address, where other containers can reach it (icc=false lets them reach
// other containers only so).
const DockerBridgeNetwork = "docker0"

// allowRuntimes is clientconfig.AllowRuntimes: runc, or runsc under gVisor, and the GPU runtime.
func allowRuntimes(sandbox, gpuRuntime string) []string {
	rt := []string{"runc"}
	if sandbox == SandboxGVisor {
		rt = []string{GVisorRuntime}
	}
	if gpuRuntime == "" {
		gpuRuntime = "nvidia"
	}
	if !slices.Contains(rt, gpuRuntime) {
		rt = append(rt, gpuRuntime)
	}
	return rt
}

// hasDockerBridge reports whether docker0 exists; a var so tests can pin it.
var hasDockerBridge = func() bool {
	_, err := net.InterfaceByName(DockerBridgeNetwork)
	return err == nil
}

type ports struct {
	http, rpc, serf int
	// dynamicLow and dynamicHigh bound a client's allocation ports.
	dynamicLow, dynamicHigh int
}

// agentConfig renders the HCL of one agent. The server has no client; a client has its
// sizes, meta, plugin dir and the hardened Docker driver.
func agentConfig(name, dataDir string, p ports, acl bool, client *Client, serverRPC int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "name = %q\ndata_dir = %q\nbind_addr = \"127.0.0.1\"\nlog_level = \"DEBUG\"\n", name, dataDir)
	b.WriteString("disable_update_check = true\nleave_on_interrupt = true\n")
	fmt.Fprintf(&b, "ports {\n  http = %d\n  rpc = %d\n  serf = %d\n}\n", p.http, p.rpc, p.serf)
	b.WriteString("advertise {\n  http = \"127.0.0.1\"\n  rpc = \"127.0.0.1\"\n  serf = \"127.0.0.1\"\n}\n")
	if acl {
		b.WriteString("acl {\n  enabled = true\n}\n")
	}
	// Without allocation metrics /v1/client/allocation/<id>/stats answers zeros (billing needs them).
	b.WriteString("telemetry {\n  publish_allocation_metrics = true\n  publish_node_metrics = true\n  collection_interval = \"1s\"\n}\n")
	if client == nil {
		b.WriteString("server {\n  enabled = true\n  bootstrap_expect = 1\n}\n")
		fmt.Fprintf(&b, "client {\n  enabled = false\n  options {\n    \"fingerprint.denylist\" = %q\n  }\n}\n", cloudFingerprinters)
		return b.String()
	}
	b.WriteString("server {\n  enabled = false\n}\n")
	b.WriteString("client {\n  enabled = true\n")
	fmt.Fprintf(&b, "  servers = [\"127.0.0.1:%d\"]\n", serverRPC)
	// Allocations' ports bind on loopback: tests talk to 127.0.0.0/8 only.
	b.WriteString("  network_interface = \"lo\"\n")
	fmt.Fprintf(&b, "  min_dynamic_port = %d\n  max_dynamic_port = %d\n", p.dynamicLow, p.dynamicHigh)
	// Several clients share this host's cgroup tree; each needs its own parent.
	fmt.Fprintf(&b, "  cgroup_parent = %q\n", "dec2-"+name)
	if client.CPUMHz > 0 {
		fmt.Fprintf(&b, "  cpu_total_compute = %d\n", client.CPUMHz)
	}
	if client.MemoryMB > 0 {
		fmt.Fprintf(&b, "  memory_total_mb = %d\n", client.MemoryMB)
	}
	if client.DiskMB > 0 {
		fmt.Fprintf(&b, "  disk_total_mb = %d\n  disk_free_mb = %d\n", client.DiskMB, client.DiskMB)
	}
	if client.NodePool != "" {
		fmt.Fprintf(&b, "  node_pool = %q\n", client.NodePool)
	}
	meta := maps.Clone(client.Meta)
	if client.Sandbox != "" {
		if meta == nil {
			meta = map[string]string{}
		}
		meta[conventions.MetaSandbox] = client.Sandbox
	}
	if len(meta) > 0 {
		b.WriteString("  meta {\n")
		for _, k := range slices.Sorted(maps.Keys(meta)) {
			fmt.Fprintf(&b, "    %q = %q\n", k, meta[k])
		}
		b.WriteString("  }\n")
	}
	if hasDockerBridge() {
		fmt.Fprintf(&b, "  host_network %q {\n    interface = %q\n  }\n", DockerBridgeNetwork, DockerBridgeNetwork)
	}
	fmt.Fprintf(&b, "  options {\n    \"fingerprint.denylist\" = %q\n  }\n}\n", cloudFingerprinters)
	if client.PluginDir != "" {
		fmt.Fprintf(&b, "plugin_dir = %q\n", client.PluginDir)
	}
	// Clients share one dockerd: a client must neither reap another's containers as dangling
	// nor delete the locally built images that no registry could give back.
	b.WriteString("plugin \"docker\" {\n  config {\n    allow_privileged = false\n")
	fmt.Fprintf(&b, "    allow_caps = [%s]\n", quoteList(dockerCaps))
	b.WriteString("    volumes {\n      enabled = false\n    }\n")
	if client.GPURuntime != "" {
		fmt.Fprintf(&b, "    nvidia_runtime = %q\n", client.GPURuntime)
	}
	fmt.Fprintf(&b, "    allow_runtimes = [%s]\n", quoteList(allowRuntimes(client.Sandbox, client.GPURuntime)))
	fmt.Fprintf(&b, "    pids_limit = %d\n", DockerPidsLimit)
	b.WriteString("    extra_labels = [\"job_name\", \"task_group_name\", \"task_name\", \"namespace\", \"node_id\", \"node_name\"]\n")
	b.WriteString("    gc {\n      image = false\n      dangling_containers {\n        enabled = false\n      }\n    }\n  }\n}\n")
	fmt.Fprintf(&b, "plugin \"raw_exec\" {\n  config {\n    enabled = %s\n  }\n}\n", strconv.FormatBool(client.RawExec))
	if client.PluginHCL != "" {
		b.WriteString(client.PluginHCL)
		b.WriteString("\n")
	}
	return b.String()
}

func quoteList(items []string) string {
	quoted := make([]string, len(items))
	for i, s := range items {
		quoted[i] = strconv.Quote(s)
	}
	return strings.Join(quoted, ", ")
}
