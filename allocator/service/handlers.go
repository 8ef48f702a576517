package service

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/hashicorp/nomad/api"

	"github.com/dec2-cloud/dec2/allocator/admission"
	"github.com/dec2-cloud/dec2/allocator/rewrite"
)

// maxBody bounds the request bodies the allocator reads (Nomad's own limit is larger, but
// no job spec comes near it).
const maxBody = 16 << 20

// envelope is a request body whose Job member the allocator rewrites; the other members
// reach Nomad byte for byte.
type envelope struct {
	fields map[string]json.RawMessage
	jobKey string
}

func readEnvelope(r *http.Request) (*envelope, []byte, error) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil {
		return nil, nil, fmt.Errorf("reading the request body: %w", err)
	}
	if len(body) > maxBody {
		return nil, nil, fmt.Errorf("the request body is over %d MiB", maxBody>>20)
	}
	e := &envelope{}
	if err := json.Unmarshal(body, &e.fields); err != nil {
		return nil, body, fmt.Errorf("the request body is not a JSON object: %w", err)
	}
	for k := range e.fields {
		// Nomad decodes field names case-insensitively, as encoding/json does.
		if strings.EqualFold(k, "Job") {
			e.jobKey = k
		}
	}
	return e, body, nil
}

func (e *envelope) job() (*api.Job, error) {
	if e.jobKey == "" || string(e.fields[e.jobKey]) == "null" {
		return nil, errors.New("the request has no Job")
	}
	var j api.Job
	if err := json.Unmarshal(e.fields[e.jobKey], &j); err != nil {
		return nil, fmt.Errorf("the Job is malformed: %w", err)
	}
	return &j, nil
}

func (e *envelope) withJob(j *api.Job) ([]byte, error) {
	b, err := json.Marshal(j)
	if err != nil {
		return nil, fmt.Errorf("encoding the rewritten job: %w", err)
	}
	e.fields[e.jobKey] = b
	return json.Marshal(e.fields)
}

