package instances

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/hashicorp/nomad/api"

	"github.com/dec2-cloud/dec2/conventions"
	"github.com/dec2-cloud/dec2/pricing"
	"github.com/dec2-cloud/dec2/pricing/nomadprices"
)

// Client runs, waits on, describes, prices and stops instances: the one place the dec2 CLI and
// the Terraform provider do so. Both clients work in the namespace they were made for (a
// tenant's token is only good in the tenant's namespace); jobs are registered in the request's
// namespace, never in one the jobspec names.
type Client struct {
	// Nomad reads: jobs, evaluations, deployments, allocations, nodes.
	Nomad *api.Client
	// Allocator takes submissions and stops (dec2-allocator speaks Nomad's API).
	Allocator *api.Client
	// Standby are the region's other allocators: a submission goes to the next one when an
	// allocator cannot be reached or says the region has no leader yet (a failover).
	Standby []*api.Client
	// RetryFor bounds how long a submission is retried through a failover; 0 means 45s, over
	// an allocator lease (10s) and Nomad's lock delay.
	RetryFor time.Duration
	// Poll is the pause between reads while waiting; 0 means 500ms.
	Poll time.Duration
}

// New is a client reading from nomad and submitting through allocator (nil: nomad), then
// through standby in turn while a failover lasts.
func New(nomad, allocator *api.Client, standby ...*api.Client) *Client {
	if allocator == nil {
		allocator = nomad
	}
	return &Client{Nomad: nomad, Allocator: allocator, Standby: standby}
}

// ErrNotFound is wrapped by the errors of a read of an instance Nomad does not have (in the
// client's namespace).
var ErrNotFound = errors.New("no such instance")

func isNotFound(err error) bool {
	var re api.UnexpectedResponseError
	return errors.As(err, &re) && re.StatusCode() == 404
}

func (c *Client) poll() time.Duration {
	if c.Poll > 0 {
		return c.Poll
	}
	return 500 * time.Millisecond
}

func q(ctx context.Context) *api.QueryOptions { return (&api.QueryOptions{}).WithContext(ctx) }
func w(ctx context.Context) *api.WriteOptions { return (&api.WriteOptions{}).WithContext(ctx) }

// Submit parses s through the allocator and registers it there, in the allocator client's
// namespace. It returns the job and the registration's evaluation. Nomad's refusal (the
// allocator answers 409 when no provider could ever take the type) is wrapped unchanged.
func (c *Client) Submit(ctx context.Context, s Spec) (*api.Job, string, error) {
	job, err := Job(c.Allocator, s)
	if err != nil {
		return nil, "", err
	}
	// The parsed job names "default"; without a namespace Nomad and the allocator take the
	// request's (the client's).
	job.Namespace = nil
	resp, err := c.Register(ctx, job)
	if err != nil {
		return nil, "", fmt.Errorf("registering instance %s: %w", s.Name, err)
	}
	return job, resp.EvalID, nil
}

// Register sends job to the allocators in turn until one answers, while the answers say a
// failover is under way. Sending again is safe: an allocator keeps the placement a job
// already carries.
func (c *Client) Register(ctx context.Context, job *api.Job) (*api.JobRegisterResponse, error) {
	retryFor := c.RetryFor
	if retryFor <= 0 {
		retryFor = 45 * time.Second
	}
	deadline := time.Now().Add(retryFor)
	vias := append([]*api.Client{c.Allocator}, c.Standby...)
	for try := 0; ; try++ {
		resp, _, err := vias[try%len(vias)].Jobs().Register(job, w(ctx))
		if err == nil || !failingOver(err) || time.Now().After(deadline) {
			return resp, err
		}
		// A full round of refusals waits a second (the allocators' Retry-After); the next
		// allocator after one that is down is tried at once.
		if (try+1)%len(vias) == 0 {
			select {
			case <-ctx.Done():
				return nil, err
			case <-time.After(time.Second):
			}
		}
	}
}

