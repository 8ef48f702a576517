// Package nonces issues single-use sign-in nonces. A nonce lives for a fixed TTL and is gone
// once consumed, so a signed message cannot be replayed.
package nonces

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"sync"
	"time"
)

var (
	// ErrUnknown covers never issued, expired and already used: a caller learns nothing from
	// telling them apart, and the fix is the same.
	ErrUnknown = errors.New("nonce unknown, expired or already used: get a fresh one and sign again")
	// ErrFull means Max nonces were issued within one TTL: someone is asking faster than people sign in.
	ErrFull = errors.New("too many nonces outstanding: retry shortly")
)

// Store is safe for concurrent use.
type Store struct {
	ttl time.Duration
	max int
	now func() time.Time

	mu   sync.Mutex
	live map[string]time.Time
	// issued lists nonces in issue order, consumed ones too; with one TTL for all, the
	// oldest expires first, so pruning pops from the front.
	issued []issued
}

type issued struct {
	nonce   string
	expires time.Time
}

// New returns a store whose nonces live ttl and of which at most max are issued per ttl.
// now is the clock (time.Now when nil).
func New(ttl time.Duration, max int, now func() time.Time) *Store {
	if now == nil {
		now = time.Now
	}
	return &Store{ttl: ttl, max: max, now: now, live: map[string]time.Time{}}
}

// Issue returns a fresh nonce (32 hex digits, alphanumeric as EIP-4361 wants) and its expiry.
func (s *Store) Issue() (string, time.Time, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", time.Time{}, err
	}
	nonce := hex.EncodeToString(b[:])
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	s.prune(now)
	if len(s.issued) >= s.max {
		return "", time.Time{}, ErrFull
	}
	expires := now.Add(s.ttl)
	s.live[nonce] = expires
	s.issued = append(s.issued, issued{nonce, expires})
	return nonce, expires, nil
}

// Consume spends nonce; only the first call for an issued, unexpired nonce succeeds.
func (s *Store) Consume(nonce string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	expires, ok := s.live[nonce]
	if !ok || !s.now().Before(expires) {
		return ErrUnknown
	}
	delete(s.live, nonce)
	return nil
}

func (s *Store) prune(now time.Time) {
	n := 0
	for n < len(s.issued) && !now.Before(s.issued[n].expires) {
		delete(s.live, s.issued[n].nonce)
		n++
	}
	s.issued = s.issued[n:]
}
