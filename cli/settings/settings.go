// Package settings resolves where dec2 talks to and who it signs as. Each setting comes from,
// in order: its flag, its environment variable, the config file, a default. The config file is
// JSON, by default $XDG_CONFIG_HOME/dec2/config.json (~/.config/dec2/config.json):
//
//	{"nomad_addr": "http://10.0.0.1:4646", "allocator": "http://10.0.0.1:4656",
//	 "rpc_url": "https://rpc.example", "deployment": "/etc/dec2/1337.json",
//	 "key_file": "~/.config/dec2/key", "operator": "0x…", "billing_url": "http://10.0.0.1:9466",
//	 "identity": "http://10.0.0.1:4657"}
//
// `dec2 login` adds the session it gets (nomad_token, namespace, token_expires) with [Update],
// and `dec2 logout` removes it; every other key is kept.
package settings

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Settings are everything a command may need to reach.
type Settings struct {
	NomadAddr  string `json:"nomad_addr,omitempty"`
	NomadToken string `json:"nomad_token,omitempty"`
	// Namespace is the Nomad namespace every request works in; "" is Nomad's default. `dec2
	// login` sets it to the wallet's tenant namespace (t-<40 hex>).
	Namespace string `json:"namespace,omitempty"`
	// Region is the Nomad region requests are for; "" is the one NomadAddr serves (Nomad
	// forwards requests for another region of the federation to it).
	Region string `json:"region,omitempty"`
	// Allocator is where jobs are submitted so they get packed; default NomadAddr (consumers
	// normally point NOMAD_ADDR at the allocator). A comma-separated list names a region's
	// allocators: submissions go to the next while a failover lasts.
	Allocator string `json:"allocator,omitempty"`
	RPCURL    string `json:"rpc_url,omitempty"`
	// Deployment is the contracts' addresses file; default deployments/<chain-id>.json.
	Deployment string `json:"deployment,omitempty"`
	KeyFile    string `json:"key_file,omitempty"`
	// Operator is the billing service's address a deposit authorises to open streams.
	Operator   string `json:"operator,omitempty"`
	BillingURL string `json:"billing_url,omitempty"`
	// Identity is dec2-identity's URL, where `dec2 login` signs in with the wallet.
	Identity string `json:"identity,omitempty"`
	// TokenExpires is when the session's token (from `dec2 login`) expires, RFC 3339; only the
	// config file holds it.
	TokenExpires string `json:"token_expires,omitempty"`
}

// Source names a setting's flag and environment variable.
type Source struct {
	Flag, Env string
	Default   string
	field     func(*Settings) *string
}

// Sources lists every setting; the CLI registers a flag for each.
var Sources = []Source{
	{"nomad-addr", "NOMAD_ADDR", "http://127.0.0.1:4646", func(s *Settings) *string { return &s.NomadAddr }},
	{"nomad-token", "NOMAD_TOKEN", "", func(s *Settings) *string { return &s.NomadToken }},
	{"allocator", "DEC2_ALLOCATOR", "", func(s *Settings) *string { return &s.Allocator }},
	{"rpc-url", "DEC2_RPC_URL", "http://127.0.0.1:8545", func(s *Settings) *string { return &s.RPCURL }},
	{"deployment", "DEC2_DEPLOYMENT", "", func(s *Settings) *string { return &s.Deployment }},
	{"key-file", "DEC2_KEY_FILE", "", func(s *Settings) *string { return &s.KeyFile }},
	{"operator", "DEC2_OPERATOR", "", func(s *Settings) *string { return &s.Operator }},
	{"billing-url", "DEC2_BILLING_URL", "http://127.0.0.1:9466", func(s *Settings) *string { return &s.BillingURL }},
	{"identity", "DEC2_IDENTITY", "http://127.0.0.1:4657", func(s *Settings) *string { return &s.Identity }},
	{"namespace", "NOMAD_NAMESPACE", "", func(s *Settings) *string { return &s.Namespace }},
	{"region", "NOMAD_REGION", "", func(s *Settings) *string { return &s.Region }},
}

// DefaultPath is the config file read when --config is not given.
func DefaultPath() string {
	dir, err := os.UserConfigDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "dec2", "config.json")
}

// Load reads the config file at path. A missing file is fine unless it was asked for
// explicitly.
func Load(path string, explicit bool) (Settings, error) {
	var s Settings
	if path == "" {
		return s, nil
	}
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) && !explicit {
		return s, nil
	}
	if err != nil {
		return s, fmt.Errorf("reading config file: %w", err)
	}
	d := json.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	if err := d.Decode(&s); err != nil {
		return s, fmt.Errorf("config file %s: %w (keys: %s)", path, err, strings.Join(keys(), ", "))
	}
	return s, nil
}

// keys are the config file's keys.
func keys() []string {
	return []string{"nomad_addr", "nomad_token", "namespace", "allocator", "rpc_url", "deployment", "key_file",
		"operator", "billing_url", "identity", "token_expires"}
}

// Save writes s to the config file at path, creating its directory (0700) and the file (0600)
// when missing. The file is replaced atomically and stays readable by its owner only: it may
// hold a Nomad token.
func Save(path string, s Settings) error {
	if path == "" {
		return errors.New("no config file path: pass --config (no user config directory: $HOME and $XDG_CONFIG_HOME are unset)")
	}
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("creating the config directory: %w", err)
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("writing config file %s: %w", path, err)
	}
	defer os.Remove(f.Name())
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return fmt.Errorf("writing config file %s: %w", path, err)
	}
	if _, err := f.Write(append(b, '\n')); err != nil {
		f.Close()
		return fmt.Errorf("writing config file %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("writing config file %s: %w", path, err)
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return fmt.Errorf("writing config file %s: %w", path, err)
	}
	return nil
}

// Update reads the config file at path (missing is empty), applies change and saves it: keys
// change does not touch are kept as they were.
func Update(path string, change func(*Settings)) error {
	s, err := Load(path, false)
	if err != nil {
		return err
	}
	change(&s)
	return Save(path, s)
}

// Expires parses TokenExpires; the zero time when unset or unreadable.
func (s Settings) Expires() time.Time {
	t, err := time.Parse(time.RFC3339, s.TokenExpires)
	if err != nil {
		return time.Time{}
	}
	return t
}

// Resolve fills every setting: flags[name] when the flag was given, else the environment,
// else file, else the default. getenv is os.Getenv outside tests.
func Resolve(flags map[string]string, getenv func(string) string, file Settings) Settings {
	out := file
	for _, src := range Sources {
		p := src.field(&out)
		switch v, ok := flags[src.Flag]; {
		case ok:
			*p = v
		case getenv(src.Env) != "":
			*p = getenv(src.Env)
		case *p == "":
			*p = src.Default
		}
	}
	if out.Allocator == "" {
		out.Allocator = out.NomadAddr
	}
	out.KeyFile = expandHome(out.KeyFile)
	return out
}

func expandHome(p string) string {
	if rest, ok := strings.CutPrefix(p, "~/"); ok {
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, rest)
		}
	}
	return p
}
