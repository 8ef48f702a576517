package inventory

import (
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

// HealthTracker folds scans into each GPU's health under a recovery policy.
type HealthTracker struct {
	recovery Recovery
	faulty   map[string]fault // GPUs unhealthy now
}

type fault struct {
	reason   string
	lastSeen time.Time
}

// NewHealthTracker starts with every GPU healthy.
func NewHealthTracker(r Recovery) *HealthTracker {
	return &HealthTracker{recovery: r, faulty: map[string]fault{}}
}

// Observe records one scan taken at now and returns the health of each scanned GPU. GPUs
// missing from the scan are forgotten: they are no longer exposed at all.
func (h *HealthTracker) Observe(now time.Time, gpus []GPU) map[string]Health {
	out := make(map[string]Health, len(gpus))
	seen := make(map[string]bool, len(gpus))
	for _, g := range gpus {
		seen[g.ID] = true
		if len(g.Faults) > 0 {
			h.faulty[g.ID] = fault{reason: strings.Join(g.Faults, "; "), lastSeen: now}
		}
		f, bad := h.faulty[g.ID]
		if bad && !h.recovery.Never && now.Sub(f.lastSeen) >= h.recovery.After && len(g.Faults) == 0 {
			delete(h.faulty, g.ID)
			bad = false
		}
		if bad {
			out[g.ID] = Health{Reason: f.reason}
		} else {
			out[g.ID] = Health{Healthy: true}
		}
	}
	for id := range h.faulty {
		if !seen[id] {
			delete(h.faulty, id)
		}
	}
	return out
}
