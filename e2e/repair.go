package e2e

import (
	"crypto/ecdsa"
	"encoding/hex"
	"os"
	"path/filepath"

	"github.com/ethereum/go-ethereum/crypto"
)

// Repairer is dec2-repair (the worker, or the checker) running as a process beside a region,
// as a service would run it.
type Repairer struct {
	svc *service
}

// StartRepairer runs `dec2-repair run` against the storage service at storageURL and the
// Nomad region at nomadAddr, signing with key (which the service must name with --repairer),
// with args added (--every, --grace). It has no port to wait for: the test waits for its
// effects. It stops the repairer at cleanup.
func StartRepairer(t TB, storageURL, nomadAddr string, key *ecdsa.PrivateKey, args ...string) *Repairer {
	t.Helper()
	return startRepair(t, append([]string{"run", "--storage", storageURL, "--key-file", repairKeyFile(t, key), "--nomad-addr", nomadAddr}, args...), nil)
}

// StartRepairChecker runs `dec2-repair watch`, the checker, against the storage service at
// storageURL, with allocatorAddr (dec2-allocator in front of a region) as its Nomad and token as
// its NOMAD_TOKEN, signing with key; the worker jobs it registers are the built-in jobspec
// rendered with the variables file varFile. args are added (--every, --grace). It stops the
// checker at cleanup.
func StartRepairChecker(t TB, storageURL, allocatorAddr, token string, key *ecdsa.PrivateKey, varFile string, args ...string) *Repairer {
	t.Helper()
	return startRepair(t, append([]string{"watch", "--storage", storageURL, "--key-file", repairKeyFile(t, key), "--nomad-addr", allocatorAddr,
		"--var-file", varFile}, args...), []string{"NOMAD_TOKEN=" + token})
}

func startRepair(t TB, args, env []string) *Repairer {
	t.Helper()
	return &Repairer{svc: startService(t, "dec2-repair", "./storage/cmd/dec2-repair", args, env, func() bool { return true })}
}

// repairKeyFile writes key where only this test reads it, removed at cleanup.
func repairKeyFile(t TB, key *ecdsa.PrivateKey) string {
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
	return keyFile
}

// LogTail is the last lines of the repairer's log.
func (r *Repairer) LogTail() string { return r.svc.logTail() }

// Log is everything the repairer has logged.
func (r *Repairer) Log() string {
	b, _ := os.ReadFile(r.svc.log)
	return string(b)
}
