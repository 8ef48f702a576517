// Package pricing turns a provider's advertised prices and an allocation's reserved resources
// into a stream rate in token base units per second. It is pure: no I/O, no clocks, and money is
// integer arithmetic on base units (18 decimals) — floats never touch it.
package pricing

import (
	"errors"
	"fmt"
	"math/big"
	"sort"
	"strconv"
	"strings"
)

// Decimals is the token's number of decimals (CONVENTIONS: 18).
const Decimals = 18

// Node meta keys a provider's prices are read from (written by `dec2 provider join`).
const (
	MetaCPU       = "dec2.price.cpu_ghz_hour"
	MetaMem       = "dec2.price.mem_gb_hour"
	MetaDisk      = "dec2.price.disk_gb_hour"
	MetaGPUPrefix = "dec2.price.gpu_hour."
)

var (
	unit        = new(big.Int).Exp(big.NewInt(10), big.NewInt(Decimals), nil)
	secondsHour = big.NewInt(3600)
)

// ErrUnknownGPU is returned when an allocation reserves a GPU model the provider set no price for.
var ErrUnknownGPU = errors.New("no price for GPU model")

// ParseAmount parses a decimal token amount ("1", "0.25", "12.000000000000000001") into base
// units. It refuses signs, exponents, more than 18 fractional digits and anything not a plain
// decimal, so a typo in node meta can never become a different price.
func ParseAmount(s string) (*big.Int, error) {
	if s == "" {
		return nil, errors.New("empty amount: want a decimal number of tokens such as 0.25")
	}
	whole, frac, hasDot := strings.Cut(s, ".")
	if whole == "" || (hasDot && frac == "") {
		return nil, fmt.Errorf("amount %q: want digits on both sides of the point, e.g. 0.25", s)
	}
	if len(frac) > Decimals {
		return nil, fmt.Errorf("amount %q: more than %d decimals", s, Decimals)
	}
	digits := whole + frac + strings.Repeat("0", Decimals-len(frac))
	for _, c := range digits {
		if c < '0' || c > '9' {
			return nil, fmt.Errorf("amount %q: only digits and one point allowed", s)
		}
	}
	v, ok := new(big.Int).SetString(digits, 10)
	if !ok {
		return nil, fmt.Errorf("amount %q: not a decimal number", s)
	}
	return v, nil
}

// FormatAmount writes base units as a decimal token amount without trailing zeros.
func FormatAmount(v *big.Int) string {
	neg := v.Sign() < 0
	q, r := new(big.Int).QuoRem(new(big.Int).Abs(v), unit, new(big.Int))
	s := q.String()
	if r.Sign() != 0 {
		f := fmt.Sprintf("%018s", r.String())
		s += "." + strings.TrimRight(f, "0")
	}
	if neg {
		s = "-" + s
	}
	return s
}

// Prices are a provider's hourly prices in base units.
type Prices struct {
	CPUGHzHour *big.Int
	MemGBHour  *big.Int // per GiB
	DiskGBHour *big.Int // per GiB
	GPUHour    map[string]*big.Int
	// GPUShares is, per model, how many gpu-share devices the node splits one GPU into
	// (ParseShares): a share costs GPUHour[model] / GPUShares[model].
	GPUShares map[string]int64
	// Slices are the node's MIG instances by device name (ParseSlices): one without a price of
	// its own costs its GPU's price times its fraction of the GPU.
	Slices map[string]Slice
}

// ParsePrices reads prices from node meta. Missing CPU/memory/disk prices count as zero (the
// provider gives that resource away); a malformed one is an error naming the key.
func ParsePrices(meta map[string]string) (Prices, error) {
	p := Prices{GPUHour: map[string]*big.Int{}}
	var errs []error
	read := func(key string) *big.Int {
		s, ok := meta[key]
		if !ok {
			return new(big.Int)
		}
		v, err := ParseAmount(strings.TrimSpace(s))
		if err != nil {
			errs = append(errs, fmt.Errorf("node meta %s: %w", key, err))
			return new(big.Int)
		}
		return v
	}
	p.CPUGHzHour, p.MemGBHour, p.DiskGBHour = read(MetaCPU), read(MetaMem), read(MetaDisk)
	for k := range meta {
		if model, ok := strings.CutPrefix(k, MetaGPUPrefix); ok {
			if model == "" {
				errs = append(errs, fmt.Errorf("node meta %s: no GPU model after the prefix", k))
				continue
			}
			p.GPUHour[model] = read(k)
		}
	}
	return p, errors.Join(errs...)
}

// AttrShares is the attribute the dec2-gpu plugin puts on a node's gpu-share device groups:
// how many shares one GPU was split into (its shares_per_gpu).
const AttrShares = "shares"