// failingOver says whether err means no allocator admitted the call: one unreachable, or
// one answering 503 (no leader yet) or 502 (its Nomad unreachable).
func failingOver(err error) bool {
	var re api.UnexpectedResponseError
	if errors.As(err, &re) {
		return re.StatusCode() == http.StatusServiceUnavailable || re.StatusCode() == http.StatusBadGateway
	}
	var ue *url.Error
	return errors.As(err, &ue) && !ue.Timeout()
}

// Run submits s and waits until it runs (see Wait), telling progress what it is at.
func (c *Client) Run(ctx context.Context, s Spec, progress func(string)) (*api.Job, error) {
	progress("submitting " + s.Name)
	job, evalID, err := c.Submit(ctx, s)
	if err != nil {
		return nil, err
	}
	return job, c.Wait(ctx, s.Name, evalID, progress)
}

// Wait polls until instance name runs (see Running), fails, or ctx ends, calling progress
// (nil: none) with where it stands. evalID, when known, is the registration's evaluation: an
// evaluation that could not place the job fails at once. When ctx ends first the error is a
// *NotRunningError wrapping ctx.Err().
func (c *Client) Wait(ctx context.Context, name, evalID string, progress func(string)) error {
	last := State{Name: name}
	for {
		st, err := c.State(ctx, name, evalID)
		if err != nil && ctx.Err() != nil { // a read cut short: the state is as last seen
			return &NotRunningError{State: last, Err: ctx.Err()}
		}
		if err != nil {
			return err
		}
		last = st
		if st.Done {
			return nil
		}
		if progress != nil {
			progress(st.String())
		}
		select {
		case <-ctx.Done():
			return &NotRunningError{State: st, Err: ctx.Err()}
		case <-time.After(c.poll()):
		}
	}
}

// State reads where instance name stands (see Running); evalID as for Wait.
func (c *Client) State(ctx context.Context, name, evalID string) (State, error) {
	if evalID != "" {
		ev, _, err := c.Nomad.Evaluations().Info(evalID, q(ctx))
		if err != nil {
			return State{Name: name}, fmt.Errorf("reading evaluation %s of %s: %w", evalID, name, err)
		}
		if st, err := Placing(name, ev); st.Eval != "" || err != nil {
			return st, err
		}
	}
	job, _, err := c.Nomad.Jobs().Info(name, q(ctx))
	if err != nil {
		return State{Name: name}, readError(name, err)
	}
	allocs, _, err := c.Nomad.Jobs().Allocations(name, false, q(ctx))
	if err != nil {
		return State{Name: name}, fmt.Errorf("listing allocations of %s: %w", name, err)
	}
	dep, _, err := c.Nomad.Jobs().LatestDeployment(name, q(ctx))
	if err != nil {
		return State{Name: name}, fmt.Errorf("reading the deployment of %s: %w", name, err)
	}
	return Running(job, allocs, dep)
}

func readError(name string, err error) error {
	if isNotFound(err) {
		return fmt.Errorf("no instance %q: %w", name, ErrNotFound)
	}
	return fmt.Errorf("reading instance %s: %w", name, err)
}

// State is where an instance stands on its way to running.
type State struct {
	Name    string
	Version uint64 // the job's current version
	// Want is the copies the current version asks for: the groups' counts summed (the
	// allocator may split the instance group into parts).
	Want, Running, Starting int
	// Allocs says, per allocation of the current version Nomad means to run, "name on node:
	// client status (last event)", sorted.
	Allocs []string
	// Deployment is the current version's deployment's status, "" when it has none.
	Deployment string
	// Eval is the registration's evaluation's status while it is not complete, "" after.
	Eval string
	Done bool
}

// String is the state as a progress line: "web: 1/2 running, 1 starting".
func (s State) String() string {
	if s.Eval != "" {
		return "placing " + s.Name + " (evaluation " + s.Eval + ")"
	}
	msg := fmt.Sprintf("%s: %d/%d running, %d starting", s.Name, s.Running, s.Want, s.Starting)
	if s.Running >= s.Want && s.Deployment != "" && s.Deployment != api.DeploymentStatusSuccessful {
		msg += ", deployment " + s.Deployment
	}
	return msg
}

