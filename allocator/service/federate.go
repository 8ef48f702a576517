package service

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/hashicorp/nomad/api"

	"github.com/dec2-cloud/dec2/allocator/admission"
	"github.com/dec2-cloud/dec2/allocator/leadership"
	"github.com/dec2-cloud/dec2/allocator/regions"
	"github.com/dec2-cloud/dec2/allocator/rewrite"
)

// QuotePath is where an allocator answers, for its own region, whether and how it would place
// a job (POST or PUT, a registration's body), holding nothing: what the allocator of another
// region asks when a job lets dec2 choose its region, and where the console's launch page asks
// what a type would cost.
const QuotePath = "/dec2/quote"

// federatedHeader marks a job call an allocator sent to the region it chose: it is placed
// there, not federated again.
const federatedHeader = "X-Dec2-Federated-By"

// lockPath is the leader lock's variable in every region: where the allocators of a region
// are found, by Nomad's own region forwarding.
func (s *Server) lockPath() string {
	if s.cfg.LeaderLock != "" {
		return s.cfg.LeaderLock
	}
	return leadership.DefaultPath
}

// ServiceName is the name a region's allocators have in Nomad's service catalogue when they
// run as a Nomad job (jobspecs/allocator.nomad.hcl).
const ServiceName = "dec2-allocator"

// allocatorIn finds an allocator of region through Nomad's region forwarding: the leader the
// lock variable names, else any the service catalogue lists (a follower sends the call on).
func (s *Server) allocatorIn(ctx context.Context, region string) (string, error) {
	addr, err := leadership.ReadLeader(ctx, s.nomad, s.lockPath(), region)
	if !errors.Is(err, leadership.ErrNoLeader) {
		return addr, err
	}
	regs, _, cerr := s.nomad.Services().Get(ServiceName, (&api.QueryOptions{Namespace: api.DefaultNamespace, Region: region}).WithContext(ctx))
	if cerr != nil {
		return "", fmt.Errorf("%w, and reading the service catalogue: %w", err, cerr)
	}
	if len(regs) == 0 {
		return "", fmt.Errorf("%w, and Nomad's catalogue lists no %s", err, ServiceName)
	}
	return fmt.Sprintf("http://%s", net.JoinHostPort(regs[0].Address, strconv.Itoa(regs[0].Port))), nil
}

// federates says whether a job call is for dec2 to send to the region where it packs best.
func federates(j *api.Job, r *http.Request) bool {
	return j.Meta[regions.MetaKey] != "" && r.Header.Get(federatedHeader) == ""
}

// federate quotes the job in every region it names, ranks the quotes and sends the call to
// the best region's allocator (this one when it is ours). None placeable: a 409 naming each
// region's reason.
func (s *Server) federate(w http.ResponseWriter, r *http.Request, call, pathID string, hold bool, env *envelope, user *api.Job) {
	names, err := regions.Parse(user.Meta[regions.MetaKey])
	if err != nil {
		s.fail(w, call, admission.Refuse(admission.BadInput, "%v", err))
		return
	}
	if user.ID == nil || *user.ID == "" {
		s.fail(w, call, admission.Refuse(admission.BadInput, "the job has no ID"))
		return
	}
	if !rewrite.Packable(user, true) || user.Meta[rewrite.MetaPack] != "true" {
		s.fail(w, call, admission.Refuse(admission.BadInput, "job %q: meta %s lets dec2 choose the region, which only a packed job allows: add meta %s = \"true\"", *user.ID, regions.MetaKey, rewrite.MetaPack))
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.cfg.ReadyTimeout)
	defer cancel()
	ns := namespaceOf(user, r)
	tok := token(r)
	// Each quote gets its own copy: checking a job may add constraints to its groups.
	spec, err := json.Marshal(user)
	if err != nil {
		s.fail(w, call, fmt.Errorf("copying the job: %w", err))
		return
	}
	quotes := make([]regions.Quote, len(names))
	var wg sync.WaitGroup
	for i, region := range names {
		wg.Go(func() {
			var job api.Job
			if err := json.Unmarshal(spec, &job); err != nil {
				quotes[i] = regions.Quote{Region: region, Reason: fmt.Sprintf("copying the job: %v", err)}
				return
			}
			job.Region = &region
			quotes[i] = s.quoteIn(ctx, region, &job, ns, tok)
		})
	}
	wg.Wait()
	ranked, err := regions.Rank(*user.ID, quotes)
	var none *regions.Unplaceable
	if errors.As(err, &none) {
		s.fail(w, call, admission.Refuse(admission.Unplaceable, "%v", err))
		return
	} else if err != nil {
		s.fail(w, call, err)
		return
	}
	best := ranked[0]
	s.log.Info("region chosen", "call", call, "job", *user.ID, "namespace", ns, "region", best.Region,
		"new_providers", best.NewProviders, "cost_per_hour", best.CostPerHour, "quotes", quotes)
	job := *user
	job.Region = &best.Region
	body, err := env.withJob(&job)
	if err != nil {
		s.fail(w, call, err)
		return
	}
	out := withBody(r, body)
	out.Header.Set(federatedHeader, s.cfg.Region)
	// The caller's region (its -region, or the job's "global") would name another region there.
	q := out.URL.Query()
	q.Set("region", best.Region)
	out.URL.RawQuery = q.Encode()
	if best.Region == s.cfg.Region {
		s.admitAndForward(w, out, call, pathID, hold)
		return
	}
	addr, err := s.allocatorIn(ctx, best.Region)
	if err != nil {
		s.fail(w, call, admission.Refuse(admission.Unavailable, "region %s was chosen, but its allocator cannot be found: %v; retry", best.Region, err))
		return
	}
	s.proxyTo(w, out, call, addr, "region "+best.Region)
}