// ErrUnknownShares is returned when an allocation reserves gpu-share devices of a model for
// which the node says nothing about how many shares make one GPU: pricing such a share as a
// whole GPU would overcharge by the share count, so it is not priced at all.
var ErrUnknownShares = errors.New("unknown share count")

// ParseShares reads, per gpu-share model, the node's AttrShares attribute as Nomad shows it
// (api.Attribute's String; "" where the group has none). A share count must be a whole number
// of at least 1; anything else is an error naming the device and the value. Models with no
// attribute are left out, so reserving them fails with ErrUnknownShares.
func ParseShares(attrs map[string]string) (map[string]int64, error) {
	out := map[string]int64{}
	var errs []error
	for model, s := range attrs {
		if s == "" {
			continue
		}
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < 1 {
			errs = append(errs, fmt.Errorf("device gpu-share/%s attribute %s = %q: want a whole number of shares per GPU (1 or more); check the dec2-gpu plugin's shares_per_gpu", model, AttrShares, s))
			continue
		}
		out[model] = n
	}
	return out, errors.Join(errs...)
}

// Attributes the dec2-gpu plugin puts on a MIG instance's device group: its profile, the
// physical GPU's model, and the part of that GPU one instance is.
const (
	AttrMIGProfile = "mig_profile"
	AttrModel      = "dec2_model"
	AttrFraction   = "dec2_fraction"
)

// Slice is a MIG instance: Fraction of one GPU of Model.
type Slice struct {
	Model    string
	Fraction *big.Rat
}

// SliceAttrs are a MIG device group's AttrModel and AttrFraction as Nomad shows them.
type SliceAttrs struct{ Model, Fraction string }

// ParseSlices reads, per MIG device name, the model and fraction the plugin reports (the
// instance's part of the card's memory). A fraction must be a decimal in (0, 1]; anything else
// is an error naming the device and the value, and the device is left out, so it needs a price
// of its own.
func ParseSlices(attrs map[string]SliceAttrs) (map[string]Slice, error) {
	out := map[string]Slice{}
	var errs []error
	one := big.NewRat(1, 1)
	for name, a := range attrs {
		f, ok := new(big.Rat).SetString(strings.TrimSpace(a.Fraction))
		if a.Model == "" || !ok || f.Sign() <= 0 || f.Cmp(one) > 0 {
			errs = append(errs, fmt.Errorf("MIG device %s: model %q, %s %q: want the GPU's model and a fraction in (0, 1]; check the dec2-gpu plugin on the node, or price the device with node meta %s%s", name, a.Model, AttrFraction, a.Fraction, MetaGPUPrefix, name))
			continue
		}
		out[name] = Slice{Model: a.Model, Fraction: f}
	}
	return out, errors.Join(errs...)
}

// Reserved is what an allocation reserves on its node, summed over its tasks.
type Reserved struct {
	CPUMHz    int64
	MemMB     int64            // MiB
	DiskMB    int64            // MiB
	GPUs      map[string]int64 // model → whole devices
	GPUShares map[string]int64 // model → gpu-share devices
}

// HourlyCost is the price of the reserved resources for one hour, in base units (rounded down).
func HourlyCost(p Prices, r Reserved) (*big.Int, error) {
	c, err := hourly(p, r)
	if err != nil {
		return nil, err
	}
	return new(big.Int).Quo(c.Num(), c.Denom()), nil
}

// hourly is the exact hourly cost of r: cpu is priced per 1000 MHz, memory and disk per
// 1024 MiB, a share per its share count, so the sum is a fraction that is rounded only once.
func hourly(p Prices, r Reserved) (*big.Rat, error) {
	if r.CPUMHz < 0 || r.MemMB < 0 || r.DiskMB < 0 {
		return nil, fmt.Errorf("negative reservation %+v", r)
	}
	total := new(big.Rat)
	add := func(qty int64, price *big.Int, per int64) {
		if qty == 0 || price == nil {
			return
		}
		t := new(big.Int).Mul(big.NewInt(qty), price)
		total.Add(total, new(big.Rat).SetFrac(t, big.NewInt(per)))
	}
	add(r.CPUMHz, p.CPUGHzHour, 1000)
	add(r.MemMB, p.MemGBHour, 1024)
	add(r.DiskMB, p.DiskGBHour, 1024)
	for _, m := range sortedKeys(r.GPUs) {
		price, err := gpuPrice(p, m, r.GPUs[m])
		if sl, ok := p.Slices[m]; errors.Is(err, ErrUnknownGPU) && ok {
			// A MIG instance without a price of its own: its part of the whole GPU's.
			var gpuErr error
			if price, gpuErr = gpuPrice(p, sl.Model, r.GPUs[m]); gpuErr != nil {
				return nil, fmt.Errorf("%w (nor its GPU: %w)", err, gpuErr)
			}
			t := new(big.Rat).SetInt(new(big.Int).Mul(big.NewInt(r.GPUs[m]), price))
			total.Add(total, t.Mul(t, sl.Fraction))
			continue
		}
		if err != nil {
			return nil, err
		}
		add(r.GPUs[m], price, 1)
	}
	for _, m := range sortedKeys(r.GPUShares) {
		price, err := gpuPrice(p, m, r.GPUShares[m])
		if err != nil {
			return nil, err
		}
		per, ok := p.GPUShares[m]
		if !ok || per < 1 {
			return nil, fmt.Errorf("%w for gpu-share %q: the node's gpu-share/%s devices carry no %s attribute (how many shares one GPU was split into); update the dec2-gpu plugin on the node", ErrUnknownShares, m, m, AttrShares)
		}
		add(r.GPUShares[m], price, per)
	}
	return total, nil
}