// Detail is the state in full: "1 of 2 running at version 3 [web.instance[0] on p1: running; …]".
func (s State) Detail() string {
	d := fmt.Sprintf("%d of %d running at version %d [%s]", s.Running, s.Want, s.Version, strings.Join(s.Allocs, "; "))
	if s.Eval != "" {
		d = "evaluation " + s.Eval
	}
	if s.Deployment != "" && s.Deployment != api.DeploymentStatusSuccessful {
		d += "; deployment " + s.Deployment
	}
	return d
}

// NotRunningError is Wait's when ctx ended before the instance ran.
type NotRunningError struct {
	State State
	Err   error // ctx's
}

func (e *NotRunningError) Error() string {
	return fmt.Sprintf("instance %s is not running: %s: %v", e.State.Name, e.State.Detail(), e.Err)
}

func (e *NotRunningError) Unwrap() error { return e.Err }

// UnplaceableError says no provider can take the instance: the registration's evaluation
// completed with groups it could not place.
type UnplaceableError struct{ Name, Why string }

func (e *UnplaceableError) Error() string {
	return fmt.Sprintf("no provider can take instance %s: %s", e.Name, e.Why)
}

// FailedError says an allocation of the instance's current version failed with nothing
// replacing it yet.
type FailedError struct{ Name, Alloc, Node, Why string }

func (e *FailedError) Error() string {
	return fmt.Sprintf("instance %s failed on node %s: %s", e.Name, e.Node, e.Why)
}

// Placing is the running predicate's first part, over the registration's evaluation: while
// it is not complete the instance is being placed (State.Eval set); complete with a blocked
// evaluation and groups it could not place, it is an *UnplaceableError.
func Placing(name string, ev *api.Evaluation) (State, error) {
	if ev.Status == api.EvalStatusComplete && ev.BlockedEval != "" && len(ev.FailedTGAllocs) > 0 {
		return State{Name: name}, &UnplaceableError{Name: name, Why: placementFailure(ev.FailedTGAllocs)}
	}
	if ev.Status != api.EvalStatusComplete {
		return State{Name: name, Eval: ev.Status}, nil
	}
	return State{Name: name}, nil
}

