package e2e

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/hashicorp/nomad/api"
)

// Client describes one provider machine of a test region.
type Client struct {
	Name     string
	CPUMHz   int // client.cpu_total_compute; 0 = fingerprinted
	MemoryMB int // client.memory_total_mb; 0 = fingerprinted
	DiskMB   int // client.disk_total_mb and disk_free_mb; 0 = this machine's free space
	Meta     map[string]string
	NodePool string
	// PluginDir holds device plugin binaries; it becomes the agent's plugin_dir.
	PluginDir string
	// PluginHCL is appended to the agent config as is, e.g. a plugin "dec2-gpu" { config { ... } } block.
	PluginHCL string
	RawExec   bool
	// GPURuntime is the Docker runtime Nomad gives tasks that reserve an NVIDIA GPU (the docker
	// driver's nvidia_runtime; "" keeps Nomad's "nvidia"). With fake GPUs there is no NVIDIA
	// container runtime: "runc" lets such tasks start, with NVIDIA_VISIBLE_DEVICES set as on a
	// real provider.
	GPURuntime string
	// Sandbox "gvisor" renders what `dec2 provider join --sandbox gvisor` does: the docker
	// plugin allows only runsc (and GPURuntime) and node meta dec2.sandbox = "gvisor". This
	// machine's one engine keeps runc as its default runtime for the other tests, so unlike a
	// provider's, tasks here run under gVisor only when they set runtime = "runsc"
	// (docs/sandbox.md).
	Sandbox string
	// HostVolumes are client host_volume blocks: name → host path (which must exist), as a
	// storage provider declares its data directory (see StorageVolume).
	HostVolumes map[string]string
}

// Options shape a region.
type Options struct {
	Clients []Client
	// ACL turns ACLs on in every agent and bootstraps a management token.
	ACL bool
	// ReadyTimeout bounds the wait for the leader and every client; default 120s.
	ReadyTimeout time.Duration
}

// Region is a running Nomad region: one server and its clients, all on 127.0.0.1.
type Region struct {
	Name    string // the Nomad region; "global" unless started in a federation
	Addr    string // the server's HTTP address, http://127.0.0.1:port
	Token   string // management token when ACLs are on
	API     *api.Client
	Server  *Agent
	Clients []*Agent

	root string
	cfg  regionConfig
	serf int // the server's serf port, which servers of other regions join
}

// StartRegion starts a server and opts.Clients, waits until the server has a leader and every
// client's node is ready with a healthy Docker driver, and registers a cleanup that stops jobs,
// agents and everything they spawned. On any failure it prints the agents' log tails.
func StartRegion(t TB, opts Options) *Region {
	t.Helper()
	if opts.ReadyTimeout == 0 {
		opts.ReadyTimeout = 120 * time.Second
	}
	ctx, cancel := context.WithTimeout(context.Background(), opts.ReadyTimeout)
	defer cancel()
	r := startServer(ctx, t, regionConfig{acl: opts.ACL})
	if opts.ACL {
		r.bootstrapACL(t)
	}
	r.startClients(t, opts.Clients)
	if err := r.waitClients(ctx); err != nil {
		r.fail(t, "waiting for clients: %v", err)
	}
	return r
}

// startServer starts the server of a region configured as rc, with the region's cleanup, and
// waits until it has a leader.
func startServer(ctx context.Context, t TB, rc regionConfig) *Region {
	t.Helper()
	// Short path: go-plugin's unix sockets live under it and must stay below 108 bytes.
	root, err := os.MkdirTemp("", "dec2-")
	if err != nil {
		t.Fatalf("creating region dir: %v", err)
	}
	r := &Region{Name: rc.name, root: root, cfg: rc}
	if r.Name == "" {
		r.Name = "global"
	}
	t.Cleanup(r.cleanup(t))

	sp := ports{http: FreePort(t), rpc: FreePort(t), serf: FreePort(t)}
	server, err := startAgent(t, "server", root, agentConfig("server", root+"/server/data", sp, rc, nil, 0))
	if err != nil {
		t.Fatalf("%v", err)
	}
	server.HTTPAddr, server.RPCPort = fmt.Sprintf("http://127.0.0.1:%d", sp.http), sp.rpc
	r.Server, r.Addr, r.serf = server, server.HTTPAddr, sp.serf

	cfg := api.DefaultConfig()
	cfg.Address = r.Addr
	cfg.Region = r.Name
	r.API, err = api.NewClient(cfg)
	if err != nil {
		t.Fatalf("creating nomad api client: %v", err)
	}
	if err := r.waitLeader(ctx); err != nil {
		r.fail(t, "waiting for the server's leader: %v", err)
	}
	return r
}

