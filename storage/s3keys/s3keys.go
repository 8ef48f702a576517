// Package s3keys holds the S3 access keys a consumer creates for its own gateway. They live in a
// local file (mode 0600) that `dec2 s3 keys create` appends to and `dec2 s3 serve` reads: the
// secrets never leave the consumer's machine, unlike keys a hosted gateway would hand out.
package s3keys

import (
	"crypto/rand"
	"encoding/base32"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Key is one SigV4 key pair.
type Key struct {
	AccessKey string    `json:"access_key"`
	SecretKey string    `json:"secret_key"`
	Created   time.Time `json:"created"`
}

type file struct {
	Keys []Key `json:"keys"`
}

// ErrNoKeys is Load's answer for a missing or empty key file: the gateway would accept no
// request, so it is an error, not an empty list.
var ErrNoKeys = errors.New("s3keys: no access keys (create one with `dec2 s3 keys create`)")

// MalformedError is a key file that does not parse or holds an unusable key.
type MalformedError struct {
	Path   string
	Reason string
}

func (e *MalformedError) Error() string { return "s3keys: " + e.Path + ": " + e.Reason }

// Access keys look like AWS's (20 upper-case characters) so that tools that sanity-check
// them accept them; the DEC2 prefix says where one came from.
const accessPrefix = "DEC2"

// Generate returns a fresh key pair from the system's CSPRNG.
func Generate(now time.Time) Key {
	var a [10]byte
	var s [30]byte
	_, _ = rand.Read(a[:])
	_, _ = rand.Read(s[:])
	return Key{
		AccessKey: accessPrefix + base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(a[:])[:16],
		// 30 random bytes are 40 characters of base64, the length of an AWS secret.
		SecretKey: base64.StdEncoding.EncodeToString(s[:]),
		Created:   now.UTC(),
	}
}

// Load reads the keys in path.
func Load(path string) ([]Key, error) {
	raw, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%s: %w", path, ErrNoKeys)
	}
	if err != nil {
		return nil, fmt.Errorf("s3keys: read: %w", err)
	}
	var f file
	if err := json.Unmarshal(raw, &f); err != nil {
		return nil, &MalformedError{Path: path, Reason: err.Error()}
	}
	if len(f.Keys) == 0 {
		return nil, fmt.Errorf("%s: %w", path, ErrNoKeys)
	}
	seen := make(map[string]bool, len(f.Keys))
	for i, k := range f.Keys {
		switch {
		case k.AccessKey == "" || k.SecretKey == "":
			return nil, &MalformedError{Path: path, Reason: fmt.Sprintf("key %d: empty access or secret key", i)}
		case strings.ContainsAny(k.AccessKey, "/ ,="):
			// SigV4's Credential field is split on these characters.
			return nil, &MalformedError{Path: path, Reason: fmt.Sprintf("key %d: access key %q holds a separator", i, k.AccessKey)}
		case seen[k.AccessKey]:
			return nil, &MalformedError{Path: path, Reason: fmt.Sprintf("access key %s twice", k.AccessKey)}
		}
		seen[k.AccessKey] = true
	}
	return f.Keys, nil
}

// Create generates a key pair and appends it to the file at path, creating the file (0600)
// and its directory (0700) when missing.
func Create(path string, now time.Time) (Key, error) {
	keys, err := Load(path)
	if err != nil && !errors.Is(err, ErrNoKeys) {
		return Key{}, err
	}
	k := Generate(now)
	keys = append(keys, k)
	raw, err := json.MarshalIndent(file{Keys: keys}, "", "  ")
	if err != nil {
		return Key{}, fmt.Errorf("s3keys: encode: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return Key{}, fmt.Errorf("s3keys: %w", err)
	}
	// Write a sibling and rename, so a crash never leaves a half-written file that loses the
	// keys already there.
	tmp, err := os.CreateTemp(filepath.Dir(path), ".s3keys-*")
	if err != nil {
		return Key{}, fmt.Errorf("s3keys: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(append(raw, '\n')); err != nil {
		_ = tmp.Close()
		return Key{}, fmt.Errorf("s3keys: write: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		_ = tmp.Close()
		return Key{}, fmt.Errorf("s3keys: sync: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return Key{}, fmt.Errorf("s3keys: close: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return Key{}, fmt.Errorf("s3keys: %w", err)
	}
	return k, nil
}
