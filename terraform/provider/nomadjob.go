package provider

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"net"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/nomad/api"

	"github.com/dec2-cloud/dec2/catalog"
	"github.com/dec2-cloud/dec2/instances"
	"github.com/dec2-cloud/dec2/pricing"
	"github.com/dec2-cloud/dec2/pricing/nomadprices"
)

// observed is what Nomad runs for an instance right now.
type observed struct {
	Nodes       []string // node name per running instance, by allocation name
	Addresses   []string // host:port of each instance's first port
	CostPerHour string   // tokens per hour at the nodes' prices
}

const pollEvery = time.Second

// readJob is the live job called id, or nil when it is gone or stopped.
func readJob(c *clients, id string) (*api.Job, error) {
	job, _, err := c.nomad.Jobs().Info(id, nil)
	if isNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading job %s through %s: %w", id, c.nomadAddr, err)
	}
	if job.Stop != nil && *job.Stop {
		return nil, nil
	}
	return job, nil
}

func isNotFound(err error) bool {
	var ure api.UnexpectedResponseError
	return errors.As(err, &ure) && ure.StatusCode() == 404
}

// specFromJob reads a rental back from the job Nomad holds. The allocator may have split the
// instance group into parts ("instance", "instance#2", …): counts are summed over them. The
// type is typeHint when the reservation still matches it, else the first catalogue type that does.
func specFromJob(job *api.Job, typeHint string) (instances.Spec, error) {
	s := instances.Spec{Name: deref(job.ID), Datacenters: job.Datacenters, Wallet: job.Meta["dec2.wallet"]}
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

// observe reads the running instances of job id: their nodes, addresses and what they cost.
// The allocation list carries no resources, so each running one is read whole.
func observe(c *clients, id string, ports []int) (observed, error) {
	stubs, _, err := c.nomad.Jobs().Allocations(id, false, nil)
	if err != nil {
		return observed{}, fmt.Errorf("listing allocations of %s: %w", id, err)
	}
	var allocs []*api.Allocation
	prices := map[string]pricing.Prices{}
	for _, s := range running(stubs) {
		a, _, err := c.nomad.Allocations().Info(s.ID, nil)
		if err != nil {
			return observed{}, fmt.Errorf("reading allocation %s: %w", s.Name, err)
		}
		allocs = append(allocs, a)
		if _, ok := prices[a.NodeID]; ok {
			continue
		}
		node, _, err := c.nomad.Nodes().Info(a.NodeID, nil)
		if err != nil {
			return observed{}, fmt.Errorf("reading node %s's prices: %w", a.NodeName, err)
		}
		p, err := nomadprices.Prices(node)
		if err != nil {
			return observed{}, fmt.Errorf("node %s: %w", node.Name, err)
		}
		prices[a.NodeID] = p
	}
	return summarize(allocs, prices, ports)
}

// running keeps the allocations Nomad means to run and that run, in allocation-name order.
func running(allocs []*api.AllocationListStub) []*api.AllocationListStub {
	var out []*api.AllocationListStub
	for _, a := range allocs {
		if a.DesiredStatus == api.AllocDesiredStatusRun && a.ClientStatus == api.AllocClientStatusRunning {
			out = append(out, a)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// summarize is observe's pure part: for running allocations in order, their nodes, the first
// port's address and the hourly cost, each priced at its node's prices as dec2-billing does.
func summarize(allocs []*api.Allocation, prices map[string]pricing.Prices, ports []int) (observed, error) {
	o := observed{Nodes: []string{}, Addresses: []string{}}
	total := new(big.Int)
	for _, a := range allocs {
		o.Nodes = append(o.Nodes, a.NodeName)
		if len(ports) > 0 {
			if addr := portAddress(a, "p"+strconv.Itoa(ports[0])); addr != "" {
				o.Addresses = append(o.Addresses, addr)
			}
		}
		p, ok := prices[a.NodeID]
		if !ok {
			return o, fmt.Errorf("no prices for node %s", a.NodeName)
		}
		cost, err := pricing.HourlyCost(p, nomadprices.Reserved(a))
		if err != nil {
			return o, fmt.Errorf("pricing allocation %s on %s: %w", a.Name, a.NodeName, err)
		}
		total.Add(total, cost)
	}
	o.CostPerHour = pricing.FormatAmount(total)
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

// waitRunning waits until the job's current version runs count instances (and its deployment,
// when the job has an update block, succeeded), and returns what runs.
func waitRunning(ctx context.Context, c *clients, id string, count int, ports []int) (observed, error) {
	ctx, cancel := context.WithTimeout(ctx, c.wait)
	defer cancel()
	var status string
	for {
		done, s, err := settled(c, id, count)
		if err != nil {
			return observed{}, err
		}
		status = s
		if done {
			return observe(c, id, ports)
		}
		select {
		case <-ctx.Done():
			o, _ := observe(c, id, ports)
			return o, fmt.Errorf("job %s is not running %d instance(s) after %s (provider wait_timeout): %s", id, count, c.wait, status)
		case <-time.After(pollEvery):
		}
	}
}

// settled reports whether job id's current version runs as asked, and a description of where
// it stands for a timeout message. A failed deployment is an error at once.
func settled(c *clients, id string, count int) (bool, string, error) {
	job, _, err := c.nomad.Jobs().Info(id, nil)
	if err != nil {
		return false, "", fmt.Errorf("reading job %s: %w", id, err)
	}
	version := deref(job.Version)
	allocs, _, err := c.nomad.Jobs().Allocations(id, false, nil)
	if err != nil {
		return false, "", fmt.Errorf("listing allocations of %s: %w", id, err)
	}
	var n int
	var states []string
	for _, a := range allocs {
		if a.JobVersion != version || a.DesiredStatus != api.AllocDesiredStatusRun {
			continue
		}
		if a.ClientStatus == api.AllocClientStatusRunning {
			n++
		}
		state := fmt.Sprintf("%s on %s: %s", a.Name, a.NodeName, a.ClientStatus)
		if why := instances.LastEvent(a); why != "" {
			state += " (" + why + ")"
		}
		states = append(states, state)
	}
	sort.Strings(states)
	status := fmt.Sprintf("%d of %d running at version %d [%s]", n, count, version, strings.Join(states, "; "))
	dep, _, err := c.nomad.Jobs().LatestDeployment(id, nil)
	if err != nil {
		return false, "", fmt.Errorf("reading job %s's deployment: %w", id, err)
	}
	if dep != nil && dep.JobVersion == version {
		switch dep.Status {
		case api.DeploymentStatusFailed, api.DeploymentStatusCancelled:
			return false, status, fmt.Errorf("deployment of %s version %d %s: %s (%s)", id, version, dep.Status, dep.StatusDescription, status)
		case api.DeploymentStatusSuccessful:
		default:
			return false, status + "; deployment " + dep.Status, nil
		}
	}
	return n == count, status, nil
}

// stopJob deregisters job id, waits until none of its allocations runs, and purges it so that
// nothing of it is left.
func stopJob(ctx context.Context, c *clients, id string) error {
	if _, _, err := c.nomad.Jobs().Deregister(id, false, nil); err != nil {
		if isNotFound(err) {
			return nil
		}
		return fmt.Errorf("stopping job %s: %w", id, err)
	}
	ctx, cancel := context.WithTimeout(ctx, c.wait)
	defer cancel()
	for {
		allocs, _, err := c.nomad.Jobs().Allocations(id, false, nil)
		if err != nil {
			return fmt.Errorf("listing allocations of %s: %w", id, err)
		}
		var live []string
		for _, a := range allocs {
			if a.ClientStatus == api.AllocClientStatusPending || a.ClientStatus == api.AllocClientStatusRunning {
				live = append(live, a.Name+" on "+a.NodeName)
			}
		}
		if len(live) == 0 {
			break
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("job %s still runs %s after %s (provider wait_timeout)", id, strings.Join(live, ", "), c.wait)
		case <-time.After(pollEvery):
		}
	}
	if _, _, err := c.nomad.Jobs().Deregister(id, true, nil); err != nil && !isNotFound(err) {
		return fmt.Errorf("purging job %s: %w", id, err)
	}
	return nil
}
