// Package nomadnodes finds a region's storage nodes in Nomad: the ready, eligible nodes whose
// meta names a storage endpoint (dec2.storage.endpoint) and a provider wallet (dec2.wallet),
// as the gateway's data path (storage/piecesink) takes them. It is an adapter: FromNodes is the
// conversion, pure; List is the one call to Nomad around it.
package nomadnodes

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"sync"

	"github.com/ethereum/go-ethereum/common"
	"github.com/hashicorp/nomad/api"

	"github.com/dec2-cloud/dec2/conventions"
	"github.com/dec2-cloud/dec2/pricing/nomadprices"
	"github.com/dec2-cloud/dec2/storage/piecesink"
)

// Skipped is a node that offers storage (its meta names an endpoint) but that discovery left
// out, and why: what to tell a consumer who finds too few nodes.
type Skipped struct {
	ID, Name, Reason string
}

func (s Skipped) String() string { return fmt.Sprintf("%s (%s): %s", s.Name, shortID(s.ID), s.Reason) }

func shortID(id string) string { return id[:min(8, len(id))] }

// FromNodes picks the storage nodes out of nodes, ordered by node id. Nodes without an
// endpoint are not storage nodes and are not reported; those with one that cannot take pieces
// now (down, ineligible, draining) or whose meta is malformed come back as Skipped.
// Reputation is left 0: the attestors know it, and piecesink.Reputations.Apply sets it.
func FromNodes(nodes []*api.Node) ([]piecesink.Node, []Skipped) {
	var out []piecesink.Node
	var skipped []Skipped
	for _, n := range nodes {
		if n == nil || n.Meta[conventions.MetaStorageEndpoint] == "" {
			continue
		}
		skip := func(format string, args ...any) {
			skipped = append(skipped, Skipped{ID: n.ID, Name: n.Name, Reason: fmt.Sprintf(format, args...)})
		}
		endpoint, wallet := n.Meta[conventions.MetaStorageEndpoint], n.Meta[conventions.MetaWallet]
		switch {
		case n.Status != api.NodeStatusReady:
			skip("status %s, not ready", n.Status)
		case n.SchedulingEligibility != api.NodeSchedulingEligible || n.Drain:
			skip("not eligible for new work (ineligible or draining)")
		case !common.IsHexAddress(wallet):
			skip("meta %s %q is not a 0x address", conventions.MetaWallet, wallet)
		case !validEndpoint(endpoint):
			skip("meta %s %q is not an http(s)://host[:port] URL", conventions.MetaStorageEndpoint, endpoint)
		default:
			prices, err := nomadprices.Prices(n)
			if err != nil {
				skip("prices: %v", err)
				continue
			}
			out = append(out, piecesink.Node{
				Provider: common.HexToAddress(wallet), ID: n.ID, URL: strings.TrimRight(endpoint, "/"),
				Datacenter: n.Datacenter, DiskGBHour: prices.DiskGBHour,
			})
		}
	}
	slices.SortFunc(out, func(a, b piecesink.Node) int { return strings.Compare(a.ID, b.ID) })
	return out, skipped
}

func validEndpoint(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" &&
		u.User == nil && u.RawQuery == "" && u.Fragment == ""
}

// infoAtOnce bounds the node reads Read makes at once.
const infoAtOnce = 8

// List reads the region's nodes from Nomad (node:read) and returns FromNodes of them. Only
// nodes that are ready and eligible are read in full: the list's stubs carry no meta, and a
// region's compute nodes need not cost a request each when they cannot take pieces anyway.
func List(ctx context.Context, c *api.Client) ([]piecesink.Node, []Skipped, error) {
	nodes, err := Read(ctx, c, func(s *api.NodeListStub) bool {
		return s.Status == api.NodeStatusReady && s.SchedulingEligibility == api.NodeSchedulingEligible && !s.Drain
	})
	if err != nil {
		return nil, nil, err
	}
	out, skipped := FromNodes(nodes)
	return out, skipped, nil
}

// Read reads in full (meta, status times) the region's nodes whose list stub keep accepts,
// infoAtOnce at a time. A node collected between the list and its read is left out.
func Read(ctx context.Context, c *api.Client, keep func(*api.NodeListStub) bool) ([]*api.Node, error) {
	q := (&api.QueryOptions{}).WithContext(ctx)
	stubs, _, err := c.Nodes().List(q)
	if err != nil {
		return nil, fmt.Errorf("listing Nomad's nodes: %w", err)
	}
	var (
		mu    sync.Mutex
		nodes []*api.Node
		errs  []error
		wg    sync.WaitGroup
		sem   = make(chan struct{}, infoAtOnce)
	)
	for _, s := range stubs {
		if !keep(s) {
			continue
		}
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
			case err != nil:
				errs = append(errs, fmt.Errorf("reading Nomad node %s: %w", s.Name, err))
			default:
				nodes = append(nodes, n)
			}
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return nodes, nil
}
