package reputation

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"time"
)

// Provider is one provider in an attestor's report.
type Provider struct {
	NodeID string `json:"node_id"`
	Wallet string `json:"wallet,omitempty"`
	// Uptime and Audit are the two beta reputations' scores, Score their product.
	Uptime float64 `json:"uptime"`
	Audit  float64 `json:"audit"`
	Score  float64 `json:"score"`
	// Eligible is Score >= the report's threshold: whether this attestor would give it new work.
	Eligible bool `json:"eligible"`
	// Slashes is how often the chain slashed the provider, as the attestor last read it.
	Slashes uint32 `json:"slashes"`
}

// Report is what an attestor serves at GET /v1/reputation.
type Report struct {
	// Attestor names the attestor (its wallet address).
	Attestor  string     `json:"attestor"`
	At        time.Time  `json:"at"`
	Threshold float64    `json:"threshold"`
	Providers []Provider `json:"providers"`
	// Lost is the pieces this attestor's audits found missing or corrupt (at most MaxLost,
	// oldest first): what a repairer rebuilds once it has seen for itself that the piece is bad.
	Lost []LostPiece `json:"lost,omitempty"`
}

// LostPiece is a piece an audit found missing or corrupt: the provider's own signed answer
// said so, which is also the evidence of its data_loss slash.
type LostPiece struct {
	NodeID   string    `json:"node_id"`
	Provider string    `json:"provider"`
	PieceID  string    `json:"piece_id"`
	Outcome  string    `json:"outcome"` // "missing" or "corrupt"
	At       time.Time `json:"at"`
}

// ErrBadReport is what the errors of Validate and ParseReport wrap.
var ErrBadReport = errors.New("bad reputation report")

// Validate checks what consumers rely on: a named attestor, a threshold and scores in [0, 1],
// each node once, and lost pieces that name their node and piece, at most MaxLost.
func (r Report) Validate() error {
	if r.Attestor == "" {
		return fmt.Errorf("%w: no attestor", ErrBadReport)
	}
	if !unit(r.Threshold) {
		return fmt.Errorf("%w: threshold is %g; want 0..1", ErrBadReport, r.Threshold)
	}
	seen := make(map[string]bool, len(r.Providers))
	for _, p := range r.Providers {
		if p.NodeID == "" {
			return fmt.Errorf("%w: a provider has no node_id", ErrBadReport)
		}
		if seen[p.NodeID] {
			return fmt.Errorf("%w: node %s is listed twice", ErrBadReport, p.NodeID)
		}
		seen[p.NodeID] = true
		for _, s := range []struct {
			name string
			v    float64
		}{{"uptime", p.Uptime}, {"audit", p.Audit}, {"score", p.Score}} {
			if !unit(s.v) {
				return fmt.Errorf("%w: node %s: %s is %g; want 0..1", ErrBadReport, p.NodeID, s.name, s.v)
			}
		}
	}
	if len(r.Lost) > MaxLost {
		return fmt.Errorf("%w: %d lost pieces; want at most %d", ErrBadReport, len(r.Lost), MaxLost)
	}
	for _, l := range r.Lost {
		if l.NodeID == "" || l.PieceID == "" {
			return fmt.Errorf("%w: a lost piece names no node or piece (node %q, piece %q)", ErrBadReport, l.NodeID, l.PieceID)
		}
	}
	return nil
}

// unit reports whether v is finite and in [0, 1] (NaN is not).
func unit(v float64) bool { return v >= 0 && v <= 1 && !math.IsNaN(v) }

// ParseReport decodes a report from JSON and validates it. Unknown fields are ignored, so an
// attestor may publish more than this version reads.
func ParseReport(data []byte) (Report, error) {
	var r Report
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&r); err != nil {
		return Report{}, fmt.Errorf("%w: decoding JSON: %w", ErrBadReport, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return Report{}, fmt.Errorf("%w: data after the report", ErrBadReport)
	}
	if err := r.Validate(); err != nil {
		return Report{}, err
	}
	return r, nil
}

// Combined is the attestors' joint view of one provider.
type Combined struct {
	// Score is the median of the attestors' scores (the upper one of an even count).
	Score float64 `json:"score"`
	// Eligible is false only when more than half of the attestors that know the provider
	// score it below their threshold.
	Eligible bool `json:"eligible"`
	// Attestors is how many reports listed the provider.
	Attestors int `json:"attestors"`
}

// Combine joins validated reports per node ID. A median, not a mean or a veto: a node is
// excluded only when a majority of the attestors that know it say so, so one attestor that
// lies, or that a network partition cuts off from the node, cannot exclude it. With equal
// thresholds Eligible is exactly Score >= threshold. Nodes no report lists are absent: a
// consumer treats them as newcomers (score 1, eligible).
func Combine(reports []Report) map[string]Combined {
	scores := map[string][]float64{}
	margins := map[string][]float64{}
	for _, r := range reports {
		for _, p := range r.Providers {
			scores[p.NodeID] = append(scores[p.NodeID], p.Score)
			margins[p.NodeID] = append(margins[p.NodeID], p.Score-r.Threshold)
		}
	}
	out := make(map[string]Combined, len(scores))
	for id, s := range scores {
		out[id] = Combined{Score: upperMedian(s), Eligible: upperMedian(margins[id]) >= 0, Attestors: len(s)}
	}
	return out
}

// AuditScores joins validated reports' audit scores per node ID as Combine joins their
// scores: the upper median, so it is below a bar only when more than half of the attestors
// that know the node put it there. It is what storage acts on (placement and repair): a
// provider that loses data is told by its audits, whatever its uptime.
func AuditScores(reports []Report) map[string]float64 {
	audits := map[string][]float64{}
	for _, r := range reports {
		for _, p := range r.Providers {
			audits[p.NodeID] = append(audits[p.NodeID], p.Audit)
		}
	}
	out := make(map[string]float64, len(audits))
	for id, a := range audits {
		out[id] = upperMedian(a)
	}
	return out
}

// upperMedian is the middle value, the higher of the two middle ones for an even count: it is
// below x only when more than half of the values are.
func upperMedian(v []float64) float64 {
	slices.Sort(v)
	return v[len(v)/2]
}