// bootstrapACL makes the region's management token; in a federation only the authoritative
// region does, and the others replicate the token.
func (r *Region) bootstrapACL(t TB) {
	t.Helper()
	tok, _, err := r.API.ACLTokens().Bootstrap(nil)
	if err != nil {
		r.fail(t, "bootstrapping ACLs: %v", err)
	}
	r.setToken(tok.SecretID)
}

func (r *Region) setToken(secret string) {
	r.Token = secret
	r.API.SetSecretID(secret)
}

// startClients starts the clients' agents without waiting for them (waitClients does).
func (r *Region) startClients(t TB, clients []Client) {
	t.Helper()
	for i := range clients {
		c := &clients[i]
		if c.Name == "" {
			c.Name = fmt.Sprintf("client%d", i+1)
		}
		cp := ports{http: FreePort(t), rpc: FreePort(t), serf: FreePort(t)}
		cp.dynamicLow, cp.dynamicHigh = dynamicPorts(t)
		a, err := startAgent(t, c.Name, r.root, agentConfig(c.Name, r.root+"/"+c.Name+"/data", cp, r.cfg, c, r.Server.RPCPort))
		if err != nil {
			r.fail(t, "%v", err)
		}
		a.HTTPAddr, a.RPCPort, a.Cgroup = fmt.Sprintf("http://127.0.0.1:%d", cp.http), cp.rpc, "dec2-"+c.Name
		r.Clients = append(r.Clients, a)
	}
}

func (r *Region) waitLeader(ctx context.Context) error {
	return poll(ctx, 200*time.Millisecond, func() (bool, error) {
		if !r.Server.Running() {
			return false, fmt.Errorf("server exited")
		}
		leader, err := r.API.Status().Leader()
		return err == nil && leader != "", nil
	})
}

func (r *Region) waitClients(ctx context.Context) error {
	var missing []string
	err := poll(ctx, 250*time.Millisecond, func() (bool, error) {
		for _, c := range r.Clients {
			if !c.Running() {
				return false, fmt.Errorf("client %s exited", c.Name)
			}
		}
		nodes, _, err := r.API.Nodes().List(nil)
		if err != nil {
			return false, nil
		}
		ready := map[string]bool{}
		for _, n := range nodes {
			d, ok := n.Drivers["docker"]
			ready[n.Name] = n.Status == api.NodeStatusReady && ok && d.Healthy
		}
		missing = missing[:0]
		for _, c := range r.Clients {
			if !ready[c.Name] {
				missing = append(missing, c.Name)
			}
		}
		return len(missing) == 0, nil
	})
	if err != nil {
		return fmt.Errorf("%w (not ready: %s)", err, strings.Join(missing, ", "))
	}
	return nil
}

// poll calls check every interval until it says done, returns an error, or ctx ends.
func poll(ctx context.Context, interval time.Duration, check func() (bool, error)) error {
	for {
		done, err := check()
		if err != nil || done {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(interval):
		}
	}
}

// Poll is the harness's bounded wait for tests: check every interval until done, an error, or
// timeout, naming what was awaited when time runs out.
func Poll(t TB, what string, timeout, interval time.Duration, check func() (bool, error)) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	if err := poll(ctx, interval, check); err != nil {
		t.Fatalf("waiting for %s: %v", what, err)
	}
}

// fail prints every agent's log tail, then fails t.
func (r *Region) fail(t TB, format string, args ...any) {
	t.Helper()
	t.Logf("%s", r.Logs(40))
	t.Fatalf(format, args...)
}

// Logs returns the last n lines of every agent's log, for failure messages.
func (r *Region) Logs(n int) string {
	var b strings.Builder
	for _, a := range append([]*Agent{r.Server}, r.Clients...) {
		if a != nil {
			fmt.Fprintf(&b, "--- %s (%s/agent.log) ---\n%s\n", a.Name, a.Dir, a.LogTail(n))
		}
	}
	return b.String()
}

