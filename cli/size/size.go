// Package size reads memory sizes as people write them on the command line ("40GiB",
// "512 MiB", "1.5GiB") into MiB, the unit Nomad's device memory attribute uses.
package size

import (
	"fmt"
	"math/big"
	"strings"
)

// units are binary multiples of one MiB. Decimal units (GB) are refused rather than guessed:
// a GPU sold as "40GB" has 40 GiB, and silently taking 40×10⁹ bytes would ask for less.
var units = map[string]int64{"mib": 1, "m": 1, "gib": 1024, "g": 1024, "tib": 1024 * 1024, "t": 1024 * 1024}

// maxMiB keeps results far from overflow; 1 PiB is more memory than any device has.
const maxMiB = 1 << 30

// ParseMiB returns s in MiB, rounded up to a whole MiB. A bare number is MiB.
func ParseMiB(s string) (int64, error) {
	t := strings.TrimSpace(s)
	i := 0
	for i < len(t) && (t[i] >= '0' && t[i] <= '9' || t[i] == '.') {
		i++
	}
	num, unit := t[:i], strings.ToLower(strings.TrimSpace(t[i:]))
	if unit == "" {
		unit = "mib"
	}
	mult, ok := units[unit]
	if num == "" || !ok || strings.Count(num, ".") > 1 || strings.HasPrefix(num, ".") || strings.HasSuffix(num, ".") {
		return 0, fmt.Errorf("size %q: want a number and a unit such as 40GiB, 1.5GiB or 512MiB", s)
	}
	r, ok := new(big.Rat).SetString(num)
	if !ok {
		return 0, fmt.Errorf("size %q: %q is not a number", s, num)
	}
	r.Mul(r, new(big.Rat).SetInt64(mult))
	q, rem := new(big.Int).QuoRem(r.Num(), r.Denom(), new(big.Int))
	if rem.Sign() != 0 {
		q.Add(q, big.NewInt(1))
	}
	if q.Sign() == 0 || q.Cmp(big.NewInt(maxMiB)) > 0 {
		return 0, fmt.Errorf("size %q: must be more than 0 and at most 1PiB", s)
	}
	return q.Int64(), nil
}
