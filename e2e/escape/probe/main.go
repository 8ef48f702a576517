// Command probe tries, from inside a consumer container, each way out that dec2's providers
// close (docs/sandbox.md), and prints one JSON line per check: {"check", "blocked", "detail"}.
// Every attempt is bounded in count and time. It never sends a packet to the cloud metadata
// address: it only reads the routing table for it (the host's DOCKER-USER rule is checked by
// the test). Linux only; built static into a FROM scratch image.
//
// Environment (all optional): PROBE_GATEWAY (the bridge gateway, else the default route's),
// PROBE_HOST_PID (a host process to try ptrace on, e.g. the Nomad agent), PROBE_AGENT_PORTS
// (comma-separated ports the provider's agents listen on), PROBE_VICTIM_BRIDGE (another tenant's
// container, ip:port), PROBE_VICTIM_PUBLISHED (its published port, host:port, which must answer),
// PROBE_FORK_MAX (how many processes the fork bomb tries at most, default 4096).
package main

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"time"
	"unsafe"
)

// sysFinitModule is finit_module(2) on amd64; the syscall package does not name it.
const sysFinitModule = 313

type result struct {
	Check   string `json:"check"`
	Blocked bool   `json:"blocked"`
	Detail  string `json:"detail"`
}

func emit(check string, blocked bool, format string, args ...any) {
	b, _ := json.Marshal(result{check, blocked, fmt.Sprintf(format, args...)})
	fmt.Println(string(b))
}

func main() {
	gw := os.Getenv("PROBE_GATEWAY")
	if gw == "" {
		gw = defaultGateway()
	}
	checkMount()
	checkPtraceSibling()
	checkPtraceHost()
	checkRawSocket()
	checkModule()
	checkProcSys()
	checkDockerSocket(gw)
	checkAgents(gw)
	checkTenant()
	checkMetadataRoute()
	checkForkBomb() // last: it leaves the pids cgroup full for a moment
	fmt.Println(`{"check":"done","blocked":true,"detail":"all checks ran"}`)
}

func checkMount() {
	dir := "/probe-mnt"
	_ = os.Mkdir(dir, 0o755)
	err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size=1m")
	if err == nil {
		_ = syscall.Unmount(dir, 0)
		emit("mount", false, "mounted a tmpfs on %s", dir)
		return
	}
	emit("mount", true, "mount tmpfs: %v", err)
}

// rawFork forks with clone(SIGCHLD). The child may only make raw system calls.
func rawFork() (int, syscall.Errno) {
	r, _, e := syscall.RawSyscall6(syscall.SYS_CLONE, uintptr(syscall.SIGCHLD), 0, 0, 0, 0, 0)
	return int(r), e
}

// childWait is the forked child's whole life: close the write end, block on the read end until
// the parent closes its own (or dies), exit.
//
//go:nosplit
func childWait(rfd, wfd int, buf *byte) {
	syscall.RawSyscall(syscall.SYS_CLOSE, uintptr(wfd), 0, 0)
	syscall.RawSyscall(syscall.SYS_READ, uintptr(rfd), uintptr(unsafe.Pointer(buf)), 1)
	syscall.RawSyscall(syscall.SYS_EXIT_GROUP, 0, 0, 0)
}

//go:nosplit
func childAttach(target int) {
	_, _, e := syscall.RawSyscall6(syscall.SYS_PTRACE, syscall.PTRACE_ATTACH, uintptr(target), 0, 0, 0, 0)
	if e == 0 {
		syscall.RawSyscall6(syscall.SYS_PTRACE, syscall.PTRACE_DETACH, uintptr(target), 0, 0, 0, 0)
	}
	syscall.RawSyscall(syscall.SYS_EXIT_GROUP, uintptr(e), 0, 0)
}

// checkPtraceSibling: one child tries PTRACE_ATTACH on another (not its descendant).
func checkPtraceSibling() {
	var p [2]int
	if err := syscall.Pipe2(p[:], syscall.O_CLOEXEC); err != nil {
		emit("ptrace_sibling", false, "pipe: %v (check not run)", err)
		return
	}
	var buf byte
	sleeper, e := rawFork()
	if e != 0 {
		emit("ptrace_sibling", false, "fork: %v (check not run)", e)
		return
	}
	if sleeper == 0 {
		childWait(p[0], p[1], &buf)
	}
	tracer, e := rawFork()
	if tracer == 0 && e == 0 {
		childAttach(sleeper)
	}
	code := -1
	if e == 0 {
		var ws syscall.WaitStatus
		if _, err := syscall.Wait4(tracer, &ws, 0, nil); err == nil {
			code = ws.ExitStatus()
		}
	}
	syscall.Close(p[1])
	syscall.Close(p[0])
	// A tracer that exits before the tracee stopped leaves it stopped: kill it outright.
	_ = syscall.Kill(sleeper, syscall.SIGKILL)
	var ws syscall.WaitStatus
	_, _ = syscall.Wait4(sleeper, &ws, 0, nil)
	switch {
	case code == 0:
		emit("ptrace_sibling", false, "PTRACE_ATTACH on sibling pid %d succeeded", sleeper)
	default:
		emit("ptrace_sibling", true, "PTRACE_ATTACH on sibling pid %d: %v", sleeper, syscall.Errno(code))
	}
}

