package e2e

import (
	"crypto/ecdsa"
	"encoding/hex"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/crypto"
)

// S3Gateway is `dec2 s3 serve`, the consumer's own S3 gateway, running as the consumer runs it.
type S3Gateway struct {
	Endpoint string // http://127.0.0.1:port
}

// StartS3Gateway builds the dec2 CLI and runs `dec2 s3 serve` for the consumer's wallet key
// against the storage service at storageURL, with the access keys in keysFile (s3keys) and
// args added (--node, or the Nomad address in env for discovery). It waits until the gateway
// accepts connections and stops it at cleanup.
func StartS3Gateway(t TB, storageURL string, wallet *ecdsa.PrivateKey, keysFile string, env []string, args ...string) *S3Gateway {
	t.Helper()
	dir, err := os.MkdirTemp("", "dec2-s3-")
	if err != nil {
		t.Fatalf("creating the gateway's dir: %v", err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	keyFile := filepath.Join(dir, "wallet.key")
	if err := os.WriteFile(keyFile, []byte(hex.EncodeToString(crypto.FromECDSA(wallet))), 0o600); err != nil {
		t.Fatalf("writing the wallet key: %v", err)
	}
	g := &S3Gateway{Endpoint: fmt.Sprintf("http://127.0.0.1:%d", FreePort(t))}
	listen := strings.TrimPrefix(g.Endpoint, "http://")
	startService(t, "dec2-s3", "./cmd/dec2",
		append([]string{"s3", "serve", "--listen", listen, "--storage", storageURL, "--keys-file", keysFile}, args...),
		append([]string{"DEC2_KEY_FILE=" + keyFile, "XDG_CONFIG_HOME=" + dir}, env...),
		func() bool {
			c, err := net.DialTimeout("tcp", listen, time.Second)
			if err != nil {
				return false
			}
			c.Close()
			return true
		})
	return g
}
