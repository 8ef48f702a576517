package gates

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
)

// Reasons a Limiter refuses; stable metric labels.
const (
	ProviderCooldown = "provider_cooldown"
	SigningCap       = "signing_cap"
)

const day = 24 * time.Hour

// Limited says why and until when the Limiter refuses.
type Limited struct {
	Reason string
	Until  time.Time
}

func (e *Limited) Error() string {
	return fmt.Sprintf("signing limited (%s) until %s", e.Reason, e.Until.UTC().Format(time.RFC3339))
}

// Limiter bounds the damage of a bug or a compromised view: one provider is slashed at most
// once per cooldown through this attestor (an incident's reports should not pile up), and
// this attestor signs at most capPerDay slashes in any rolling 24 hours (a runaway loop or a
// lie about many nodes stops at the cap). It is safe for concurrent use.
type Limiter struct {
	cooldown time.Duration
	cap      int
	mu       sync.Mutex
	last     map[string]time.Time // provider → its latest signature
	signed   []time.Time          // this attestor's signatures within the last day, ascending
}

// NewLimiter returns a Limiter; a capPerDay below 1 allows no signature at all, so that a
// missing setting fails closed.
func NewLimiter(cooldown time.Duration, capPerDay int) *Limiter {
	return &Limiter{cooldown: cooldown, cap: capPerDay, last: map[string]time.Time{}}
}

// Allow returns a *Limited when signing for provider at now would exceed a limit.
func (l *Limiter) Allow(provider string, now time.Time) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if last, ok := l.last[key(provider)]; ok {
		if until := last.Add(l.cooldown); now.Before(until) {
			return &Limited{ProviderCooldown, until}
		}
	}
	if l.cap < 1 {
		return &Limited{SigningCap, now.Add(day)}
	}
	recent := l.recent(now)
	if n := len(recent); n >= l.cap {
		// The count falls below the cap once the (n-cap+1)-th oldest leaves the window.
		return &Limited{SigningCap, recent[n-l.cap].Add(day)}
	}
	return nil
}

// Record notes a signature for provider at now.
func (l *Limiter) Record(provider string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	k := key(provider)
	if last, ok := l.last[k]; !ok || now.After(last) {
		l.last[k] = now
	}
	for p, t := range l.last {
		if !now.Before(t.Add(l.cooldown)) {
			delete(l.last, p)
		}
	}
	l.signed = l.recent(now)
	i, _ := slices.BinarySearchFunc(l.signed, now, time.Time.Compare)
	l.signed = slices.Insert(l.signed, i, now)
}

// recent drops signatures older than a day before now and returns the rest.
func (l *Limiter) recent(now time.Time) []time.Time {
	from := now.Add(-day)
	i, _ := slices.BinarySearchFunc(l.signed, from, func(t, from time.Time) int {
		if t.After(from) {
			return 1
		}
		return -1
	})
	return l.signed[i:]
}

// key folds an address's case: a checksummed and a lower-case spelling are one provider.
func key(provider string) string { return strings.ToLower(provider) }
