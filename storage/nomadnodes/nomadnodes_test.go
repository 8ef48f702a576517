package nomadnodes

import (
	"math/big"
	"strings"
	"testing"

	"github.com/hashicorp/nomad/api"

	"github.com/dec2-cloud/dec2/conventions"
	"github.com/dec2-cloud/dec2/pricing"
)

const (
	walletA = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"
	walletB = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"
)

// node is a ready, eligible storage node; each case changes what it tests.
func node(id string, meta map[string]string, change func(*api.Node)) *api.Node {
	n := &api.Node{ID: id, Name: "n-" + id, Datacenter: "dc1", Status: api.NodeStatusReady,
		SchedulingEligibility: api.NodeSchedulingEligible, Meta: map[string]string{
			conventions.MetaStorageEndpoint: "http://10.0.0.1:4660", "dec2.wallet": walletA, "dec2.price.disk_gb_hour": "0.0001",
		}}
	for k, v := range meta {
		if v == "" {
			delete(n.Meta, k)
		} else {
			n.Meta[k] = v
		}
	}
	if change != nil {
		change(n)
	}
	return n
}

func units(t *testing.T, s string) *big.Int {
	t.Helper()
	v, err := pricing.ParseAmount(s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestFromNodes(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   *api.Node
		// want is the node's URL when it is taken, skip a fragment of its reason when skipped;
		// both empty: not a storage node at all.
		want, skip string
	}{
		{"a storage node", node("a", nil, nil), "http://10.0.0.1:4660", ""},
		{"trailing slash trimmed", node("a", map[string]string{conventions.MetaStorageEndpoint: "https://store.example:4660/"}, nil), "https://store.example:4660", ""},
		{"no disk price is free disk", node("a", map[string]string{"dec2.price.disk_gb_hour": ""}, nil), "http://10.0.0.1:4660", ""},
		{"no endpoint: compute only", node("a", map[string]string{conventions.MetaStorageEndpoint: ""}, nil), "", ""},
		{"down", node("a", nil, func(n *api.Node) { n.Status = api.NodeStatusDown }), "", "status down"},
		{"initializing", node("a", nil, func(n *api.Node) { n.Status = api.NodeStatusInit }), "", "not ready"},
		{"ineligible", node("a", nil, func(n *api.Node) { n.SchedulingEligibility = api.NodeSchedulingIneligible }), "", "not eligible"},
		{"draining", node("a", nil, func(n *api.Node) { n.Drain = true }), "", "draining"},
		{"no wallet", node("a", map[string]string{"dec2.wallet": ""}, nil), "", "dec2.wallet"},
		{"bad wallet", node("a", map[string]string{"dec2.wallet": "0x12"}, nil), "", `"0x12" is not a 0x address`},
		{"endpoint without scheme", node("a", map[string]string{conventions.MetaStorageEndpoint: "10.0.0.1:4660"}, nil), "", "not an http(s)"},
		{"endpoint of another scheme", node("a", map[string]string{conventions.MetaStorageEndpoint: "ftp://10.0.0.1"}, nil), "", "not an http(s)"},
		{"endpoint with credentials", node("a", map[string]string{conventions.MetaStorageEndpoint: "http://u:p@10.0.0.1:4660"}, nil), "", "not an http(s)"},
		{"malformed disk price", node("a", map[string]string{"dec2.price.disk_gb_hour": "cheap"}, nil), "", "dec2.price.disk_gb_hour"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, skipped := FromNodes([]*api.Node{tc.in})
			switch {
			case tc.want != "":
				if len(got) != 1 || len(skipped) != 0 || got[0].URL != tc.want {
					t.Fatalf("got %+v, skipped %v; want the node at %s", got, skipped, tc.want)
				}
			case tc.skip != "":
				if len(got) != 0 || len(skipped) != 1 || !strings.Contains(skipped[0].Reason, tc.skip) ||
					skipped[0].ID != "a" || skipped[0].Name != "n-a" {
					t.Fatalf("got %+v, skipped %v; want node a skipped for %q", got, skipped, tc.skip)
				}
			default:
				if len(got) != 0 || len(skipped) != 0 {
					t.Fatalf("got %+v, skipped %v; want nothing", got, skipped)
				}
			}
		})
	}
}

// Every field the data path places by comes from the node: the Nomad id, the wallet as an
// address, the datacenter and the disk price in token base units; the output is ordered by id.
func TestFromNodesFields(t *testing.T) {
	got, skipped := FromNodes([]*api.Node{
		node("b", map[string]string{"dec2.wallet": strings.ToLower(walletB), "dec2.price.disk_gb_hour": "0.25"},
			func(n *api.Node) { n.Datacenter = "dc2" }),
		nil,
		node("a", nil, nil),
	})
	if len(skipped) != 0 || len(got) != 2 {
		t.Fatalf("got %+v, skipped %v; want nodes a and b", got, skipped)
	}
	a, b := got[0], got[1]
	if a.ID != "a" || b.ID != "b" {
		t.Fatalf("order %s, %s; want by node id", a.ID, b.ID)
	}
	if b.Provider.Hex() != walletB || b.Datacenter != "dc2" || b.DiskGBHour.Cmp(units(t, "0.25")) != 0 || b.Reputation != 0 {
		t.Errorf("node b = %+v, want wallet %s, dc2, 0.25 a GiB-hour, reputation 0", b, walletB)
	}
	if a.Provider.Hex() != walletA || a.Datacenter != "dc1" || a.DiskGBHour.Cmp(units(t, "0.0001")) != 0 {
		t.Errorf("node a = %+v", a)
	}
}
