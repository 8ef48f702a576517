package e2e

import (
	"crypto/ecdsa"
	"encoding/hex"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

// Attestor is one `dec2-attestor serve` process beside a region.
type Attestor struct {
	URL  string // http://127.0.0.1:port
	svc  *service
	Addr string // its address, 0x-hex
}

// AttestorKeys are n fresh attestor keys and their addresses, for the registry's set.
func AttestorKeys(t TB, n int) ([]*ecdsa.PrivateKey, []common.Address) {
	var keys []*ecdsa.PrivateKey
	var addrs []common.Address
	for range n {
		k, err := crypto.GenerateKey()
		if err != nil {
			t.Fatalf("generating an attestor key: %v", err)
		}
		keys, addrs = append(keys, k), append(addrs, crypto.PubkeyToAddress(k.PublicKey))
	}
	return keys, addrs
}

// AttestorOptions shape StartAttestors.
type AttestorOptions struct {
	// NomadAddr is where attestor i reads Nomad; nil = the region's address for all.
	NomadAddr func(i int) string
	Token     string   // Nomad token; "" = none (a region without ACLs)
	Args      []string // the rest: --chain-rpc, --deployment, --grace, …
}

// StartAttestors serves one dec2-attestor per key, each told the others as peers, and stops
// them at cleanup.
func StartAttestors(t TB, r *Region, keys []*ecdsa.PrivateKey, opts AttestorOptions) []*Attestor {
	t.Helper()
	urls := make([]string, len(keys))
	for i := range urls {
		urls[i] = fmt.Sprintf("http://127.0.0.1:%d", FreePort(t))
	}
	var out []*Attestor
	for i, key := range keys {
		args := append([]string{}, opts.Args...)
		for j, u := range urls {
			if j != i {
				args = append(args, "--peer", crypto.PubkeyToAddress(keys[j].PublicKey).Hex()+"="+u)
			}
		}
		nomad := r.Addr
		if opts.NomadAddr != nil {
			nomad = opts.NomadAddr(i)
		}
		out = append(out, startAttestor(t, urls[i], nomad, opts.Token, key, args...))
	}
	return out
}

func startAttestor(t TB, url, nomadAddr, token string, key *ecdsa.PrivateKey, args ...string) *Attestor {
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
		[]string{"NOMAD_TOKEN=" + token},
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
