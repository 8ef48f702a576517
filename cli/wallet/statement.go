package wallet

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/dec2-cloud/dec2/metering"
	"github.com/dec2-cloud/dec2/pricing"
)

// Statement is what billing metered and charged, one line per allocation.
type Statement struct {
	Lines []metering.Line `json:"lines"`
	Total string          `json:"total"` // decimal tokens
}

func (s Statement) Header() []string {
	return []string{"ALLOC", "JOB", "CONSUMER", "PROVIDER", "FROM", "TO", "HOURS", "CHARGED"}
}

func (s Statement) Rows() [][]string {
	rows := make([][]string, 0, len(s.Lines)+1)
	for _, l := range s.Lines {
		rows = append(rows, []string{
			l.AllocID[:min(8, len(l.AllocID))], l.JobID, l.Consumer, l.Provider,
			l.From.UTC().Format(time.RFC3339), l.To.UTC().Format(time.RFC3339),
			fmt.Sprintf("%.3f", l.Seconds/3600), amount(l.Charged),
		})
	}
	return append(rows, []string{"total", "", "", "", "", "", "", s.Total})
}

func amount(baseUnits string) string {
	v, ok := new(big.Int).SetString(baseUnits, 10)
	if !ok {
		return baseUnits
	}
	return pricing.FormatAmount(v)
}

// StatementQuery selects a statement: one of the wallets, and a time range as billing reads it
// (RFC 3339 or a duration back from now).
type StatementQuery struct {
	Consumer, Provider, Since, Until string
}

// ReadStatement asks the billing sidecar at billingURL (`dec2-billing statement --journal`
// reads a stopped sidecar's journal file).
func ReadStatement(ctx context.Context, billingURL string, q StatementQuery) (Statement, error) {
	if _, err := metering.ParseFilter(q.Consumer, q.Provider, q.Since, q.Until); err != nil {
		return Statement{}, err
	}
	lines, err := fetch(ctx, billingURL, q)
	if err != nil {
		return Statement{}, err
	}
	total := new(big.Int)
	for _, l := range lines {
		if v, ok := new(big.Int).SetString(l.Charged, 10); ok {
			total.Add(total, v)
		}
	}
	return Statement{Lines: lines, Total: pricing.FormatAmount(total)}, nil
}

func fetch(ctx context.Context, billingURL string, q StatementQuery) ([]metering.Line, error) {
	v := url.Values{"format": {"json"}}
	for k, s := range map[string]string{"consumer": q.Consumer, "provider": q.Provider, "since": q.Since, "until": q.Until} {
		if s != "" {
			v.Set(k, s)
		}
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimRight(billingURL, "/")+"/statement?"+v.Encode(), nil)
	if err != nil {
		return nil, fmt.Errorf("--billing-url %q: %w", billingURL, err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("asking the billing sidecar at %s (set DEC2_BILLING_URL; for a stopped sidecar, `dec2-billing statement --journal FILE`): %w", billingURL, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return nil, fmt.Errorf("reading the statement from %s: %w", billingURL, err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("billing sidecar at %s: %s: %s", billingURL, resp.Status, strings.TrimSpace(string(body)))
	}
	var lines []metering.Line
	if err := json.Unmarshal(body, &lines); err != nil {
		return nil, fmt.Errorf("statement from %s is not billing's JSON: %w", billingURL, err)
	}
	return lines, nil
}