// Client returns the agent of the named client.
func (r *Region) Client(t TB, name string) *Agent {
	t.Helper()
	for _, c := range r.Clients {
		if c.Name == name {
			return c
		}
	}
	t.Fatalf("region has no client %q", name)
	return nil
}

// NodeID returns the Nomad node id of the named client.
func (r *Region) NodeID(t TB, name string) string {
	t.Helper()
	nodes, _, err := r.API.Nodes().List(nil)
	if err != nil {
		t.Fatalf("listing nodes: %v", err)
	}
	for _, n := range nodes {
		if n.Name == name {
			return n.ID
		}
	}
	t.Fatalf("no node named %q in the region", name)
	return ""
}

// Nomad runs the real nomad CLI against the region and returns its combined output.
func (r *Region) Nomad(t TB, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, NomadBinary(t), args...)
	cmd.Env = append(withoutEnv(os.Environ(), "NOMAD_ADDR", "NOMAD_TOKEN", "NOMAD_REGION"), "NOMAD_ADDR="+r.Addr)
	if r.Token != "" {
		cmd.Env = append(cmd.Env, "NOMAD_TOKEN="+r.Token)
	}
	cmd.Dir = RepoRoot()
	out, err := cmd.CombinedOutput()
	if err != nil {
		return string(out), fmt.Errorf("nomad %s: %w\n%s", strings.Join(args, " "), err, out)
	}
	return string(out), nil
}

// cleanup stops jobs first (so executors and containers go with their allocations), then the
// agents and whatever they spawned, then unmounts and removes their dirs and cgroups.
func (r *Region) cleanup(t TB) func() {
	return func() {
		if r.API != nil && r.Server != nil && r.Server.Running() {
			r.stopAllJobs(t)
		}
		for _, c := range r.Clients {
			c.Stop(20 * time.Second)
		}
		if r.Server != nil {
			r.Server.Stop(20 * time.Second)
		}
		removeRegionContainers(t, r.root)
		if err := unmountUnder(r.root); err != nil {
			t.Logf("cleanup: %v", err)
		}
		for _, c := range r.Clients {
			if c.Cgroup == "" {
				continue // a joined config that sets no cgroup_parent
			}
			if err := removeCgroups(c.Cgroup); err != nil {
				t.Logf("cleanup: %v", err)
			}
		}
		if err := os.RemoveAll(r.root); err != nil {
			t.Logf("cleanup: removing %s: %v", r.root, err)
		}
	}
}

func (r *Region) stopAllJobs(t TB) {
	jobs, _, err := r.API.Jobs().List(&api.QueryOptions{Namespace: "*"})
	if err != nil {
		t.Logf("cleanup: listing jobs: %v", err)
		return
	}
	for _, j := range jobs {
		_, _, _ = r.API.Jobs().Deregister(j.ID, true, &api.WriteOptions{Namespace: j.Namespace})
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err = poll(ctx, 250*time.Millisecond, func() (bool, error) {
		allocs, _, err := r.API.Allocations().List(&api.QueryOptions{Namespace: "*"})
		if err != nil {
			return false, nil
		}
		for _, a := range allocs {
			if a.ClientStatus == api.AllocClientStatusRunning || a.ClientStatus == api.AllocClientStatusPending {
				return false, nil
			}
		}
		return true, nil
	})
	if err != nil {
		t.Logf("cleanup: allocations still running after 30s; agents will be stopped anyway")
	}
}

// RestartServer crashes the server (SIGKILL: no leave) and starts it again on its data dir and
// ports, as a host reboot would, then waits for it to lead again. The old log is kept beside
// the new one as agent.log.1.
func (r *Region) RestartServer(t TB) {
	t.Helper()
	addr, rpc := r.Server.HTTPAddr, r.Server.RPCPort
	r.Server.Kill()
	dir := filepath.Join(r.root, "server")
	_ = os.Rename(filepath.Join(dir, "agent.log"), filepath.Join(dir, "agent.log.1"))
	a, err := startProcess("server", r.root, nil, NomadBinary(t), "agent", "-config", filepath.Join(dir, "agent.hcl"))
	if err != nil {
		r.fail(t, "restarting the server: %v", err)
	}
	a.HTTPAddr, a.RPCPort = addr, rpc
	r.Server = a
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := r.waitLeader(ctx); err != nil {
		r.fail(t, "waiting for the restarted server's leader: %v", err)
	}
}
