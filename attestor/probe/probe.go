// Package probe dials a provider from the attestor's own vantage point: its Nomad client's
// HTTP address and its allocations' published ports. A node Nomad calls down but that still
// answers here is cut off from Nomad's servers, not gone, and is never reported: that is the
// false positive that made Akash's providers close every lease when their control plane blinked.
package probe

import (
	"context"
	"net"
	"sort"
	"sync"
	"time"

	"github.com/dec2-cloud/dec2/attestor/evidence"
)

// Target is one address to dial and what it is.
type Target struct {
	Addr string // host:port
	Kind string // "client" or "port"
}

// Dialer dials targets with a per-dial timeout.
type Dialer struct {
	Timeout time.Duration
	Dial    func(ctx context.Context, network, addr string) (net.Conn, error)
}

// All dials every target concurrently and returns one result per target, sorted as the
// evidence sorts them.
func (d Dialer) All(ctx context.Context, targets []Target, now func() time.Time) []evidence.Probe {
	dial := d.Dial
	if dial == nil {
		dial = (&net.Dialer{}).DialContext
	}
	out := make([]evidence.Probe, len(targets))
	var wg sync.WaitGroup
	for i, t := range targets {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cctx, cancel := context.WithTimeout(ctx, d.Timeout)
			defer cancel()
			c, err := dial(cctx, "tcp", t.Addr)
			if err == nil {
				c.Close()
			}
			out[i] = evidence.Probe{Target: t.Addr, Kind: t.Kind, OK: err == nil, At: now().Unix()}
		}()
	}
	wg.Wait()
	sort.Slice(out, func(i, j int) bool {
		if out[i].Kind != out[j].Kind {
			return out[i].Kind < out[j].Kind
		}
		return out[i].Target < out[j].Target
	})
	return out
}

// Reachable says whether any probe of kind "client" succeeded: the node answers this attestor.
func Reachable(ps []evidence.Probe) bool {
	for _, p := range ps {
		if p.Kind == "client" && p.OK {
			return true
		}
	}
	return false
}
