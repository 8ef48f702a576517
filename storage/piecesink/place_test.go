package piecesink_test

import (
	"errors"
	"math/big"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/dec2-cloud/dec2/storage/piecesink"
)

// prov is the address of provider i.
func prov(i int) common.Address { return common.BigToAddress(big.NewInt(int64(i + 1))) }

// own gives every candidate its own provider, the one numbered like its node.
func own(cands ...piecesink.Candidate) []piecesink.Candidate {
	for i := range cands {
		cands[i].Node, cands[i].Provider = i, prov(i)
	}
	return cands
}

func TestPlacePolicy(t *testing.T) {
	type cand = piecesink.Candidate
	for _, tc := range []struct {
		name  string
		cands []cand
		n     int
		size  uint64
		want  []int
	}{{
		// Node 1 has more room than nodes 2 and 3, but its provider already has node 0.
		name: "distinct providers",
		cands: []cand{
			{Node: 0, Provider: prov(0), Free: 1000}, {Node: 1, Provider: prov(0), Free: 900},
			{Node: 2, Provider: prov(1), Free: 800}, {Node: 3, Provider: prov(2), Free: 700},
		},
		n: 3, size: 10, want: []int{0, 2, 3, 1},
	}, {
		// dc1 is cheaper, but two pieces go to dc2: at most two per datacenter.
		name: "datacenter spread",
		cands: own(
			cand{Free: 1000, Price: 1, Datacenter: "dc1"}, cand{Free: 1000, Price: 1, Datacenter: "dc1"},
			cand{Free: 1000, Price: 1, Datacenter: "dc1"}, cand{Free: 1000, Price: 1, Datacenter: "dc1"},
			cand{Free: 1000, Price: 3, Datacenter: "dc2"}, cand{Free: 1000, Price: 3, Datacenter: "dc2"},
		),
		n: 4, size: 10, want: []int{0, 1, 4, 5, 2, 3},
	}, {
		// dc2 has one provider: it gets one piece, dc1 the other three.
		name: "datacenter spread as even as the providers allow",
		cands: own(
			cand{Free: 1000, Datacenter: "dc1"}, cand{Free: 990, Datacenter: "dc1"}, cand{Free: 980, Datacenter: "dc1"},
			cand{Free: 970, Datacenter: "dc1"}, cand{Free: 960, Datacenter: "dc1"}, cand{Free: 950, Datacenter: "dc2"},
		),
		n: 4, size: 10, want: []int{0, 1, 2, 5, 3, 4},
	}, {
		// Two per datacenter would let dc1 and dc2 take all four; dc3 gets one first.
		name: "datacenter spread over every datacenter",
		cands: own(
			cand{Free: 1000, Datacenter: "dc1"}, cand{Free: 990, Datacenter: "dc1"}, cand{Free: 980, Datacenter: "dc1"},
			cand{Free: 970, Datacenter: "dc1"}, cand{Free: 960, Datacenter: "dc2"}, cand{Free: 950, Datacenter: "dc2"},
			cand{Free: 940, Datacenter: "dc2"}, cand{Free: 930, Datacenter: "dc2"}, cand{Free: 900, Datacenter: "dc3"},
		),
		n: 4, size: 10, want: []int{0, 1, 4, 8, 2, 3, 5, 6, 7},
	}, {
		name:  "price preference",
		cands: own(cand{Free: 1000, Price: 4}, cand{Free: 1000, Price: 1}, cand{Free: 1000, Price: 3}, cand{Free: 1000, Price: 2}),
		n:     2, size: 10, want: []int{1, 3, 2, 0},
	}, {
		name: "reputation preference",
		cands: own(cand{Free: 1000, Price: 1, Reputation: 0.2}, cand{Free: 1000, Price: 1, Reputation: 0.9},
			cand{Free: 1000, Price: 1}, cand{Free: 1000, Price: 1, Reputation: 0.5}),
		n: 2, size: 10, want: []int{1, 3, 0, 2},
	}, {
		// The cheap node has a tenth of the room of the other: it would fill long before it.
		name:  "room before price",
		cands: own(cand{Free: 100, Price: 1}, cand{Free: 1000, Price: 2}),
		n:     1, size: 10, want: []int{1, 0},
	}, {
		// Node 0 has no room; node 1 has exactly the piece's size and comes last.
		name:  "full nodes skipped",
		cands: own(cand{Free: 9}, cand{Free: 10}, cand{Free: 500}, cand{Free: 400}),
		n:     2, size: 10, want: []int{2, 3, 1},
	}, {
		// Spares: the other providers in the packer's order, then the providers' second
		// nodes, most free first.
		name: "spares order",
		cands: []cand{
			{Node: 0, Provider: prov(0), Free: 1000}, {Node: 1, Provider: prov(1), Free: 900},
			{Node: 2, Provider: prov(2), Free: 800}, {Node: 3, Provider: prov(3), Free: 100},
			{Node: 4, Provider: prov(0), Free: 300}, {Node: 5, Provider: prov(2), Free: 700},
		},
		n: 2, size: 10, want: []int{0, 1, 2, 3, 5, 4},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := piecesink.Place(tc.cands, tc.n, tc.size)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("Place = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestPlaceTooFewNodes(t *testing.T) {
	cands := []piecesink.Candidate{
		{Node: 0, Provider: prov(0), Free: 100}, {Node: 1, Provider: prov(0), Free: 100},
		{Node: 2, Provider: prov(1), Free: 100}, {Node: 3, Provider: prov(2), Free: 5},
		{Node: 4, Provider: prov(3), Free: 100, Datacenter: "dc2"},
	}
	for _, tc := range []struct {
		name string
		n    int
		have int
	}{
		{"more pieces than providers with room", 4, 3},
		{"more pieces than nodes", 6, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := piecesink.Place(cands, tc.n, 50)
			var few *piecesink.TooFewNodes
			if !errors.As(err, &few) {
				t.Fatalf("Place = %v, %v; want TooFewNodes", got, err)
			}
			if few.Want != tc.n || few.Have != tc.have || few.PieceSize != 50 {
				t.Errorf("TooFewNodes%+v, want %d wanted, %d had, 50 bytes", *few, tc.n, tc.have)
			}
		})
	}
}

// fleet is a region of providers, some with two nodes in one datacenter, over a few (and
// none named), with prices,
// reputations and free space drawn from seed; ties are frequent on purpose.
func fleet(seed uint64, providers int) []piecesink.Candidate {
	rng := rand.New(rand.NewPCG(seed, 0))
	var out []piecesink.Candidate
	dcs := []string{"dc1", "dc2", "dc3", "", "dc5"}
	for p := range providers {
		nodes, dc := 1+rng.IntN(4)/3, dcs[rng.IntN(len(dcs))]
		for range nodes {
			out = append(out, piecesink.Candidate{
				Node: len(out), Provider: prov(p), Free: uint64(rng.IntN(8)) << 30, Datacenter: dc,
				Price: float64(rng.IntN(4)) * 1e17, Reputation: float64(rng.IntN(3)) / 2,
			})
		}
	}
	return out
}

// TestPlaceInvariants: on random fleets, the pieces go to distinct providers over as many
// datacenters as have providers with room, and every node with room is listed once.
func TestPlaceInvariants(t *testing.T) {
	const n, size = 16, 8 << 20
	for seed := range uint64(50) {
		cands := fleet(seed, 40)
		got, err := piecesink.Place(cands, n, size)
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		var fit []int
		dcs := map[string]bool{}
		for _, c := range cands {
			if c.Free >= size {
				fit = append(fit, c.Node)
				dcs[c.Datacenter] = true
			}
		}
		if sorted := slices.Sorted(slices.Values(got)); !slices.Equal(sorted, fit) {
			t.Fatalf("seed %d: Place lists %v, want each of the nodes with room %v once", seed, got, fit)
		}
		providers, used := map[common.Address]bool{}, map[string]bool{}
		for _, i := range got[:n] {
			providers[cands[i].Provider] = true
			used[cands[i].Datacenter] = true
		}
		if len(providers) != n {
			t.Errorf("seed %d: %d pieces on %d providers", seed, n, len(providers))
		}
		if len(used) != min(n, len(dcs)) {
			t.Errorf("seed %d: pieces in %d datacenters of %d", seed, len(used), len(dcs))
		}
	}
}

// TestPlaceDeterministic: the same candidates give the same order, though ties abound.
func TestPlaceDeterministic(t *testing.T) {
	cands := fleet(7, 300)
	first, err := piecesink.Place(cands, 16, 8<<20)
	if err != nil {
		t.Fatal(err)
	}
	for range 20 {
		got, err := piecesink.Place(slices.Clone(cands), 16, 8<<20)
		if err != nil || !slices.Equal(got, first) {
			t.Fatalf("Place = %v, %v; an earlier call gave %v", got, err, first)
		}
	}
}
