package provider

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/nomad/api"

	"github.com/dec2-cloud/dec2/catalog"
	"github.com/dec2-cloud/dec2/conventions"
	"github.com/dec2-cloud/dec2/instances"
	"github.com/dec2-cloud/dec2/pricing"
)

// observed is what Nomad runs for an instance right now.
type observed struct {
	Nodes       []string // node name per running instance, by allocation name
	Addresses   []string // host:port of each instance's first port
	CostPerHour string   // tokens per hour at the nodes' prices
}

const pollEvery = time.Second

// instances is the instance client over the provider's one connection: nomad_address is the
// allocator, which takes submissions and answers Nomad's reads.
func (c *clients) instances() *instances.Client {
	ic := instances.New(c.nomad, nil)
	ic.Poll = pollEvery
	return ic
}

// describe reads instance id, or nil when it is gone or stopped.
func describe(ctx context.Context, c *clients, id string) (*instances.Instance, error) {
	in, err := c.instances().Describe(ctx, id)
	if errors.Is(err, instances.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading job %s through %s: %w", id, c.nomadAddr, err)
	}
	if deref(in.Job.Stop) {
		return nil, nil
	}
	return &in, nil
}

func isNotFound(err error) bool {
	var ure api.UnexpectedResponseError
	return errors.As(err, &ure) && ure.StatusCode() == 404
}

// specFromJob reads a rental back from the job Nomad holds. The allocator may have split the
// instance group into parts ("instance", "instance#2", …): counts are summed over them. The
// type is typeHint when the reservation still matches it, else the first catalogue type that does.
func specFromJob(job *api.Job, typeHint string) (instances.Spec, error) {
	s := instances.Spec{Name: deref(job.ID), Datacenters: job.Datacenters, Wallet: job.Meta[conventions.MetaWallet]}
	if len(job.TaskGroups) == 0 || len(job.TaskGroups[0].Tasks) == 0 {
		return s, fmt.Errorf("job %s has no task: it was not made by dec2_instance", s.Name)
	}
	for _, g := range job.TaskGroups {
		if g.Count != nil {
			s.Count += *g.Count
		}
	}
	g, task := job.TaskGroups[0], job.TaskGroups[0].Tasks[0]
	s.Image, _ = task.Config["image"].(string)
	if args, ok := task.Config["args"].([]any); ok {
		for _, a := range args {
			s.Args = append(s.Args, fmt.Sprint(a))
		}
	}
	for _, n := range g.Networks {
		for _, p := range n.DynamicPorts {
			s.Ports = append(s.Ports, p.To)
		}
	}
	res := reservation{}
	if task.Resources != nil {
		res.cpu, res.mem = deref(task.Resources.CPU), deref(task.Resources.MemoryMB)
		for _, d := range task.Resources.Devices {
			res.gpus += int(deref(d.Count))
			for _, c := range d.Constraints {
				if c.LTarget == "${device.attr.memory}" {
					res.gpuMem, _ = strconv.Atoi(strings.TrimSuffix(c.RTarget, " MiB"))
				}
			}
		}
	}
	if g.EphemeralDisk != nil {
		res.disk = deref(g.EphemeralDisk.SizeMB)
	}
	t, ok := res.match(typeHint)
	if !ok {
		return s, fmt.Errorf("job %s reserves %d MHz, %d MiB, %d MiB disk, %d GPUs: no instance type matches (see dec2_instance_types)",
			s.Name, res.cpu, res.mem, res.disk, res.gpus)
	}
	s.Type = t.Name
	if res.gpuMem != t.GPUMemoryMiB {
		s.GPUMemoryMiB = res.gpuMem
	}
	return s, nil
}

type reservation struct{ cpu, mem, disk, gpus, gpuMem int }

func (r reservation) fits(t catalog.Type) bool {
	return t.CPU == r.cpu && t.MemoryMB == r.mem && t.DiskMB == r.disk && t.GPUs == r.gpus
}

func (r reservation) match(hint string) (catalog.Type, bool) {
	if t, err := catalog.Lookup(hint); err == nil && r.fits(t) {
		return t, true
	}
	for _, t := range catalog.Types() {
		if r.fits(t) {
			return t, true
		}
	}
	return catalog.Type{}, false
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// observe is what in runs: the node and first port's address of each running allocation, in
// allocation-name order, and the hourly cost (instances.Instance.CostPerHour).
func observe(in instances.Instance, ports []int) (observed, error) {
	o := observed{Nodes: []string{}, Addresses: []string{}}
	for _, a := range in.Running() {
		o.Nodes = append(o.Nodes, a.NodeName)
		if len(ports) > 0 {
			if addr := portAddress(a, "p"+strconv.Itoa(ports[0])); addr != "" {
				o.Addresses = append(o.Addresses, addr)
			}
		}
	}
	cost, err := in.CostPerHour()
	if err != nil {
		return o, err
	}
	o.CostPerHour = pricing.FormatAmount(cost)
	return o, nil
}

func portAddress(a *api.Allocation, label string) string {
	if a.AllocatedResources == nil {
		return ""
	}
	for _, p := range a.AllocatedResources.Shared.Ports {
		if p.Label == label {
			return net.JoinHostPort(p.HostIP, strconv.Itoa(p.Value))
		}
	}
	return ""
}

// waitRunning waits, up to the provider's wait_timeout, until job id runs (instances.Running)
// and returns what runs, as far as it could be read when it does not.
func waitRunning(ctx context.Context, c *clients, id, evalID string, ports []int) (observed, error) {
	wctx, cancel := context.WithTimeout(ctx, c.wait)
	err := c.instances().Wait(wctx, id, evalID, nil)
	cancel()
	var late *instances.NotRunningError
	if errors.As(err, &late) && ctx.Err() == nil {
		err = fmt.Errorf("job %s is not running %d instance(s) after %s (provider wait_timeout): %s", id, late.State.Want, c.wait, late.State.Detail())
	}
	in, rerr := c.instances().Describe(ctx, id)
	if rerr != nil {
		return observed{Nodes: []string{}, Addresses: []string{}}, errors.Join(err, rerr)
	}
	o, oerr := observe(in, ports)
	if err != nil {
		return o, err
	}
	return o, oerr
}

// stopJob stops job id, waits up to the provider's wait_timeout until none of its allocations
// runs, and purges it so that nothing of it is left. A job already gone is stopped.
func stopJob(ctx context.Context, c *clients, id string) error {
	ctx, cancel := context.WithTimeout(ctx, c.wait)
	defer cancel()
	err := c.instances().Stop(ctx, id, true, true)
	var late *instances.StillRunningError
	switch {
	case errors.Is(err, instances.ErrNotFound):
		return nil
	case errors.As(err, &late):
		return fmt.Errorf("job %s still runs %s after %s (provider wait_timeout)", id, strings.Join(late.Live, ", "), c.wait)
	}
	return err
}
