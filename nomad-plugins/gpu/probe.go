package gpu

import (
	"context"
	"time"

	"github.com/dec2-cloud/dec2/nomad-plugins/gpu/inventory"
)

// Report is one fingerprint and one stats sample, as `dec2-gpu probe` prints them.
type Report struct {
	Plugin   string                      `json:"plugin"`
	Backends []string                    `json:"backends"` // those that started
	Groups   []ReportGroup               `json:"groups"`
	Stats    map[string]inventory.Sample `json:"stats"` // by physical GPU ID
	Took     ReportTimes                 `json:"took"`
}

// ReportGroup is a device group with the attributes Nomad receives, as text.
type ReportGroup struct {
	inventory.Group
	Attributes map[string]string `json:"attributes"`
}

// ReportTimes are how long the fingerprint and the stats sample took.
type ReportTimes struct {
	Fingerprint string `json:"fingerprint"`
	Stats       string `json:"stats"`
}

// Probe fingerprints once and samples stats once, through the same code Nomad drives.
func (p *Plugin) Probe(ctx context.Context) Report {
	p.mu.RLock()
	r := Report{Plugin: Name + " " + Version, Backends: []string{}}
	for _, b := range p.backends {
		r.Backends = append(r.Backends, b.Name())
	}
	p.mu.RUnlock()

	start := time.Now()
	groups := p.Scan(ctx, start)
	r.Took.Fingerprint = time.Since(start).String()
	start = time.Now()
	_, r.Stats = p.Sample(ctx)
	r.Took.Stats = time.Since(start).String()

	r.Groups = []ReportGroup{}
	for _, g := range groups {
		attrs := map[string]string{}
		for k, a := range attributes(g) {
			attrs[k] = a.GoString()
		}
		r.Groups = append(r.Groups, ReportGroup{Group: g, Attributes: attrs})
	}
	return r
}
