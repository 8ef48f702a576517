package amount

import (
	"errors"
	"math/big"
	"math/rand/v2"
	"testing"
	"time"
)

var t0 = time.Unix(1_800_000_000, 0)

func tokens(n int64) *big.Int {
	return new(big.Int).Mul(big.NewInt(n), new(big.Int).Exp(big.NewInt(10), big.NewInt(18), nil))
}

func in(rates []int64, span time.Duration, stake *big.Int) Inputs {
	r := make([]*big.Int, len(rates))
	for i, v := range rates {
		r[i] = big.NewInt(v)
	}
	return Inputs{Rates: r, DownSince: t0, WindowEnd: t0.Add(span), Stake: stake, Unbonding: new(big.Int)}
}

func TestCompute(t *testing.T) {
	p := DefaultParams()
	p.Floor = big.NewInt(1000)
	for _, tc := range []struct {
		name   string
		in     Inputs
		modify func(*Inputs)
		want   *big.Int
	}{
		{"one stream, one hour", in([]int64{1}, time.Hour, tokens(100)), nil, big.NewInt(36000)},
		{"a part hour rounds up", in([]int64{1}, time.Hour+time.Second, tokens(100)), nil, big.NewInt(72000)},
		{"a few seconds count as an hour", in([]int64{2, 3}, time.Second, tokens(100)), nil, big.NewInt(5 * 36000)},
		{"free work pays the floor", in(nil, 5*time.Hour, tokens(100)), nil, big.NewInt(1000)},
		{"zero rates pay the floor", in([]int64{0, 0}, time.Hour, tokens(100)), nil, big.NewInt(1000)},
		{"capped at half the stake", in([]int64{1e15}, 100*time.Hour, tokens(100)), nil, tokens(50)},
		{"unbonding counts toward the cap", in([]int64{1e15}, 100*time.Hour, tokens(100)),
			func(i *Inputs) { i.Unbonding = tokens(40) }, tokens(70)},
		{"the floor is capped too", in(nil, time.Hour, big.NewInt(100)), nil, big.NewInt(50)},
		{"a recent slash escalates by its count", in([]int64{1}, time.Hour, tokens(100)),
			func(i *Inputs) { i.Slashes, i.LastSlashedAt = 2, t0.Add(-24*time.Hour) }, big.NewInt(3 * 36000)},
		{"escalation stops at 4x", in([]int64{1}, time.Hour, tokens(100)),
			func(i *Inputs) { i.Slashes, i.LastSlashedAt = 9, t0.Add(-time.Second) }, big.NewInt(4 * 36000)},
		{"a slash at the window's edge still escalates", in([]int64{1}, time.Hour, tokens(100)),
			func(i *Inputs) { i.Slashes, i.LastSlashedAt = 1, t0.Add(-DefaultWindow) }, big.NewInt(2 * 36000)},
		{"an old slash does not escalate", in([]int64{1}, time.Hour, tokens(100)),
			func(i *Inputs) { i.Slashes, i.LastSlashedAt = 1, t0.Add(-DefaultWindow-time.Second) }, big.NewInt(36000)},
		{"a sibling report of this incident does not escalate", in([]int64{1}, time.Hour, tokens(100)),
			func(i *Inputs) { i.Slashes, i.LastSlashedAt = 1, t0 }, big.NewInt(36000)},
		{"a slash after the outage began does not escalate", in([]int64{1}, time.Hour, tokens(100)),
			func(i *Inputs) { i.Slashes, i.LastSlashedAt = 1, t0.Add(time.Minute) }, big.NewInt(36000)},
		{"slash count without a time does not escalate", in([]int64{1}, time.Hour, tokens(100)),
			func(i *Inputs) { i.Slashes = 3 }, big.NewInt(36000)},
		{"escalation is capped as well", in([]int64{1e15}, 10*time.Hour, tokens(1000)),
			func(i *Inputs) { i.Slashes, i.LastSlashedAt = 3, t0.Add(-time.Hour) },
			tokens(500)}, // 360 tokens before escalation, under the cap
		{"escalation below the cap", in([]int64{1e15}, 10*time.Hour, tokens(10_000)),
			func(i *Inputs) { i.Slashes, i.LastSlashedAt = 3, t0.Add(-time.Hour) },
			new(big.Int).Mul(big.NewInt(1e15), big.NewInt(3600*10*10*4))},
	} {
		i := tc.in
		if tc.modify != nil {
			tc.modify(&i)
		}
		got, err := Compute(p, i)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if got.Cmp(tc.want) != 0 {
			t.Errorf("%s: %s, want %s", tc.name, got, tc.want)
		}
	}
}

