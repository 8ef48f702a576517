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
// machine: parallel packages under `go test ./...` never get the same port.
const (
	portLow  = 20000
	portHigh = 32000
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
		release, ok := claimPort(port)
		if !ok {
			continue
		}
		t.Cleanup(release)
		return port
	}
	t.Fatalf("no free port in %d-%d after 500 tries", portLow, portHigh)
	return 0
}

func claimPort(port int) (release func(), ok bool) {
	f, err := os.OpenFile(filepath.Join(portLockDir, strconv.Itoa(port)), os.O_CREATE|os.O_RDWR, 0o666)
	if err != nil {
		return nil, false
	}
	if syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB) != nil {
		f.Close()
		return nil, false
	}
	if !bindable(port) {
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
