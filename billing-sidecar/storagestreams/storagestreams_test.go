package storagestreams

import (
	"errors"
	"fmt"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/dec2-cloud/dec2/pricing"
)

var (
	alice = common.HexToAddress("0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC")
	bob   = common.HexToAddress("0x90F79bf6EB2c4f870365E785982E1f101E93b906")
	p1    = common.HexToAddress("0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc")
	p2    = common.HexToAddress("0x976EA74026E726554dB657fA54763abd0C3a0aa9")
	t0    = time.Unix(1_800_000_000, 0)
	gib   = int64(1 << 30)
)

func tokens(s string) *big.Int {
	v, _ := new(big.Rat).SetString(s)
	v.Mul(v, new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(18), nil)))
	if !v.IsInt() {
		panic(s)
	}
	return v.Num()
}

func TestStreamID(t *testing.T) {
	pr := Pair{alice, p1}
	id := StreamID(pr)
	if id != "storage/"+strings.ToLower(alice.Hex())+"/"+strings.ToLower(p1.Hex()) {
		t.Errorf("StreamID = %s", id)
	}
	if got, ok := ParseStreamID(id); !ok || got != pr {
		t.Errorf("ParseStreamID(%s) = %v, %v", id, got, ok)
	}
	for _, bad := range []string{"a1b2c3d4-0000-0000-0000-000000000001", "storage/" + alice.Hex() + "/" + p1.Hex(), "storage/0x1/0x2", "storage/" + strings.ToLower(alice.Hex())} {
		if _, ok := ParseStreamID(bad); ok {
			t.Errorf("ParseStreamID(%q) accepted", bad)
		}
	}
}

// act renders actions compactly: "open alice/p1#0@+0s r=…", "close alice/p1#0@+0s".
func act(as []Action) string {
	names := map[common.Address]string{alice: "alice", bob: "bob", p1: "p1", p2: "p2"}
	var out []string
	for _, a := range as {
		s := fmt.Sprintf("%s/%s#%d@+%s", names[a.Pair.Consumer], names[a.Pair.Provider], a.Segment, a.At.Sub(t0))
		if a.Kind == Open {
			out = append(out, fmt.Sprintf("open %s r=%s b=%d", s, a.Rate, a.Bytes))
		} else {
			out = append(out, "close "+s)
		}
	}
	return strings.Join(out, "; ")
}

func unpaid(us []Unpaid) string {
	var out []string
	for _, u := range us {
		out = append(out, fmt.Sprintf("%s:%s:%d", u.Pair.Provider.Hex()[:6], u.Reason, u.Bytes))
	}
	return strings.Join(out, "; ")
}

