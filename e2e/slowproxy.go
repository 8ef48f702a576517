package e2e

import (
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"sync/atomic"
	"time"
)

// SlowProxy forwards HTTP to a target after a delay per request: a slow disk or a long path
// in front of an honest service.
type SlowProxy struct {
	URL      string // http://127.0.0.1:port
	delay    time.Duration
	requests atomic.Int64
	sent     atomic.Int64
}

// NewSlowProxy serves on a free loopback port until the test ends, delaying each request.
func NewSlowProxy(t TB, target string, delay time.Duration) *SlowProxy {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatalf("a slow proxy to %s: %v", target, err)
	}
	p := &SlowProxy{delay: delay}
	rp := httputil.NewSingleHostReverseProxy(u)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.requests.Add(1)
		select {
		case <-time.After(p.delay):
		case <-r.Context().Done():
			return
		}
		rp.ServeHTTP(&countingWriter{ResponseWriter: w, n: &p.sent}, r)
	}))
	t.Cleanup(srv.Close)
	p.URL = srv.URL
	return p
}

// Requests is how many requests arrived so far.
func (p *SlowProxy) Requests() int64 { return p.requests.Load() }

// Sent is how many bytes of response bodies went back so far.
func (p *SlowProxy) Sent() int64 { return p.sent.Load() }

type countingWriter struct {
	http.ResponseWriter
	n *atomic.Int64
}

func (c *countingWriter) Write(b []byte) (int, error) {
	n, err := c.ResponseWriter.Write(b)
	c.n.Add(int64(n))
	return n, err
}
