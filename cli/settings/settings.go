// Package settings resolves where dec2 talks to and who it signs as. Each setting comes from,
// in order: its flag, its environment variable, the config file, a default. The config file is
// JSON, by default $XDG_CONFIG_HOME/dec2/config.json (~/.config/dec2/config.json):
//
//	{"nomad_addr": "http://10.0.0.1:4646", "allocator": "http://10.0.0.1:4656",
//	 "rpc_url": "https://rpc.example", "deployment": "/etc/dec2/1337.json",
//	 "key_file": "~/.config/dec2/key", "operator": "0x…", "billing_url": "http://10.0.0.1:9466"}
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
)

// Settings are everything a command may need to reach.
type Settings struct {
	NomadAddr  string `json:"nomad_addr"`
	NomadToken string `json:"nomad_token"`
	// Allocator is where jobs are submitted so they get packed; default NomadAddr (consumers
	// normally point NOMAD_ADDR at the allocator).
	Allocator string `json:"allocator"`
	RPCURL    string `json:"rpc_url"`
	// Deployment is the contracts' addresses file; default deployments/<chain-id>.json.
	Deployment string `json:"deployment"`
	KeyFile    string `json:"key_file"`
	// Operator is the billing service's address a deposit authorises to open streams.
	Operator   string `json:"operator"`
	BillingURL string `json:"billing_url"`
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
		return s, fmt.Errorf("config file %s: %w (keys: nomad_addr, nomad_token, allocator, rpc_url, deployment, key_file, operator, billing_url)", path, err)
	}
	return s, nil
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