// statusOf is the HTTP status, in Nomad's manner, that answers a refusal of kind k.
func statusOf(k admission.Kind) int {
	switch k {
	case admission.BadInput:
		return http.StatusBadRequest
	case admission.Forbidden:
		return http.StatusForbidden
	case admission.Unplaceable:
		return http.StatusConflict
	case admission.Upstream:
		return http.StatusBadGateway
	case admission.Unavailable:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// fail writes a refusal (or any error, as an internal one) in Nomad's form — the status its
// kind calls for and a plain-text message — and counts it.
func (s *Server) fail(w http.ResponseWriter, call string, err error) {
	var rf *admission.Refusal
	if !errors.As(err, &rf) {
		rf = admission.Refuse(admission.Internal, "%v", err)
	}
	code := statusOf(rf.Kind)
	outcome := "refused"
	if code == http.StatusBadRequest {
		outcome = "invalid"
	} else if code >= 500 {
		outcome = "failed"
	}
	msg := rf.Error()
	s.m.decisions.WithLabelValues(call, outcome).Inc()
	s.log.Info("job call refused", "call", call, "status", code, "reason", msg)
	http.Error(w, msg, code)
}

// forward sends r to Nomad with body in place of its own (and method and path, where not
// empty); t, when set, is settled by Nomad's answer.
func (s *Server) forward(w http.ResponseWriter, r *http.Request, method, path string, body []byte, t *pending) {
	ctx := r.Context()
	if t != nil {
		ctx = context.WithValue(ctx, ticketKey{}, t)
	}
	out := r.Clone(ctx)
	if method != "" {
		out.Method = method
	}
	if path != "" {
		out.URL.Path, out.URL.RawPath = path, ""
	}
	out.Body = io.NopCloser(bytes.NewReader(body))
	out.ContentLength = int64(len(body))
	out.Header.Del("Content-Length")
	out.GetBody = nil
	s.proxy.ServeHTTP(w, out)
}

// withBody is r with body, the one it came with, to send on again.
func withBody(r *http.Request, body []byte) *http.Request {
	out := r.Clone(r.Context())
	out.Body = io.NopCloser(bytes.NewReader(body))
	out.ContentLength = int64(len(body))
	return out
}

// afterNomad settles a registration's holds from Nomad's answer.
func (s *Server) afterNomad(resp *http.Response) error {
	t, ok := resp.Request.Context().Value(ticketKey{}).(*pending)
	if !ok {
		return nil
	}
	if resp.StatusCode != http.StatusOK {
		s.settle(t, 0, false)
		return nil
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	resp.Body.Close()
	if err != nil {
		s.settle(t, 0, false)
		return fmt.Errorf("reading Nomad's answer to a registration: %w", err)
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	var ans struct{ JobModifyIndex uint64 }
	_ = json.Unmarshal(body, &ans) // without the index, holds keep the one taken at packing
	s.settle(t, ans.JobModifyIndex, true)
	return nil
}

// regionOf is the region a job call is for, as Nomad decides it: the query's, else the job's;
// none, or "global", is the region of the server asked — this allocator's.
func (s *Server) regionOf(j *api.Job, r *http.Request) string {
	region := r.URL.Query().Get("region")
	if region == "" && j != nil && j.Region != nil {
		region = *j.Region
	}
	if region == "" || region == api.GlobalRegion {
		return s.cfg.Region
	}
	return region
}

// toRegion sends a job call for another region to that region's allocator, so it is packed
// there; with none to be found (a region dec2 does not run in), Nomad forwards it as sent. A
// call another allocator already sent here goes to Nomad, never round again.
func (s *Server) toRegion(w http.ResponseWriter, r *http.Request, call, region string, body []byte) {
	if r.Header.Get(federatedHeader) == "" {
		addr, err := s.allocatorIn(r.Context(), region)
		if err == nil {
			r.Header.Set(federatedHeader, s.cfg.Region)
			s.proxyTo(w, r, call, addr, "region "+region)
			return
		}
		s.log.Info("no allocator found in the call's region; Nomad forwards it unpacked", "call", call, "region", region, "err", err)
	}
	s.m.decisions.WithLabelValues(call, "passed").Inc()
	s.forward(w, r, "", "", body, nil)
}

// namespaceOf fills in the job's namespace as Nomad would: the job's, else the query's.
func namespaceOf(j *api.Job, r *http.Request) string {
	if j.Namespace != nil && *j.Namespace != "" {
		return *j.Namespace
	}
	if ns := r.URL.Query().Get("namespace"); ns != "" {
		return ns
	}
	return api.DefaultNamespace
}

// previous reads the job as Nomad has it now, with the caller's token; nil when it is new
// or the caller may not read it (Nomad will then refuse the registration itself).
func (s *Server) previous(ctx context.Context, id, ns, tok string) (*api.Job, *rewrite.Plan) {
	j, _, err := s.caller.Jobs().Info(id, (&api.QueryOptions{Namespace: ns, AuthToken: tok}).WithContext(ctx))
	if err != nil {
		return nil, nil
	}
	plan, err := rewrite.ReadPlan(j)
	if err != nil {
		s.log.Warn("job carries an unreadable plan; packing it anew", "job", id, "namespace", ns, "err", err)
		return j, nil
	}
	return j, plan
}

// register handles PUT/POST /v1/jobs and /v1/job/<id>.
func (s *Server) register(w http.ResponseWriter, r *http.Request, pathID string) {
	s.admitAndForward(w, r, "register", pathID, true)
}

// plan handles /v1/job/<id>/plan: the same packing, nothing held, Nomad's plan answers.
func (s *Server) plan(w http.ResponseWriter, r *http.Request, pathID string) {
	s.admitAndForward(w, r, "plan", pathID, false)
}

func (s *Server) admitAndForward(w http.ResponseWriter, r *http.Request, call, pathID string, hold bool) {
	start := time.Now()
	env, raw, err := readEnvelope(r)
	if err != nil {
		s.fail(w, call, admission.Refuse(admission.BadInput, "%v", err))
		return
	}
	job, err := env.job()
	if err != nil {
		s.fail(w, call, admission.Refuse(admission.BadInput, "%v", err))
		return
	}
	user, _, err := rewrite.Original(job)
	if err != nil {
		s.fail(w, call, admission.Refuse(admission.BadInput, "%v", err))
		return
	}
	if federates(user, r) {
		s.federate(w, r, call, pathID, hold, env, user)
		return
	}
	if region := s.regionOf(user, r); region != s.cfg.Region {
		s.toRegion(w, withBody(r, raw), call, region, raw)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.cfg.ReadyTimeout)
	defer cancel()
	if err := s.admitTenancy(ctx, user, namespaceOf(user, r)); err != nil {
		s.fail(w, call, err)
		return
	}
	if !rewrite.Packable(user, s.cfg.PackAll) || (pathID != "" && (user.ID == nil || *user.ID != pathID)) {
		// Not ours to pack (or a mismatch Nomad itself explains): Nomad gets the call as sent.
		s.m.decisions.WithLabelValues(call, "passed").Inc()
		s.forward(w, r, "", "", raw, nil)
		return
	}
	if user.ID == nil || *user.ID == "" {
		s.fail(w, call, admission.Refuse(admission.BadInput, "the job has no ID"))
		return
	}
	for i, tg := range user.TaskGroups {
		if tg == nil || tg.Name == nil || *tg.Name == "" {
			s.fail(w, call, admission.Refuse(admission.BadInput, "task group %d of job %q has no name", i, *user.ID))
			return
		}
	}
	ns := namespaceOf(user, r)
	user.Namespace = &ns
	tok := token(r)
	_, prev := s.previous(ctx, *user.ID, ns, tok)
	d, err := s.decide(ctx, submission{job: user, prev: prev, token: tok, hold: hold})
	if err != nil {
		s.fail(w, call, err)
		return
	}
	body, err := env.withJob(d.job)
	if err != nil {
		s.settle(d.ticket, 0, false)
		s.fail(w, call, err)
		return
	}
	if hold && !s.admits() {
		// The lease lapsed while packing: the next leader decides instead.
		s.settle(d.ticket, 0, false)
		s.toLeader(w, withBody(r, raw))
		return
	}
	s.record(call, d, start)
	s.forward(w, r, "", "", body, d.ticket)
}

func (s *Server) record(call string, d *decision, start time.Time) {
	outcome := "packed"
	if d.placed == 0 {
		outcome = "kept"
	}
	s.m.decisions.WithLabelValues(call, outcome).Inc()
	s.m.latency.WithLabelValues(call).Observe(time.Since(start).Seconds())
	s.log.Info("job packed", "call", call, "admission_ms", float64(time.Since(start).Microseconds())/1000, "pack_ms", d.result.Stats.ElapsedMS, "job", *d.job.ID, "namespace", *d.job.Namespace, "placed", d.placed, "kept", d.kept,
		"nodes_used", d.result.Stats.NodesUsed, "algorithm", d.result.Stats.Algorithm)
}

// scale handles /v1/job/<id>/scale for packed jobs: the group's new count is packed (only
// the instances added; a shrink empties the least-used nodes first) and the job is
// registered anew, since a pinned group cannot simply be told a new count.
func (s *Server) scale(w http.ResponseWriter, r *http.Request, id string) {
	start := time.Now()
	raw, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
	if err != nil {
		s.fail(w, "scale", admission.Refuse(admission.BadInput, "reading the request body: %v", err))
		return
	}
	var req api.ScalingRequest
	if err := json.Unmarshal(raw, &req); err != nil {
		s.fail(w, "scale", admission.Refuse(admission.BadInput, "the scaling request is malformed: %v", err))
		return
	}
	if region := s.regionOf(nil, r); region != s.cfg.Region {
		s.toRegion(w, withBody(r, raw), "scale", region, raw)
		return
	}
	ns := r.URL.Query().Get("namespace")
	if req.Namespace != "" {
		ns = req.Namespace
	}
	if ns == "" {
		ns = api.DefaultNamespace
	}
	tok := token(r)
	ctx, cancel := context.WithTimeout(r.Context(), s.cfg.ReadyTimeout)
	defer cancel()
	cur, plan := s.previous(ctx, id, ns, tok)
	if req.Count == nil || plan == nil {
		// A scaling event without a count, or a job dec2 did not pack: Nomad's business.
		s.m.decisions.WithLabelValues("scale", "passed").Inc()
		s.forward(w, r, "", "", raw, nil)
		return
	}
	user, _, err := rewrite.Original(cur)
	if err != nil {
		s.fail(w, "scale", admission.Refuse(admission.BadInput, "%v", err))
		return
	}
	same, err := admission.Scale(user, plan, req.Target["Group"], int(*req.Count))
	if err != nil {
		s.fail(w, "scale", err)
		return
	}
	user.Namespace = &ns
	d, err := s.decide(ctx, submission{job: user, prev: plan, token: tok, sameSpec: same, hold: true})
	if err != nil {
		s.fail(w, "scale", err)
		return
	}
	body, err := json.Marshal(api.JobRegisterRequest{Job: d.job, EnforceIndex: true, JobModifyIndex: *cur.JobModifyIndex,
		PolicyOverride: req.PolicyOverride})
	if err != nil {
		s.settle(d.ticket, 0, false)
		s.fail(w, "scale", fmt.Errorf("encoding the registration: %w", err))
		return
	}
	if !s.admits() {
		s.settle(d.ticket, 0, false)
		s.toLeader(w, withBody(r, raw))
		return
	}
	s.record("scale", d, start)
	s.forward(w, r, http.MethodPut, "/v1/job/"+id, body, d.ticket)
}
