package jobspecs_test

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/dec2-cloud/dec2/e2e"
	"github.com/dec2-cloud/dec2/nomad-plugins/gpu"
)

// requiredVars are the variables a jobspec has no default for.
var requiredVars = map[string][]string{
	"billing": {"escrow=0x5FbDB2315678afecb367f032d93F642f64180aa3"},
}

// Every jobspec in this directory is accepted by `nomad job validate` and, with its defaults,
// planned onto a region with room for it (fake GPUs included): `nomad job plan` exits 1 when
// it would create allocations, 255 on errors.
func TestEveryJobspecValidatesAndPlans(t *testing.T) {
	e2e.RequireIntegration(t)
	files, err := filepath.Glob("*.nomad.hcl")
	if err != nil || len(files) == 0 {
		t.Fatalf("listing jobspecs: %d found, err %v", len(files), err)
	}
	region := e2e.StartRegion(t, e2e.Options{Clients: []e2e.Client{gpuClient(t, "rig", 16000, 32768)}})
	for _, file := range files {
		name := strings.TrimSuffix(file, ".nomad.hcl")
		t.Run(name, func(t *testing.T) {
			var vars []string
			for _, v := range requiredVars[name] {
				vars = append(vars, "-var", v)
			}
			path := filepath.Join("jobspecs", file)
			if out, err := region.Nomad(t, slices.Concat([]string{"job", "validate"}, vars, []string{path})...); err != nil {
				t.Fatalf("nomad job validate: %v\n%s", err, out)
			}
			out, err := region.Nomad(t, slices.Concat([]string{"job", "plan"}, vars, []string{path})...)
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() != 1 {
				t.Fatalf("nomad job plan: want exit code 1 (allocations to create), got %v\n%s", err, out)
			}
			if !strings.Contains(out, "All tasks successfully allocated") {
				t.Errorf("nomad job plan: not every task could be placed:\n%s", out)
			}
		})
	}
}

// gpuClient is a provider with two fake A100-80GB (the plugin's examples/a100x2.json) and
// raw_exec: Docker would run a task holding NVIDIA GPUs with the NVIDIA runtime this machine lacks.
func gpuClient(t *testing.T, name string, cpuMHz, memoryMB int) e2e.Client {
	t.Helper()
	pluginDir := t.TempDir()
	if err := os.Symlink(e2e.BuildBinary(t, "./nomad-plugins/gpu/cmd/dec2-gpu"), filepath.Join(pluginDir, gpu.Name)); err != nil {
		t.Fatal(err)
	}
	cfg := gpu.DefaultConfig()
	cfg.Backends = []string{gpu.BackendFake}
	cfg.FakeDevicesFile = filepath.Join(e2e.RepoRoot(), "nomad-plugins/gpu/examples/a100x2.json")
	return e2e.Client{Name: name, CPUMHz: cpuMHz, MemoryMB: memoryMB, PluginDir: pluginDir, PluginHCL: cfg.AgentHCL(), RawExec: true}
}
