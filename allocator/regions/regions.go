// Package regions chooses, among the federated Nomad regions a job lets dec2 pick (job meta
// dec2.regions), the one where it packs best. Pure: the quotes come from each region's
// allocator.
package regions

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
)

// MetaKey is the job meta listing the regions dec2 may place the job in, in the consumer's
// order of preference, e.g. "eu,us".
const MetaKey = "dec2.regions"

// Quote is one region's allocator's answer for a job: whether and how it would place it.
type Quote struct {
	Region    string `json:"region"`
	Placeable bool   `json:"placeable"`
	// Registered: the job already runs there; an update stays where the job is.
	Registered bool `json:"registered,omitempty"`
	// NewProviders counts providers that run nothing now and would run some of the job.
	NewProviders int     `json:"new_providers"`
	CostPerHour  float64 `json:"cost_per_hour"`
	NodesUsed    int     `json:"nodes_used"`
	// LocalBytes is how much of the tenant's stored data the region's providers hold.
	LocalBytes int64 `json:"local_bytes,omitempty"`
	// Nodes are the nodes the packing would put the job's new instances on, in placement
	// order: what the console's launch page prices.
	Nodes []string `json:"nodes,omitempty"`
	// Reason says why the region cannot take the job (Placeable false).
	Reason string `json:"reason,omitempty"`
}

var name = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$`)

// Parse reads a dec2.regions value: region names separated by commas, each at most once.
func Parse(v string) ([]string, error) {
	var out []string
	for r := range strings.SplitSeq(v, ",") {
		r = strings.TrimSpace(r)
		if !name.MatchString(r) {
			return nil, fmt.Errorf("job meta %s = %q: %q is not a region name (letters, digits, - and _; e.g. \"eu,us\")", MetaKey, v, r)
		}
		if slices.Contains(out, r) {
			return nil, fmt.Errorf("job meta %s = %q names region %q twice", MetaKey, v, r)
		}
		out = append(out, r)
	}
	return out, nil
}

// Unplaceable is the refusal when no listed region can take the job; it names each
// region's reason.
type Unplaceable struct {
	Job    string
	Quotes []Quote
}

func (e *Unplaceable) Error() string {
	parts := make([]string, len(e.Quotes))
	for i, q := range e.Quotes {
		parts[i] = q.Region + ": " + q.Reason
	}
	return fmt.Sprintf("no region can take job %q — %s", e.Job, strings.Join(parts, "; "))
}

// ErrNoQuotes: there was nothing to choose from.
var ErrNoQuotes = errors.New("no region quoted")

// Rank orders the quotes best first: a region the job already runs in, then placeable ones
// with the fewest new providers, then the cheapest, then the one holding most of the tenant's
// stored data, then the consumer's order. It returns the
// placeable ones, or *Unplaceable naming every region's reason.
func Rank(job string, quotes []Quote) ([]Quote, error) {
	if len(quotes) == 0 {
		return nil, ErrNoQuotes
	}
	var ok []Quote
	for _, q := range quotes {
		if q.Placeable {
			ok = append(ok, q)
		}
	}
	if len(ok) == 0 {
		return nil, &Unplaceable{Job: job, Quotes: quotes}
	}
	sort.SliceStable(ok, func(i, j int) bool {
		a, b := ok[i], ok[j]
		if a.Registered != b.Registered {
			return a.Registered
		}
		if a.NewProviders != b.NewProviders {
			return a.NewProviders < b.NewProviders
		}
		if a.CostPerHour != b.CostPerHour {
			return a.CostPerHour < b.CostPerHour
		}
		return a.LocalBytes > b.LocalBytes
	})
	return ok, nil
}
