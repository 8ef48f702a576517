package repairer

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
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

// infoAtOnce bounds the node reads ReadNomad makes at once.
const infoAtOnce = 8

// ReadNomad reads every node of the region in full (node:read): down nodes too, since their
// status time is what the grace runs from.
func ReadNomad(ctx context.Context, c *api.Client) (Region, error) {
	q := (&api.QueryOptions{}).WithContext(ctx)
	stubs, _, err := c.Nodes().List(q)
	if err != nil {
		return Region{}, fmt.Errorf("repair: listing Nomad's nodes: %w", err)
	}
	var (
		mu    sync.Mutex
		nodes []*api.Node
		errs  []error
		wg    sync.WaitGroup
		sem   = make(chan struct{}, infoAtOnce)
	)
	for _, s := range stubs {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			n, _, err := c.Nodes().Info(s.ID, q)
			mu.Lock()
			defer mu.Unlock()
			var notFound api.UnexpectedResponseError
			switch {
			case errors.As(err, &notFound) && notFound.StatusCode() == 404:
				// Collected since the list.
			case err != nil:
				errs = append(errs, fmt.Errorf("repair: reading Nomad node %s: %w", s.Name, err))
			default:
				nodes = append(nodes, n)
			}
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return Region{}, err
	}
	return FromNomad(nodes), nil
}
