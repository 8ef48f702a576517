package repairer

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/hashicorp/nomad/api"

	"github.com/dec2-cloud/dec2/conventions"
	"github.com/dec2-cloud/dec2/storage/nomadnodes"
	"github.com/dec2-cloud/dec2/storage/piecesink"
	"github.com/dec2-cloud/dec2/storage/repair"
)

// Region is the storage nodes as the repairer sees them: every node that advertises a storage
// endpoint, in any status (State), the endpoints of those that are up (where pieces are
// fetched from), and those that may take new pieces (Place: ready, eligible, not draining).
type Region struct {
	State    []repair.NodeState
	Provider map[string]common.Address // node id → provider, for nodes that name one
	URL      map[string]string         // node id → endpoint, for nodes that are up
	Place    []piecesink.Node
}

// FromNomad builds a Region from Nomad's nodes (full nodes: their meta and status time).
func FromNomad(nodes []*api.Node) Region {
	r := Region{Provider: map[string]common.Address{}, URL: map[string]string{}}
	for _, n := range nodes {
		endpoint := n.Meta[conventions.MetaStorageEndpoint]
		if endpoint == "" {
			continue
		}
		up := n.Status == api.NodeStatusReady
		r.State = append(r.State, repair.NodeState{ID: n.ID, Up: up, Since: time.Unix(n.StatusUpdatedAt, 0)})
		if w := n.Meta[conventions.MetaWallet]; common.IsHexAddress(w) {
			r.Provider[n.ID] = common.HexToAddress(w)
		}
		if up {
			r.URL[n.ID] = strings.TrimRight(endpoint, "/")
		}
	}
	r.Place, _ = nomadnodes.FromNodes(nodes)
	return r
}

// ReadNomad reads every node of the region in full (node:read): down nodes too, since their
// status time is what the grace runs from.
func ReadNomad(ctx context.Context, c *api.Client) (Region, error) {
	nodes, err := nomadnodes.Read(ctx, c, func(*api.NodeListStub) bool { return true })
	if err != nil {
		return Region{}, fmt.Errorf("repair: %w", err)
	}
	return FromNomad(nodes), nil
}