// gpuPrice is the whole-GPU hourly price of model m, checking the count reserved of it.
func gpuPrice(p Prices, m string, n int64) (*big.Int, error) {
	if n < 0 {
		return nil, fmt.Errorf("negative GPU count %d for %s", n, m)
	}
	price, ok := p.GPUHour[m]
	if !ok {
		return nil, fmt.Errorf("%w %q: the provider's node meta has no %s%s", ErrUnknownGPU, m, MetaGPUPrefix, m)
	}
	return price, nil
}

func sortedKeys(m map[string]int64) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// perSecondCeil divides an hourly cost by 3600, rounding up.
func perSecondCeil(c *big.Rat) *big.Int {
	d := new(big.Int).Mul(c.Denom(), secondsHour)
	q, rem := new(big.Int).QuoRem(c.Num(), d, new(big.Int))
	if rem.Sign() != 0 {
		q.Add(q, big.NewInt(1))
	}
	return q
}

// Rate is the stream rate for the reserved resources: the hourly cost spread over 3600 seconds,
// rounded up to a whole base unit so a provider is never paid less than its posted price.
func Rate(p Prices, r Reserved) (*big.Int, error) {
	c, err := hourly(p, r)
	if err != nil {
		return nil, err
	}
	return perSecondCeil(c), nil
}

// SharePrefix marks gpu-share devices in usage (Usage.GPUSecs, a statement's gpu_seconds): a
// share of model m is keyed SharePrefix+m, apart from a whole GPU's m, because its
// device-seconds cost the GPU's price divided by the node's share count, as its stream does.
const SharePrefix = "gpu-share/"

// Usage is what an allocation measurably used over an interval (from Nomad's alloc stats).
type Usage struct {
	CPUMHzSecs int64            // ∫ CPU MHz dt (Nomad's TotalTicks per second summed)
	MemMBSecs  int64            // ∫ RSS MiB dt
	GPUSecs    map[string]int64 // model, or SharePrefix + model for gpu-share devices → ∫ devices dt
}

// UsageCost prices measured usage at the provider's hourly prices (the optional usage-based
// pricing), rounded up to a base unit once over the whole usage. A share's device-seconds cost
// GPUHour[model] / GPUShares[model], so N shares' seconds of a card split N ways cost the card's.
// Disk is priced by reservation only.
func UsageCost(p Prices, u Usage) (*big.Int, error) {
	// ∫MHz dt is MHz·seconds: its "hourly cost", over 3600, is its cost.
	r := Reserved{CPUMHz: u.CPUMHzSecs, MemMB: u.MemMBSecs}
	for k, n := range u.GPUSecs {
		if m, ok := strings.CutPrefix(k, SharePrefix); ok {
			r.GPUShares = addTo(r.GPUShares, m, n)
		} else {
			r.GPUs = addTo(r.GPUs, k, n)
		}
	}
	c, err := hourly(p, r)
	if err != nil {
		return nil, err
	}
	return perSecondCeil(c), nil
}

func addTo(m map[string]int64, k string, n int64) map[string]int64 {
	if m == nil {
		m = map[string]int64{}
	}
	m[k] += n
	return m
}

var perGiBSecond = new(big.Int).Mul(big.NewInt(1<<30), big.NewInt(3600))

// StorageRate is the stream rate of bytes of pieces held at a price per GiB-hour: base units
// per second, rounded up to a whole unit (as Rate is) so a provider is never paid below its
// price. Billing opens storage streams at it and `dec2 s3 ls` shows it.
func StorageRate(bytes int64, perGiBHour *big.Int) *big.Int {
	n := new(big.Int).Mul(big.NewInt(bytes), perGiBHour)
	q, r := n.QuoRem(n, perGiBSecond, new(big.Int))
	if r.Sign() != 0 {
		q.Add(q, big.NewInt(1))
	}
	return q
}