// quoteIn asks region's allocator (or this one, for our region) how it would place job. A
// region that cannot be asked is a quote with the reason.
func (s *Server) quoteIn(ctx context.Context, region string, job *api.Job, ns, tok string) regions.Quote {
	if region == s.cfg.Region {
		q, err := s.quoteHere(ctx, job, ns, tok)
		if err != nil {
			return regions.Quote{Region: region, Reason: err.Error()}
		}
		return q
	}
	addr, err := s.allocatorIn(ctx, region)
	if err != nil {
		return regions.Quote{Region: region, Reason: fmt.Sprintf("no allocator found: %v", err)}
	}
	body, err := json.Marshal(api.JobRegisterRequest{Job: job})
	if err != nil {
		return regions.Quote{Region: region, Reason: fmt.Sprintf("encoding the job: %v", err)}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimSuffix(addr, "/")+QuotePath+"?namespace="+url.QueryEscape(ns), bytes.NewReader(body))
	if err != nil {
		return regions.Quote{Region: region, Reason: fmt.Sprintf("the allocator's address %q: %v", addr, err)}
	}
	req.Header.Set("X-Nomad-Token", tok)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return regions.Quote{Region: region, Reason: fmt.Sprintf("the allocator at %s did not answer: %v", addr, err)}
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	var q regions.Quote
	if resp.StatusCode != http.StatusOK {
		return regions.Quote{Region: region, Reason: strings.TrimSpace(string(raw))}
	}
	if err := json.Unmarshal(raw, &q); err != nil {
		return regions.Quote{Region: region, Reason: fmt.Sprintf("the allocator at %s answered no quote: %v", addr, err)}
	}
	q.Region = region
	return q
}

// quoteHere packs job against this region's model and holds, holding nothing. A job the
// region cannot take is a quote with the reason; only failures to decide are errors.
func (s *Server) quoteHere(ctx context.Context, job *api.Job, ns, tok string) (regions.Quote, error) {
	q := regions.Quote{Region: s.cfg.Region}
	job.Namespace = &ns
	if err := s.admitTenancy(ctx, job, ns); err != nil {
		q.Reason = err.Error()
		return q, nil
	}
	prevJob, prev := s.previous(ctx, *job.ID, ns, tok)
	var held map[string]int64
	if s.storage != nil {
		if w, err := s.tenants.Wallet(ctx, ns); err == nil {
			held = s.heldBy(w)
		}
	}
	d, err := s.decide(ctx, submission{job: job, prev: prev, token: tok, quote: true, held: held})
	var rf *admission.Refusal
	if errors.As(err, &rf) && rf.Kind != admission.Internal {
		q.Reason = rf.Error()
		return q, nil
	} else if err != nil {
		return q, err
	}
	q.Placeable = true
	q.Registered = prevJob != nil && (prevJob.Stop == nil || !*prevJob.Stop)
	q.NewProviders, q.CostPerHour, q.NodesUsed, q.LocalBytes = d.opened, d.result.Stats.CostPerHour, d.result.Stats.NodesUsed, d.local
	for _, p := range d.result.Placements {
		if !slices.Contains(q.Nodes, p.Node) {
			q.Nodes = append(q.Nodes, p.Node)
		}
	}
	return q, nil
}

// quote handles POST QuotePath; the region's leader answers.
func (s *Server) quote(w http.ResponseWriter, r *http.Request) {
	if !s.admits() {
		s.toLeader(w, r)
		return
	}
	env, _, err := readEnvelope(r)
	if err != nil {
		s.fail(w, "quote", admission.Refuse(admission.BadInput, "%v", err))
		return
	}
	job, err := env.job()
	if err != nil {
		s.fail(w, "quote", admission.Refuse(admission.BadInput, "%v", err))
		return
	}
	user, _, err := rewrite.Original(job)
	if err != nil {
		s.fail(w, "quote", admission.Refuse(admission.BadInput, "%v", err))
		return
	}
	if region := s.regionOf(user, r); region != s.cfg.Region {
		s.fail(w, "quote", admission.Refuse(admission.BadInput, "this allocator quotes for region %s only, not %s", s.cfg.Region, region))
		return
	}
	if user.ID == nil || *user.ID == "" {
		s.fail(w, "quote", admission.Refuse(admission.BadInput, "the job has no ID"))
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.cfg.ReadyTimeout)
	defer cancel()
	q, err := s.quoteHere(ctx, user, namespaceOf(user, r), token(r))
	if err != nil {
		s.fail(w, "quote", err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(w).Encode(q); err != nil {
		s.log.Warn("writing a quote", "err", err)
	}
}

// proxyTo sends r to the allocator at addr, answering 503 (nothing registered) when it
// cannot be reached.
func (s *Server) proxyTo(w http.ResponseWriter, r *http.Request, call, addr, what string) {
	target, err := url.Parse(addr)
	if err != nil {
		s.fail(w, call, admission.Refuse(admission.Unavailable, "the allocator of %s has an unusable address %q", what, addr))
		return
	}
	s.relay(target, nil, func(w http.ResponseWriter, err error) {
		w.Header().Set("Retry-After", retryAfter)
		s.fail(w, call, admission.Refuse(admission.Unavailable, "the allocator of %s at %s did not answer: %v; retry", what, addr, err))
	}).ServeHTTP(w, r)
}
