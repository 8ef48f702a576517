package view

import (
	"errors"
	"math/big"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/dec2-cloud/dec2/pricing"
)

// ErrNoStorage is a console started without the storage service's URL.
var ErrNoStorage = errors.New("storage is not configured: start the console with --storage URL (or DEC2_STORAGE set) to see your buckets")

// ErrStorageNeedsKey is a console holding no wallet key (the region console): the storage
// service lists buckets only to requests the wallet signs, and their names are encrypted with
// a key derived from the wallet's, so only the user's own machine can read them.
var ErrStorageNeedsKey = errors.New("bucket and object names are encrypted on your machine with a key derived from your wallet's, " +
	"so this console cannot show them: `dec2 s3 ls` or `dec2 console` lists your buckets by name")

// Bucket is one bucket on the buckets page: what its objects take and cost.
type Bucket struct {
	Name    string
	Created time.Time
	Objects int
	// Size is the objects' logical bytes; Stored their pieces' bytes on the storage nodes
	// (n/k × the ciphertext), which is what storage is paid for.
	Size, Stored int64
	// Held is Stored by provider (lower-case wallet).
	Held map[string]int64
	// CostPerHour is what the pieces cost an hour at their providers' disk prices, decimal
	// tokens; "" when a provider holding some has no price in the region (see Error).
	CostPerHour string
	Error       string
}

// DiskPrices is each provider's disk price per GiB-hour (by lower-case wallet), as billing
// rates storage streams: a provider with several nodes is charged the lowest price any of
// its nodes posts, and a node whose prices cannot be read offers none.
func DiskPrices(nodes []Node) map[string]*big.Int {
	out := map[string]*big.Int{}
	for _, n := range nodes {
		if n.Wallet == "" || n.PriceError != "" {
			continue
		}
		who, price := strings.ToLower(n.Wallet), n.Prices.DiskGBHour
		if price == nil {
			price = new(big.Int) // no disk price: the provider gives the space away
		}
		if p, ok := out[who]; !ok || price.Cmp(p) < 0 {
			out[who] = price
		}
	}
	return out
}

// StorageCostPerHour is what held (bytes by provider) costs an hour at prices, summed over
// the providers as billing streams each one at pricing.StorageRate. It answers the first
// provider without a price when there is one.
func StorageCostPerHour(held map[string]int64, prices map[string]*big.Int) (*big.Int, string) {
	sum := new(big.Int)
	for p, n := range held {
		price, ok := prices[strings.ToLower(p)]
		if !ok {
			return nil, p
		}
		sum.Add(sum, new(big.Int).Mul(pricing.StorageRate(n, price), big.NewInt(3600)))
	}
	return sum, ""
}

// Price sets b's cost an hour from prices (DiskPrices), or says which provider has none.
func (b *Bucket) Price(prices map[string]*big.Int) {
	cost, missing := StorageCostPerHour(b.Held, prices)
	if missing != "" {
		b.Error = "no disk price for provider " + missing + " in the region"
		return
	}
	b.CostPerHour = pricing.FormatAmount(cost)
}

// Holding is what one provider holds of a tenant's pieces over all its buckets, as the
// storage service meters it for billing.
type Holding struct {
	Provider      string // lower-case wallet
	Pieces, Bytes int64
	// CostPerHour is what the pieces cost an hour at the provider's disk price; "" with Error.
	CostPerHour, Error string
}

// Holdings is a tenant's storage by provider: what the region console's buckets page shows,
// since it cannot read the (encrypted) bucket names.
type Holdings struct {
	Providers     []Holding // by provider
	Pieces, Bytes int64
	// CostPerHour is the total an hour; "" with Error.
	CostPerHour, Error string
	// Read is when the storage service was read: the console reads it only now and then.
	Read time.Time
}

// NewHoldings is held (one per provider) by provider, summed, read at read.
func NewHoldings(held []Holding, read time.Time) Holdings {
	h := Holdings{Providers: slices.SortedFunc(slices.Values(held), func(a, b Holding) int { return strings.Compare(a.Provider, b.Provider) }), Read: read}
	for _, p := range held {
		h.Bytes += p.Bytes
		h.Pieces += p.Pieces
	}
	return h
}

// Price sets h's cost an hour, each provider's and the total, from prices (DiskPrices) as
// Bucket.Price does; a provider without a price says so, and leaves the total unpriced.
func (h *Holdings) Price(prices map[string]*big.Int) {
	held := map[string]int64{}
	for i, p := range h.Providers {
		held[p.Provider] = p.Bytes
		b := Bucket{Held: map[string]int64{p.Provider: p.Bytes}}
		b.Price(prices)
		h.Providers[i].CostPerHour, h.Providers[i].Error = b.CostPerHour, b.Error
	}
	all := Bucket{Held: held}
	all.Price(prices)
	h.CostPerHour, h.Error = all.CostPerHour, all.Error
}

// Bytes writes n bytes in binary units to one decimal, e.g. "24.0 MiB"; under 1 KiB in bytes.
func Bytes(n int64) string {
	const unit = 1024
	if n < unit {
		return strconv.FormatInt(n, 10) + " B"
	}
	v, i := float64(n)/unit, 0
	for v >= unit && i < 4 {
		v /= unit
		i++
	}
	return strconv.FormatFloat(v, 'f', 1, 64) + " " + [...]string{"KiB", "MiB", "GiB", "TiB", "PiB"}[i]
}
