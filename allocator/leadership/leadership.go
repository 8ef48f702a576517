// Package leadership elects the one allocator of a region that admits jobs, with a Nomad
// variable lock (api.Client.Locks and NewLockLeaser): no extra service and no election of our
// own. The lock's variable also says where the leader serves, so that the others can forward
// to it, and so that another region's allocator can find it through Nomad's region forwarding.
package leadership

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/nomad/api"
)

// DefaultPath is the variable whose lock the allocators of a region contend for.
const DefaultPath = "dec2/allocator/leader"

// AddrItem is the lock variable's item holding the leader's base URL.
const AddrItem = "addr"

// MinTTL is the shortest lock TTL Nomad accepts.
const MinTTL = 10 * time.Second

// Config shapes an Elector.
type Config struct {
	// Nomad is a client of the region, with a token that may write Path (namespace default).
	Nomad *api.Client
	// Path is the lock variable's path; default DefaultPath.
	Path string
	// Advertise is the base URL the others reach this allocator on.
	Advertise string
	// TTL is how long the lock outlives its holder's last renewal; at least MinTTL, default
	// MinTTL. A crashed leader is replaced within about TTL+LockDelay.
	TTL time.Duration
	// LockDelay is how long Nomad keeps a lapsed lock from a new holder, so that a leader cut
	// off from Nomad has stopped admitting (its own lease lapses first) before another starts.
	// Default 1s.
	LockDelay time.Duration
	// Retry is how often a follower tries the lock; default 1s.
	Retry  time.Duration
	Logger *slog.Logger
}

// Elector campaigns for a region's lock and says who leads.
type Elector struct {
	cfg  Config
	lock *leaseClock
	// known caches the leader's address for followers: read at most once per Retry.
	mu     sync.Mutex
	known  string
	readAt time.Time
}

// ErrNoLeader: no allocator holds the region's lock at the moment.
var ErrNoLeader = errors.New("no allocator leads the region")

// New checks cfg and builds an elector.
func New(cfg Config) (*Elector, error) {
	if cfg.Nomad == nil {
		return nil, errors.New("leadership: no Nomad client")
	}
	if cfg.Path == "" {
		cfg.Path = DefaultPath
	}
	if u, err := url.Parse(cfg.Advertise); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("the advertised address %q is not an http(s) URL such as http://10.0.0.5:4656: the other allocators forward to it", cfg.Advertise)
	}
	if cfg.TTL == 0 {
		cfg.TTL = MinTTL
	}
	if cfg.TTL < MinTTL {
		return nil, fmt.Errorf("the lock TTL %s is below Nomad's minimum of %s", cfg.TTL, MinTTL)
	}
	if cfg.LockDelay <= 0 {
		cfg.LockDelay = time.Second
	}
	if cfg.Retry <= 0 {
		cfg.Retry = time.Second
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	v := api.Variable{Namespace: api.DefaultNamespace, Path: cfg.Path,
		Items: api.VariableItems{AddrItem: cfg.Advertise},
		Lock:  &api.VariableLock{TTL: cfg.TTL.String(), LockDelay: cfg.LockDelay.String()}}
	locks, err := cfg.Nomad.Locks(api.WriteOptions{Namespace: api.DefaultNamespace}, v, api.LocksOptionWithMaxRetries(2))
	if err != nil {
		return nil, fmt.Errorf("preparing the lock on variable %s: %w", cfg.Path, err)
	}
	return &Elector{cfg: cfg, lock: &leaseClock{Locks: locks, ttl: cfg.TTL}}, nil
}

// Self is the address this allocator advertises.
func (e *Elector) Self() string { return e.cfg.Advertise }

// Path is the lock variable's path.
func (e *Elector) Path() string { return e.cfg.Path }

