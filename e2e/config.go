package e2e

import (
	"fmt"
	"net"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclwrite"

	"github.com/dec2-cloud/dec2/cli/clientconfig"
)

// cloudFingerprinters dial 169.254.169.254, which tests must never reach; with AWS_CA_BUNDLE
// set, env_aws even aborts the agent's start. Clients deny them as clientconfig renders it.
const cloudFingerprinters = "env_aws,env_gce,env_azure,env_digitalocean"

// DockerPidsLimit is the docker plugin's pids_limit, as `dec2 provider join` renders it: the
// most processes one task may run.
const DockerPidsLimit = clientconfig.DefaultPidsLimit

// SandboxGVisor is Client.Sandbox for gVisor; GVisorRuntime its Docker runtime.
const (
	SandboxGVisor = clientconfig.SandboxGVisor
	GVisorRuntime = clientconfig.GVisorRuntime
)

// DockerBridgeNetwork is the host_network every client has on Docker's default bridge
// (docker0) when it exists: a port with host_network = DockerBridgeNetwork is published on the
// bridge's gateway address, where other containers can reach it (icc=false lets them reach
// other containers only so).
const DockerBridgeNetwork = "docker0"

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

// regionConfig is what the agents of one region share. The zero value is a lone region as
// Nomad has it by default: "global", datacenter dc1, ACLs off.
type regionConfig struct {
	name, datacenter string
	acl              bool
	// authoritative is the federation's ACL region: its servers own ACL policies, tokens,
	// namespaces and node pools, which servers elsewhere replicate with replicationToken.
	authoritative, replicationToken string
	// join are serf addresses (host:port) of servers in other regions, joined at start.
	join []string
}

// agentConfig renders the HCL of one agent: a client (clientConfig) or, client nil, the server.
func agentConfig(name, dataDir string, p ports, rc regionConfig, client *Client, serverRPC int) string {
	if client != nil {
		return clientConfig(name, dataDir, p, rc, client, serverRPC)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "name = %q\ndata_dir = %q\nbind_addr = \"127.0.0.1\"\nlog_level = \"DEBUG\"\n", name, dataDir)
	if rc.name != "" {
		fmt.Fprintf(&b, "region = %q\n", rc.name)
	}
	if rc.datacenter != "" {
		fmt.Fprintf(&b, "datacenter = %q\n", rc.datacenter)
	}
	b.WriteString("disable_update_check = true\nleave_on_interrupt = true\n")
	fmt.Fprintf(&b, "ports {\n  http = %d\n  rpc = %d\n  serf = %d\n}\n", p.http, p.rpc, p.serf)
	b.WriteString("advertise {\n  http = \"127.0.0.1\"\n  rpc = \"127.0.0.1\"\n  serf = \"127.0.0.1\"\n}\n")
	if rc.acl {
		b.WriteString("acl {\n  enabled = true\n")
		if rc.replicationToken != "" {
			fmt.Fprintf(&b, "  replication_token = %q\n", rc.replicationToken)
		}
		b.WriteString("}\n")
	}
	// Without allocation metrics /v1/client/allocation/<id>/stats answers zeros (billing needs them).
	b.WriteString("telemetry {\n  publish_allocation_metrics = true\n  publish_node_metrics = true\n  collection_interval = \"1s\"\n}\n")
	b.WriteString("server {\n  enabled = true\n  bootstrap_expect = 1\n")
	if rc.authoritative != "" {
		fmt.Fprintf(&b, "  authoritative_region = %q\n", rc.authoritative)
	}
	if len(rc.join) > 0 {
		addrs := make([]string, len(rc.join))
		for i, a := range rc.join {
			addrs[i] = strconv.Quote(a)
		}
		// Nomad retries a failed join only every 30s by default; the other region is up already.
		fmt.Fprintf(&b, "  server_join {\n    retry_join = [%s]\n    retry_interval = \"1s\"\n  }\n", strings.Join(addrs, ", "))
	}
	b.WriteString("}\n")
	fmt.Fprintf(&b, "client {\n  enabled = false\n  options {\n    \"fingerprint.denylist\" = %q\n  }\n}\n", cloudFingerprinters)
	return b.String()
}

// clientConfig renders a client through clientconfig, as `dec2 provider join` does, with what
// only the harness sets: loopback addresses and its own ports, a cgroup parent per client (they
// share this host's cgroup tree), debug logs, raw_exec for tests, sizes, docker0 as a host
// network, and a shared dockerd's GC off. Client.PluginHCL (the fake GPUs' plugin block) is
// appended as parsed.
func clientConfig(name, dataDir string, p ports, rc regionConfig, client *Client, serverRPC int) string {
	cfg := clientconfig.Config{
		Name: name, Region: rc.name, Datacenter: rc.datacenter,
		DataDir: dataDir, BindAddr: "127.0.0.1", Advertise: "127.0.0.1", LogLevel: "DEBUG",
		Ports:   clientconfig.Ports{HTTP: p.http, RPC: p.rpc, Serf: p.serf},
		Servers: []string{net.JoinHostPort("127.0.0.1", strconv.Itoa(serverRPC))},
		ACL:     rc.acl,
		// Allocations' ports bind on loopback: tests talk to 127.0.0.0/8 only.
		NetworkInterface: "lo", MinDynamicPort: p.dynamicLow, MaxDynamicPort: p.dynamicHigh,
		CgroupParent:    "dec2-" + name,
		CPUTotalCompute: client.CPUMHz, MemoryTotalMB: client.MemoryMB, DiskTotalMB: client.DiskMB,
		NodePool: client.NodePool, Meta: client.Meta, Sandbox: client.Sandbox,
		PluginDir: client.PluginDir, GPURuntime: client.GPURuntime, RawExec: client.RawExec,
		HostVolumes: client.HostVolumes,
		// Clients share one dockerd: a client must neither reap another's containers as
		// dangling nor delete the locally built images that no registry could give back.
		SharedDocker: true,
	}
	if hasDockerBridge() {
		cfg.HostNetworks = []clientconfig.HostNetwork{{Name: DockerBridgeNetwork, Interface: DockerBridgeNetwork}}
	}
	f := cfg.File()
	if client.PluginHCL != "" {
		extra, diags := hclwrite.ParseConfig([]byte(client.PluginHCL), "PluginHCL", hcl.InitialPos)
		if diags.HasErrors() {
			panic(fmt.Sprintf("e2e: Client.PluginHCL is not HCL: %v\n%s", diags, client.PluginHCL))
		}
		for _, b := range extra.Body().Blocks() {
			f.Body().AppendBlock(b)
		}
	}
	return string(f.Bytes())
}
