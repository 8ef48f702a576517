// Package view holds the console's pages as data: the rows, forms and chart series its
// templates render, built from what the CLI's packages read. It does no I/O, so every page's
// content is tested without a browser, Nomad or a chain.
package view

import (
	"errors"
	"math/big"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/dec2-cloud/dec2/catalog"
	"github.com/dec2-cloud/dec2/metering"
	"github.com/dec2-cloud/dec2/pricing"
)

// DefaultPerPage is how many rows a list shows at once: a page of 1,000 instances would read
// each one's allocations and nodes; fifty keep a page under a second.
const DefaultPerPage = 50

// Page is one page of a list of n items.
type Page struct {
	Number, Of int // 1-based page number, and how many pages there are
	Start, End int // the items shown: [Start, End) of Total
	Total      int
	Prev, Next int // page numbers, 0 when there is none
	PerPage    int
	HasSeveral bool
	ShownFirst int // 1-based number of the first item shown, for "41–50 of 1000"
	ShownLast  int
}

// Paginate picks page number (1-based; out of range is clamped) of total items, perPage each.
func Paginate(total, number, perPage int) Page {
	if perPage < 1 {
		perPage = DefaultPerPage
	}
	pages := max(1, (total+perPage-1)/perPage)
	number = min(max(number, 1), pages)
	p := Page{Number: number, Of: pages, Total: total, PerPage: perPage, HasSeveral: pages > 1}
	p.Start = min((number-1)*perPage, total)
	p.End = min(p.Start+perPage, total)
	if number > 1 {
		p.Prev = number - 1
	}
	if number < pages {
		p.Next = number + 1
	}
	if total > 0 {
		p.ShownFirst, p.ShownLast = p.Start+1, p.End
	}
	return p
}

// InstanceRow is one instance on the instances page: its placements' nodes, providers,
// addresses and statuses, and its cost per hour as cli/instance computes it.
type InstanceRow struct {
	Name        string
	Status      string
	Image       string
	CostPerHour string // decimal tokens; "" when not read (see Error)
	Placements  []PlacementRow
	// Error says why the instance's details could not be read; the row still shows its name.
	Error string
}

// PlacementRow is one allocation of an instance.
type PlacementRow struct {
	Alloc, Node, Provider, Status, Cost string
	Addresses                           []string // label=host:port, sorted
}

// Field names of the forms, as their inputs are named and their errors are shown.
const (
	FieldName   = "name"
	FieldType   = "type"
	FieldImage  = "image"
	FieldPort   = "port"
	FieldCount  = "count"
	FieldWallet = "wallet"
	FieldAmount = "amount"
)

// FieldError is bad input in one form field: the page shows Message next to the field.
type FieldError struct {
	Field   string
	Message string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Message }

// specFields maps the first words of instances.Spec.Validate's errors to the field at fault,
// as `dec2 instance run` maps them to its flags.
var specFields = []struct{ prefix, field string }{
	{"name", FieldName}, {"type", FieldType}, {"image", FieldImage}, {"port", FieldPort},
	{"count", FieldCount}, {"wallet", FieldWallet},
}

// SpecError turns an instances.Spec validation error into the field it names; an error that
// names no field is returned as it is.
func SpecError(err error) error {
	for _, f := range specFields {
		if strings.HasPrefix(err.Error(), f.prefix) {
			return &FieldError{Field: f.field, Message: err.Error()}
		}
	}
	return err
}

// ErrNoAmount is an amount that is empty or zero, where the form needs some tokens.
var ErrNoAmount = errors.New("give an amount above 0, e.g. 50")

// ParseAmount reads a deposit's or withdrawal's amount field (decimal tokens, above 0).
func ParseAmount(s string) (*big.Int, error) {
	v, err := pricing.ParseAmount(strings.TrimSpace(s))
	if err != nil {
		return nil, &FieldError{Field: FieldAmount, Message: err.Error()}
	}
	if v.Sign() <= 0 {
		return nil, &FieldError{Field: FieldAmount, Message: "amount " + quote(s) + ": " + ErrNoAmount.Error()}
	}
	return v, nil
}

func quote(s string) string { return `"` + s + `"` }

// Node is a provider's node as the launch and region pages need it: its prices (from its
// dec2.price.* meta, read by pricing/nomadprices) and what it has free.
type Node struct {
	ID, Name, Status, Wallet string
	Prices                   pricing.Prices
	// PriceError says why the node's prices could not be read; it quotes nothing then.
	PriceError string
	// Capacity and Used: CPU MHz, memory MiB and disk MiB the node offers and allocations reserve.
	CapacityCPU, CapacityMem, CapacityDisk int64
	UsedCPU, UsedMem, UsedDisk             int64
	GPUs                                   map[string]int64 // model → devices
	Allocations                            int              // running
}

// Use is a provider node's utilisation: what allocations reserve of its capacity, the GPUs left
// free by model, and what the machine itself uses (Host, from the Nomad client's host
// statistics; nil when they could not be read).
type Use struct {
	CPU, Memory, Disk int // reserved, percent of capacity
	GPUsFree          map[string]int64
	Host              *HostUse
}

// HostUse is the machine's own load as its Nomad client reports it.
type HostUse struct {
	CPUPercent                    float64 // busy, averaged over its cores
	MemoryUsedMiB, MemoryTotalMiB int64
	DiskPercent                   float64 // the allocation directory's disk
	GPUs                          []GPUUse
}

// GPUUse is one GPU's load as its device plugin reports it (dec2-gpu: NVML, sysfs or a fake
// device file), by model and device id.
type GPUUse struct {
	Model, ID string
	// Utilization is percent busy; HasUtilization is false where the plugin reads none (sysfs
	// on some cards).
	Utilization    float64
	HasUtilization bool
	// MemoryTotalMiB is 0 where the plugin reads no memory.
	MemoryUsedMiB, MemoryTotalMiB float64
}

