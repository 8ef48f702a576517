package e2e

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/hashicorp/nomad/api"
)

// JoinDir is the directory of the agent Join starts under name. Configs written by the code under
// test (e.g. `dec2 provider join --data-dir`) should keep their data_dir below it: the region's
// cleanup then unmounts and removes what that agent left, as for its own clients.
func (r *Region) JoinDir(name string) string { return filepath.Join(r.root, name) }

// DynamicPorts reserves a block of ports for the allocations of an agent started with Join, so
// that clients sharing this host never hand out the same host port. Held until t's cleanup.
func DynamicPorts(t TB) (low, high int) {
	t.Helper()
	return dynamicPorts(t)
}

// Join starts a Nomad agent with config exactly as given (nothing is added: the test is that
// this config works), waits until its node, called name, is ready with a healthy Docker driver,
// and makes it one of the region's clients, stopped and cleaned up with them. cgroupParent is
// the config's client.cgroup_parent ("" if it sets none), so cleanup removes its cgroups.
func (r *Region) Join(t TB, name, config, cgroupParent string, timeout time.Duration) *Agent {
	t.Helper()
	a, err := startAgent(t, name, r.root, config)
	if err != nil {
		r.fail(t, "%v", err)
	}
	a.Cgroup = cgroupParent
	r.Clients = append(r.Clients, a)
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	var last string
	err = poll(ctx, 250*time.Millisecond, func() (bool, error) {
		if !a.Running() {
			return false, fmt.Errorf("agent %s exited", name)
		}
		nodes, _, err := r.API.Nodes().List(nil)
		if err != nil {
			return false, nil
		}
		for _, n := range nodes {
			if n.Name != name {
				continue
			}
			d, ok := n.Drivers["docker"]
			last = fmt.Sprintf("status %s, docker healthy %v", n.Status, ok && d.Healthy)
			if n.Status != api.NodeStatusReady || !ok || !d.Healthy {
				return false, nil
			}
			full, _, err := r.API.Nodes().Info(n.ID, nil)
			if err != nil {
				return false, nil
			}
			a.HTTPAddr = "http://" + full.HTTPAddr
			return true, nil
		}
		return false, nil
	})
	if err != nil {
		r.fail(t, "waiting for joined node %s to be ready (last seen: %s): %v", name, last, err)
	}
	return a
}
