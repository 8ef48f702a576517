package clientconfig

import (
	"maps"
	"slices"

	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"

	"github.com/dec2-cloud/dec2/nomad-plugins/gpu/gpuconfig"
)

// header is the comment on top of every rendered config.
const header = "# Nomad client agent of a dec2 provider, rendered by dec2's cli/clientconfig.\n"

// dockerExtraLabels are the labels the docker driver puts on each task's container.
var dockerExtraLabels = []string{"job_name", "task_group_name", "task_name", "namespace", "node_id", "node_name"}

// Render returns the agent configuration as HCL. Call Validate first.
func (c Config) Render() string { return string(c.File().Bytes()) }

// File is the agent configuration as an hclwrite file, for callers that add blocks of their
// own (the test harness's plugin blocks) before writing it with Bytes. Every name and value is
// quoted by hclwrite.
func (c Config) File() *hclwrite.File {
	f := hclwrite.NewEmptyFile()
	root := f.Body()
	root.AppendUnstructuredTokens(hclwrite.Tokens{{Type: hclsyntax.TokenComment, Bytes: []byte(header)}})
	setString(root, "name", c.Name)
	setString(root, "region", c.Region)
	setString(root, "datacenter", c.Datacenter)
	root.SetAttributeValue("data_dir", cty.StringVal(c.DataDir))
	setString(root, "bind_addr", c.BindAddr)
	setString(root, "log_level", c.LogLevel)
	root.SetAttributeValue("disable_update_check", cty.True)
	// A provider that stops its agent leaves the cluster cleanly instead of looking lost.
	root.SetAttributeValue("leave_on_interrupt", cty.True)
	root.SetAttributeValue("leave_on_terminate", cty.True)
	if c.Ports != (Ports{}) {
		ports := root.AppendNewBlock("ports", nil).Body()
		setInt(ports, "http", c.Ports.HTTP)
		setInt(ports, "rpc", c.Ports.RPC)
		setInt(ports, "serf", c.Ports.Serf)
	}
	if c.Advertise != "" {
		adv := root.AppendNewBlock("advertise", nil).Body()
		for _, name := range []string{"http", "rpc", "serf"} {
			adv.SetAttributeValue(name, cty.StringVal(c.Advertise))
		}
	}
	if c.ACL {
		root.AppendNewBlock("acl", nil).Body().SetAttributeValue("enabled", cty.True)
	}
	// Billing meters from allocation stats, which read zeros unless these are published.
	tel := root.AppendNewBlock("telemetry", nil).Body()
	tel.SetAttributeValue("publish_allocation_metrics", cty.True)
	tel.SetAttributeValue("publish_node_metrics", cty.True)
	tel.SetAttributeValue("collection_interval", cty.StringVal("1s"))
	root.AppendNewBlock("server", nil).Body().SetAttributeValue("enabled", cty.False)

	cl := root.AppendNewBlock("client", nil).Body()
	cl.SetAttributeValue("enabled", cty.True)
	cl.SetAttributeValue("servers", stringList(c.Servers))
	setString(cl, "node_pool", c.NodePool)
	setString(cl, "network_interface", c.NetworkInterface)
	if c.MinDynamicPort != 0 {
		cl.SetAttributeValue("min_dynamic_port", cty.NumberIntVal(int64(c.MinDynamicPort)))
		cl.SetAttributeValue("max_dynamic_port", cty.NumberIntVal(int64(c.MaxDynamicPort)))
	}
	setString(cl, "cgroup_parent", c.CgroupParent)
	setInt(cl, "cpu_total_compute", c.CPUTotalCompute)
	setInt(cl, "memory_total_mb", c.MemoryTotalMB)
	setInt(cl, "disk_total_mb", c.DiskTotalMB)
	setInt(cl, "disk_free_mb", c.DiskTotalMB)
	if meta := c.NodeMeta(); len(meta) > 0 {
		quotedKeys(cl.AppendNewBlock("meta", nil).Body(), meta)
	}
	for _, hn := range c.HostNetworks {
		cl.AppendNewBlock("host_network", []string{hn.Name}).Body().SetAttributeValue("interface", cty.StringVal(hn.Interface))
	}
	volumes := c.Volumes()
	for _, name := range slices.Sorted(maps.Keys(volumes)) {
		b := cl.AppendNewBlock("host_volume", []string{name}).Body()
		b.SetAttributeValue("path", cty.StringVal(volumes[name]))
		b.SetAttributeValue("read_only", cty.False)
	}
	quotedKeys(cl.AppendNewBlock("options", nil).Body(), map[string]string{"fingerprint.denylist": cloudFingerprinters})

	setString(root, "plugin_dir", c.PluginDir)
	docker := root.AppendNewBlock("plugin", []string{"docker"}).Body().AppendNewBlock("config", nil).Body()
	docker.SetAttributeValue("allow_privileged", cty.False)
	docker.SetAttributeValue("allow_caps", stringList(dockerCaps))
	docker.AppendNewBlock("volumes", nil).Body().SetAttributeValue("enabled", cty.False)
	docker.SetAttributeValue("extra_labels", stringList(dockerExtraLabels))
	setString(docker, "nvidia_runtime", c.GPURuntime)
	docker.SetAttributeValue("allow_runtimes", stringList(AllowRuntimes(c.Sandbox, c.GPURuntime)))
	docker.SetAttributeValue("pids_limit", cty.NumberIntVal(int64(c.pidsLimit())))
	if c.SharedDocker {
		gc := docker.AppendNewBlock("gc", nil).Body()
		gc.SetAttributeValue("image", cty.False)
		gc.AppendNewBlock("dangling_containers", nil).Body().SetAttributeValue("enabled", cty.False)
	}
	root.AppendNewBlock("plugin", []string{"raw_exec"}).Body().AppendNewBlock("config", nil).Body().
		SetAttributeValue("enabled", cty.BoolVal(c.RawExec))
	if c.GPU != nil {
		AppendGPUPlugin(root, *c.GPU)
	}
	return f
}

