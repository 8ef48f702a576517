package e2e

import (
	"crypto/ecdsa"
	"encoding/hex"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/ethereum/go-ethereum/crypto"
)

// Attestor is one `dec2-attestor serve` process beside a region.
type Attestor struct {
	URL  string // http://127.0.0.1:port
	svc  *service
	Addr string // its address, 0x-hex
}

// AttestorPort reserves the port an attestor will serve on, so that peers can be told its URL
// before it starts.
func AttestorPort(t TB) string { return fmt.Sprintf("http://127.0.0.1:%d", FreePort(t)) }

// StartAttestor builds and serves dec2-attestor at url with key, reading Nomad at nomadAddr
// (the region's, or a proxy's in front of it) and the rest from args (--chain-rpc,
// --deployment, --peer …), and stops it at cleanup.
func StartAttestor(t TB, url, nomadAddr string, key *ecdsa.PrivateKey, args ...string) *Attestor {
	t.Helper()
	dir, err := os.MkdirTemp("", "attestor-key-")
	if err != nil {
		t.Fatalf("creating the attestor's key dir: %v", err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	keyFile := filepath.Join(dir, "key")
	if err := os.WriteFile(keyFile, []byte(hex.EncodeToString(crypto.FromECDSA(key))), 0o600); err != nil {
		t.Fatalf("writing the attestor's key: %v", err)
	}
	a := &Attestor{URL: url, Addr: crypto.PubkeyToAddress(key.PublicKey).Hex()}
	a.svc = startService(t, "dec2-attestor", "./attestor/cmd/dec2-attestor",
		append([]string{"serve", "--listen", strings.TrimPrefix(url, "http://"), "--nomad-addr", nomadAddr, "--key-file", keyFile}, args...),
		nil,
		func() bool {
			resp, err := http.Get(url + "/healthz")
			if err != nil {
				return false
			}
			resp.Body.Close()
			return resp.StatusCode == http.StatusOK
		})
	return a
}

// LogTail is the end of the attestor's log.
func (a *Attestor) LogTail() string { return a.svc.logTail() }

// Log is the attestor's whole log.
func (a *Attestor) Log() string {
	b, _ := os.ReadFile(a.svc.log)
	return string(b)
}
