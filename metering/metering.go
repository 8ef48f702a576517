// Package metering turns Nomad's allocation stats samples into usage records and usage records
// into statements. It is pure: samples come in, records and CSV/JSON go out.
package metering

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/dec2-cloud/dec2/pricing"
)

// Sample is one reading of /v1/client/allocation/<id>/stats.
type Sample struct {
	At        time.Time
	CPUMHz    float64          // ResourceUsage.CpuStats.TotalTicks: MHz in use
	RSSBytes  uint64           // ResourceUsage.MemoryStats.RSS
	GPUsInUse map[string]int64 // model, or pricing.SharePrefix + model for gpu-shares → devices reporting stats
	NodeID    string
	Reachable bool // false when the client could not be asked (node gone, timeout)
}

// KindStorage marks the records and statement lines of stored pieces: AllocID is the
// pair's stream (storage/<consumer>/<provider>) and StoredBytes what the provider held. An
// empty Kind is a Nomad allocation's.
const KindStorage = "storage"

// Record is what one allocation used over [From, To), and what its stream charged for it.
type Record struct {
	Kind       string           `json:"kind,omitempty"` // "" (an allocation) or KindStorage
	AllocID    string           `json:"alloc_id"`
	JobID      string           `json:"job_id"`
	Namespace  string           `json:"namespace"`
	NodeID     string           `json:"node_id"`
	Consumer   string           `json:"consumer"`
	Provider   string           `json:"provider"`
	From       time.Time        `json:"from"`
	To         time.Time        `json:"to"`
	CPUMHzSecs int64            `json:"cpu_mhz_seconds"`
	MemMBSecs  int64            `json:"mem_mb_seconds"`
	GPUSecs    map[string]int64 `json:"gpu_seconds,omitempty"` // keyed as Sample.GPUsInUse
	Rate       string           `json:"rate"`                  // base units per second of the stream
	Charged    string           `json:"charged"`               // rate × seconds, base units
	// StoredBytes is, for storage, the bytes of pieces the provider held for the consumer
	// over the interval (what Rate pays for).
	StoredBytes int64 `json:"stored_bytes,omitempty"`
}

// Between builds the record for the interval between two samples of an allocation; the usage
// over it is the trapezoid of the two readings (Nomad's readings are instantaneous).
func Between(prev, cur Sample, rate *big.Int) (Record, bool) {
	dt := cur.At.Sub(prev.At)
	if dt <= 0 || !prev.Reachable || !cur.Reachable {
		return Record{}, false
	}
	secs := dt.Seconds()
	r := Record{
		NodeID:     cur.NodeID,
		From:       prev.At,
		To:         cur.At,
		CPUMHzSecs: int64((prev.CPUMHz + cur.CPUMHz) / 2 * secs),
		MemMBSecs:  int64(float64(prev.RSSBytes+cur.RSSBytes) / 2 / (1 << 20) * secs),
		Rate:       "0",
		Charged:    "0",
	}
	for m, n := range cur.GPUsInUse {
		if r.GPUSecs == nil {
			r.GPUSecs = map[string]int64{}
		}
		r.GPUSecs[m] = int64(float64(n) * secs)
	}
	if rate != nil {
		r.Rate = rate.String()
		// Chain time is whole seconds: charge the millisecond-exact share, rounded down.
		c := new(big.Int).Mul(rate, big.NewInt(dt.Milliseconds()))
		r.Charged = c.Quo(c, big.NewInt(1000)).String()
	}
	return r, true
}

// Filter selects records for a statement.
type Filter struct {
	Consumer string // case-insensitive 0x address; empty = any
	Provider string
	Since    time.Time
	Until    time.Time // zero = no bound
}

// Match reports whether r falls under f.
func (f Filter) Match(r Record) bool {
	if f.Consumer != "" && !strings.EqualFold(f.Consumer, r.Consumer) {
		return false
	}
	if f.Provider != "" && !strings.EqualFold(f.Provider, r.Provider) {
		return false
	}
	if r.To.Before(f.Since) || (!f.Until.IsZero() && !r.From.Before(f.Until)) {
		return false
	}
	return true
}

