package clientconfig

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
)

// DefaultDaemonJSON is where Docker reads its daemon config on a provider.
const DefaultDaemonJSON = "/etc/docker/daemon.json"

// MetadataCIDR is the cloud metadata address containers must never reach.
const MetadataCIDR = "169.254.169.254/32"

// GVisorRuntimeConfig registers Debian's runsc with Docker. --network=host makes gVisor use
// the container's own network namespace through the host kernel: plain runsc refuses to start
// under Docker 20.10 ("cannot run with network enabled in root network namespace").
var GVisorRuntimeConfig = map[string]any{"path": "/usr/bin/runsc", "runtimeArgs": []any{"--network=host"}}

// DockerDaemonKeys are the keys a provider's /etc/docker/daemon.json must hold (docs/sandbox.md):
// no-new-privileges for every container (Nomad's docker plugin has no such setting), icc=false
// (containers on the default bridge reach each other only through published ports), and under
// gVisor the runsc runtime; dedicated makes runsc Docker's default runtime, because Nomad
// hands a task that names no runtime to Docker's default whatever allow_runtimes says. Only a
// Docker engine no one else uses may be dedicated.
func DockerDaemonKeys(sandbox string, dedicated bool) map[string]any {
	keys := map[string]any{"no-new-privileges": true, "icc": false}
	if sandbox == SandboxGVisor {
		keys["runtimes"] = map[string]any{GVisorRuntime: GVisorRuntimeConfig}
		if dedicated {
			keys["default-runtime"] = GVisorRuntime
		}
	}
	return keys
}

// MergeDaemonJSON merges keys into a daemon.json's content (empty = {}): objects merge key by
// key (other runtimes stay), anything else is replaced. It reports the keys whose value changed.
func MergeDaemonJSON(current []byte, keys map[string]any) (merged []byte, changed []string, err error) {
	cur := map[string]any{}
	if len(bytes.TrimSpace(current)) > 0 {
		if err := json.Unmarshal(current, &cur); err != nil {
			return nil, nil, fmt.Errorf("daemon.json is not a JSON object: %w", err)
		}
	}
	want := mergeJSON(cur, keys)
	for _, k := range slices.Sorted(maps.Keys(keys)) {
		a, _ := json.Marshal(cur[k])
		b, _ := json.Marshal(want[k])
		if !bytes.Equal(a, b) {
			changed = append(changed, k)
		}
	}
	merged, err = json.MarshalIndent(want, "", "  ")
	if err != nil {
		return nil, nil, err
	}
	return append(merged, '\n'), changed, nil
}

func mergeJSON(cur, keys map[string]any) map[string]any {
	out := maps.Clone(cur)
	for k, v := range keys {
		if vm, ok := v.(map[string]any); ok {
			if cm, ok := out[k].(map[string]any); ok {
				out[k] = mergeJSON(cm, vm)
				continue
			}
			out[k] = mergeJSON(map[string]any{}, vm)
			continue
		}
		out[k] = v
	}
	return out
}

// reloadable are the daemon.json keys dockerd applies on SIGHUP; others wait for a restart.
var reloadable = map[string]bool{"runtimes": true, "default-runtime": true}

// DockerSetup makes a provider's Docker engine match DockerDaemonKeys and keeps containers
// from the metadata address. Fields left zero take the defaults.
type DockerSetup struct {
	Sandbox string
	// Shared: another agent or person uses this engine; dec2 writes nothing and prints what a
	// dedicated provider's engine holds.
	Shared     bool
	DaemonJSON string // "" = DefaultDaemonJSON
	// Run runs a command (iptables, pidof); nil = os/exec. Signal sends SIGHUP; nil = kill(2).
	Run    func(name string, args ...string) ([]byte, error)
	Signal func(pid int) error
}

