package service

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/dec2-cloud/dec2/allocator/pack"
)

// PackingPath is where the allocator answers its last packing decision (GET): what the web
// console's region page and an operator read to see how well the packer does.
const PackingPath = "/dec2/packing"

// Packing is the allocator's last packing decision: the packer's own figures for it (nodes
// used against its lower bound, the bound's argument, stranded capacity). It names no job or
// namespace, so any caller may read it, as /metrics already shows the stranded capacity.
type Packing struct {
	// Decided is false until the allocator has packed something since it started.
	Decided bool       `json:"decided"`
	At      time.Time  `json:"at,omitzero"`
	Stats   pack.Stats `json:"stats"`
}

// recordPacking keeps st as the last decision's figures.
func (s *Server) recordPacking(st pack.Stats) {
	s.last.Store(&Packing{Decided: true, At: s.now().UTC(), Stats: st})
}

func (s *Server) packing(w http.ResponseWriter, _ *http.Request) {
	p := Packing{}
	if last := s.last.Load(); last != nil {
		p = *last
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	if err := json.NewEncoder(w).Encode(p); err != nil {
		s.log.Warn("allocator: writing the last packing", "err", err)
	}
}
