package pack

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Problem is one packing request: the provider fleet as it is now and the groups to place.
// Its JSON form is the input of `dec2-allocator pack`; other tools depend on the field names.
type Problem struct {
	Nodes  []Node  `json:"nodes"`
	Groups []Group `json:"groups"`
}

// Resources is an amount of the three scalar dimensions.
type Resources struct {
	CPUMHz   int64 `json:"cpu_mhz"`
	MemoryMB int64 `json:"memory_mb"`
	DiskMB   int64 `json:"disk_mb"`
}

// GPU is one device instance as the dec2-gpu plugin reports it. A GPU share (device type
// gpu-share) is listed as an instance of its own, the way Nomad sees it.
type GPU struct {
	ID       string `json:"id"`
	Model    string `json:"model"`
	MemoryMB int64  `json:"memory_mb"`
	Healthy  bool   `json:"healthy"`
}

// Node is one provider: total capacity, what is already in use on it, and its attributes.
// A node with any use is already open: it counts as used whatever the packer does.
type Node struct {
	ID       string    `json:"id"`
	CPUMHz   int64     `json:"cpu_mhz"`
	MemoryMB int64     `json:"memory_mb"`
	DiskMB   int64     `json:"disk_mb"`
	Used     Resources `json:"used"`
	GPUs     []GPU     `json:"gpus,omitempty"`
	UsedGPUs []string  `json:"used_gpus,omitempty"`
	// Attributes are matched by constraints: "region", "datacenter", "node_pool",
	// "meta.<key>", "attr.<key>" (Nomad's interpolation form "${meta.key}" is accepted too).
	Attributes map[string]string `json:"attributes,omitempty"`
	// PricePerHour is the price of the whole node for an hour; an instance costs the share of
	// it that its dominant resource takes.
	PricePerHour float64 `json:"price_per_hour"`
	// Reputation in [0,1] breaks ties between otherwise equal placements (higher first).
	Reputation      float64 `json:"reputation,omitempty"`
	DedicatedTenant string  `json:"dedicated_tenant,omitempty"`
}

// GPUAsk is what each instance of a group needs in GPUs.
type GPUAsk struct {
	Count       int    `json:"count"`
	Model       string `json:"model,omitempty"`
	MinMemoryMB int64  `json:"min_memory_mb,omitempty"`
}

// Constraint restricts the nodes a group may use, as Nomad's job constraints do.
type Constraint struct {
	Attribute string `json:"attribute"`
	Operator  string `json:"operator"`
	Value     string `json:"value"`
}

// Spread caps how many instances of a group share one value of an attribute
// (Nomad's distinct_property).
type Spread struct {
	Attribute string `json:"attribute"`
	Max       int    `json:"max"`
}

// Group is a set of identical instances to place.
type Group struct {
	ID            string       `json:"id"`
	Count         int          `json:"count"`
	CPUMHz        int64        `json:"cpu_mhz"`
	MemoryMB      int64        `json:"memory_mb"`
	DiskMB        int64        `json:"disk_mb"`
	GPU           *GPUAsk      `json:"gpu,omitempty"`
	Constraints   []Constraint `json:"constraints,omitempty"`
	DistinctHosts bool         `json:"distinct_hosts,omitempty"`
	Spread        []Spread     `json:"spread,omitempty"`
	// Tenant may use shared nodes and nodes dedicated to it; empty = shared nodes only.
	Tenant string `json:"tenant,omitempty"`
	// MaxPricePerHour refuses nodes where one instance would cost more; 0 = no limit.
	MaxPricePerHour float64 `json:"max_price_per_hour,omitempty"`
}

func (g Group) gpuCount() int {
	if g.GPU == nil {
		return 0
	}
	return g.GPU.Count
}

// Placement puts instance Index of Group on Node, holding the listed GPUs.
type Placement struct {
	Group string   `json:"group"`
	Index int      `json:"index"`
	Node  string   `json:"node"`
	GPUs  []string `json:"gpus,omitempty"`
}

// Unplaced says how many instances of a group found no node, and why.
type Unplaced struct {
	Group  string `json:"group"`
	Count  int    `json:"count"`
	Reason string `json:"reason"`
}

// Stranded is capacity left on open nodes that no unplaced instance could use.
type Stranded struct {
	CPUMHz   int64 `json:"cpu_mhz"`
	MemoryMB int64 `json:"memory_mb"`
	DiskMB   int64 `json:"disk_mb"`
	GPUs     int   `json:"gpus"`
}

// Stats sums up a result.
type Stats struct {
	NodesUsed  int `json:"nodes_used"`
	LowerBound int `json:"lower_bound"`
	// Bound names the argument that gave LowerBound: "open-nodes", "cover", "surrogate",
	// "cover-lp", "column-generation" (the covering LP over node and instance classes, solved
	// to optimality), "lagrangian" (the same LP's duals before it converged, still valid) or
	// "exact" (on fleets of up to 30 providers, a search over every packing finished: none
	// places the same instances on fewer nodes).
	Bound string `json:"bound,omitempty"`
	// Optimal is true only when the packing is proven to use the fewest nodes: everything
	// is placed and NodesUsed equals LowerBound.
	Optimal   bool     `json:"optimal"`
	ElapsedMS float64  `json:"elapsed_ms"`
	Stranded  Stranded `json:"stranded"`
	// CostPerHour is what the placed instances cost together.
	CostPerHour float64 `json:"cost_per_hour"`
	// Algorithm names the portfolio member whose solution won, or "exact" when the exact
	// search on a small fleet found a packing on fewer nodes than every member.
	Algorithm string `json:"algorithm,omitempty"`
}

// Result is the output of `dec2-allocator pack`.
type Result struct {
	Placements []Placement `json:"placements"`
	Unplaced   []Unplaced  `json:"unplaced"`
	Stats      Stats       `json:"stats"`
}

// ParseProblem decodes a problem, refusing unknown fields and trailing data, and validates it.
func ParseProblem(data []byte) (Problem, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var p Problem
	if err := dec.Decode(&p); err != nil {
		return Problem{}, &InputError{Field: "problem", Msg: fmt.Sprintf("decoding JSON: %v", err)}
	}
	if dec.More() {
		return Problem{}, &InputError{Field: "problem", Msg: "trailing data after the JSON object"}
	}
	if err := p.Validate(); err != nil {
		return Problem{}, err
	}
	return p, nil
}
