package e2e

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// service is one of dec2's own programs running as a process beside a region, as users run it,
// with its log in a file and a stop at cleanup.
type service struct {
	name   string
	log    string
	cmd    *exec.Cmd
	exited chan struct{}
}

// startService builds pkg, runs it with args and env (NOMAD_ADDR and NOMAD_TOKEN of the test's
// own environment removed), and polls ready until it answers.
func startService(t TB, name, pkg string, args, env []string, ready func() bool) *service {
	t.Helper()
	bin := BuildBinary(t, pkg)
	dir, err := os.MkdirTemp("", name+"-")
	if err != nil {
		t.Fatalf("creating %s's dir: %v", name, err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	s := &service{name: name, log: filepath.Join(dir, name+".log"), exited: make(chan struct{})}
	logFile, err := os.Create(s.log)
	if err != nil {
		t.Fatalf("creating %s's log: %v", name, err)
	}
	defer logFile.Close()
	s.cmd = exec.Command(bin, args...)
	s.cmd.Env = append(withoutEnv(os.Environ(), "NOMAD_ADDR", "NOMAD_TOKEN"), env...)
	s.cmd.Stdout, s.cmd.Stderr = logFile, logFile
	s.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := s.cmd.Start(); err != nil {
		t.Fatalf("starting %s: %v", name, err)
	}
	go func() { _ = s.cmd.Wait(); close(s.exited) }()
	t.Cleanup(s.stop)
	Poll(t, name+" to serve", time.Minute, 200*time.Millisecond, func() (bool, error) {
		select {
		case <-s.exited:
			return false, fmt.Errorf("%s exited:\n%s", name, s.logTail())
		default:
		}
		return ready(), nil
	})
	return s
}

func (s *service) stop() {
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	select {
	case <-s.exited:
	case <-ctx.Done():
		_ = syscall.Kill(-s.cmd.Process.Pid, syscall.SIGKILL)
		<-s.exited
	}
}

// kill ends the service as a crash would (SIGKILL to its process group: nothing released,
// nothing flushed) and waits for it to exit.
func (s *service) kill() {
	_ = syscall.Kill(-s.cmd.Process.Pid, syscall.SIGKILL)
	<-s.exited
}

func (s *service) logTail() string {
	b, _ := os.ReadFile(s.log)
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	return strings.Join(lines[max(0, len(lines)-20):], "\n")
}
