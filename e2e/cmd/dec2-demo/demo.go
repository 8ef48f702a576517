package main

import (
	"fmt"
	"io"
	"net/http"
	"sort"
	"text/tabwriter"
	"time"

	"github.com/hashicorp/nomad/api"

	"github.com/dec2-cloud/dec2/e2e"
)

// providers are the demo's mixed fleet, priced per CONVENTIONS.md's node meta.
var providers = []e2e.Client{
	{Name: "laptop", CPUMHz: 2000, MemoryMB: 2048, Meta: prices("0.010", "0.004")},
	{Name: "desktop", CPUMHz: 4000, MemoryMB: 8192, Meta: prices("0.008", "0.003")},
	{Name: "rack-server", CPUMHz: 8000, MemoryMB: 16384, Meta: prices("0.006", "0.002")},
}

func prices(cpuGHzHour, memGBHour string) map[string]string {
	return map[string]string{
		"dec2.price.cpu_ghz_hour":  cpuGHzHour,
		"dec2.price.mem_gb_hour":   memGBHour,
		"dec2.price.disk_gb_hour":  "0.0001",
		"dec2.dedicated_tenant":    "",
		"dec2.demo.provider_class": "demo",
	}
}

func run(t *runner, out io.Writer) error {
	t.log.Info("building the workload image")
	image := e2e.WorkloadImage(t)
	t.log.Info("starting a local region", "providers", len(providers))
	region := e2e.StartRegion(t, e2e.Options{Clients: providers})

	t.log.Info("running the instance jobspec", "image", image)
	if msg, err := region.Nomad(t, "job", "run", "-detach",
		"-var", "image="+image,
		"-var", `args=["-http", ":8080", "-mem", "32", "-cpu", "0.05"]`,
		"-var", "ports=[8080]", "-var", "cpu=500", "-var", "memory=128",
		"jobspecs/instance.nomad.hcl"); err != nil {
		return fmt.Errorf("submitting the instance: %w\n%s", err, msg)
	}
	alloc, err := waitRunning(region.API, "instance", 3*time.Minute)
	if err != nil {
		return err
	}

	fmt.Fprintf(out, "\nRegion: NOMAD_ADDR=%s\n\n", region.Addr)
	if err := printNodes(out, region.API); err != nil {
		return err
	}
	status, err := region.Nomad(t, "alloc", "status", alloc.ID)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "\nInstance allocation:\n%s\n", status)
	for _, p := range alloc.AllocatedResources.Shared.Ports {
		url := fmt.Sprintf("http://127.0.0.1:%d/", p.Value)
		body, err := get(url)
		if err != nil {
			return fmt.Errorf("reaching the instance at %s: %w", url, err)
		}
		fmt.Fprintf(out, "Instance answers at %s: %s\n", url, body)
	}
	return nil
}

func waitRunning(c *api.Client, job string, timeout time.Duration) (*api.Allocation, error) {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		allocs, _, err := c.Jobs().Allocations(job, false, nil)
		if err == nil {
			for _, a := range allocs {
				if a.ClientStatus == api.AllocClientStatusRunning {
					full, _, err := c.Allocations().Info(a.ID, nil)
					return full, err
				}
			}
		}
		time.Sleep(500 * time.Millisecond)
	}
	return nil, fmt.Errorf("job %s not running after %s", job, timeout)
}

func printNodes(out io.Writer, c *api.Client) error {
	stubs, _, err := c.Nodes().List(&api.QueryOptions{Params: map[string]string{"resources": "true"}})
	if err != nil {
		return fmt.Errorf("listing nodes: %w", err)
	}
	sort.Slice(stubs, func(i, j int) bool { return stubs[i].Name < stubs[j].Name })
	w := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "PROVIDER\tNODE\tSTATUS\tCPU MHz\tMEMORY MiB\tALLOCS\t$/GHz-h\t$/GiB-h")
	for _, s := range stubs {
		n, _, err := c.Nodes().Info(s.ID, nil)
		if err != nil {
			return fmt.Errorf("reading node %s: %w", s.Name, err)
		}
		allocs, _, err := c.Nodes().Allocations(s.ID, nil)
		if err != nil {
			return fmt.Errorf("listing allocations of %s: %w", s.Name, err)
		}
		running := 0
		for _, a := range allocs {
			if a.ClientStatus == api.AllocClientStatusRunning {
				running++
			}
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%d\t%d\t%d\t%s\t%s\n", n.Name, n.ID[:8], n.Status,
			n.NodeResources.Cpu.CpuShares, n.NodeResources.Memory.MemoryMB, running,
			n.Meta["dec2.price.cpu_ghz_hour"], n.Meta["dec2.price.mem_gb_hour"])
	}
	return w.Flush()
}

func get(url string) (string, error) {
	c := http.Client{Timeout: 5 * time.Second}
	var lastErr error
	for range 20 {
		resp, err := c.Get(url)
		if err == nil {
			body, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			return string(body), err
		}
		lastErr = err
		time.Sleep(250 * time.Millisecond)
	}
	return "", lastErr
}

var _ e2e.TB = (*runner)(nil)
