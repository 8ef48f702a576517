package e2e

import (
	"context"
	"path/filepath"
	"time"
)

// AgentDir is the directory an agent called name keeps its files in (config, log, TMPDIR); a
// config rendered for JoinClient (by `dec2 provider join --data-dir`, or the provider-node
// Terraform module) should put its data_dir under it, so cleanup unmounts and removes what the
// agent leaves there.
func (r *Region) AgentDir(name string) string { return filepath.Join(r.root, name) }

// DynamicPorts reserves a block of ports for the allocations of a client started with
// JoinClient, so that clients sharing this host never hand out the same host port. Held until
// t's cleanup.
func DynamicPorts(t TB) (low, high int) {
	t.Helper()
	return dynamicPorts(t)
}

// JoinClient starts a client agent from a complete agent config made outside the harness, as
// given (the test is that this config works), waits until the region sees it ready with a
// healthy Docker driver, and stops it with the region like the others. cgroup is the config's
// cgroup_parent ("" if it sets none), removed at cleanup. The config must bind to loopback and
// deny the cloud fingerprinters, as the harness's own clients do.
func (r *Region) JoinClient(t TB, name, cgroup, config string) *Agent {
	t.Helper()
	a, err := startAgent(t, name, r.root, config)
	if err != nil {
		r.fail(t, "%v", err)
	}
	return r.join(t, a, cgroup)
}

// JoinCommand is JoinClient for a command that becomes the client agent by exec'ing nomad
// (`dec2 provider join --start`), run with env added to the environment.
func (r *Region) JoinCommand(t TB, name, cgroup string, env []string, argv ...string) *Agent {
	t.Helper()
	a, err := startProcess(name, r.root, env, argv...)
	if err != nil {
		r.fail(t, "%v", err)
	}
	return r.join(t, a, cgroup)
}

func (r *Region) join(t TB, a *Agent, cgroup string) *Agent {
	t.Helper()
	a.Cgroup = cgroup
	r.Clients = append(r.Clients, a)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := r.waitClients(ctx); err != nil {
		r.fail(t, "waiting for client %s to join: %v", a.Name, err)
	}
	n, _, err := r.API.Nodes().Info(r.NodeID(t, a.Name), nil)
	if err != nil {
		r.fail(t, "reading joined node %s: %v", a.Name, err)
	}
	a.HTTPAddr = "http://" + n.HTTPAddr
	return a
}
