package metering

import (
	"errors"
	"fmt"
	"time"

	"github.com/ethereum/go-ethereum/common"
)

// ParseFilter reads statement filters as the CLI and /statement take them: wallets as 0x
// addresses, times as RFC 3339 or a duration back from now ("24h").
func ParseFilter(consumer, provider, since, until string) (Filter, error) {
	f := Filter{Consumer: consumer, Provider: provider}
	if consumer == "" && provider == "" {
		return f, errors.New("say whose statement: --consumer or --provider <wallet>")
	}
	for _, w := range []string{consumer, provider} {
		if w != "" && !common.IsHexAddress(w) {
			return f, fmt.Errorf("wallet %q is not a 0x address", w)
		}
	}
	var err error
	if f.Since, err = parseTime(since); err != nil {
		return f, fmt.Errorf("--since: %w", err)
	}
	if f.Until, err = parseTime(until); err != nil {
		return f, fmt.Errorf("--until: %w", err)
	}
	return f, nil
}

func parseTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if d, err := time.ParseDuration(s); err == nil {
		return time.Now().Add(-d), nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return t, fmt.Errorf("%q: want RFC 3339 (2026-01-02T15:04:05Z) or a duration such as 24h", s)
	}
	return t, nil
}