func checkPtraceHost() {
	pid, err := strconv.Atoi(os.Getenv("PROBE_HOST_PID"))
	if err != nil || pid <= 0 {
		emit("ptrace_host", true, "no PROBE_HOST_PID given; skipped")
		return
	}
	_, _, e := syscall.RawSyscall6(syscall.SYS_PTRACE, syscall.PTRACE_ATTACH, uintptr(pid), 0, 0, 0, 0)
	if e == 0 {
		syscall.RawSyscall6(syscall.SYS_PTRACE, syscall.PTRACE_DETACH, uintptr(pid), 0, 0, 0, 0)
		emit("ptrace_host", false, "PTRACE_ATTACH on pid %d succeeded", pid)
		return
	}
	emit("ptrace_host", true, "PTRACE_ATTACH on host pid %d: %v", pid, e)
}

func htons(v uint16) uint16 { return v<<8 | v>>8 }

func checkRawSocket() {
	var failed []string
	for _, s := range []struct {
		name          string
		domain, proto int
	}{{"AF_PACKET/SOCK_RAW", syscall.AF_PACKET, int(htons(syscall.ETH_P_ALL))}, {"AF_INET/SOCK_RAW", syscall.AF_INET, syscall.IPPROTO_ICMP}} {
		fd, err := syscall.Socket(s.domain, syscall.SOCK_RAW, s.proto)
		if err == nil {
			syscall.Close(fd)
			emit("raw_socket", false, "%s opened", s.name)
			return
		}
		failed = append(failed, fmt.Sprintf("%s: %v", s.name, err))
	}
	emit("raw_socket", true, "%s", strings.Join(failed, "; "))
}

func checkModule() {
	// Not a module: a kernel that let the call through would answer ENOEXEC, not EPERM.
	img := []byte("not an ELF module")
	param := []byte{0}
	_, _, e := syscall.Syscall(syscall.SYS_INIT_MODULE, uintptr(unsafe.Pointer(&img[0])), uintptr(len(img)), uintptr(unsafe.Pointer(&param[0])))
	_, _, e2 := syscall.Syscall(sysFinitModule, 0, uintptr(unsafe.Pointer(&param[0])), 0)
	blocked := (e == syscall.EPERM || e == syscall.ENOSYS) && (e2 == syscall.EPERM || e2 == syscall.ENOSYS)
	emit("kernel_module", blocked, "init_module: %v; finit_module: %v", e, e2)
}

func checkProcSys() {
	var details []string
	blocked := true
	for _, path := range []string{"/proc/sys/kernel/hostname", "/proc/sys/net/ipv4/ip_forward"} {
		cur, err := os.ReadFile(path)
		if err != nil {
			details = append(details, fmt.Sprintf("%s: read: %v", path, err))
			continue
		}
		// Writes back what is there: harmless if it were allowed.
		f, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err == nil {
			_, err = f.Write(cur)
			f.Close()
		}
		if err == nil {
			blocked = false
			details = append(details, path+": written")
		} else {
			details = append(details, fmt.Sprintf("%s: %v", path, err))
		}
	}
	emit("proc_sys_write", blocked, "%s", strings.Join(details, "; "))
}

func dial(addr string) error {
	c, err := net.DialTimeout("tcp", addr, 2*time.Second)
	if err == nil {
		c.Close()
	}
	return err
}

func checkDockerSocket(gw string) {
	for _, p := range []string{"/var/run/docker.sock", "/run/docker.sock", "/run/containerd/containerd.sock"} {
		if _, err := os.Stat(p); err == nil {
			emit("docker_socket", false, "%s exists", p)
			return
		}
	}
	details := []string{"no docker.sock or containerd.sock in the container"}
	if gw != "" {
		for _, port := range []string{"2375", "2376"} {
			if err := dial(net.JoinHostPort(gw, port)); err == nil {
				emit("docker_socket", false, "TCP %s:%s answers", gw, port)
				return
			} else {
				details = append(details, fmt.Sprintf("%s:%s: %v", gw, port, err))
			}
		}
	}
	emit("docker_socket", true, "%s", strings.Join(details, "; "))
}

func checkAgents(gw string) {
	ports := strings.FieldsFunc(os.Getenv("PROBE_AGENT_PORTS"), func(r rune) bool { return r == ',' })
	if len(ports) == 0 || gw == "" {
		emit("nomad_agent", true, "no PROBE_AGENT_PORTS or gateway; skipped")
		return
	}
	var details []string
	for _, p := range ports {
		for _, host := range []string{gw, "127.0.0.1"} {
			addr := net.JoinHostPort(host, p)
			if err := dial(addr); err == nil {
				emit("nomad_agent", false, "%s answers", addr)
				return
			} else {
				details = append(details, fmt.Sprintf("%s: %v", addr, err))
			}
		}
	}
	emit("nomad_agent", true, "%s", strings.Join(details, "; "))
}

