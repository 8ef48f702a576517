package piecesink

import (
	"fmt"
	"maps"
	"slices"

	"github.com/dec2-cloud/dec2/storage/nodeapi"
)

// fleet is the storage nodes a Data knows at one moment, with the reputations writes place by.
// It is never changed once stored, and a newer one only adds nodes or updates them in place
// (Join): a node keeps its index, so a Candidate read from an older fleet names the same node
// in every later one.
type fleet struct {
	nodes   []Node
	clients []*nodeapi.Client
	byID    map[string]int
	reps    []float64
}

func (f *fleet) add(nd Node, c *nodeapi.Client) {
	f.byID[nd.ID] = len(f.nodes)
	f.nodes = append(f.nodes, nd)
	f.clients = append(f.clients, c)
}

func (f *fleet) clone() *fleet {
	return &fleet{nodes: slices.Clone(f.nodes), clients: slices.Clone(f.clients), byID: maps.Clone(f.byID), reps: slices.Clone(f.reps)}
}

// rate sets reps from view applied to the nodes (their own reputations for a nil view) and
// returns the nodes it bars.
func (f *fleet) rate(view *Reputations) []BarredNode {
	nodes := slices.Clone(f.nodes)
	barred := view.Apply(nodes)
	f.reps = make([]float64, len(nodes))
	for i := range nodes {
		f.reps[i] = nodes[i].Reputation
	}
	return barred
}

// Joined is what Join changed: the ids of the nodes it added and of those whose address,
// provider, datacenter or price it updated.
type Joined struct {
	Added, Updated []string
}

// Join merges nodes into those the Data places over and reads from, as a gateway that lists
// the region's storage nodes again calls it: a node it does not know yet takes pieces from the
// next write on (with the attestors' view Rate set last), and a node it knows is updated in
// place (a provider back at another address). A node missing from nodes is kept: its pieces
// stay readable should it come back, and placement leaves it out while it does not answer.
// The region's code stays the one New chose. Nothing changes on an error.
func (d *Data) Join(nodes []Node) (Joined, error) {
	var j Joined
	d.rateMu.Lock()
	defer d.rateMu.Unlock()
	before := d.fleet.Load()
	after := before.clone()
	seen := make(map[string]bool, len(nodes))
	for i, nd := range nodes {
		if nd.ID == "" || seen[nd.ID] {
			return Joined{}, fmt.Errorf("piecesink: joining node %d: id %q is empty or repeated", i, nd.ID)
		}
		seen[nd.ID] = true
		at, known := after.byID[nd.ID]
		switch {
		case !known:
			after.add(nd, d.client(nd))
			j.Added = append(j.Added, nd.ID)
		case !sameNode(after.nodes[at], nd):
			after.nodes[at], after.clients[at] = nd, d.client(nd)
			j.Updated = append(j.Updated, nd.ID)
		}
	}
	if len(j.Added) == 0 && len(j.Updated) == 0 {
		return j, nil
	}
	after.rate(d.view)
	d.swap(before, after)
	return j, nil
}

func sameNode(a, b Node) bool {
	return a.Provider == b.Provider && a.URL == b.URL && a.Datacenter == b.Datacenter &&
		a.Reputation == b.Reputation && (a.DiskGBHour == nil) == (b.DiskGBHour == nil) &&
		(a.DiskGBHour == nil || a.DiskGBHour.Cmp(b.DiskGBHour) == 0)
}
