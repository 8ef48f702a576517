package backend

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"errors"
	"math/big"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/dec2-cloud/dec2/console/view"
	"github.com/dec2-cloud/dec2/e2e"
	"github.com/dec2-cloud/dec2/pricing"
	"github.com/dec2-cloud/dec2/storage/metaapi"
)

// own is what the tenant of key stores with each provider, as the service answers the tenant
// itself (GET /v1/usage).
func own(t *testing.T, st *e2e.LocalStorage, key *ecdsa.PrivateKey) []view.Holding {
	t.Helper()
	rows, err := (&metaapi.Client{URL: st.Service, Key: key}).Usage(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	out := make([]view.Holding, 0, len(rows))
	for _, r := range rows {
		out = append(out, view.Holding{Provider: strings.ToLower(r.Provider), Pieces: r.Pieces, Bytes: r.Bytes})
	}
	return out
}

func sorted(h []view.Holding) []view.Holding {
	return slices.SortedFunc(slices.Values(h), func(a, b view.Holding) int { return strings.Compare(a.Provider, b.Provider) })
}

func mustKey(t *testing.T) *ecdsa.PrivateKey {
	t.Helper()
	k, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// The meter reads every tenant's usage from the real storage service as a --meter wallet and
// answers each wallet exactly its own, as the service answers that tenant itself: A sees its
// bytes, B (who stores less) sees none of A's, and a wallet storing nothing sees nothing. The
// service is read again only after Every; a wallet the service does not name a meter is
// refused.
func TestMeterAnswersEachTenantItsOwn(t *testing.T) {
	meterKey, a, b, nobody := mustKey(t), mustKey(t), mustKey(t), mustKey(t)
	st := e2e.StartLocalStorage(t, 4, 1<<30, crypto.PubkeyToAddress(meterKey.PublicKey))
	st.Store(t, a, "holiday", "object", bytes.Repeat([]byte("x"), 1<<20))
	st.Store(t, b, "notes", "object", bytes.Repeat([]byte("x"), 64<<10))
	ctx := context.Background()

	stale, err := NewMeter(st.Service, meterKey, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		key  *ecdsa.PrivateKey
	}{{"A", a}, {"B", b}} {
		got, read, err := stale.Held(ctx, crypto.PubkeyToAddress(c.key.PublicKey))
		want := own(t, st, c.key)
		if err != nil || read.IsZero() || len(want) != 4 || !slices.Equal(sorted(got), sorted(want)) {
			t.Fatalf("tenant %s: the meter answers %+v (read %v, %v), the service answers the tenant %+v", c.name, got, read, err, want)
		}
	}
	aHeld, _, _ := stale.Held(ctx, crypto.PubkeyToAddress(a.PublicKey))
	bHeld, _, _ := stale.Held(ctx, crypto.PubkeyToAddress(b.PublicKey))
	var aBytes, bBytes int64
	for i := range aHeld {
		aBytes += aHeld[i].Bytes
		bBytes += bHeld[i].Bytes
	}
	if aBytes < 2<<20 || bBytes >= aBytes/4 {
		t.Fatalf("A holds %d bytes, B %d: want A's 1 MiB twice over (n/k = 2) and B's far less", aBytes, bBytes)
	}
	if got, _, err := stale.Held(ctx, crypto.PubkeyToAddress(nobody.PublicKey)); err != nil || len(got) != 0 {
		t.Fatalf("a wallet that stores nothing: %+v, %v", got, err)
	}

	// Within Every the meter answers its last read; a fresh one sees A's second object.
	_, read, _ := stale.Held(ctx, crypto.PubkeyToAddress(a.PublicKey))
	st.Store(t, a, "holiday-2", "object", bytes.Repeat([]byte("x"), 1<<20))
	if got, again, _ := stale.Held(ctx, crypto.PubkeyToAddress(a.PublicKey)); !slices.Equal(got, aHeld) || !again.Equal(read) {
		t.Errorf("read again within the hour: %+v at %v, want the first read's %+v at %v", got, again, aHeld, read)
	}
	fresh, err := NewMeter(st.Service, meterKey, time.Nanosecond)
	if err != nil {
		t.Fatal(err)
	}
	if got, _, _ := fresh.Held(ctx, crypto.PubkeyToAddress(a.PublicKey)); !slices.Equal(sorted(got), sorted(own(t, st, a))) || got[0].Pieces != 2*aHeld[0].Pieces {
		t.Errorf("after A's second object: %+v, want twice %+v", got, aHeld)
	}

	// Priced at the providers' disk prices, as billing streams each provider.
	var nodes []view.Node
	price, _ := new(big.Int).SetString("360000000000000000", 10) // 0.36 DEC2/GiB-h
	for _, n := range st.Nodes {
		nodes = append(nodes, view.Node{Wallet: n.Provider.Hex(), Prices: pricing.Prices{DiskGBHour: price}})
	}
	h, err := fresh.Holdings(ctx, crypto.PubkeyToAddress(b.PublicKey), func(context.Context) ([]view.Node, error) { return nodes, nil })
	want := new(big.Int)
	for _, p := range bHeld {
		want.Add(want, new(big.Int).Mul(pricing.StorageRate(p.Bytes, price), big.NewInt(3600)))
	}
	if err != nil || h.Bytes != bBytes || h.Error != "" || h.CostPerHour != pricing.FormatAmount(want) || len(h.Providers) != 4 {
		t.Errorf("B's holdings %+v (%v), want %d bytes at %s an hour", h, err, bBytes, pricing.FormatAmount(want))
	}

	refused, err := NewMeter(st.Service, a, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	var r *metaapi.Refused
	if _, _, err := refused.Held(ctx, crypto.PubkeyToAddress(a.PublicKey)); !errors.As(err, &r) || r.Status != 403 {
		t.Errorf("a wallet that is no meter: %v, want the service's 403", err)
	}
}