func TestDecide(t *testing.T) {
	prices := map[common.Address]Price{p1: {PerGiBHour: tokens("0.36")}, p2: {PerGiBHour: tokens("0.72")}}
	r1 := pricing.StorageRate(gib, tokens("0.36")).String() // 1 GiB on p1: 1e14
	open := func(seg int, rate string, since time.Duration) Stream {
		r, _ := new(big.Int).SetString(rate, 10)
		return Stream{Segment: seg, Open: true, Rate: r, Since: t0.Add(since)}
	}
	pol := DefaultPolicy()
	now := t0.Add(10 * time.Minute)
	for _, c := range []struct {
		name        string
		held        []Holding
		prices      map[common.Address]Price
		streams     map[Pair]Stream
		want        string
		wantUnpaid  string
		policyHours int
	}{
		{name: "nothing held, nothing open"},
		{name: "a pair starts holding: open at bytes × price",
			held: []Holding{{Pair{alice, p1}, 4, gib}, {Pair{alice, p2}, 4, gib}},
			// In pair order: p2's wallet sorts before p1's.
			want: "open alice/p2#0@+10m0s r=200000000000000 b=1073741824; open alice/p1#0@+10m0s r=100000000000000 b=1073741824"},
		{name: "unchanged: nothing",
			held: []Holding{{Pair{alice, p1}, 4, gib}}, streams: map[Pair]Stream{{alice, p1}: open(0, r1, 0)}},
		{name: "a small change within the hysteresis waits",
			held: []Holding{{Pair{alice, p1}, 5, gib + gib/100}}, streams: map[Pair]Stream{{alice, p1}: open(0, r1, 0)}},
		{name: "a small change re-rates once the segment is MinInterval old",
			held: []Holding{{Pair{alice, p1}, 5, gib + gib/100}}, streams: map[Pair]Stream{{alice, p1}: open(3, r1, -time.Hour)},
			want: "close alice/p1#3@+10m0s; open alice/p1#4@+10m0s r=100999999977649 b=1084479242"},
		{name: "growth beyond the hysteresis re-rates at once, close and open at one instant",
			held: []Holding{{Pair{alice, p1}, 8, 2 * gib}}, streams: map[Pair]Stream{{alice, p1}: open(0, r1, 9*time.Minute)},
			want: "close alice/p1#0@+10m0s; open alice/p1#1@+10m0s r=200000000000000 b=2147483648"},
		{name: "shrinking beyond the hysteresis too",
			held: []Holding{{Pair{alice, p1}, 2, gib / 2}}, streams: map[Pair]Stream{{alice, p1}: open(0, r1, 9*time.Minute)},
			want: "close alice/p1#0@+10m0s; open alice/p1#1@+10m0s r=50000000000000 b=536870912"},
		{name: "bytes drop to nothing: close",
			held: []Holding{{Pair{bob, p1}, 4, gib}}, streams: map[Pair]Stream{{alice, p1}: open(2, r1, 0), {bob, p1}: open(0, r1, 0)},
			want: "close alice/p1#2@+10m0s"},
		{name: "a closed pair holding again opens its next segment",
			held: []Holding{{Pair{alice, p1}, 4, gib}}, streams: map[Pair]Stream{{alice, p1}: {Segment: 5, Rate: big.NewInt(1), Since: t0}},
			want: "open alice/p1#6@+10m0s r=100000000000000 b=1073741824"},
		{name: "an action on its way: wait for the chain",
			held: []Holding{{Pair{alice, p1}, 8, 2 * gib}, {Pair{alice, p2}, 4, gib}},
			streams: map[Pair]Stream{{alice, p1}: {Segment: 1, Open: true, Busy: true, Rate: big.NewInt(1), Since: t0},
				{alice, p2}: {Segment: 0, Busy: true, Rate: big.NewInt(1), Since: t0}}},
		{name: "providers without a price pay nothing and are reported; an open stream of one closes",
			held:       []Holding{{Pair{alice, p1}, 4, gib}, {Pair{alice, p2}, 4, gib}, {Pair{bob, p2}, 2, 7}},
			prices:     map[common.Address]Price{p1: {PerGiBHour: new(big.Int)}},
			streams:    map[Pair]Stream{{alice, p2}: open(0, r1, 0)},
			want:       "close alice/p2#0@+10m0s",
			wantUnpaid: "0x976E:unknown_provider:1073741824; 0x9965:no_disk_price:1073741824; 0x976E:unknown_provider:7"},
		{name: "a malformed price is reported",
			held:       []Holding{{Pair{alice, p1}, 4, gib}},
			prices:     map[common.Address]Price{p1: {Err: errors.New("node meta dec2.price.disk_gb_hour: amount \"x\"")}},
			wantUnpaid: "0x9965:bad_price:1073741824"},
		{name: "a provider holding its own pieces pays itself nothing",
			held: []Holding{{Pair{p1, p1}, 4, gib}}, wantUnpaid: "0x9965:self_payment:1073741824"},
		{name: "a rate over uint96 is refused here, not sent",
			held: []Holding{{Pair{alice, p1}, 1, gib}}, prices: map[common.Address]Price{p1: {PerGiBHour: new(big.Int).Lsh(big.NewInt(1), 120)}},
			wantUnpaid: "0x9965:rate_overflow:1073741824"},
		{name: "a rate the chain refused for good is not sent again",
			held: []Holding{{Pair{alice, p1}, 4, gib}}, streams: map[Pair]Stream{{alice, p1}: {Segment: 0, Refused: true, Rate: pricing.StorageRate(gib, tokens("0.36")), Since: t0}},
			wantUnpaid: "0x9965:refused:1073741824"},
		{name: "a changed rate after a refusal is tried in the next segment",
			held: []Holding{{Pair{alice, p1}, 4, 2 * gib}}, streams: map[Pair]Stream{{alice, p1}: {Segment: 0, Refused: true, Rate: pricing.StorageRate(gib, tokens("0.36")), Since: t0}},
			want: "open alice/p1#1@+10m0s r=200000000000000 b=2147483648"},
	} {
		t.Run(c.name, func(t *testing.T) {
			pr := prices
			if c.prices != nil {
				pr = c.prices
			}
			d := Decide(pol, now, c.held, pr, c.streams)
			if got := act(d.Actions); got != c.want {
				t.Errorf("actions\n got %s\nwant %s", got, c.want)
			}
			if got := unpaid(d.Unpaid); got != c.wantUnpaid {
				t.Errorf("unpaid\n got %s\nwant %s", got, c.wantUnpaid)
			}
		})
	}
}

// A close is never before its segment's start, even when the start is ahead of the snapshot
// (the ledger moved a long-waiting open's start to the contract's back-dating edge).
func TestCloseNotBeforeStart(t *testing.T) {
	st := Stream{Segment: 0, Open: true, Rate: big.NewInt(5), Since: t0.Add(time.Minute)}
	d := Decide(DefaultPolicy(), t0, nil, nil, map[Pair]Stream{{alice, p1}: st})
	if len(d.Actions) != 1 || d.Actions[0].Kind != Close || !d.Actions[0].At.Equal(st.Since) {
		t.Errorf("actions %+v, want one close at the start", d.Actions)
	}
}

func TestLowest(t *testing.T) {
	bad := Price{Err: errors.New("malformed")}
	for _, c := range []struct {
		name   string
		prices []Price
		want   string
	}{
		{"the lowest of several nodes", []Price{{PerGiBHour: big.NewInt(9)}, {PerGiBHour: big.NewInt(4)}, {PerGiBHour: big.NewInt(6)}}, "4"},
		{"a malformed node's price is passed over", []Price{bad, {PerGiBHour: big.NewInt(6)}, bad}, "6"},
		{"every price malformed: the error", []Price{bad, bad}, "err"},
		{"a node without a price is free", []Price{{PerGiBHour: big.NewInt(6)}, {}}, "0"},
	} {
		got := Lowest(c.prices)
		s := "err"
		if got.Err == nil {
			s = got.PerGiBHour.String()
		}
		if s != c.want {
			t.Errorf("%s: %s, want %s", c.name, s, c.want)
		}
	}
}
