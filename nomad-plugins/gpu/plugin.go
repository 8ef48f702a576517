// Package gpu is dec2's Nomad device plugin, dec2-gpu: it exposes a provider's GPUs (NVIDIA
// through NVML, AMD and Intel through sysfs, or fake ones from a file) to Nomad with real
// health, optional sharing of one GPU among several tasks, MIG instances, and stats.
package gpu

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"sync"
	"time"

	log "github.com/hashicorp/go-hclog"
	"github.com/hashicorp/nomad/plugins/base"
	"github.com/hashicorp/nomad/plugins/device"
	"github.com/hashicorp/nomad/plugins/shared/hclspec"

	"github.com/dec2-cloud/dec2/nomad-plugins/gpu/fake"
	"github.com/dec2-cloud/dec2/nomad-plugins/gpu/gpuconfig"
	"github.com/dec2-cloud/dec2/nomad-plugins/gpu/inventory"
	"github.com/dec2-cloud/dec2/nomad-plugins/gpu/sysfs"
)

// Name is the plugin's name: the agent's plugin "dec2-gpu" block and the binary in plugin_dir.
const Name = gpuconfig.Name

// Version is the plugin's version.
const Version = "v0.1.0"

var pluginInfo = &base.PluginInfoResponse{
	Type:              base.PluginTypeDevice,
	PluginApiVersions: []string{device.ApiVersion010},
	PluginVersion:     Version,
	Name:              Name,
}

// Backend is a source of GPUs.
type Backend interface {
	Name() string
	// Scan lists the GPUs present, each with the faults seen since the last scan.
	Scan(ctx context.Context) ([]inventory.GPU, error)
	// Sample reads the current stats of the GPUs named (physical GPU IDs); unknown IDs are skipped.
	Sample(ctx context.Context, ids []string) (map[string]inventory.Sample, error)
	Close() error
}

// Plugin is the dec2-gpu device plugin.
type Plugin struct {
	logger log.Logger

	mu       sync.RWMutex
	cfg      settings
	backends []Backend
	health   *inventory.HealthTracker
	lastGood map[string][]inventory.GPU // per backend, for when a scan fails
	// From the latest scan:
	groups []inventory.Group
	index  inventory.Index
	owner  map[string]Backend // physical GPU ID -> the backend that reported it
}

var _ device.DevicePlugin = (*Plugin)(nil)

// New returns an unconfigured plugin; Nomad configures it with SetConfig.
func New(logger log.Logger) *Plugin {
	return &Plugin{logger: logger.Named(Name)}
}

// PluginInfo describes the plugin to Nomad.
func (p *Plugin) PluginInfo() (*base.PluginInfoResponse, error) { return pluginInfo, nil }

// ConfigSchema is the HCL schema of the plugin's config block.
func (p *Plugin) ConfigSchema() (*hclspec.Spec, error) { return configSpec, nil }

// SetConfig validates the config block and opens its backends.
func (p *Plugin) SetConfig(c *base.Config) error {
	var cfg gpuconfig.Config
	if len(c.PluginConfig) > 0 {
		if err := base.MsgPackDecode(c.PluginConfig, &cfg); err != nil {
			return fmt.Errorf("decoding dec2-gpu config: %w", err)
		}
	} else {
		cfg = gpuconfig.DefaultConfig()
	}
	return p.Configure(cfg)
}