func checkTenant() {
	if addr := os.Getenv("PROBE_VICTIM_BRIDGE"); addr != "" {
		if err := dial(addr); err == nil {
			emit("tenant_bridge", false, "another tenant's container %s answers on its bridge IP", addr)
		} else {
			emit("tenant_bridge", true, "%s: %v", addr, err)
		}
	}
	// The control: the same container through its published port must answer.
	if addr := os.Getenv("PROBE_VICTIM_PUBLISHED"); addr != "" {
		if err := dial(addr); err == nil {
			emit("tenant_published", false, "published port %s answers (as it must)", addr)
		} else {
			emit("tenant_published", true, "published port %s: %v", addr, err)
		}
	}
}

// routes reads /proc/net/route: destination, mask, gateway (host byte order as the kernel
// writes it) and interface.
type route struct {
	iface         string
	dst, gw, mask uint32
}

func routes() ([]route, error) {
	data, err := os.ReadFile("/proc/net/route")
	if err != nil {
		return nil, err
	}
	var out []route
	for _, line := range strings.Split(string(data), "\n")[1:] {
		f := strings.Fields(line)
		if len(f) < 8 {
			continue
		}
		d, err1 := strconv.ParseUint(f[1], 16, 32)
		g, err2 := strconv.ParseUint(f[2], 16, 32)
		m, err3 := strconv.ParseUint(f[7], 16, 32)
		if errors.Join(err1, err2, err3) != nil {
			continue
		}
		out = append(out, route{f[0], uint32(d), uint32(g), uint32(m)})
	}
	return out, nil
}

func ip4(v uint32) net.IP {
	var b [4]byte
	binary.LittleEndian.PutUint32(b[:], v)
	return net.IP(b[:])
}

func defaultGateway() string {
	rs, _ := routes()
	for _, r := range rs {
		if r.dst == 0 && r.mask == 0 && r.gw != 0 {
			return ip4(r.gw).String()
		}
	}
	return ""
}

// checkMetadataRoute finds the route 169.254.169.254 would take, sending nothing. A route
// means only the host's firewall stands in the way (the test checks its DOCKER-USER rule).
func checkMetadataRoute() {
	rs, err := routes()
	if err != nil {
		emit("metadata_route", false, "reading /proc/net/route: %v (the host's DOCKER-USER rule must hold)", err)
		return
	}
	target := binary.LittleEndian.Uint32(net.IPv4(169, 254, 169, 254).To4())
	best, found := route{}, false
	for _, r := range rs {
		if target&r.mask == r.dst&r.mask && (!found || ones(r.mask) > ones(best.mask)) {
			best, found = r, true
		}
	}
	if !found {
		emit("metadata_route", true, "no route to 169.254.169.254")
		return
	}
	emit("metadata_route", false, "169.254.169.254 routes via %s dev %s: only the host's DOCKER-USER rule blocks it", ip4(best.gw), best.iface)
}

func ones(m uint32) int {
	n := 0
	for ; m != 0; m &= m - 1 {
		n++
	}
	return n
}

// checkForkBomb forks children that block on a pipe until it stops, at most PROBE_FORK_MAX
// of them and for at most 30 s; the pids limit must make fork fail first.
func checkForkBomb() {
	max := 4096
	if v, err := strconv.Atoi(os.Getenv("PROBE_FORK_MAX")); err == nil && v > 0 {
		max = v
	}
	var p [2]int
	if err := syscall.Pipe2(p[:], syscall.O_CLOEXEC); err != nil {
		emit("fork_bomb", false, "pipe: %v (check not run)", err)
		return
	}
	var buf byte
	// When the pids cgroup is full, the Go runtime cannot start a thread and dies: keep it
	// from needing one (one P, no GC, only raw system calls until the children are reaped).
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	deadline := time.Now().Add(30 * time.Second)
	n, stop := 0, syscall.Errno(0)
	for n < max && time.Now().Before(deadline) {
		pid, e := rawFork()
		if e != 0 {
			stop = e
			break
		}
		if pid == 0 {
			childWait(p[0], p[1], &buf)
		}
		n++
	}
	syscall.RawSyscall(syscall.SYS_CLOSE, uintptr(p[1]), 0, 0)
	syscall.RawSyscall(syscall.SYS_CLOSE, uintptr(p[0]), 0, 0)
	reaped := 0
	for reaped < n && time.Now().Before(deadline.Add(30*time.Second)) {
		var ws syscall.WaitStatus
		_, _, e := syscall.RawSyscall6(syscall.SYS_WAIT4, ^uintptr(0), uintptr(unsafe.Pointer(&ws)), 0, 0, 0, 0)
		if e == syscall.EINTR {
			continue
		}
		if e != 0 {
			break
		}
		reaped++
	}
	switch {
	case stop != 0:
		emit("fork_bomb", true, "fork failed after %d children: %v (reaped %d)", n, stop, reaped)
	case n >= max:
		emit("fork_bomb", false, "forked all %d children (reaped %d)", n, reaped)
	default:
		emit("fork_bomb", false, "forked %d children before the 30 s deadline (reaped %d)", n, reaped)
	}
}
