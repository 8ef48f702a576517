package e2e

import (
	"regexp"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/dec2-cloud/dec2/cli/clientconfig"
)

// The harness's clients and `dec2 provider join` must harden Docker alike: the same plugin
// settings and sandbox meta, with and without gVisor.
func TestHarnessHardeningMatchesJoin(t *testing.T) {
	if DockerPidsLimit != clientconfig.DefaultPidsLimit {
		t.Errorf("pids_limit: harness %d, join %d", DockerPidsLimit, clientconfig.DefaultPidsLimit)
	}
	keys := regexp.MustCompile(`(?m)^\s*(allow_privileged|allow_caps|allow_runtimes|pids_limit|nvidia_runtime|"dec2\.sandbox") = .*$`)
	for _, tc := range []struct{ sandbox, gpuRuntime string }{{"", ""}, {SandboxGVisor, ""}, {SandboxGVisor, "runc"}, {"", "runc"}} {
		harness := agentConfig("c", "/d", ports{http: 1, rpc: 2, serf: 3, dynamicLow: 20000, dynamicHigh: 20010}, false,
			&Client{Sandbox: tc.sandbox, GPURuntime: tc.gpuRuntime}, 9)
		join := clientconfig.Config{DataDir: "/d", Servers: []string{"127.0.0.1:9"}, Wallet: common.Address{1},
			Sandbox: tc.sandbox, GPURuntime: tc.gpuRuntime}.Render()
		h := strings.Join(trimAll(keys.FindAllString(harness, -1)), "\n")
		j := strings.Join(trimAll(keys.FindAllString(join, -1)), "\n")
		if h != j {
			t.Errorf("sandbox %q, gpu runtime %q: the harness renders\n%s\nbut join renders\n%s", tc.sandbox, tc.gpuRuntime, h, j)
		}
		if tc.sandbox != "" && !strings.Contains(h, `allow_runtimes = ["runsc"`) {
			t.Errorf("a gVisor client allows %s", h)
		}
	}
}

func trimAll(s []string) []string {
	for i := range s {
		s[i] = strings.TrimSpace(s[i])
	}
	return s
}