// Running is dec2's one definition of an instance that runs, over the job as Nomad holds it,
// its allocations and its latest deployment (nil: none). An instance runs when, for the job's
// current version,
//
//   - every wanted copy (the task groups' counts summed) has an allocation of that version
//     that Nomad means to run (desired status run) and whose client status is running, and
//   - the version's deployment, where Nomad made one (the instance jobspecs' update block:
//     healthy once the port's TCP check passes, or, without ports, once the task has run
//     min_healthy_time), is successful: every copy is healthy, not merely started.
//
// It has failed, an error at once rather than a wait, when an allocation of that version
// that Nomad means to run failed and nothing replaces it (a *FailedError), when that
// deployment failed or was cancelled, or when the job was stopped. Allocations of earlier
// versions (a rolling update's old copies) do not count either way.
func Running(job *api.Job, allocs []*api.AllocationListStub, dep *api.Deployment) (State, error) {
	name := deref(job.ID)
	st := State{Name: name, Version: deref(job.Version)}
	if deref(job.Stop) {
		return st, fmt.Errorf("instance %s was stopped", name)
	}
	for _, tg := range job.TaskGroups {
		st.Want += deref(tg.Count)
	}
	var failed *FailedError
	for _, a := range allocs {
		if a.JobVersion != st.Version || a.DesiredStatus != api.AllocDesiredStatusRun {
			continue
		}
		why := LastEvent(a)
		line := fmt.Sprintf("%s on %s: %s", a.Name, a.NodeName, a.ClientStatus)
		if why != "" {
			line += " (" + why + ")"
		}
		st.Allocs = append(st.Allocs, line)
		switch a.ClientStatus {
		case api.AllocClientStatusRunning:
			st.Running++
		case api.AllocClientStatusPending:
			st.Starting++
		case api.AllocClientStatusFailed:
			if a.NextAllocation == "" && failed == nil {
				if why == "" {
					why = "no task events"
				}
				failed = &FailedError{Name: name, Alloc: a.ID, Node: a.NodeName, Why: why}
			}
		}
	}
	sort.Strings(st.Allocs)
	if failed != nil {
		return st, failed
	}
	if dep != nil && dep.JobVersion == st.Version {
		st.Deployment = dep.Status
		switch dep.Status {
		case api.DeploymentStatusFailed, api.DeploymentStatusCancelled:
			return st, fmt.Errorf("deployment of %s version %d %s: %s (%s)", name, st.Version, dep.Status, dep.StatusDescription, st.Detail())
		}
	}
	st.Done = st.Running >= st.Want && (st.Deployment == "" || st.Deployment == api.DeploymentStatusSuccessful)
	return st, nil
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

// Stop deregisters instance name through the allocator and, with wait, waits until none of
// its allocations is pending or running; with purge it then purges the job, so that nothing of
// it is left (purging first would leave nothing to wait on). Without wait, purge purges at
// once. An instance Nomad does not have is an error wrapping ErrNotFound; allocations still
// live when ctx ends, a *StillRunningError.
func (c *Client) Stop(ctx context.Context, name string, purge, wait bool) error {
	if _, _, err := c.Nomad.Jobs().Info(name, q(ctx)); err != nil {
		return readError(name, err)
	}
	if _, _, err := c.Allocator.Jobs().Deregister(name, purge && !wait, w(ctx)); err != nil {
		return fmt.Errorf("stopping instance %s: %w", name, err)
	}
	if !wait {
		return nil
	}
	var live []string
	for {
		stubs, _, err := c.Nomad.Jobs().Allocations(name, true, q(ctx))
		if err != nil && ctx.Err() != nil && live != nil { // a read cut short
			return &StillRunningError{Name: name, Live: live, Err: ctx.Err()}
		}
		if err != nil {
			return fmt.Errorf("listing allocations of %s: %w", name, err)
		}
		live = nil
		for _, s := range stubs {
			if s.ClientStatus == api.AllocClientStatusRunning || s.ClientStatus == api.AllocClientStatusPending {
				live = append(live, s.Name+" on "+s.NodeName)
			}
		}
		if len(live) == 0 {
			break
		}
		select {
		case <-ctx.Done():
			return &StillRunningError{Name: name, Live: live, Err: ctx.Err()}
		case <-time.After(c.poll()):
		}
	}
	if purge {
		if _, _, err := c.Allocator.Jobs().Deregister(name, true, w(ctx)); err != nil && !isNotFound(err) {
			return fmt.Errorf("purging instance %s: %w", name, err)
		}
	}
	return nil
}

// StillRunningError is Stop's when ctx ended before the allocations stopped.
type StillRunningError struct {
	Name string
	Live []string // "alloc name on node"
	Err  error    // ctx's
}

func (e *StillRunningError) Error() string {
	return fmt.Sprintf("instance %s: %d allocations still stopping: %v", e.Name, len(e.Live), e.Err)
}

func (e *StillRunningError) Unwrap() error { return e.Err }

// Instance is what Nomad holds for an instance.
type Instance struct {
	Job    *api.Job
	Allocs []*api.AllocationListStub  // every allocation of the job
	Full   map[string]*api.Allocation // by ID: those Nomad means to run, read whole
	Nodes  map[string]*api.Node       // by ID: the nodes of Full
}

// Describe reads instance name: its job, its allocations, those Nomad means to run in full
// (the list carries no resources or ports) and their nodes (for prices). An instance Nomad
// does not have is an error wrapping ErrNotFound.
func (c *Client) Describe(ctx context.Context, name string) (Instance, error) {
	job, _, err := c.Nomad.Jobs().Info(name, q(ctx))
	if err != nil {
		return Instance{}, readError(name, err)
	}
	stubs, _, err := c.Nomad.Jobs().Allocations(name, false, q(ctx))
	if err != nil {
		return Instance{}, fmt.Errorf("listing allocations of %s: %w", name, err)
	}
	in := Instance{Job: job, Allocs: stubs, Full: map[string]*api.Allocation{}, Nodes: map[string]*api.Node{}}
	for _, s := range stubs {
		if s.DesiredStatus != api.AllocDesiredStatusRun {
			continue
		}
		a, _, err := c.Nomad.Allocations().Info(s.ID, q(ctx))
		if err != nil {
			return Instance{}, fmt.Errorf("reading allocation %s: %w", s.ID, err)
		}
		in.Full[s.ID] = a
		if _, ok := in.Nodes[s.NodeID]; !ok {
			n, _, err := c.Nomad.Nodes().Info(s.NodeID, q(ctx))
			if err != nil {
				return Instance{}, fmt.Errorf("reading node %s: %w", s.NodeName, err)
			}
			in.Nodes[s.NodeID] = n
		}
	}
	return in, nil
}

// Running is the instance's allocations that Nomad means to run and that run, read whole, in
// allocation-name order: what is billed.
func (in Instance) Running() []*api.Allocation {
	var stubs []*api.AllocationListStub
	for _, s := range in.Allocs {
		if s.DesiredStatus == api.AllocDesiredStatusRun && s.ClientStatus == api.AllocClientStatusRunning && in.Full[s.ID] != nil {
			stubs = append(stubs, s)
		}
	}
	sort.SliceStable(stubs, func(i, j int) bool { return stubs[i].Name < stubs[j].Name })
	out := make([]*api.Allocation, len(stubs))
	for i, s := range stubs {
		out[i] = in.Full[s.ID]
	}
	return out
}

// CostPerHour is what the instance costs an hour: each running allocation (Running) at its
// node's prices, as dec2-billing streams it. The error names each running allocation that
// cannot be priced (a node's malformed price, a GPU model it sets no price for, a node not
// read); the sum leaves those out.
func (in Instance) CostPerHour() (*big.Int, error) {
	total := new(big.Int)
	var errs []error
	for _, s := range in.Allocs {
		a := in.Full[s.ID]
		if s.DesiredStatus != api.AllocDesiredStatusRun || s.ClientStatus != api.AllocClientStatusRunning || a == nil {
			continue
		}
		n := in.Nodes[s.NodeID]
		if n == nil {
			errs = append(errs, fmt.Errorf("pricing allocation %s on %s: node not read", s.Name, s.NodeName))
			continue
		}
		cost, err := HourlyCost(n, a)
		if err != nil {
			errs = append(errs, fmt.Errorf("pricing allocation %s on %s: %w", s.Name, s.NodeName, err))
			continue
		}
		total.Add(total, cost)
	}
	return total, errors.Join(errs...)
}

// HourlyCost prices allocation a as dec2-billing does: its reserved resources at node n's
// prices (its dec2.price.* meta).
func HourlyCost(n *api.Node, a *api.Allocation) (*big.Int, error) {
	p, err := nomadprices.Prices(n)
	if err != nil {
		return nil, err
	}
	return pricing.HourlyCost(p, nomadprices.Reserved(a))
}

// List lists dec2 instances (jobs the allocator packs) in the client's namespace, only
// wallet's (job meta dec2.wallet, any case) when wallet is set, by name.
func (c *Client) List(ctx context.Context, wallet string) ([]*api.JobListStub, error) {
	jobs, _, err := c.Nomad.Jobs().ListOptions(&api.JobListOptions{Fields: &api.JobListFields{Meta: true}}, q(ctx))
	if err != nil {
		return nil, fmt.Errorf("listing instances: %w", err)
	}
	var out []*api.JobListStub
	for _, j := range jobs {
		if j.Meta[conventions.MetaPack] != "true" || (wallet != "" && !strings.EqualFold(j.Meta[conventions.MetaWallet], wallet)) {
			continue
		}
		out = append(out, j)
	}
	sort.Slice(out, func(i, k int) bool { return out[i].ID < out[k].ID })
	return out, nil
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}
