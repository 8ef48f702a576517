package e2e

import (
	"os"
	"path/filepath"

	"github.com/dec2-cloud/dec2/nomad-plugins/gpu/gpuconfig"
)

// WithFakeGPUs returns c with the dec2-gpu plugin, built from this repository, serving the fake
// devices in file (a path, or one of the plugin's examples by name, e.g. "a100x2.json"), and
// runc as the runtime of GPU tasks, since fake GPUs have no NVIDIA container runtime. tune, when
// not nil, adjusts the plugin's config (shares, periods) before it is written.
func (c Client) WithFakeGPUs(t TB, file string, tune func(*gpuconfig.Config)) Client {
	t.Helper()
	if !filepath.IsAbs(file) {
		file = filepath.Join(RepoRoot(), "nomad-plugins/gpu/examples", file)
	}
	dir, err := os.MkdirTemp("", "dec2-gpu-plugin-")
	if err != nil {
		t.Fatalf("installing the dec2-gpu plugin: %v", err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Symlink(BuildBinary(t, "./nomad-plugins/gpu/cmd/dec2-gpu"), filepath.Join(dir, gpuconfig.Name)); err != nil {
		t.Fatalf("installing the dec2-gpu plugin: %v", err)
	}
	cfg := gpuconfig.DefaultConfig()
	cfg.Backends, cfg.FakeDevicesFile = []string{gpuconfig.BackendFake}, file
	if tune != nil {
		tune(&cfg)
	}
	c.PluginDir, c.PluginHCL, c.GPURuntime = dir, cfg.AgentHCL(), "runc"
	return c
}
