package view

import (
	"errors"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/dec2-cloud/dec2/pricing"
)

// ErrNoStorage is a console started without the storage service's URL.
var ErrNoStorage = errors.New("storage is not configured: start the console with --storage URL (or DEC2_STORAGE set) to see your buckets")

// ErrStorageNeedsKey is a console holding no wallet key (the region console): the storage
// service answers only requests the wallet signs.
var ErrStorageNeedsKey = errors.New("buckets are not shown here: the storage service answers only requests signed with your wallet's key, " +
	"which stays in your browser wallet; list them with `dec2 s3 ls`")

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