// Run campaigns until ctx ends. Each time this allocator wins the lock, lead runs with a
// context that ends when the lease is lost (or ctx ends); lead returns once it does.
func (e *Elector) Run(ctx context.Context, lead func(context.Context)) {
	for ctx.Err() == nil {
		ll := e.cfg.Nomad.NewLockLeaser(e.lock, api.LockLeaserOptionWithWaitPeriod(e.cfg.Retry))
		err := ll.Start(ctx, func(lctx context.Context) error {
			// The leaser keeps a protected function's context alive after a refused renewal;
			// the lease clock ends it instead.
			lctx, cancel := context.WithCancel(lctx)
			defer cancel()
			go func() {
				select {
				case <-e.lock.lost():
					cancel()
				case <-lctx.Done():
				}
			}()
			e.cfg.Logger.Info("leading the region's admissions", "lock", e.cfg.Path, "addr", e.cfg.Advertise)
			lead(lctx)
			e.cfg.Logger.Info("no longer leading the region's admissions", "lock", e.cfg.Path)
			return nil
		})
		held := e.lock.lapse()
		if ctx.Err() != nil {
			if held {
				// The leaser releases with the ended context, which Nomad never sees: a
				// standby should not wait out the TTL after an orderly stop.
				rctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
				// The leaser's own release races its ended context and sometimes goes
				// through: then Nomad answers that the variable holds no lock, which is done.
				if err := e.lock.Release(rctx); err != nil && !strings.Contains(err.Error(), "doesn't hold a lock") {
					e.cfg.Logger.Warn("releasing the region's lock", "lock", e.cfg.Path, "err", err)
				}
				cancel()
			}
			return
		}
		// The leaser gives up on errors other than a lost race (Nomad unreachable, a renewal
		// refused): campaign again after a pause.
		e.cfg.Logger.Warn("campaigning for the region's lock", "lock", e.cfg.Path, "err", err)
		select {
		case <-ctx.Done():
			return
		case <-time.After(e.cfg.Retry):
		}
	}
}

// Leading says whether this allocator holds the lock with time to spare: its last renewal is
// recent enough that no other can have taken the lock, even if Nomad has since become
// unreachable.
func (e *Elector) Leading() bool { return e.lock.fresh(time.Now()) }

// Leader returns the leading allocator's address (possibly this one's), read from the lock
// variable at most once per Retry; ErrNoLeader when the lock is free.
func (e *Elector) Leader(ctx context.Context) (string, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.known != "" && time.Since(e.readAt) < e.cfg.Retry {
		return e.known, nil
	}
	addr, err := ReadLeader(ctx, e.cfg.Nomad, e.cfg.Path, "")
	if err != nil {
		e.known = ""
		return "", err
	}
	e.known, e.readAt = addr, time.Now()
	return addr, nil
}

// ReadLeader reads the leader's address of region ("" = the client's) from the lock
// variable at path; Nomad forwards the read to that region's servers.
func ReadLeader(ctx context.Context, nomad *api.Client, path, region string) (string, error) {
	v, _, err := nomad.Variables().Read(path, (&api.QueryOptions{Namespace: api.DefaultNamespace, Region: region}).WithContext(ctx))
	if errors.Is(err, api.ErrVariablePathNotFound) {
		return "", ErrNoLeader
	}
	if err != nil {
		return "", fmt.Errorf("reading the allocators' lock %s: %w", path, err)
	}
	if v.Lock == nil || v.Items[AddrItem] == "" {
		return "", ErrNoLeader
	}
	return v.Items[AddrItem], nil
}

// leaseClock is the lock, remembering when its lease was last confirmed and signalling
// when a renewal is refused.
type leaseClock struct {
	*api.Locks
	ttl   time.Duration
	mu    sync.Mutex
	until time.Time     // the lease is surely ours before this
	gone  chan struct{} // closed when the lease is lost; a new one per acquisition
}

func (l *leaseClock) Acquire(ctx context.Context) (string, error) {
	start := time.Now()
	path, err := l.Locks.Acquire(ctx)
	if err == nil && path != "" {
		l.mu.Lock()
		l.gone = make(chan struct{})
		l.mu.Unlock()
		l.extend(start)
	}
	return path, err
}

func (l *leaseClock) Renew(ctx context.Context) error {
	start := time.Now()
	err := l.Locks.Renew(ctx)
	if err != nil {
		l.lapse()
		return err
	}
	l.extend(start)
	return nil
}

// lost is closed when the current lease is lost.
func (l *leaseClock) lost() <-chan struct{} {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.gone == nil {
		l.gone = make(chan struct{})
		close(l.gone)
	}
	return l.gone
}

// extend counts the lease from when the call was sent: Nomad started the TTL no earlier.
// A fifth of the TTL is kept in hand for clock drift and the lock's last admissions.
func (l *leaseClock) extend(sent time.Time) {
	l.mu.Lock()
	l.until = sent.Add(l.ttl - l.ttl/5)
	l.mu.Unlock()
}

// lapse ends the lease here and says whether one was held.
func (l *leaseClock) lapse() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	held := !l.until.IsZero()
	l.until = time.Time{}
	if l.gone != nil {
		select {
		case <-l.gone:
		default:
			close(l.gone)
		}
	}
	return held
}

func (l *leaseClock) fresh(now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return now.Before(l.until)
}
