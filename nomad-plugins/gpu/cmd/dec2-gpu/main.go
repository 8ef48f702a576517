// Command dec2-gpu is dec2's Nomad device plugin (put it in the client's plugin_dir), and
// `dec2-gpu probe`, which prints what the plugin sees on this machine, one fingerprint and one
// stats sample, as JSON.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	log "github.com/hashicorp/go-hclog"
	"github.com/hashicorp/nomad/plugins"

	"github.com/dec2-cloud/dec2/nomad-plugins/gpu"
	"github.com/dec2-cloud/dec2/nomad-plugins/gpu/gpuconfig"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "probe" {
		if err := probe(os.Args[2:]); err != nil {
			fmt.Fprintln(os.Stderr, "dec2-gpu probe:", err)
			os.Exit(1)
		}
		return
	}
	plugins.Serve(func(logger log.Logger) interface{} { return gpu.New(logger) })
}

func probe(args []string) error {
	cfg := gpuconfig.DefaultConfig()
	fs := flag.NewFlagSet("probe", flag.ContinueOnError)
	backends := fs.String("backends", strings.Join(cfg.Backends, ","), "comma-separated backends: nvml, sysfs, fake")
	fs.StringVar(&cfg.FakeDevicesFile, "fake-devices-file", "", "the fake backend's JSON file")
	fs.StringVar(&cfg.SysfsRoot, "sysfs-root", cfg.SysfsRoot, "sysfs mount the sysfs backend reads")
	fs.StringVar(&cfg.NVMLLibrary, "nvml-library", "", "path of libnvidia-ml (default: the loader's search)")
	fs.IntVar(&cfg.SharesPerGPU, "shares-per-gpu", cfg.SharesPerGPU, "expose each GPU as this many gpu-share devices")
	fs.IntVar(&cfg.MaxTemperature, "max-temperature", 0, "unhealthy at or above this many °C (0: each GPU's own limit)")
	ignored := fs.String("ignored-gpu-ids", "", "comma-separated GPU or MIG IDs to hide")
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg.Backends = splitList(*backends)
	cfg.IgnoredGPUIDs = splitList(*ignored)

	logger := log.New(&log.LoggerOptions{Name: "probe", Level: log.Info, Output: os.Stderr})
	p := gpu.New(logger)
	if err := p.Configure(cfg); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	out := json.NewEncoder(os.Stdout)
	out.SetIndent("", "  ")
	return out.Encode(p.Probe(ctx))
}

func splitList(s string) []string {
	out := []string{}
	for _, item := range strings.Split(s, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}
