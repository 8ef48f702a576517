package repairer

import (
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/hashicorp/nomad/api"

	"github.com/dec2-cloud/dec2/conventions"
)

// FromNomad takes every node with a storage endpoint in any status (down ones are what the
// grace runs on, from their status time), fetches from ready ones only, and places on ready,
// eligible ones only; nodes without an endpoint are not storage nodes.
func TestFromNomad(t *testing.T) {
	const wallet = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"
	node := func(id, status, endpoint string, eligible bool) *api.Node {
		n := &api.Node{ID: id, Name: id, Status: status, StatusUpdatedAt: 1000, SchedulingEligibility: api.NodeSchedulingEligible,
			Meta: map[string]string{conventions.MetaWallet: wallet}}
		if endpoint != "" {
			n.Meta[conventions.MetaStorageEndpoint] = endpoint
		}
		if !eligible {
			n.SchedulingEligibility = api.NodeSchedulingIneligible
		}
		return n
	}
	r := FromNomad([]*api.Node{
		node("ready", api.NodeStatusReady, "http://10.0.0.1:4660/", true),
		node("draining", api.NodeStatusReady, "http://10.0.0.2:4660", false),
		node("down", api.NodeStatusDown, "http://10.0.0.3:4660", true),
		node("compute", api.NodeStatusReady, "", true),
	})
	if len(r.State) != 3 {
		t.Fatalf("states %+v: want the three storage nodes", r.State)
	}
	for _, s := range r.State {
		if s.Up != (s.ID != "down") || !s.Since.Equal(time.Unix(1000, 0)) {
			t.Errorf("state %+v", s)
		}
	}
	if len(r.URL) != 2 || r.URL["ready"] != "http://10.0.0.1:4660" || r.URL["draining"] == "" {
		t.Errorf("fetch endpoints %v: want the two ready nodes', without a trailing slash", r.URL)
	}
	if len(r.Place) != 1 || r.Place[0].ID != "ready" || r.Place[0].Provider != common.HexToAddress(wallet) {
		t.Errorf("placement %+v: want only the ready, eligible node", r.Place)
	}
	if r.Provider["down"] != common.HexToAddress(wallet) {
		t.Errorf("providers %v: want the down node's wallet too (its pieces are listed by it)", r.Provider)
	}
}
