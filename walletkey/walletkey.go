// Package walletkey reads the secp256k1 key a dec2 service signs with (billing's operator, an
// attestor, a storage provider) from a file or an environment variable, the same way for each.
package walletkey

import (
	"crypto/ecdsa"
	"fmt"
	"os"
	"strings"

	"github.com/ethereum/go-ethereum/crypto"
)

// Read reads a hex secp256k1 key (0x optional) from file, or from the environment variable
// env when file is empty; role names the key in errors ("operator", "attestor", …). The key
// material itself never appears in an error.
func Read(file, env, role string) (*ecdsa.PrivateKey, error) {
	src, hexKey := env, os.Getenv(env)
	if file != "" {
		b, err := os.ReadFile(file)
		if err != nil {
			return nil, fmt.Errorf("reading the %s key file: %w", role, err)
		}
		src, hexKey = "key file "+file, string(b)
	}
	hexKey = strings.TrimPrefix(strings.TrimSpace(hexKey), "0x")
	if hexKey == "" {
		return nil, fmt.Errorf("no %s key: pass --key-file or set %s", role, env)
	}
	k, err := crypto.HexToECDSA(hexKey)
	if err != nil {
		return nil, fmt.Errorf("%s does not hold a hex secp256k1 private key", src)
	}
	return k, nil
}
