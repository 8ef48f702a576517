package instance

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/hashicorp/nomad/api"

	"github.com/dec2-cloud/dec2/instances"
)

// Connect makes a Nomad API client for addr (Nomad or the allocator, which speaks its API)
// that works in namespace ("" = Nomad's default): a tenant's token (`dec2 login`) is only good
// in the tenant's namespace.
func Connect(addr, token, namespace string) (*api.Client, error) {
	cfg := api.DefaultConfig()
	cfg.Address, cfg.SecretID, cfg.Namespace = addr, token, namespace
	c, err := api.NewClient(cfg)
	if err != nil {
		return nil, fmt.Errorf("nomad client for %s: %w", addr, err)
	}
	return c, nil
}

// Run submits s through the allocator at via and waits on nomad until every copy runs,
// calling progress with what it is waiting for. It returns the instance as it runs.
func Run(ctx context.Context, via, nomad *api.Client, s instances.Spec, progress func(string)) (Instance, error) {
	progress("submitting " + s.Name)
	evalID, err := register(via, s)
	var re api.UnexpectedResponseError
	if errors.As(err, &re) && re.StatusCode() == http.StatusConflict {
		return Instance{}, fmt.Errorf("%w; pick a type that fits (see `dec2 instance types`)", err)
	}
	if err != nil {
		return Instance{}, err
	}
	return Wait(ctx, nomad, s.Name, evalID, progress)
}

// register is instances.Run in via's namespace: the parsed job names none, so Nomad and the
// allocator both take the request's (the client's), not "default".
func register(via *api.Client, s instances.Spec) (string, error) {
	job, err := instances.Job(via, s)
	if err != nil {
		return "", err
	}
	job.Namespace = nil
	resp, _, err := via.Jobs().Register(job, nil)
	if err != nil {
		return "", fmt.Errorf("registering instance %s: %w", s.Name, err)
	}
	return resp.EvalID, nil
}

// Wait polls until the job's latest version has all its allocations running, an evaluation
// could not place it, or ctx ends. evalID, when known, is the registration's evaluation.
func Wait(ctx context.Context, c *api.Client, name, evalID string, progress func(string)) (Instance, error) {
	for {
		done, msg, err := check(ctx, c, name, evalID)
		if err != nil {
			return Instance{}, err
		}
		if done {
			return Describe(ctx, c, name)
		}
		progress(msg)
		select {
		case <-ctx.Done():
			return Instance{}, fmt.Errorf("instance %s is not running yet (%s): %w; see `dec2 instance describe %s`", name, msg, ctx.Err(), name)
		case <-time.After(500 * time.Millisecond):
		}
	}
}

func check(ctx context.Context, c *api.Client, name, evalID string) (bool, string, error) {
	q := (&api.QueryOptions{}).WithContext(ctx)
	if evalID != "" {
		ev, _, err := c.Evaluations().Info(evalID, q)
		if err != nil {
			return false, "", fmt.Errorf("reading evaluation %s of %s: %w", evalID, name, err)
		}
		if ev.Status == api.EvalStatusComplete && ev.BlockedEval != "" && len(ev.FailedTGAllocs) > 0 {
			return false, "", fmt.Errorf("no provider can take instance %s: %s; try a smaller --type or `dec2 instance stop %s`", name, placementFailure(ev.FailedTGAllocs), name)
		}
		if ev.Status != api.EvalStatusComplete {
			return false, "placing " + name + " (evaluation " + ev.Status + ")", nil
		}
	}
	job, _, err := c.Jobs().Info(name, q)
	if err != nil {
		return false, "", fmt.Errorf("reading instance %s: %w", name, err)
	}
	allocs, _, err := c.Jobs().Allocations(name, false, q)
	if err != nil {
		return false, "", fmt.Errorf("listing allocations of %s: %w", name, err)
	}
	want := 0
	for _, tg := range job.TaskGroups {
		want += deref(tg.Count)
	}
	running, pending := 0, 0
	for _, a := range allocs {
		if a.JobVersion != deref(job.Version) || a.DesiredStatus != api.AllocDesiredStatusRun {
			continue
		}
		switch a.ClientStatus {
		case api.AllocClientStatusRunning:
			running++
		case api.AllocClientStatusPending:
			pending++
		case api.AllocClientStatusFailed:
			why := instances.LastEvent(a)
			if why == "" {
				why = "no task events"
			}
			return false, "", fmt.Errorf("instance %s failed on node %s: %s; see `dec2 instance logs %s`", name, a.NodeName, why, name)
		}
	}
	if running >= want {
		return true, "", nil
	}
	return false, fmt.Sprintf("%s: %d/%d running, %d starting", name, running, want, pending), nil
}

// placementFailure says why a group could not be placed, from the evaluation's metrics.
func placementFailure(failed map[string]*api.AllocationMetric) string {
	var parts []string
	for group, m := range failed {
		var why []string
		for dim, n := range m.DimensionExhausted {
			why = append(why, fmt.Sprintf("%s exhausted on %d nodes", dim, n))
		}
		for c, n := range m.ConstraintFiltered {
			why = append(why, fmt.Sprintf("%d nodes filtered by %s", n, c))
		}
		sort.Strings(why)
		if len(why) == 0 {
			why = append(why, fmt.Sprintf("%d nodes evaluated", m.NodesEvaluated))
		}
		parts = append(parts, group+": "+strings.Join(why, ", "))
	}
	sort.Strings(parts)
	return strings.Join(parts, "; ")
}

