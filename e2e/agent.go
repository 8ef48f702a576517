package e2e

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Agent is one running Nomad agent process.
type Agent struct {
	Name     string
	Dir      string // config, data, log and TMPDIR live here
	HTTPAddr string // http://127.0.0.1:port
	RPCPort  int
	// Cgroup is the client's cgroup_parent; empty for the server.
	Cgroup string

	cmd     *exec.Cmd
	logPath string
	exited  chan struct{}
}

func startAgent(t TB, name, root, config string) (*Agent, error) {
	cfgPath := filepath.Join(root, name, "agent.hcl")
	if err := os.MkdirAll(filepath.Dir(cfgPath), 0o755); err != nil {
		return nil, fmt.Errorf("creating agent dir: %w", err)
	}
	if err := os.WriteFile(cfgPath, []byte(config), 0o644); err != nil {
		return nil, fmt.Errorf("writing agent config: %w", err)
	}
	return startProcess(name, root, nil, NomadBinary(t), "agent", "-config", cfgPath)
}

// startProcess runs argv as agent name — nomad itself, or a command that execs it — with env
// added to the environment, its output in the agent's log, in a process group of its own.
func startProcess(name, root string, env []string, argv ...string) (*Agent, error) {
	dir := filepath.Join(root, name)
	tmp := filepath.Join(dir, "tmp")
	if err := os.MkdirAll(tmp, 0o755); err != nil {
		return nil, fmt.Errorf("creating agent dir: %w", err)
	}
	logPath := filepath.Join(dir, "agent.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, fmt.Errorf("creating agent log: %w", err)
	}
	defer logFile.Close()

	cmd := exec.Command(argv[0], argv[1:]...)
	// TMPDIR keeps go-plugin's sockets inside the agent's dir, removed with it.
	cmd.Env = append(append(withoutEnv(os.Environ(), "NOMAD_ADDR", "NOMAD_TOKEN"), env...), "TMPDIR="+tmp)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting agent %s (%s): %w", name, argv[0], err)
	}
	a := &Agent{Name: name, Dir: dir, cmd: cmd, logPath: logPath, exited: make(chan struct{})}
	go func() { _ = cmd.Wait(); close(a.exited) }()
	return a, nil
}

// PID is the agent process's id.
func (a *Agent) PID() int { return a.cmd.Process.Pid }

// Running reports whether the agent process is still alive.
func (a *Agent) Running() bool {
	select {
	case <-a.exited:
		return false
	default:
		return true
	}
}

// Kill ends the agent with SIGKILL, as a machine that vanishes would: no leave, no drain.
// The processes it spawned are killed too.
func (a *Agent) Kill() {
	kids := descendants(a.PID())
	_ = a.cmd.Process.Kill()
	<-a.exited
	killAll(kids)
}

// Stop interrupts the agent (it leaves the cluster), waits up to timeout, then kills it and
// anything it spawned that is still alive.
func (a *Agent) Stop(timeout time.Duration) {
	if !a.Running() {
		return
	}
	kids := descendants(a.PID())
	_ = a.cmd.Process.Signal(os.Interrupt)
	select {
	case <-a.exited:
	case <-time.After(timeout):
		_ = syscall.Kill(-a.PID(), syscall.SIGKILL)
		<-a.exited
	}
	killAll(kids)
}

// LogTail returns the last n lines of the agent's log.
func (a *Agent) LogTail(n int) string {
	data, err := os.ReadFile(a.logPath)
	if err != nil {
		return fmt.Sprintf("(no log: %v)", err)
	}
	lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// descendants lists every process below pid, found through /proc's parent links.
func descendants(pid int) []int {
	children := map[int][]int{}
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		child, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if ppid, ok := parentPID(child); ok {
			children[ppid] = append(children[ppid], child)
		}
	}
	var out []int
	queue := []int{pid}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		out = append(out, children[p]...)
		queue = append(queue, children[p]...)
	}
	return out
}

func parentPID(pid int) (int, bool) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, false
	}
	// The command name may hold spaces and parentheses; fields resume after the last ')'.
	s := string(data)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0, false
	}
	fields := strings.Fields(s[i+1:])
	if len(fields) < 2 {
		return 0, false
	}
	ppid, err := strconv.Atoi(fields[1])
	return ppid, err == nil
}

// killAll ends processes that outlived their agent (executors, log shippers), waiting a bounded
// time for each to go.
func killAll(pids []int) {
	for _, pid := range pids {
		_ = syscall.Kill(pid, syscall.SIGKILL)
	}
	deadline := time.Now().Add(5 * time.Second)
	for _, pid := range pids {
		for time.Now().Before(deadline) && syscall.Kill(pid, 0) == nil && !isZombie(pid) {
			time.Sleep(20 * time.Millisecond)
		}
	}
}

func isZombie(pid int) bool {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return true
	}
	s := string(data)
	i := strings.LastIndexByte(s, ')')
	return i >= 0 && strings.HasPrefix(strings.TrimSpace(s[i+1:]), "Z")
}

// unmountUnder lazily unmounts everything mounted below dir (Nomad's tmpfs secrets and private
// dirs), deepest first, so the directory can be removed.
func unmountUnder(dir string) error {
	f, err := os.Open("/proc/self/mountinfo")
	if err != nil {
		return err
	}
	defer f.Close()
	var mounts []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) > 4 && strings.HasPrefix(fields[4], dir+"/") {
			mounts = append(mounts, fields[4])
		}
	}
	slices.SortFunc(mounts, func(a, b string) int { return len(b) - len(a) })
	var errs []error
	for _, m := range mounts {
		if err := syscall.Unmount(m, syscall.MNT_DETACH); err != nil && !errors.Is(err, syscall.EINVAL) {
			errs = append(errs, fmt.Errorf("unmounting %s: %w", m, err))
		}
	}
	return errors.Join(errs...)
}

// removeCgroups deletes the cgroup directories a client created under its parent, deepest first.
// Only empty cgroups can go; anything still busy is reported, not forced.
func removeCgroups(parent string) error {
	// Anything but a plain name would walk cgroups that are not the agent's: "" is every
	// controller's root, where any empty cgroup on the host would go (other tests' agents
	// share /nomad/share under cgroups v1).
	if parent == "" || parent == "." || parent == ".." || parent != filepath.Base(parent) {
		return fmt.Errorf("refusing to remove cgroups under %q: want the plain name of the client's cgroup_parent", parent)
	}
	roots, _ := filepath.Glob(filepath.Join("/sys/fs/cgroup", "*", parent))
	if direct := filepath.Join("/sys/fs/cgroup", parent); fileExists(direct) {
		roots = append(roots, direct)
	}
	var errs []error
	for _, root := range roots {
		var dirs []string
		_ = filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
			if err == nil && d.IsDir() {
				dirs = append(dirs, p)
			}
			return nil
		})
		slices.SortFunc(dirs, func(a, b string) int { return len(b) - len(a) })
		for _, d := range dirs {
			if err := syscall.Rmdir(d); err != nil && !errors.Is(err, syscall.ENOENT) {
				errs = append(errs, fmt.Errorf("removing cgroup %s: %w", d, err))
			}
		}
	}
	return errors.Join(errs...)
}

func withoutEnv(env []string, names ...string) []string {
	return slices.DeleteFunc(env, func(kv string) bool {
		for _, n := range names {
			if strings.HasPrefix(kv, n+"=") {
				return true
			}
		}
		return false
	})
}
