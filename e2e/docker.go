package e2e

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/docker/docker/api/types/build"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/client"
)

// Docker returns a client of the local engine, negotiating the API version: Debian's engine is
// older than the client library.
func Docker(t TB) *client.Client {
	t.Helper()
	c, err := client.NewClientWithOpts(client.FromEnv, client.WithAPIVersionNegotiation())
	if err != nil {
		t.Fatalf("creating docker client: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := c.Ping(ctx); err != nil {
		t.Fatalf("docker engine does not answer (%v): run `make tools`, which starts dockerd", err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

var (
	buildMu    sync.Mutex
	builtPaths = map[string]string{}
)

// BuildBinary builds a main package of this repository (path relative to the repo root, e.g.
// "./e2e/workload") as a static binary under .cache/e2e-bin and returns its path. Each test
// process builds a package once; go's build cache makes repeats cheap.
func BuildBinary(t TB, pkg string) string {
	t.Helper()
	buildMu.Lock()
	defer buildMu.Unlock()
	if p, ok := builtPaths[pkg]; ok {
		return p
	}
	dir := filepath.Join(RepoRoot(), ".cache", "e2e-bin")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatalf("creating %s: %v", dir, err)
	}
	out := filepath.Join(dir, filepath.Base(pkg))
	// Build to a private name, then rename: parallel test processes may build the same package.
	tmp, err := os.CreateTemp(dir, filepath.Base(pkg)+".*.tmp")
	if err != nil {
		t.Fatalf("creating temp binary: %v", err)
	}
	tmp.Close()
	cmd := exec.Command("go", "build", "-trimpath", "-o", tmp.Name(), pkg)
	cmd.Dir = RepoRoot()
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOTOOLCHAIN=local")
	if msg, err := cmd.CombinedOutput(); err != nil {
		os.Remove(tmp.Name())
		t.Fatalf("go build %s: %v\n%s", pkg, err, msg)
	}
	if err := os.Rename(tmp.Name(), out); err != nil {
		t.Fatalf("installing %s: %v", out, err)
	}
	builtPaths[pkg] = out
	return out
}

// Image builds a local Docker image FROM scratch around the static binary of pkg, with the
// binary as entrypoint, and returns its tag. The tag is the binary's content hash, so parallel
// tests share one image and no tag is ever "latest" (Nomad would try to pull that).
func Image(t TB, pkg, name string) string {
	t.Helper()
	bin := BuildBinary(t, pkg)
	data, err := os.ReadFile(bin)
	if err != nil {
		t.Fatalf("reading %s: %v", bin, err)
	}
	sum := sha256.Sum256(data)
	tag := name + ":" + hex.EncodeToString(sum[:6])

	dc := Docker(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if _, err := dc.ImageInspect(ctx, tag); err == nil {
		return tag
	}
	exe := "/" + filepath.Base(pkg)
	dockerfile := fmt.Sprintf("FROM scratch\nCOPY app %s\nENTRYPOINT [%q]\n", exe, exe)
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, f := range []struct {
		name string
		mode int64
		body []byte
	}{{"Dockerfile", 0o644, []byte(dockerfile)}, {"app", 0o755, data}} {
		if err := tw.WriteHeader(&tar.Header{Name: f.name, Mode: f.mode, Size: int64(len(f.body))}); err != nil {
			t.Fatalf("packing build context: %v", err)
		}
		if _, err := tw.Write(f.body); err != nil {
			t.Fatalf("packing build context: %v", err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatalf("packing build context: %v", err)
	}
	resp, err := dc.ImageBuild(ctx, &buf, build.ImageBuildOptions{Tags: []string{tag}, Remove: true, ForceRemove: true})
	if err != nil {
		t.Fatalf("docker build %s: %v", tag, err)
	}
	defer resp.Body.Close()
	if err := buildErrors(resp.Body); err != nil {
		t.Fatalf("docker build %s: %v", tag, err)
	}
	return tag
}

// buildErrors reads the engine's JSON progress stream; a build failure arrives inside it.
func buildErrors(r io.Reader) error {
	dec := json.NewDecoder(r)
	for {
		var msg struct {
			Error string `json:"error"`
		}
		if err := dec.Decode(&msg); err == io.EOF {
			return nil
		} else if err != nil {
			return fmt.Errorf("reading build output: %w", err)
		}
		if msg.Error != "" {
			return fmt.Errorf("%s", msg.Error)
		}
	}
}

// WorkloadImage is the local image of e2e/workload, the harness's load generator.
func WorkloadImage(t TB) string {
	t.Helper()
	return Image(t, "./e2e/workload", "dec2-workload")
}

// removeRegionContainers force-removes containers that mount anything under the region's dir:
// allocations a failed test left behind.
func removeRegionContainers(t TB, root string) {
	c, err := client.NewClientWithOpts(client.FromEnv, client.WithAPIVersionNegotiation())
	if err != nil {
		return
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	list, err := c.ContainerList(ctx, container.ListOptions{All: true})
	if err != nil {
		return
	}
	for _, ctr := range list {
		for _, m := range ctr.Mounts {
			if strings.HasPrefix(m.Source, root+"/") {
				if err := c.ContainerRemove(ctx, ctr.ID, container.RemoveOptions{Force: true}); err != nil {
					t.Logf("cleanup: removing container %s: %v", ctr.ID[:12], err)
				}
				break
			}
		}
	}
}
