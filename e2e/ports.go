package e2e

import (
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
)

// Ports come from below Linux's ephemeral range (32768+), so outgoing connections never take
// them, and each is claimed with an flock on a file shared by every test process on the
// machine: parallel packages under `go test ./...` never get the same port. Agents' own ports
// come from one range; each client gets a block of the other for its allocations' dynamic
// ports, since clients sharing a host would otherwise hand out the same host ports.
const (
	portLow      = 10000
	portHigh     = 20000
	dynamicLow   = 20000
	dynamicHigh  = 32000
	dynamicBlock = 100
)

var portLockDir = filepath.Join(os.TempDir(), "dec2-e2e-ports")

// FreePort returns a TCP+UDP port on 127.0.0.1 that no other test process holds, reserved until
// t's cleanup.
func FreePort(t TB) int {
	t.Helper()
	if err := os.MkdirAll(portLockDir, 0o777); err != nil {
		t.Fatalf("creating port lock dir: %v", err)
	}
	for range 500 {
		port := portLow + rand.IntN(portHigh-portLow)
		release, ok := claim(strconv.Itoa(port))
		if !ok {
			continue
		}
		if !bindable(port) {
			release()
			continue
		}
		t.Cleanup(release)
		return port
	}
	t.Fatalf("no free port in %d-%d after 500 tries", portLow, portHigh)
	return 0
}

// dynamicPorts reserves a block of ports for one client's allocations until t's cleanup and
// returns its first and last port.
func dynamicPorts(t TB) (low, high int) {
	t.Helper()
	if err := os.MkdirAll(portLockDir, 0o777); err != nil {
		t.Fatalf("creating port lock dir: %v", err)
	}
	blocks := (dynamicHigh - dynamicLow) / dynamicBlock
	for _, b := range rand.Perm(blocks) {
		release, ok := claim(fmt.Sprintf("dynamic-%d", b))
		if ok {
			t.Cleanup(release)
			low = dynamicLow + b*dynamicBlock
			return low, low + dynamicBlock - 1
		}
	}
	t.Fatalf("all %d dynamic port blocks in %d-%d are taken", blocks, dynamicLow, dynamicHigh)
	return 0, 0
}

// claim takes an exclusive lock named name, held until release (or the process's end).
func claim(name string) (release func(), ok bool) {
	f, err := os.OpenFile(filepath.Join(portLockDir, name), os.O_CREATE|os.O_RDWR, 0o666)
	if err != nil {
		return nil, false
	}
	if syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB) != nil {
		f.Close()
		return nil, false
	}
	return func() { f.Close() }, true
}

// bindable checks both protocols: Nomad's serf port listens on TCP and UDP.
func bindable(port int) bool {
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return false
	}
	l.Close()
	p, err := net.ListenPacket("udp", addr)
	if err != nil {
		return false
	}
	p.Close()
	return true
}
