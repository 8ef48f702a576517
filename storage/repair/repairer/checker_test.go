package repairer_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/hashicorp/nomad/api"

	"github.com/dec2-cloud/dec2/storage/meta"
	"github.com/dec2-cloud/dec2/storage/repair/repairer"
)

// jobs is Nomad's side of the checker: the jobspec it renders, whether a run is under way, and
// the registrations it received.
type jobs struct {
	spec       func() *api.Job
	busy       bool
	registered []*api.Job
}

func (j *jobs) Spec(context.Context) (*api.Job, error) { return j.spec(), nil }

func (j *jobs) Busy(_ context.Context, id, ns string) (bool, error) {
	if id != "dec2-repair" || ns != "repairs" {
		return false, errors.New("asked about job " + ns + "/" + id)
	}
	return j.busy, nil
}

func (j *jobs) Register(_ context.Context, job *api.Job) error {
	j.registered = append(j.registered, job)
	return nil
}

func workerJob() *api.Job {
	return &api.Job{ID: new("dec2-repair"), Namespace: new("repairs"), Type: new(api.JobTypeBatch), Meta: map[string]string{"dec2.pack": "true"}}
}

// The checker registers a worker only when there is work and no run under way, each time as a
// new version (its round meta changes), and refuses a jobspec the allocator would not place.
func TestCheckerStartsOneWorkerAtATime(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 12, 8, 1, 0, 0, 0, time.UTC)
	work := repairer.Work{}
	j := &jobs{spec: workerJob}
	c := &repairer.Checker{Pending: func(context.Context) (repairer.Work, error) { return work, nil }, Jobs: j, Log: quiet,
		Now: func() time.Time { return now }}
	check := func(want bool) {
		t.Helper()
		if _, started, err := c.Check(ctx); err != nil || started != want {
			t.Fatalf("check with work %+v, busy %v: started %v, %v; want started %v", work, j.busy, started, err, want)
		}
	}

	check(false) // nothing to do
	work = repairer.Work{LostNodes: 1, Repair: &meta.SegmentRef{Tenant: "0xabc"}}
	check(true)
	j.busy = true
	now = now.Add(time.Minute)
	check(false) // the first run is under way
	j.busy = false
	work = repairer.Work{Orphans: 2}
	check(true)
	work = repairer.Work{Narrow: &meta.SegmentRef{Tenant: "0xabc"}}
	now = now.Add(time.Minute)
	check(true)
	if len(j.registered) != 3 {
		t.Fatalf("%d registrations, want 3", len(j.registered))
	}
	rounds := map[string]bool{}
	for _, job := range j.registered {
		rounds[job.Meta[repairer.MetaRound]] = true
		if job.Meta["dec2.pack"] != "true" {
			t.Errorf("registered meta %v: want dec2.pack kept", job.Meta)
		}
	}
	if len(rounds) != 3 || rounds[""] {
		t.Errorf("round meta of the registrations %v: want three distinct values, so each is a new version", rounds)
	}

	for name, bad := range map[string]func(*api.Job){
		"periodic":     func(j *api.Job) { j.Periodic = &api.PeriodicConfig{Spec: new("*/2 * * * *")} },
		"service":      func(j *api.Job) { j.Type = new(api.JobTypeService) },
		"not packed":   func(j *api.Job) { delete(j.Meta, "dec2.pack") },
		"no ID":        func(j *api.Job) { j.ID = nil },
		"parameterize": func(j *api.Job) { j.ParameterizedJob = &api.ParameterizedJobConfig{} },
	} {
		j.registered = nil
		j.spec = func() *api.Job { job := workerJob(); bad(job); return job }
		if _, started, err := c.Check(ctx); err == nil || started || len(j.registered) != 0 {
			t.Errorf("%s worker job: started %v, %v, %d registered; want it refused", name, started, err, len(j.registered))
		}
	}
}