// Configure applies a configuration directly, as SetConfig does after decoding.
func (p *Plugin) Configure(cfg gpuconfig.Config) error {
	s, err := validate(cfg)
	if err != nil {
		return err
	}
	var backends []Backend
	if s.Enabled {
		backends = p.open(s)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, b := range p.backends {
		if err := b.Close(); err != nil {
			p.logger.Warn("closing backend", "backend", b.Name(), "error", err)
		}
	}
	p.cfg, p.backends = s, backends
	p.health = inventory.NewHealthTracker(s.recovery)
	p.lastGood = map[string][]inventory.GPU{}
	p.groups, p.index, p.owner = nil, inventory.Index{}, map[string]Backend{}
	return nil
}

// open starts the configured backends. One that cannot start (NVML without libnvidia-ml)
// is left off with one log line: the other backends still serve.
func (p *Plugin) open(s settings) []Backend {
	var out []Backend
	for _, name := range s.Backends {
		switch name {
		case gpuconfig.BackendNVML:
			b, err := openNVML(s)
			if err != nil {
				p.logger.Info("NVIDIA backend off", "reason", err)
				continue
			}
			out = append(out, b)
		case gpuconfig.BackendSysfs:
			out = append(out, sysfs.New(s.SysfsRoot, s.MaxTemperature))
		case gpuconfig.BackendFake:
			out = append(out, fake.New(s.FakeDevicesFile))
		}
	}
	return out
}

// Fingerprint streams the device groups: at once, then every fingerprint_period when
// anything (devices, attributes, health) changed.
func (p *Plugin) Fingerprint(ctx context.Context) (<-chan *device.FingerprintResponse, error) {
	p.mu.RLock()
	enabled, period := p.cfg.Enabled, p.cfg.period
	p.mu.RUnlock()
	if !enabled {
		return nil, device.ErrPluginDisabled
	}
	if period == 0 {
		return nil, fmt.Errorf("dec2-gpu: fingerprint before SetConfig")
	}
	out := make(chan *device.FingerprintResponse)
	go func() {
		defer close(out)
		var last []inventory.Group
		timer := time.NewTimer(0)
		defer timer.Stop()
		for first := true; ; first = false {
			select {
			case <-ctx.Done():
				return
			case <-timer.C:
			}
			groups := p.Scan(ctx, time.Now())
			timer.Reset(period)
			if !first && reflect.DeepEqual(groups, last) {
				continue
			}
			last = groups
			select {
			case out <- fingerprintResponse(groups):
			case <-ctx.Done():
				return
			}
		}
	}()
	return out, nil
}

// Scan reads every backend once, folds the faults seen into health, and returns (and keeps,
// for Reserve and Stats) the device groups Nomad should see.
func (p *Plugin) Scan(ctx context.Context, now time.Time) []inventory.Group {
	p.mu.Lock()
	defer p.mu.Unlock()
	var all []inventory.GPU
	owner := map[string]Backend{}
	for _, b := range p.backends {
		gpus, err := b.Scan(ctx)
		if err != nil {
			// Devices Nomad may have placed on are not silently dropped: they stay, unhealthy.
			p.logger.Error("scanning GPUs failed", "backend", b.Name(), "error", err)
			gpus = slices.Clone(p.lastGood[b.Name()])
			for i := range gpus {
				gpus[i].Faults = []string{fmt.Sprintf("%s backend cannot read GPUs: %v", b.Name(), err)}
			}
		} else {
			p.lastGood[b.Name()] = gpus
		}
		for _, g := range gpus {
			if p.cfg.ignored[g.ID] || p.cfg.ignored[g.PCIBusID] {
				continue
			}
			if prev, dup := owner[g.ID]; dup {
				p.logger.Warn("GPU reported twice; keeping the first", "gpu", g.ID, "first", prev.Name(), "second", b.Name())
				continue
			}
			g.MIGInstances = slices.DeleteFunc(slices.Clone(g.MIGInstances), func(m inventory.MIGInstance) bool { return p.cfg.ignored[m.ID] })
			owner[g.ID] = b
			g.Backend = b.Name()
			all = append(all, g)
		}
	}
	// GPUs seen before and missing now come back from the tracker, unhealthy.
	all, health := p.health.Observe(now, all)
	p.groups = inventory.Layout{SharesPerGPU: p.cfg.SharesPerGPU}.Expose(all, health)
	p.index = inventory.NewIndex(p.groups)
	p.owner = owner
	return p.groups
}

// Reserve tells Nomad what a task gets for the devices reserved to it.
func (p *Plugin) Reserve(ids []string) (*device.ContainerReservation, error) {
	p.mu.RLock()
	r, err := p.index.Reserve(ids)
	p.mu.RUnlock()
	if err != nil {
		return nil, err
	}
	out := &device.ContainerReservation{Envs: r.Env}
	for _, node := range r.DeviceNodes {
		out.Devices = append(out.Devices, &device.DeviceSpec{TaskPath: node, HostPath: node, CgroupPerms: "rw"})
	}
	return out, nil
}

// Stats streams each device's stats every interval.
func (p *Plugin) Stats(ctx context.Context, interval time.Duration) (<-chan *device.StatsResponse, error) {
	if interval <= 0 {
		return nil, fmt.Errorf("dec2-gpu: stats interval must be positive, got %v", interval)
	}
	out := make(chan *device.StatsResponse)
	go func() {
		defer close(out)
		ticker := time.NewTicker(interval)
		defer ticker.Stop()
		for {
			resp := &device.StatsResponse{Groups: p.collect(ctx, time.Now())}
			select {
			case out <- resp:
			case <-ctx.Done():
				return
			}
			select {
			case <-ticker.C:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out, nil
}

// Sample reads each exposed GPU once, by backend, keyed by physical GPU ID. Shares and MIG
// instances report their card's readings.
func (p *Plugin) Sample(ctx context.Context) ([]inventory.Group, map[string]inventory.Sample) {
	p.mu.RLock()
	groups, owner := p.groups, p.owner
	p.mu.RUnlock()
	wanted := map[Backend][]string{}
	for _, g := range groups {
		for _, d := range g.Devices {
			if b, ok := owner[d.GPU]; ok && !slices.Contains(wanted[b], d.GPU) {
				wanted[b] = append(wanted[b], d.GPU)
			}
		}
	}
	samples := map[string]inventory.Sample{}
	for b, ids := range wanted {
		got, err := b.Sample(ctx, ids)
		if err != nil {
			p.logger.Warn("reading GPU stats failed", "backend", b.Name(), "error", err)
			continue
		}
		for id, s := range got {
			samples[id] = s
		}
	}
	return groups, samples
}

func (p *Plugin) collect(ctx context.Context, now time.Time) []*device.DeviceGroupStats {
	groups, samples := p.Sample(ctx)
	return groupStats(groups, samples, now)
}
