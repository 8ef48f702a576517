package repairer

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/hashicorp/nomad/api"

	"github.com/dec2-cloud/dec2/conventions"
)

// MetaRound is the worker job's meta the checker sets to the time it found the work: a batch
// job registered again unchanged after its run would not run again, one whose meta changed is
// a new version with a new allocation.
const MetaRound = "dec2.repair.round"

// Jobs is the worker's job in Nomad, through the allocator (which packs and pins it).
type Jobs interface {
	// Spec is the worker's job as its jobspec renders it.
	Spec(ctx context.Context) (*api.Job, error)
	// Busy says whether the job has a run under way: an evaluation pending, or an allocation
	// Nomad wants running that is pending or running.
	Busy(ctx context.Context, id, namespace string) (bool, error)
	// Register registers the job.
	Register(ctx context.Context, job *api.Job) error
}

// Checker finds repair work as a round would (Worker.Pending) and, when there is some and no
// worker is under way, registers a one-shot worker job that runs a round: the repair itself
// then runs where the allocator places it, not beside the checker.
type Checker struct {
	Pending func(ctx context.Context) (Work, error)
	Jobs    Jobs
	Log     *slog.Logger
	Now     func() time.Time
}

// Check runs one check and says whether it registered a worker. Work found with an error (a
// provider's listing failed) still starts one: the round retries what the check could not read.
func (c *Checker) Check(ctx context.Context) (Work, bool, error) {
	work, err := c.Pending(ctx)
	if !work.Any() {
		return work, false, err
	}
	if err != nil {
		c.log().Warn("repair: checking for work was incomplete", "err", err)
	}
	job, err := c.Jobs.Spec(ctx)
	if err != nil {
		return work, false, fmt.Errorf("repair: rendering the worker's jobspec: %w", err)
	}
	if err := packedBatch(job); err != nil {
		return work, false, err
	}
	ns := api.DefaultNamespace
	if job.Namespace != nil && *job.Namespace != "" {
		ns = *job.Namespace
	}
	busy, err := c.Jobs.Busy(ctx, *job.ID, ns)
	if err != nil {
		return work, false, fmt.Errorf("repair: reading job %s's runs: %w", *job.ID, err)
	}
	if busy {
		return work, false, nil
	}
	if job.Meta == nil {
		job.Meta = map[string]string{}
	}
	job.Meta[MetaRound] = c.now().UTC().Format(time.RFC3339Nano)
	if err := c.Jobs.Register(ctx, job); err != nil {
		return work, false, fmt.Errorf("repair: registering job %s: %w", *job.ID, err)
	}
	return work, true, nil
}

// packedBatch refuses a worker job the allocator would not place: it must be a one-shot batch
// job (a periodic or parameterized one is a template the allocator passes to Nomad unpinned)
// that opts into packing.
func packedBatch(job *api.Job) error {
	switch {
	case job.ID == nil || *job.ID == "":
		return errors.New("repair: the worker's jobspec renders a job without an ID")
	case job.Type == nil || *job.Type != api.JobTypeBatch:
		return fmt.Errorf("repair: job %s is not a batch job: the worker runs one round and exits", *job.ID)
	case job.Periodic != nil || job.ParameterizedJob != nil:
		return fmt.Errorf("repair: job %s is periodic or parameterized: the checker starts each run, and the allocator places only one-shot jobs", *job.ID)
	case job.Meta[conventions.MetaPack] != "true":
		return fmt.Errorf("repair: job %s lacks meta %s = \"true\": the allocator would not place it", *job.ID, conventions.MetaPack)
	}
	return nil
}

// Run checks every every until ctx ends, logging what each check found and did.
func (c *Checker) Run(ctx context.Context, every time.Duration) error {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		work, started, err := c.Check(ctx)
		if err != nil {
			c.log().Warn("repair: check failed", "err", err)
		}
		c.log().Info("repair: check", "lost_nodes", work.LostNodes, "condemned_nodes", work.Condemned, "orphans", work.Orphans,
			"segment_to_repair", work.Repair != nil, "segment_to_widen", work.Narrow != nil, "worker_started", started)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
}

func (c *Checker) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

func (c *Checker) log() *slog.Logger {
	if c.Log != nil {
		return c.Log
	}
	return slog.Default()
}

// NomadJobs is Jobs over Nomad's HTTP API (dec2-allocator's, in front of it): the jobspec is
// rendered by Nomad's parse endpoint with the variables file's content.
type NomadJobs struct {
	Client *api.Client
	// HCL is the worker's jobspec; Vars the content of an HCL variables file for it.
	HCL, Vars string
}

// Spec renders the jobspec as `nomad job run` would submit it (not canonicalized: the
// allocator reads the job as its user wrote it).
func (n *NomadJobs) Spec(context.Context) (*api.Job, error) {
	return n.Client.Jobs().ParseHCLOpts(&api.JobsParseRequest{JobHCL: n.HCL, Variables: n.Vars})
}

// Busy reads the job's evaluations and allocations (none for a job Nomad does not know).
func (n *NomadJobs) Busy(ctx context.Context, id, namespace string) (bool, error) {
	q := (&api.QueryOptions{Namespace: namespace}).WithContext(ctx)
	evals, _, err := n.Client.Jobs().Evaluations(id, q)
	if err != nil {
		return false, fmt.Errorf("listing evaluations: %w", err)
	}
	for _, e := range evals {
		if e.Status == api.EvalStatusPending {
			return true, nil
		}
	}
	allocs, _, err := n.Client.Jobs().Allocations(id, false, q)
	if err != nil {
		return false, fmt.Errorf("listing allocations: %w", err)
	}
	for _, a := range allocs {
		if a.DesiredStatus == api.AllocDesiredStatusRun && (a.ClientStatus == api.AllocClientStatusPending || a.ClientStatus == api.AllocClientStatusRunning) {
			return true, nil
		}
	}
	return false, nil
}

// Register registers the job in its namespace.
func (n *NomadJobs) Register(ctx context.Context, job *api.Job) error {
	w := &api.WriteOptions{}
	if job.Namespace != nil {
		w.Namespace = *job.Namespace
	}
	_, _, err := n.Client.Jobs().RegisterOpts(job, &api.RegisterOptions{}, w.WithContext(ctx))
	return err
}
