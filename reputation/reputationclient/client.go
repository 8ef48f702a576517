// Package reputationclient fetches attestors' reputation reports (GET <url>/v1/reputation).
package reputationclient

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/dec2-cloud/dec2/reputation"
)

// Path is where an attestor serves its report.
const Path = "/v1/reputation"

// Timeout bounds each attestor's answer, whatever the caller's context allows: a hung attestor
// must not hold up a refresh of the others.
const Timeout = 10 * time.Second

// maxReport bounds a report's size: about 200 bytes a provider, so room for 80,000 providers.
const maxReport = 16 << 20

// FetchError is one attestor that gave no valid report.
type FetchError struct {
	URL string
	Err error
}

func (e *FetchError) Error() string { return fmt.Sprintf("attestor %s: %v", e.URL, e.Err) }
func (e *FetchError) Unwrap() error { return e.Err }

// Fetch asks every attestor at baseURLs for its report, all at once. It returns the valid
// reports in the order of baseURLs, and the others as *FetchError values joined: the caller
// acts on the attestors that answered.
func Fetch(ctx context.Context, c *http.Client, baseURLs []string) ([]reputation.Report, error) {
	var out []reputation.Report
	var errs []error
	for _, r := range FetchEach(ctx, c, baseURLs) {
		if r.Err != nil {
			errs = append(errs, r.Err)
			continue
		}
		out = append(out, r.Report)
	}
	return out, errors.Join(errs...)
}

// Result is one attestor's answer: its report, or a *FetchError.
type Result struct {
	URL    string
	Report reputation.Report
	Err    error
}

// FetchEach asks every attestor at baseURLs for its report, all at once, and returns each
// answer in the order of baseURLs, for callers that show attestors one by one.
func FetchEach(ctx context.Context, c *http.Client, baseURLs []string) []Result {
	if c == nil {
		c = http.DefaultClient
	}
	out := make([]Result, len(baseURLs))
	var wg sync.WaitGroup
	for i, u := range baseURLs {
		wg.Go(func() {
			out[i].URL = u
			r, err := fetchOne(ctx, c, u)
			if err != nil {
				out[i].Err = &FetchError{URL: u, Err: err}
				return
			}
			out[i].Report = r
		})
	}
	wg.Wait()
	return out
}

func fetchOne(ctx context.Context, c *http.Client, base string) (reputation.Report, error) {
	ctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimSuffix(base, "/")+Path, nil)
	if err != nil {
		return reputation.Report{}, fmt.Errorf("building the request: %w", err)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := c.Do(req)
	if err != nil {
		return reputation.Report{}, fmt.Errorf("requesting the report: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxReport+1))
	if err != nil {
		return reputation.Report{}, fmt.Errorf("reading the report: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return reputation.Report{}, fmt.Errorf("GET %s: %s: %s", Path, resp.Status, strings.TrimSpace(string(body[:min(len(body), 200)])))
	}
	if len(body) > maxReport {
		return reputation.Report{}, fmt.Errorf("the report is larger than %d bytes", maxReport)
	}
	return reputation.ParseReport(body)
}