// Apply merges the keys into daemon.json and SIGHUPs dockerd (runtimes and default-runtime
// reload; icc and no-new-privileges need a restart, which it asks for rather than doing), and
// inserts a DOCKER-USER rule rejecting containers' packets to the metadata address. Whatever it
// cannot do (not root, shared engine, no iptables) it prints as exact instructions to w; it
// returns an error only for a daemon.json it cannot read as JSON.
func (s DockerSetup) Apply(w io.Writer) error {
	path := s.DaemonJSON
	if path == "" {
		path = DefaultDaemonJSON
	}
	keys := DockerDaemonKeys(s.Sandbox, !s.Shared)
	want, _ := json.MarshalIndent(keys, "", "  ")
	rule := []string{"-I", "DOCKER-USER", "-d", MetadataCIDR, "-j", "REJECT", "--reject-with", "icmp-host-prohibited"}
	if s.Shared {
		fmt.Fprintf(w, "docker: --shared-docker: leaving %s alone; a dedicated provider's engine merges into it:\n%s\n", path, want)
		if s.Sandbox == SandboxGVisor {
			fmt.Fprintf(w, "docker: without \"default-runtime\": %q, tasks that name no runtime run under runc: consumer jobs must set runtime = %q\n", GVisorRuntime, GVisorRuntime)
		}
		fmt.Fprintf(w, "docker: and its firewall: iptables %s\n", strings.Join(rule, " "))
		return nil
	}
	run := s.Run
	if run == nil {
		run = func(name string, args ...string) ([]byte, error) { return exec.Command(name, args...).CombinedOutput() }
	}
	if s.Sandbox == SandboxGVisor {
		if _, err := os.Stat("/usr/bin/runsc"); err != nil {
			fmt.Fprintf(w, "docker: /usr/bin/runsc is missing: install gVisor (Debian: apt-get install runsc) before starting the agent\n")
		}
	}

	current, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		fmt.Fprintf(w, "docker: cannot read %s (%v); merge these keys into it as root, then `systemctl restart docker`:\n%s\n", path, err, want)
		current = nil
	} else {
		merged, changed, err := MergeDaemonJSON(current, keys)
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		if len(changed) == 0 {
			fmt.Fprintf(w, "docker: %s already holds dec2's keys\n", path)
		} else if err := writeFileAtomic(path, merged); err != nil {
			fmt.Fprintf(w, "docker: cannot write %s (%v); as root write it as:\n%s\nthen `systemctl restart docker`\n", path, err, merged)
		} else {
			fmt.Fprintf(w, "docker: wrote %s (%s)\n", path, strings.Join(changed, ", "))
			s.reload(w, run, changed)
		}
	}

	if _, err := run("iptables", append([]string{"-C"}, rule[1:]...)...); err == nil {
		return nil
	}
	if out, err := run("iptables", rule...); err != nil {
		fmt.Fprintf(w, "docker: could not add the metadata rule (%v: %s); as root, once dockerd runs: iptables %s\n",
			err, bytes.TrimSpace(out), strings.Join(rule, " "))
	} else {
		fmt.Fprintf(w, "docker: DOCKER-USER rejects containers' packets to %s\n", MetadataCIDR)
	}
	return nil
}

// reload SIGHUPs a running dockerd and says which changes wait for a restart.
func (s DockerSetup) reload(w io.Writer, run func(string, ...string) ([]byte, error), changed []string) {
	var restart []string
	for _, k := range changed {
		if !reloadable[k] {
			restart = append(restart, k)
		}
	}
	out, err := run("pidof", "dockerd")
	pids := strings.Fields(string(out))
	if err != nil || len(pids) == 0 {
		fmt.Fprintf(w, "docker: dockerd is not running; it reads the new config when it starts\n")
		return
	}
	signal := s.Signal
	if signal == nil {
		signal = func(pid int) error { return syscall.Kill(pid, syscall.SIGHUP) }
	}
	for _, p := range pids {
		pid, err := strconv.Atoi(p)
		if err != nil {
			continue
		}
		if err := signal(pid); err != nil {
			fmt.Fprintf(w, "docker: could not SIGHUP dockerd %d (%v): run `kill -HUP %d` as root\n", pid, err, pid)
		} else {
			fmt.Fprintf(w, "docker: sent SIGHUP to dockerd %d (reloads runtimes and default-runtime)\n", pid)
		}
	}
	if len(restart) > 0 {
		fmt.Fprintf(w, "docker: %s apply only when dockerd restarts: run `systemctl restart docker` before taking work (it stops running containers)\n",
			strings.Join(restart, ", "))
	}
}

func writeFileAtomic(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp := path + ".dec2-tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
