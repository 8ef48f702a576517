package backend

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/dec2-cloud/dec2/allocator/pack"
	"github.com/dec2-cloud/dec2/console/view"
)

// packingPath is where dec2-allocator answers its last packing decision
// (allocator/service.PackingPath, which the console may not link).
const packingPath = "/dec2/packing"

// Packing reads the allocator's last packing decision: nodes used against the packer's lower
// bound, and the capacity it stranded.
func (b *Backend) Packing(ctx context.Context) (view.Packing, error) {
	url := strings.TrimRight(b.cfg.Settings.Allocator, "/") + packingPath
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return view.Packing{}, fmt.Errorf("the allocator's packing at %s: %w", url, err)
	}
	resp, err := b.http.Do(req)
	if err != nil {
		return view.Packing{}, fmt.Errorf("reading the allocator's packing: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return view.Packing{}, fmt.Errorf("the allocator's packing at %s: %s (is --allocator / DEC2_ALLOCATOR dec2-allocator's address?)", url, resp.Status)
	}
	var got struct {
		Decided bool       `json:"decided"`
		At      time.Time  `json:"at"`
		Stats   pack.Stats `json:"stats"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&got); err != nil {
		return view.Packing{}, fmt.Errorf("decoding the allocator's packing from %s: %w", url, err)
	}
	st := got.Stats
	p := view.Packing{Decided: got.Decided, NodesUsed: st.NodesUsed, LowerBound: st.LowerBound, Bound: st.Bound,
		Optimal: st.Optimal, Algorithm: st.Algorithm, StrandedCPU: st.Stranded.CPUMHz, StrandedMem: st.Stranded.MemoryMB,
		StrandedDisk: st.Stranded.DiskMB, StrandedGPUs: st.Stranded.GPUs}
	if got.Decided {
		p.At = got.At.UTC().Format(time.RFC3339)
	}
	return p, nil
}
