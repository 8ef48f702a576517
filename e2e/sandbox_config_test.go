package e2e

import (
	"maps"
	"regexp"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/dec2-cloud/dec2/cli/clientconfig"
)

// The harness's clients and `dec2 provider join` render through one renderer (clientconfig): they
// must harden Docker alike, the same plugin settings and sandbox meta, with and without gVisor.
func TestHarnessHardeningMatchesJoin(t *testing.T) {
	hardening := regexp.MustCompile(`^(plugin\."docker"\.config\.(allow_privileged|allow_caps|allow_runtimes|pids_limit|nvidia_runtime|volumes\.enabled|extra_labels)|client\.meta\."dec2\.sandbox"|client\.options\..*)$`)
	pick := func(cfg string) map[string]string {
		t.Helper()
		s, err := clientconfig.Settings([]byte(cfg))
		if err != nil {
			t.Fatalf("%v\n%s", err, cfg)
		}
		maps.DeleteFunc(s, func(k, _ string) bool { return !hardening.MatchString(k) })
		return s
	}
	for _, tc := range []struct{ sandbox, gpuRuntime string }{{"", ""}, {SandboxGVisor, ""}, {SandboxGVisor, "runc"}, {"", "runc"}} {
		harness := pick(agentConfig("c", "/d", ports{http: 1, rpc: 2, serf: 3, dynamicLow: 20000, dynamicHigh: 20010}, regionConfig{},
			&Client{Sandbox: tc.sandbox, GPURuntime: tc.gpuRuntime}, 9))
		join := pick(clientconfig.Config{DataDir: "/d", Servers: []string{"127.0.0.1:9"}, Wallet: common.Address{1},
			Sandbox: tc.sandbox, GPURuntime: tc.gpuRuntime}.Render())
		if d := clientconfig.DiffSettings("harness", harness, "join", join); len(d) > 0 || len(harness) < 7 {
			t.Errorf("sandbox %q, gpu runtime %q: %d hardening settings; the harness and join differ:\n%s", tc.sandbox, tc.gpuRuntime, len(harness), strings.Join(d, "\n"))
		}
		if tc.sandbox != "" && !strings.HasPrefix(harness[`plugin."docker".config.allow_runtimes`], `["runsc"`) {
			t.Errorf("a gVisor client allows %s", harness[`plugin."docker".config.allow_runtimes`])
		}
	}
}
