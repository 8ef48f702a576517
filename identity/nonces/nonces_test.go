package nonces_test

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dec2-cloud/dec2/identity/nonces"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func TestSingleUse(t *testing.T) {
	c := &clock{t: time.Unix(1e9, 0)}
	s := nonces.New(5*time.Minute, 10, c.now)
	n, exp, err := s.Issue()
	if err != nil || len(n) != 32 || !exp.Equal(c.t.Add(5*time.Minute)) {
		t.Fatalf("Issue = %q, %v, %v", n, exp, err)
	}
	if err := s.Consume(n); err != nil {
		t.Fatalf("first Consume: %v", err)
	}
	if err := s.Consume(n); !errors.Is(err, nonces.ErrUnknown) {
		t.Errorf("replayed Consume: %v, want ErrUnknown", err)
	}
	if err := s.Consume("0123456789abcdef0123456789abcdef"); !errors.Is(err, nonces.ErrUnknown) {
		t.Errorf("never issued: %v", err)
	}
}

func TestExpiry(t *testing.T) {
	c := &clock{t: time.Unix(1e9, 0)}
	s := nonces.New(time.Minute, 10, c.now)
	n, _, _ := s.Issue()
	c.add(time.Minute)
	if err := s.Consume(n); !errors.Is(err, nonces.ErrUnknown) {
		t.Errorf("expired: %v, want ErrUnknown", err)
	}
}

func TestBounded(t *testing.T) {
	c := &clock{t: time.Unix(1e9, 0)}
	s := nonces.New(time.Minute, 3, c.now)
	for range 3 {
		n, _, err := s.Issue()
		if err != nil {
			t.Fatal(err)
		}
		// Consuming does not make room: the bound is on issues per TTL.
		_ = s.Consume(n)
	}
	if _, _, err := s.Issue(); !errors.Is(err, nonces.ErrFull) {
		t.Fatalf("fourth Issue: %v, want ErrFull", err)
	}
	c.add(time.Minute)
	if _, _, err := s.Issue(); err != nil {
		t.Errorf("after the TTL: %v", err)
	}
}

// Many goroutines race to consume the same nonces: each is spent exactly once.
func TestConcurrentConsume(t *testing.T) {
	s := nonces.New(time.Minute, 1000, nil)
	var ns []string
	for range 100 {
		n, _, err := s.Issue()
		if err != nil {
			t.Fatal(err)
		}
		ns = append(ns, n)
	}
	var wins atomic.Int64
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for _, n := range ns {
				if s.Consume(n) == nil {
					wins.Add(1)
				}
				_, _, _ = s.Issue()
			}
		})
	}
	wg.Wait()
	if wins.Load() != 100 {
		t.Errorf("%d successful consumes of 100 nonces", wins.Load())
	}
}
