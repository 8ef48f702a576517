package e2e

import (
	"crypto/ecdsa"
	"encoding/hex"
	"os"
	"path/filepath"

	"github.com/ethereum/go-ethereum/crypto"
)

// Repairer is dec2-repair running as a process beside a region, as a service would run it.
type Repairer struct {
	svc *service
}

// StartRepairer runs `dec2-repair run` against the storage service at storageURL and the
// Nomad region at nomadAddr, signing with key (which the service must name with --repairer),
// with args added (--every, --grace). It has no port to wait for: the test waits for its
// effects. It stops the repairer at cleanup.
func StartRepairer(t TB, storageURL, nomadAddr string, key *ecdsa.PrivateKey, args ...string) *Repairer {
	t.Helper()
	dir, err := os.MkdirTemp("", "dec2-repair-key-")
	if err != nil {
		t.Fatalf("creating the repairer's key dir: %v", err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	keyFile := filepath.Join(dir, "repairer.key")
	if err := os.WriteFile(keyFile, []byte(hex.EncodeToString(crypto.FromECDSA(key))), 0o600); err != nil {
		t.Fatalf("writing the repairer's key: %v", err)
	}
	r := &Repairer{}
	r.svc = startService(t, "dec2-repair", "./storage/cmd/dec2-repair",
		append([]string{"run", "--storage", storageURL, "--key-file", keyFile, "--nomad-addr", nomadAddr}, args...), nil,
		func() bool { return true })
	return r
}

// LogTail is the last lines of the repairer's log.
func (r *Repairer) LogTail() string { return r.svc.logTail() }
