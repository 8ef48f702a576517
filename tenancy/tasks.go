package tenancy

import (
	"fmt"
	"slices"
	"strings"
)

// ReasonForbiddenTask: a task asks Docker for something that would reach the provider's host or
// another tenant. Nomad v1.11's Docker driver passes these options to Docker with no plugin
// setting to refuse them (docs/sandbox.md), so dec2 refuses them itself: the allocator before
// placement, billing (which stops the job) for work submitted straight to Nomad.
const ReasonForbiddenTask = "forbidden_task_option"

// hostModes are Docker task options whose every value shares a host namespace with the task.
var hostModes = []string{"pid_mode", "ipc_mode", "userns_mode", "uts_mode", "cgroupns"}

// allowedNetworks are the Docker network modes that keep a task on its own network namespace.
var allowedNetworks = []string{"", "bridge", "default", "none"}

// CheckDockerTask refuses a Docker task config (as Nomad's job API carries it) that would
// escape the sandbox dec2 promises providers and tenants. task names the task in the error.
// ownNode says the task runs on a provider dedicated to its own tenant, where it may share the
// host's network (multi-node frameworks such as Hadoop and Spark advertise the address they
// bind): no other tenant's work is there to reach.
func CheckDockerTask(task string, cfg map[string]any, ownNode bool) error {
	bad := func(key string, v any, why string) error {
		return &Error{Reason: ReasonForbiddenTask, Err: fmt.Errorf("task %q: docker option %s = %v %s; remove it", task, key, v, why)}
	}
	if v, ok := cfg["privileged"].(bool); ok && v {
		return bad("privileged", v, "would give the task the provider's whole kernel")
	}
	for _, k := range hostModes {
		if v, ok := cfg[k]; ok && fmt.Sprint(v) != "" {
			return bad(k, v, "would share a namespace with the provider's host")
		}
	}
	if v, ok := cfg["network_mode"]; ok && !slices.Contains(allowedNetworks, fmt.Sprint(v)) && !(ownNode && HostNetwork(cfg)) {
		return bad("network_mode", v, "would join the host's or another container's network (host networking runs only on providers dedicated to the job's tenant)")
	}
	for _, k := range []string{"devices", "sysctl"} {
		if v, ok := cfg[k]; ok && !empty(v) {
			return bad(k, v, "reaches the provider's devices or kernel settings (GPUs come reserved through the device plugin)")
		}
	}
	if opts, ok := cfg["security_opt"]; ok {
		for _, o := range list(opts) {
			if o != "no-new-privileges" && o != "no-new-privileges:true" && o != "no-new-privileges=true" {
				return bad("security_opt", opts, "would loosen seccomp, AppArmor or no-new-privileges")
			}
		}
	}
	return nil
}

func empty(v any) bool {
	switch x := v.(type) {
	case []any:
		return len(x) == 0
	case map[string]any:
		return len(x) == 0
	case nil:
		return true
	}
	return strings.TrimSpace(fmt.Sprint(v)) == ""
}

func list(v any) []string {
	items, ok := v.([]any)
	if !ok {
		return []string{fmt.Sprint(v)}
	}
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = strings.TrimSpace(fmt.Sprint(it))
	}
	return out
}

// HostNetwork says the Docker task shares its provider's network.
func HostNetwork(cfg map[string]any) bool { return fmt.Sprint(cfg["network_mode"]) == "host" }
