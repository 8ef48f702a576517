package instance

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/hashicorp/nomad/api"

	"github.com/dec2-cloud/dec2/conventions"
	"github.com/dec2-cloud/dec2/instances"
)

// Connect makes a Nomad API client for addr (Nomad or the allocator, which speaks its API)
// that works in namespace ("" = Nomad's default): a tenant's token (`dec2 login`) is only good
// in the tenant's namespace. region ("" = addr's own) is the federated region requests are for.
func Connect(addr, token, namespace, region string) (*api.Client, error) {
	cfg := api.DefaultConfig()
	cfg.Address, cfg.SecretID, cfg.Namespace, cfg.Region = addr, token, namespace, region
	c, err := api.NewClient(cfg)
	if err != nil {
		return nil, fmt.Errorf("nomad client for %s: %w", addr, err)
	}
	return c, nil
}

// Run submits s through the allocator and waits until it runs (instances.Running), calling
// progress with what it is waiting for. It returns the instance as it runs.
func Run(ctx context.Context, c *instances.Client, s instances.Spec, progress func(string)) (Instance, error) {
	_, err := c.Run(ctx, s, progress)
	var re api.UnexpectedResponseError
	var unplaceable *instances.UnplaceableError
	var failed *instances.FailedError
	var late *instances.NotRunningError
	switch {
	case err == nil:
		return Describe(ctx, c, s.Name)
	case errors.As(err, &re) && re.StatusCode() == http.StatusConflict:
		return Instance{}, fmt.Errorf("%w; pick a type that fits (see `dec2 instance types`)", err)
	case errors.As(err, &unplaceable):
		return Instance{}, fmt.Errorf("%w; try a smaller --type or `dec2 instance stop %s`", err, s.Name)
	case errors.As(err, &failed):
		return Instance{}, fmt.Errorf("%w; see `dec2 instance logs %s`", err, s.Name)
	case errors.As(err, &late):
		return Instance{}, fmt.Errorf("instance %s is not running yet (%s): %w; see `dec2 instance describe %s`", s.Name, late.State, late.Err, s.Name)
	}
	return Instance{}, err
}

// Describe reads an instance: its job, allocations, and their nodes' prices.
func Describe(ctx context.Context, c *instances.Client, name string) (Instance, error) {
	d, err := c.Describe(ctx, name)
	if err != nil {
		return Instance{}, notFound(name, err)
	}
	return Build(d.Job, d.Allocs, d.Full, d.Nodes), nil
}

// notFound says what to do about an instance Nomad does not have.
func notFound(name string, err error) error {
	if errors.Is(err, instances.ErrNotFound) {
		return fmt.Errorf("no instance %q: see `dec2 instance ls`", name)
	}
	return err
}

// ListAll lists dec2 instances (jobs the allocator packs), only wallet's when wallet is set.
func ListAll(ctx context.Context, c *instances.Client, wallet string) (List, error) {
	jobs, err := c.List(ctx, wallet)
	if err != nil {
		return nil, err
	}
	out := List{}
	for _, j := range jobs {
		s := Summary{Name: j.ID, Status: j.Status, Wallet: j.Meta[conventions.MetaWallet]}
		if j.JobSummary != nil {
			for _, tg := range j.JobSummary.Summary {
				s.Running += tg.Running
				s.Desired += tg.Running + tg.Starting + tg.Queued
			}
		}
		out = append(out, s)
	}
	return out, nil
}

// Pick finds the allocation of instance name to read logs from or exec in: allocID when
// given (a prefix is enough), else a running one.
func Pick(ctx context.Context, c *api.Client, name, allocID string) (*api.Allocation, error) {
	q := (&api.QueryOptions{}).WithContext(ctx)
	stubs, _, err := c.Jobs().Allocations(name, false, q)
	var re api.UnexpectedResponseError
	if errors.As(err, &re) && re.StatusCode() == http.StatusNotFound {
		return nil, notFound(name, instances.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("reading instance %s: %w", name, err)
	}
	var pick *api.AllocationListStub
	for _, s := range stubs {
		switch {
		case allocID != "" && strings.HasPrefix(s.ID, allocID):
			pick = s
		case allocID == "" && s.ClientStatus == api.AllocClientStatusRunning && (pick == nil || s.CreateIndex > pick.CreateIndex):
			pick = s
		}
	}
	if pick == nil && allocID == "" {
		for _, s := range stubs {
			if pick == nil || s.CreateIndex > pick.CreateIndex {
				pick = s
			}
		}
	}
	if pick == nil {
		if allocID != "" {
			return nil, fmt.Errorf("instance %s has no allocation %q: see `dec2 instance describe %s`", name, allocID, name)
		}
		return nil, fmt.Errorf("instance %s has no allocations yet: see `dec2 instance describe %s`", name, name)
	}
	a, _, err := c.Allocations().Info(pick.ID, q)
	if err != nil {
		return nil, fmt.Errorf("reading allocation %s: %w", pick.ID, err)
	}
	return a, nil
}

// TaskOf is the task to read logs from or exec in: task when given, else the allocation's only
// task.
func TaskOf(a *api.Allocation, task string) (string, error) {
	var names []string
	if a.Job != nil {
		for _, tg := range a.Job.TaskGroups {
			if deref(tg.Name) == a.TaskGroup {
				for _, t := range tg.Tasks {
					names = append(names, t.Name)
				}
			}
		}
	}
	if task != "" {
		for _, n := range names {
			if n == task {
				return task, nil
			}
		}
		return "", fmt.Errorf("--task %q: allocation %s has tasks %s", task, short(a.ID), strings.Join(names, ", "))
	}
	if len(names) != 1 {
		return "", fmt.Errorf("allocation %s has tasks %s: pick one with --task", short(a.ID), strings.Join(names, ", "))
	}
	return names[0], nil
}

// Logs copies a task's stdout (or stderr) to w; with follow it goes on until ctx ends.
func Logs(ctx context.Context, c *api.Client, a *api.Allocation, task, stream string, follow bool, w io.Writer) error {
	cancel := make(chan struct{})
	defer close(cancel)
	frames, errs := c.AllocFS().Logs(a, follow, task, stream, api.OriginStart, 0, cancel, (&api.QueryOptions{}).WithContext(ctx))
	for {
		select {
		case <-ctx.Done():
			return nil
		case err := <-errs:
			if err != nil {
				return fmt.Errorf("reading %s of %s in allocation %s: %w", stream, task, short(a.ID), err)
			}
		case f, ok := <-frames:
			if !ok {
				return nil
			}
			if f == nil {
				continue
			}
			if _, err := w.Write(f.Data); err != nil {
				return err
			}
		}
	}
}

// Stop stops the instance (instances.Client.Stop): with wait, until its allocations have
// stopped; with purge, its history in Nomad goes too.
func Stop(ctx context.Context, c *instances.Client, name string, purge, wait bool) error {
	return notFound(name, c.Stop(ctx, name, purge, wait))
}

// Exec runs command in the task and returns its exit code.
func Exec(ctx context.Context, c *api.Client, a *api.Allocation, task string, command []string, tty bool, stdin io.Reader, stdout, stderr io.Writer) (int, error) {
	code, err := c.Allocations().Exec(ctx, a, task, tty, command, stdin, stdout, stderr, nil, nil)
	if err != nil {
		return code, fmt.Errorf("exec in %s of allocation %s: %w", task, short(a.ID), err)
	}
	return code, nil
}
