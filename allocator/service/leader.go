package service

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httputil"
	"net/url"
	"time"

	"github.com/dec2-cloud/dec2/allocator/leadership"
)

// forwardedHeader marks a job call a follower sent on to the leader, so that an allocator
// that has just lost the lead answers it rather than sending it round again.
const forwardedHeader = "X-Dec2-Forwarded-By"

// retryAfter is what a caller is told to wait while the region has no leader.
const retryAfter = "1"

// admits says whether this allocator may decide placements now: it runs alone, or it leads
// with a fresh lease and has restored the holds of the one before it.
func (s *Server) admits() bool {
	return s.elector == nil || (s.admitting.Load() && s.elector.Leading())
}

// lead is the leader's term: the holds promised by earlier leaders are restored from the
// plans their jobs carry before the first admission, so a failover never promises the same
// capacity twice; admissions stop the moment the lease ends.
func (s *Server) lead(ctx context.Context) {
	select {
	case <-s.fleet.ready:
	case <-ctx.Done():
		return
	}
	start := time.Now()
	rctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	s.rehold(rctx)
	cancel()
	if ctx.Err() != nil {
		return
	}
	s.admitting.Store(true)
	s.m.leading.Set(1)
	s.m.takeovers.Inc()
	s.log.Info("admitting the region's jobs", "restore_ms", time.Since(start).Milliseconds())
	<-ctx.Done()
	s.admitting.Store(false)
	s.m.leading.Set(0)
}

// toLeader sends a job call on to the leading allocator, or, with none reachable, asks the
// caller to retry (503 with Retry-After, which the dec2 CLI honours).
func (s *Server) toLeader(w http.ResponseWriter, r *http.Request) {
	if by := r.Header.Get(forwardedHeader); by != "" {
		s.noLeader(w, "no_leader", fmt.Sprintf("the allocator at %s forwarded this call here, but this one no longer leads", by))
		return
	}
	addr, err := s.elector.Leader(r.Context())
	switch {
	case errors.Is(err, leadership.ErrNoLeader) || (err == nil && addr == s.elector.Self()):
		s.noLeader(w, "no_leader", "no allocator leads the region yet")
		return
	case err != nil:
		s.noLeader(w, "no_leader", err.Error())
		return
	}
	target, err := url.Parse(addr)
	if err != nil {
		s.noLeader(w, "no_leader", fmt.Sprintf("the lock names an unusable leader address %q", addr))
		return
	}
	s.m.forwarded.WithLabelValues("sent").Inc()
	s.relay(target, http.Header{forwardedHeader: {s.elector.Self()}}, func(w http.ResponseWriter, err error) {
		// A leader that died mid-answer may have registered the job: sending it again is safe.
		s.noLeader(w, "unreachable", fmt.Sprintf("the leading allocator at %s did not answer (%v); if it registered the job first, sending it again keeps its placement", addr, err))
	}).ServeHTTP(w, r)
}

// relay is a reverse proxy to another allocator at target, adding set to the request's
// headers; onErr answers when that allocator cannot be reached.
func (s *Server) relay(target *url.URL, set http.Header, onErr func(http.ResponseWriter, error)) *httputil.ReverseProxy {
	return &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.SetURL(target)
			pr.Out.Host = pr.In.Host
			pr.Out.Header["X-Forwarded-For"] = pr.In.Header["X-Forwarded-For"]
			for k, v := range set {
				pr.Out.Header[k] = v
			}
		},
		ErrorHandler: func(w http.ResponseWriter, _ *http.Request, err error) { onErr(w, err) },
		ErrorLog:     s.proxy.ErrorLog,
	}
}

// noLeader answers 503: no leader took the call, and it may be sent again.
func (s *Server) noLeader(w http.ResponseWriter, outcome, why string) {
	s.m.forwarded.WithLabelValues(outcome).Inc()
	w.Header().Set("Retry-After", retryAfter)
	http.Error(w, fmt.Sprintf("dec2-allocator: %s (lock %s in region %s): retry in a second", why, s.elector.Path(), s.cfg.Region),
		http.StatusServiceUnavailable)
}
