package region

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"math/big"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/dec2-cloud/dec2/console/backend"
	"github.com/dec2-cloud/dec2/console/view"
	"github.com/dec2-cloud/dec2/e2e"
	"github.com/dec2-cloud/dec2/pricing"
	"github.com/dec2-cloud/dec2/storage/metaapi"
)

// The region's buckets page over the real storage service, read by one meter for every
// session: A, who stores an object, sees its bytes and their cost at the providers' disk
// prices; B, whose bucket is empty, sees nothing stored and none of A's.
func TestBucketsPageShowsEachUserTheirOwnStorage(t *testing.T) {
	meterKey, a, b := mustKey(t), mustKey(t), mustKey(t)
	st := e2e.StartLocalStorage(t, 4, 1<<30, crypto.PubkeyToAddress(meterKey.PublicKey))
	st.Store(t, a, "holiday", "beach.raw", bytes.Repeat([]byte("sand"), 1<<18))
	st.Store(t, b, "holiday", "", nil)
	meter, err := backend.NewMeter(st.Service, meterKey, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	price, err := pricing.ParseAmount("0.36")
	if err != nil {
		t.Fatal(err)
	}
	r := newRig(t, time.Hour, 0)
	r.meter = meter
	for _, n := range st.Nodes {
		r.nodes = append(r.nodes, view.Node{Wallet: n.Provider.Hex(), Prices: pricing.Prices{DiskGBHour: price}})
	}
	page := func(key *ecdsa.PrivateKey) string {
		t.Helper()
		w := r.do("GET", "/buckets", "", cookieOf(t, r.signIn(t, key, key)))
		if w.Code != http.StatusOK {
			t.Fatalf("the buckets page: %d\n%s", w.Code, w.Body.String())
		}
		return w.Body.String()
	}

	held, err := (&metaapi.Client{URL: st.Service, Key: a}).Usage(context.Background())
	if err != nil || len(held) != 4 {
		t.Fatalf("A's usage: %+v, %v", held, err)
	}
	aPage, bPage := page(a), page(b)
	for _, u := range held {
		cost := pricing.FormatAmount(new(big.Int).Mul(pricing.StorageRate(u.Bytes, price), big.NewInt(3600)))
		row := `<tr data-provider="` + strings.ToLower(u.Provider) + `"><th scope="row"><code>` + strings.ToLower(u.Provider) + `</code></th><td class="pieces">` +
			strconv.FormatInt(u.Pieces, 10) + `</td>
  <td class="stored" data-bytes="` + strconv.FormatInt(u.Bytes, 10) + `">` + view.Bytes(u.Bytes) + `</td>
  <td class="cost">` + cost + `</td>`
		if !strings.Contains(aPage, row) {
			t.Errorf("A's page has no row %s:\n%s", row, aPage)
		}
		if strings.Contains(bPage, strings.ToLower(u.Provider)) {
			t.Errorf("B's page names a provider holding A's pieces:\n%s", bPage)
		}
	}
	if !strings.Contains(bPage, `id="names-encrypted"`) || !strings.Contains(bPage, "Nothing stored yet") ||
		!strings.Contains(bPage, `<td class="pieces">0</td><td class="stored" data-bytes="0">`) {
		t.Errorf("B's page does not say B stores nothing:\n%s", bPage)
	}

	// Without a meter the page says storage is not configured.
	r.meter = nil
	if body := page(a); !strings.Contains(body, `id="no-storage"`) || strings.Contains(body, `id="holdings"`) {
		t.Errorf("without a storage meter:\n%s", body)
	}
}

func mustKey(t *testing.T) *ecdsa.PrivateKey {
	t.Helper()
	k, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// Buckets is the backend's without the wallet's key: no names.
func (s *source) Buckets(context.Context) ([]view.Bucket, error) { return nil, view.ErrStorageNeedsKey }

// Holdings is the backend's: the meter's answer for the session's wallet, priced at the
// rig's nodes.
func (s *source) Holdings(ctx context.Context) (view.Holdings, error) {
	if s.meter == nil {
		return view.Holdings{}, view.ErrNoStorage
	}
	return s.meter.Holdings(ctx, common.HexToAddress(s.user.Wallet), func(context.Context) ([]view.Node, error) { return s.nodes, nil })
}
