package peers

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

// FuzzVerify: whatever headers and body arrive, Verify never panics, and a request it accepts
// carries a signature by the one member over exactly that body.
func FuzzVerify(f *testing.F) {
	key, _ := crypto.HexToECDSA("4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318")
	member := crypto.PubkeyToAddress(key.PublicKey)
	now := time.Unix(1_800_000_000, 0)
	r := httptest.NewRequest(http.MethodPost, "/v1/sign", nil)
	body := []byte(`{"evidence":"e30="}`)
	_ = Sign(r, key, body, now)
	f.Add(r.Header.Get(HeaderSender), r.Header.Get(HeaderTimestamp), r.Header.Get(HeaderSignature), body)
	f.Add("0x", "x", "0x00", []byte{})
	f.Fuzz(func(t *testing.T, sender, ts, sig string, body []byte) {
		r := httptest.NewRequest(http.MethodPost, "/v1/sign", bytes.NewReader(body))
		r.Header.Set(HeaderSender, sender)
		r.Header.Set(HeaderTimestamp, ts)
		r.Header.Set(HeaderSignature, sig)
		got, b, err := Verify(r, func(a common.Address) bool { return a == member }, now)
		if err != nil {
			return
		}
		if got != member || !bytes.Equal(b, body) {
			t.Fatalf("accepted %s over %q", got.Hex(), b)
		}
	})
}