// AppendGPUPlugin appends the dec2-gpu plugin block with g's settings, as gpuconfig's
// AgentHCL writes them.
func AppendGPUPlugin(body *hclwrite.Body, g gpuconfig.Config) {
	b := body.AppendNewBlock("plugin", []string{gpuconfig.Name}).Body().AppendNewBlock("config", nil).Body()
	b.SetAttributeValue("enabled", cty.BoolVal(g.Enabled))
	b.SetAttributeValue("backends", stringList(g.Backends))
	setString(b, "fake_devices_file", g.FakeDevicesFile)
	b.SetAttributeValue("sysfs_root", cty.StringVal(g.SysfsRoot))
	setString(b, "nvml_library", g.NVMLLibrary)
	b.SetAttributeValue("ignored_gpu_ids", stringList(g.IgnoredGPUIDs))
	b.SetAttributeValue("fingerprint_period", cty.StringVal(g.FingerprintPeriod))
	b.SetAttributeValue("shares_per_gpu", cty.NumberIntVal(int64(g.SharesPerGPU)))
	b.SetAttributeValue("health_recovery", cty.StringVal(g.HealthRecovery))
	b.SetAttributeValue("max_temperature", cty.NumberIntVal(int64(g.MaxTemperature)))
}

// setString sets name unless value is empty.
func setString(b *hclwrite.Body, name, value string) {
	if value != "" {
		b.SetAttributeValue(name, cty.StringVal(value))
	}
}

// setInt sets name unless value is zero.
func setInt(b *hclwrite.Body, name string, value int) {
	if value != 0 {
		b.SetAttributeValue(name, cty.NumberIntVal(int64(value)))
	}
}

func stringList(items []string) cty.Value {
	if len(items) == 0 {
		return cty.ListValEmpty(cty.String)
	}
	vals := make([]cty.Value, len(items))
	for i, s := range items {
		vals[i] = cty.StringVal(s)
	}
	return cty.ListVal(vals)
}

// quotedKeys writes m, sorted, as `"key" = "value"` lines: Nomad reads its agent config as
// HCL 1, whose map blocks (meta, options) take keys such as "dec2.wallet" quoted, which
// hclwrite's attributes (identifiers) cannot name.
func quotedKeys(b *hclwrite.Body, m map[string]string) {
	for _, k := range slices.Sorted(maps.Keys(m)) {
		toks := hclwrite.TokensForValue(cty.StringVal(k))
		toks = append(toks, &hclwrite.Token{Type: hclsyntax.TokenEqual, Bytes: []byte("=")})
		toks = append(toks, hclwrite.TokensForValue(cty.StringVal(m[k]))...)
		toks = append(toks, &hclwrite.Token{Type: hclsyntax.TokenNewline, Bytes: []byte("\n")})
		b.AppendUnstructuredTokens(toks)
	}
}