// Describe reads an instance: its job, allocations, and their nodes' prices.
func Describe(ctx context.Context, c *api.Client, name string) (Instance, error) {
	q := (&api.QueryOptions{}).WithContext(ctx)
	job, _, err := c.Jobs().Info(name, q)
	if err != nil {
		return Instance{}, notFound(name, err)
	}
	stubs, _, err := c.Jobs().Allocations(name, false, q)
	if err != nil {
		return Instance{}, fmt.Errorf("listing allocations of %s: %w", name, err)
	}
	full := map[string]*api.Allocation{}
	nodes := map[string]*api.Node{}
	for _, s := range stubs {
		if s.DesiredStatus != api.AllocDesiredStatusRun {
			continue
		}
		a, _, err := c.Allocations().Info(s.ID, q)
		if err != nil {
			return Instance{}, fmt.Errorf("reading allocation %s: %w", s.ID, err)
		}
		full[s.ID] = a
		if _, ok := nodes[s.NodeID]; !ok {
			n, _, err := c.Nodes().Info(s.NodeID, q)
			if err != nil {
				return Instance{}, fmt.Errorf("reading node %s: %w", s.NodeName, err)
			}
			nodes[s.NodeID] = n
		}
	}
	return Build(job, stubs, full, nodes), nil
}

func notFound(name string, err error) error {
	var re api.UnexpectedResponseError
	if errors.As(err, &re) && re.StatusCode() == 404 {
		return fmt.Errorf("no instance %q: see `dec2 instance ls`", name)
	}
	return fmt.Errorf("reading instance %s: %w", name, err)
}

// ListAll lists dec2 instances (jobs the allocator packs), only wallet's when wallet is set.
func ListAll(ctx context.Context, c *api.Client, wallet string) (List, error) {
	jobs, _, err := c.Jobs().ListOptions(&api.JobListOptions{Fields: &api.JobListFields{Meta: true}}, (&api.QueryOptions{}).WithContext(ctx))
	if err != nil {
		return nil, fmt.Errorf("listing instances: %w", err)
	}
	out := List{}
	for _, j := range jobs {
		if j.Meta["dec2.pack"] != "true" || (wallet != "" && !strings.EqualFold(j.Meta["dec2.wallet"], wallet)) {
			continue
		}
		s := Summary{Name: j.ID, Status: j.Status, Wallet: j.Meta["dec2.wallet"]}
		if j.JobSummary != nil {
			for _, tg := range j.JobSummary.Summary {
				s.Running += tg.Running
				s.Desired += tg.Running + tg.Starting + tg.Queued
			}
		}
		out = append(out, s)
	}
	sort.Slice(out, func(i, k int) bool { return out[i].Name < out[k].Name })
	return out, nil
}

// Pick finds the allocation of instance name to read logs from or exec in: allocID when
// given (a prefix is enough), else a running one.
func Pick(ctx context.Context, c *api.Client, name, allocID string) (*api.Allocation, error) {
	q := (&api.QueryOptions{}).WithContext(ctx)
	stubs, _, err := c.Jobs().Allocations(name, false, q)
	if err != nil {
		return nil, notFound(name, err)
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

// Stop deregisters the instance and, with wait, waits until its allocations have stopped.
func Stop(ctx context.Context, c *api.Client, name string, purge, wait bool) error {
	if _, _, err := c.Jobs().Info(name, (&api.QueryOptions{}).WithContext(ctx)); err != nil {
		return notFound(name, err)
	}
	if _, _, err := c.Jobs().Deregister(name, purge, (&api.WriteOptions{}).WithContext(ctx)); err != nil {
		return fmt.Errorf("stopping instance %s: %w", name, err)
	}
	for wait {
		stubs, _, err := c.Jobs().Allocations(name, true, (&api.QueryOptions{}).WithContext(ctx))
		if err != nil && !purge {
			return fmt.Errorf("listing allocations of %s: %w", name, err)
		}
		live := 0
		for _, s := range stubs {
			if s.ClientStatus == api.AllocClientStatusRunning || s.ClientStatus == api.AllocClientStatusPending {
				live++
			}
		}
		if live == 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("instance %s: %d allocations still stopping: %w", name, live, ctx.Err())
		case <-time.After(500 * time.Millisecond):
		}
	}
	return nil
}

// Exec runs command in the task and returns its exit code.
func Exec(ctx context.Context, c *api.Client, a *api.Allocation, task string, command []string, tty bool, stdin io.Reader, stdout, stderr io.Writer) (int, error) {
	code, err := c.Allocations().Exec(ctx, a, task, tty, command, stdin, stdout, stderr, nil, nil)
	if err != nil {
		return code, fmt.Errorf("exec in %s of allocation %s: %w", task, short(a.ID), err)
	}
	return code, nil
}
