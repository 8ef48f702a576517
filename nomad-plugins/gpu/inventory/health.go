package inventory

import (
	"fmt"
	"strings"
	"time"
)

// Recovery says when a GPU that showed a fault may take work again: never (until the plugin
// restarts), or once no fault has been seen for After. Faults that persist, such as an
// over-temperature GPU, keep it unhealthy for as long as they are seen.
type Recovery struct {
	Never bool
	After time.Duration
}

// HealthTracker folds scans into each GPU's health under a recovery policy. A GPU once seen
// is never dropped while the tracker lives: missing from a scan, it stays exposed, unhealthy,
// as it was last seen (Nomad may have placed on it, and a device that silently disappears tells
// the operator nothing). Vanishing is a fault like any other: it lasts as long as the GPU is
// missing, and recovers under the same policy once the GPU is back.
type HealthTracker struct {
	recovery Recovery
	faulty   map[string]fault  // GPUs unhealthy now
	known    map[string]GPU    // every GPU seen, as last scanned, without its faults
	missing  map[string]string // GPUs absent from the latest scan -> why, fixed when first missed
}

type fault struct {
	reason   string
	lastSeen time.Time
}

// NewHealthTracker starts with every GPU healthy and none known.
func NewHealthTracker(r Recovery) *HealthTracker {
	return &HealthTracker{recovery: r, faulty: map[string]fault{}, known: map[string]GPU{}, missing: map[string]string{}}
}

// Observe records one scan taken at now. It returns the GPUs to expose, sorted by ID: those
// scanned plus every GPU seen before and missing now, and the health of each.
func (h *HealthTracker) Observe(now time.Time, scanned []GPU) ([]GPU, map[string]Health) {
	gpus := make([]GPU, 0, len(h.known))
	seen := make(map[string]bool, len(scanned))
	for _, g := range scanned {
		seen[g.ID] = true
		kept := g
		kept.Faults = nil
		h.known[g.ID] = kept
		delete(h.missing, g.ID)
		gpus = append(gpus, g)
	}
	for id, g := range h.known {
		if seen[id] {
			continue
		}
		why, ok := h.missing[id]
		if !ok {
			why = vanishedReason(g, now)
			h.missing[id] = why
		}
		g.Faults = []string{why}
		gpus = append(gpus, g)
	}
	SortGPUs(gpus)

	out := make(map[string]Health, len(gpus))
	for _, g := range gpus {
		if len(g.Faults) > 0 {
			h.faulty[g.ID] = fault{reason: strings.Join(g.Faults, "; "), lastSeen: now}
		}
		f, bad := h.faulty[g.ID]
		if bad && !h.recovery.Never && now.Sub(f.lastSeen) >= h.recovery.After && len(g.Faults) == 0 {
			delete(h.faulty, g.ID)
			bad = false
		}
		_, gone := h.missing[g.ID]
		if bad {
			out[g.ID] = Health{Reason: f.reason, Vanished: gone}
		} else {
			out[g.ID] = Health{Healthy: true}
		}
	}
	return gpus, out
}

// vanishedReason is why a GPU that the scan at t no longer lists is unhealthy.
func vanishedReason(g GPU, t time.Time) string {
	return fmt.Sprintf("GPU %s vanished from the %s scan at %s", g.Label(), g.Backend, t.UTC().Format(time.RFC3339))
}
