package leader

import (
	"bytes"
	"encoding/binary"
	"slices"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

func addrs(n int) []common.Address {
	out := make([]common.Address, n)
	for i := range out {
		out[i] = common.BytesToAddress(crypto.Keccak256([]byte{byte(i)}))
	}
	return out
}

var provider = common.HexToAddress("0x00000000000000000000000000000000000000aa")

func TestOrderFollowsTheHash(t *testing.T) {
	as := addrs(7)
	got := Order(as, provider, 3, 9)
	key := func(a common.Address) []byte {
		b := append(provider.Bytes(), binary.BigEndian.AppendUint64(binary.BigEndian.AppendUint64(nil, 3), 9)...)
		return crypto.Keccak256(append(b, a.Bytes()...))
	}
	want := slices.Clone(as)
	slices.SortFunc(want, func(x, y common.Address) int { return bytes.Compare(key(x), key(y)) })
	if !slices.Equal(got, want) {
		t.Fatalf("order %v, want %v", got, want)
	}
}

func TestOrderIsAPermutation(t *testing.T) {
	as := addrs(5)
	shuffled := []common.Address{as[3], as[1], as[4], as[0], as[2], as[1], as[3]}
	for _, tc := range []struct {
		name string
		in   []common.Address
		want int
	}{
		{"none", nil, 0},
		{"one", as[:1], 1},
		{"duplicates removed", append(slices.Clone(as[:2]), as[0], as[1], as[0]), 2},
		{"any input order", shuffled, 5},
	} {
		got := Order(tc.in, provider, 1, 1)
		if len(got) != tc.want {
			t.Errorf("%s: %d attestors, want %d", tc.name, len(got), tc.want)
		}
		for _, a := range tc.in {
			if !slices.Contains(got, a) {
				t.Errorf("%s: %s dropped", tc.name, a)
			}
		}
	}
	if a, b := Order(as, provider, 1, 1), Order(shuffled, provider, 1, 1); !slices.Equal(a, b) {
		t.Errorf("input order matters: %v vs %v", a, b)
	}
}

// TestOrderRotates: every attestor leads some report, so no single one can be courted or
// knocked out to stop all reports.
func TestOrderRotates(t *testing.T) {
	as := addrs(5)
	led := map[common.Address]int{}
	for nonce := range uint64(100) {
		led[Order(as, provider, nonce, 0)[0]]++
	}
	for _, a := range as {
		if led[a] == 0 {
			t.Errorf("%s never leads in 100 reports: %v", a, led)
		}
	}
	if slices.Equal(Order(as, provider, 0, 0), Order(as, provider, 0, 1)) &&
		slices.Equal(Order(as, provider, 0, 0), Order(as, provider, 0, 2)) {
		t.Errorf("the epoch does not change the order")
	}
	other := common.HexToAddress("0x00000000000000000000000000000000000000bb")
	if slices.Equal(Order(as, provider, 0, 0), Order(as, other, 0, 0)) &&
		slices.Equal(Order(as, provider, 1, 0), Order(as, other, 1, 0)) {
		t.Errorf("the provider does not change the order")
	}
}

func TestTurn(t *testing.T) {
	order := addrs(3)
	due := time.Unix(1_800_000_000, 0)
	stage := time.Minute
	for _, tc := range []struct {
		name string
		self common.Address
		now  time.Time
		want bool
	}{
		{"leader before due", order[0], due.Add(-time.Second), false},
		{"leader at due", order[0], due, true},
		{"second before its stage", order[1], due.Add(stage - time.Second), false},
		{"second at its stage", order[1], due.Add(stage), true},
		{"third at the second's stage", order[2], due.Add(stage), false},
		{"third at its stage", order[2], due.Add(2 * stage), true},
		{"leader keeps its turn later", order[0], due.Add(time.Hour), true},
		{"not an attestor", addrs(4)[3], due.Add(time.Hour), false},
	} {
		if got := Turn(order, tc.self, due, tc.now, stage); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}