// UseOf is n's reserved utilisation; Host is left for the caller.
func UseOf(n Node) Use {
	return Use{CPU: Percent(n.UsedCPU, n.CapacityCPU), Memory: Percent(n.UsedMem, n.CapacityMem), Disk: Percent(n.UsedDisk, n.CapacityDisk), GPUsFree: n.GPUs}
}

// Percent is used over capacity, 0–100, for the region's bars.
func Percent(used, capacity int64) int {
	if capacity <= 0 {
		return 0
	}
	return int(min(100, used*100/capacity))
}

// Quote is where the allocator would place one catalogue type now and what that costs an hour
// there; Reason says why nowhere, when Offers is empty.
type Quote struct {
	Type   catalog.Type
	Offers []Offer
	Reason string
}

// Offer is one node's price for a type.
type Offer struct {
	Node, Provider string
	CostPerHour    string // decimal tokens
}

// Plan is the allocator's answer for one type: the node ids it would use, or why none.
type Plan struct {
	Nodes  []string
	Reason string
}

// Quotes prices every catalogue type on the nodes the allocator's plan for it names, with
// pricing.HourlyCost, the function billing streams by: the type's reserved resources at the
// node's dec2.price.* meta (for a GPU type, of the model it would get there).
func Quotes(types []catalog.Type, nodes []Node, plans map[string]Plan) []Quote {
	byID := make(map[string]Node, len(nodes))
	for _, n := range nodes {
		byID[n.ID] = n
	}
	out := make([]Quote, 0, len(types))
	for _, t := range types {
		plan := plans[t.Name]
		q := Quote{Type: t, Reason: plan.Reason}
		for _, id := range plan.Nodes {
			n, ok := byID[id]
			if !ok || n.PriceError != "" {
				continue
			}
			r := pricing.Reserved{CPUMHz: int64(t.CPU), MemMB: int64(t.MemoryMB), DiskMB: int64(t.DiskMB)}
			if t.GPUs > 0 {
				model := gpuModel(t, n)
				if model == "" {
					continue
				}
				r.GPUs = map[string]int64{model: int64(t.GPUs)}
			}
			c, err := pricing.HourlyCost(n.Prices, r)
			if err != nil {
				continue // the node sets no price for the type's GPU model: billing could not charge it
			}
			q.Offers = append(q.Offers, Offer{Node: n.Name, Provider: n.Wallet, CostPerHour: pricing.FormatAmount(c)})
		}
		if len(q.Offers) == 0 && q.Reason == "" {
			q.Reason = "no provider has room"
		}
		out = append(out, q)
	}
	return out
}

// gpuModel is the node's GPU model that t would get: the type's own model, else any with enough
// devices (the first by name, as the plugin reports them).
func gpuModel(t catalog.Type, n Node) string {
	if t.GPUName != "" {
		if n.GPUs[t.GPUName] >= int64(t.GPUs) {
			return t.GPUName
		}
		return ""
	}
	models := make([]string, 0, len(n.GPUs))
	for m, c := range n.GPUs {
		if c >= int64(t.GPUs) {
			models = append(models, m)
		}
	}
	sort.Strings(models)
	if len(models) == 0 {
		return ""
	}
	return models[0]
}

// Series is a chart's data as uPlot takes it: X in unix seconds, Y in decimal tokens.
type Series struct {
	X []int64   `json:"x"`
	Y []float64 `json:"y"`
}

// Cumulative is what a statement's lines charged up to each moment: each line's charge spread
// evenly over its [From, To] (billing streams at a constant rate per allocation), summed at
// every line's start and end. A consumer's statement gives its cost over time, a provider's its
// earnings.
func Cumulative(lines []metering.Line) Series {
	type seg struct {
		from, to time.Time
		charged  float64
	}
	segs := make([]seg, 0, len(lines))
	var times []time.Time
	for _, l := range lines {
		v, ok := new(big.Int).SetString(l.Charged, 10)
		if !ok {
			continue
		}
		// Floats only draw the chart; the statement's amounts stay exact in its table and CSV.
		f, err := strconv.ParseFloat(pricing.FormatAmount(v), 64)
		if err != nil {
			continue
		}
		segs = append(segs, seg{l.From, l.To, f})
		times = append(times, l.From, l.To)
	}
	sort.Slice(times, func(i, j int) bool { return times[i].Before(times[j]) })
	var s Series
	for i, t := range times {
		if i > 0 && times[i-1].Unix() == t.Unix() {
			continue
		}
		total := 0.0
		for _, g := range segs {
			switch {
			case !t.After(g.from):
			case !t.Before(g.to) || !g.to.After(g.from):
				total += g.charged
			default:
				total += g.charged * float64(t.Sub(g.from)) / float64(g.to.Sub(g.from))
			}
		}
		s.X = append(s.X, t.Unix())
		s.Y = append(s.Y, total)
	}
	return s
}

// Tx is a transaction the signed-in user's browser wallet is asked to send
// (eth_sendTransaction): what it does, the contract it calls and the calldata, 0x-hex.
type Tx struct {
	Action string `json:"action"`
	To     string `json:"to"`
	Data   string `json:"data"`
}

// Unsigned is a deposit or withdrawal as the transactions the browser wallet sends, in order,
// from From on chain ChainID; Done is what the page says once every one is mined.
type Unsigned struct {
	ChainID uint64 `json:"chain_id"`
	From    string `json:"from"`
	Txs     []Tx   `json:"txs"`
	Done    string `json:"done"`
}
