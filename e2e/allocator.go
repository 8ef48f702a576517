package e2e

import (
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// Allocator is `dec2-allocator serve` running as a process in front of a region, as users run
// it: the nomad CLI pointed at Addr packs opted-in jobs onto the region's providers.
type Allocator struct {
	Addr string // http://127.0.0.1:port
	// Log is the allocator's log file.
	Log string

	region *Region
	svc    *service
}

// StartAllocator builds dec2-allocator, serves it on a free port in front of r (with r's
// token for its own reads), waits until it has built its model of the region, and stops it at
// cleanup. args are added to `serve`, e.g. "--pack-all".
func StartAllocator(t TB, r *Region, args ...string) *Allocator {
	t.Helper()
	a := &Allocator{Addr: fmt.Sprintf("http://127.0.0.1:%d", FreePort(t)), region: r}
	// The model is built once the first rebuild is counted on /metrics.
	s := startService(t, "dec2-allocator", "./allocator/cmd/dec2-allocator",
		append([]string{"serve", "--listen", strings.TrimPrefix(a.Addr, "http://"), "--nomad-addr", r.Addr}, args...),
		[]string{"NOMAD_TOKEN=" + r.Token},
		func() bool {
			resp, err := http.Get(a.Addr + "/metrics")
			if err != nil {
				return false
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			return strings.Contains(string(body), "\ndec2_allocator_state_rebuilds_total 1")
		})
	a.Log, a.svc = s.log, s
	return a
}

// Nomad runs the real nomad CLI through the allocator, with the region's token.
func (a *Allocator) Nomad(t TB, args ...string) (string, error) {
	t.Helper()
	via := *a.region
	via.Addr = a.Addr
	return via.Nomad(t, args...)
}

// Kill crashes the allocator (SIGKILL): whatever it held in memory or leased is left as a
// dead process leaves it.
func (a *Allocator) Kill() { a.svc.kill() }

// Metric reads one unlabelled series from the allocator's /metrics; ok is false when the
// allocator does not answer or has no such series.
func (a *Allocator) Metric(name string) (v float64, ok bool) {
	resp, err := http.Get(a.Addr + "/metrics")
	if err != nil {
		return 0, false
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, false
	}
	for line := range strings.SplitSeq(string(body), "\n") {
		if rest, found := strings.CutPrefix(line, name+" "); found {
			v, err := strconv.ParseFloat(rest, 64)
			return v, err == nil
		}
	}
	return 0, false
}

func (a *Allocator) logTail() string { return a.svc.logTail() }