func TestComputeRefuses(t *testing.T) {
	ok := in([]int64{1}, time.Hour, tokens(1))
	for _, tc := range []struct {
		name   string
		p      func(*Params)
		in     func(*Inputs)
		target error
	}{
		{"no stake", nil, func(i *Inputs) { i.Stake = new(big.Int) }, ErrNothingToSlash},
		{"stake rounds to a zero cap", nil, func(i *Inputs) { i.Stake = big.NewInt(1) }, ErrNothingToSlash},
		{"nil stake", nil, func(i *Inputs) { i.Stake = nil }, nil},
		{"negative unbonding", nil, func(i *Inputs) { i.Unbonding = big.NewInt(-1) }, nil},
		{"negative rate", nil, func(i *Inputs) { i.Rates = []*big.Int{big.NewInt(-1)} }, nil},
		{"nil rate", nil, func(i *Inputs) { i.Rates = []*big.Int{nil} }, nil},
		{"empty window", nil, func(i *Inputs) { i.WindowEnd = i.DownSince }, nil},
		{"zero multiplier", func(p *Params) { p.Multiplier = 0 }, nil, nil},
		{"cap above 100%", func(p *Params) { p.CapBps = 10_001 }, nil, nil},
		{"zero cap", func(p *Params) { p.CapBps = 0 }, nil, nil},
		{"zero floor", func(p *Params) { p.Floor = new(big.Int) }, nil, nil},
		{"no floor", func(p *Params) { p.Floor = nil }, nil, nil},
		{"negative window", func(p *Params) { p.Window = -1 }, nil, nil},
	} {
		p, i := DefaultParams(), ok
		if tc.p != nil {
			tc.p(&p)
		}
		if tc.in != nil {
			tc.in(&i)
		}
		got, err := Compute(p, i)
		if err == nil {
			t.Errorf("%s: %s, want an error", tc.name, got)
		} else if tc.target != nil && !errors.Is(err, tc.target) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.target)
		}
	}
	if _, err := Compute(DefaultParams(), ok); err != nil {
		t.Errorf("the base case fails: %v", err)
	}
}

// TestProperties checks, over random inputs, that the amount is positive, never above the cap,
// and does not shrink when the outage grows longer or a stream's rate grows.
func TestProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	p := DefaultParams()
	for range 2000 {
		n := rng.IntN(4)
		rates := make([]int64, n)
		for j := range rates {
			rates[j] = rng.Int64N(1e15)
		}
		span := time.Duration(1 + rng.Int64N(int64(200*time.Hour)))
		base := in(rates, span, new(big.Int).Mul(big.NewInt(rng.Int64N(1e6)), big.NewInt(1e16)))
		base.Unbonding = big.NewInt(rng.Int64N(1e18))
		if rng.IntN(2) == 0 {
			base.Slashes, base.LastSlashedAt = uint32(rng.IntN(6)), t0.Add(-time.Duration(rng.Int64N(int64(40*24*time.Hour))))
		}
		got, err := Compute(p, base)
		if errors.Is(err, ErrNothingToSlash) {
			continue
		}
		if err != nil {
			t.Fatalf("%+v: %v", base, err)
		}
		limit := new(big.Int).Add(base.Stake, base.Unbonding)
		limit.Mul(limit, big.NewInt(DefaultCapBps)).Quo(limit, big.NewInt(10_000))
		if got.Sign() <= 0 || got.Cmp(limit) > 0 {
			t.Fatalf("%+v: %s outside (0, %s]", base, got, limit)
		}

		longer := base
		longer.WindowEnd = base.WindowEnd.Add(time.Duration(rng.Int64N(int64(10 * time.Hour))))
		if g, _ := Compute(p, longer); g.Cmp(got) < 0 {
			t.Fatalf("a longer outage costs less: %s < %s", g, got)
		}
		if n > 0 {
			higher := base
			higher.Rates = append([]*big.Int(nil), base.Rates...)
			k := rng.IntN(n)
			higher.Rates[k] = new(big.Int).Add(base.Rates[k], big.NewInt(rng.Int64N(1e12)))
			if g, _ := Compute(p, higher); g.Cmp(got) < 0 {
				t.Fatalf("a higher rate costs less: %s < %s", g, got)
			}
		}
	}
}
