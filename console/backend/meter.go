package backend

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/dec2-cloud/dec2/console/view"
	"github.com/dec2-cloud/dec2/storage/metaapi"
)

// meterRead bounds one read of every tenant's usage.
const meterRead = 30 * time.Second

// Meter reads what every tenant stores with each provider, as one of the storage service's
// --meter wallets (GET /v1/usage/all), so that the region console, which holds no user's key,
// can show each signed-in user their own storage. One Meter serves every session: the service
// is read at most once per Every however often pages ask, one read at a time, and a user is
// only ever answered their own tenant's rows.
type Meter struct {
	url    string
	every  time.Duration
	client *metaapi.Client

	mu   sync.Mutex
	read time.Time // of the last read, answered or failed; zero before the first
	held map[string][]view.Holding
	err  error
}

// NewMeter reads the storage service at url with key, which the service must name with
// --meter, at most once per every.
func NewMeter(url string, key *ecdsa.PrivateKey, every time.Duration) (*Meter, error) {
	switch {
	case url == "":
		return nil, errors.New("the storage meter needs the storage service's URL")
	case key == nil:
		return nil, errors.New("the storage meter needs the key of a wallet the storage service names with --meter")
	case every <= 0:
		return nil, fmt.Errorf("the storage meter's interval %s: want more than 0", every)
	}
	return &Meter{url: url, every: every, client: &metaapi.Client{URL: url, Key: key}}, nil
}

// usage is every tenant's holdings by tenant.
func (m *Meter) usage(ctx context.Context) (map[string][]view.Holding, error) {
	rows, err := m.client.UsageAll(ctx)
	if err != nil {
		return nil, err
	}
	// The service names tenants and providers in lower-case hex; lowering them again keeps a
	// tenant's rows together should it ever answer otherwise.
	by := map[string][]view.Holding{}
	for _, r := range rows {
		t := strings.ToLower(r.Tenant)
		by[t] = append(by[t], view.Holding{Provider: strings.ToLower(r.Provider), Pieces: r.Pieces, Bytes: r.Bytes})
	}
	return by, nil
}

// Held is what tenant stores with each provider, as of the meter's last read, and when that
// was.
func (m *Meter) Held(ctx context.Context, tenant common.Address) ([]view.Holding, time.Time, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.read.IsZero() || time.Since(m.read) >= m.every {
		// Not the page's context: a user who leaves the page must not fail the read the others
		// wait for (and would be answered until the next).
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), meterRead)
		held, err := m.usage(rctx)
		cancel()
		m.read, m.err = time.Now(), err
		if err == nil {
			m.held = held
		}
	}
	if m.err != nil {
		return nil, time.Time{}, fmt.Errorf("reading the tenants' usage from the storage service at %s: %w", m.url, m.err)
	}
	return m.held[strings.ToLower(tenant.Hex())], m.read, nil
}

// Holdings is what wallet stores with each provider and what it costs an hour at the disk
// prices of the region's nodes (read through nodes), as billing streams it.
func (m *Meter) Holdings(ctx context.Context, wallet common.Address, nodes func(context.Context) ([]view.Node, error)) (view.Holdings, error) {
	held, read, err := m.Held(ctx, wallet)
	if err != nil {
		return view.Holdings{}, err
	}
	h := view.NewHoldings(held, read)
	// Without the prices the holdings still show, saying why their cost is missing.
	if ns, err := nodes(ctx); err != nil {
		h.Error = "no cost: " + err.Error()
	} else {
		h.Price(view.DiskPrices(ns))
	}
	return h, nil
}