// Line is one allocation's (or one storage stream's) total in a statement.
type Line struct {
	Kind       string           `json:"kind,omitempty"` // as its records'
	AllocID    string           `json:"alloc_id"`
	JobID      string           `json:"job_id"`
	Namespace  string           `json:"namespace"`
	Consumer   string           `json:"consumer"`
	Provider   string           `json:"provider"`
	From       time.Time        `json:"from"`
	To         time.Time        `json:"to"`
	Seconds    float64          `json:"seconds"`
	CPUMHzSecs int64            `json:"cpu_mhz_seconds"`
	MemMBSecs  int64            `json:"mem_mb_seconds"`
	GPUSecs    map[string]int64 `json:"gpu_seconds,omitempty"`
	Charged    string           `json:"charged"` // base units
	// Storage: the bytes held at the line's end, and GiB held × hours over it.
	StoredBytes int64   `json:"stored_bytes,omitempty"`
	GiBHours    float64 `json:"gib_hours,omitempty"`
}

// StoredGiB is the GiB a storage line's provider held at its end.
func (l Line) StoredGiB() float64 { return float64(l.StoredBytes) / (1 << 30) }

// Usage is l's measured usage for pricing.UsageCost, which prices its gpu-share seconds as
// shares, as the stream that charged l did.
func (l Line) Usage() pricing.Usage {
	return pricing.Usage{CPUMHzSecs: l.CPUMHzSecs, MemMBSecs: l.MemMBSecs, GPUSecs: l.GPUSecs}
}

// Statement sums records per allocation, ordered by first use.
func Statement(recs []Record) []Line {
	byAlloc := map[string]*Line{}
	charged := map[string]*big.Int{}
	for _, r := range recs {
		l, ok := byAlloc[r.AllocID]
		if !ok {
			l = &Line{Kind: r.Kind, AllocID: r.AllocID, JobID: r.JobID, Namespace: r.Namespace, Consumer: r.Consumer, Provider: r.Provider,
				From: r.From, To: r.To, StoredBytes: r.StoredBytes}
			byAlloc[r.AllocID], charged[r.AllocID] = l, new(big.Int)
		}
		if r.From.Before(l.From) {
			l.From = r.From
		}
		if !r.To.Before(l.To) {
			l.To, l.StoredBytes = r.To, r.StoredBytes
		}
		l.GiBHours += float64(r.StoredBytes) / (1 << 30) * r.To.Sub(r.From).Hours()
		l.Seconds += r.To.Sub(r.From).Seconds()
		l.CPUMHzSecs += r.CPUMHzSecs
		l.MemMBSecs += r.MemMBSecs
		for m, n := range r.GPUSecs {
			if l.GPUSecs == nil {
				l.GPUSecs = map[string]int64{}
			}
			l.GPUSecs[m] += n
		}
		if c, ok := new(big.Int).SetString(r.Charged, 10); ok {
			charged[r.AllocID].Add(charged[r.AllocID], c)
		}
	}
	out := make([]Line, 0, len(byAlloc))
	for id, l := range byAlloc {
		l.Charged = charged[id].String()
		out = append(out, *l)
	}
	sort.Slice(out, func(a, b int) bool {
		if !out[a].From.Equal(out[b].From) {
			return out[a].From.Before(out[b].From)
		}
		return out[a].AllocID < out[b].AllocID
	})
	return out
}

// WriteJSON writes a statement as a JSON array.
func WriteJSON(w io.Writer, lines []Line) error {
	e := json.NewEncoder(w)
	e.SetIndent("", "  ")
	if lines == nil {
		lines = []Line{}
	}
	return e.Encode(lines)
}

// WriteCSV writes a statement as CSV with a header row.
func WriteCSV(w io.Writer, lines []Line) error {
	cw := csv.NewWriter(w)
	// Columns added later go last, so readers of the first ones by position keep working.
	_ = cw.Write([]string{"alloc_id", "job_id", "namespace", "consumer", "provider", "from", "to", "seconds", "cpu_mhz_seconds", "mem_mb_seconds", "gpu_seconds", "charged",
		"kind", "stored_bytes", "gib_hours"})
	for _, l := range lines {
		gpus := make([]string, 0, len(l.GPUSecs))
		for m, n := range l.GPUSecs {
			gpus = append(gpus, fmt.Sprintf("%s=%d", m, n))
		}
		sort.Strings(gpus)
		_ = cw.Write([]string{l.AllocID, l.JobID, l.Namespace, l.Consumer, l.Provider,
			l.From.UTC().Format(time.RFC3339), l.To.UTC().Format(time.RFC3339),
			strconv.FormatFloat(l.Seconds, 'f', 3, 64), strconv.FormatInt(l.CPUMHzSecs, 10),
			strconv.FormatInt(l.MemMBSecs, 10), strings.Join(gpus, ";"), l.Charged,
			l.Kind, strconv.FormatInt(l.StoredBytes, 10), strconv.FormatFloat(l.GiBHours, 'f', 6, 64)})
	}
	cw.Flush()
	return cw.Error()
}
