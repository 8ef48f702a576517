package settings

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestResolveOrder(t *testing.T) {
	file := Settings{NomadAddr: "http://file:4646", RPCURL: "http://file:8545", Operator: "0xfile"}
	env := map[string]string{"NOMAD_ADDR": "http://env:4646", "DEC2_RPC_URL": "http://env:8545"}
	s := Resolve(map[string]string{"nomad-addr": "http://flag:4646"}, func(k string) string { return env[k] }, file)
	for _, c := range [][2]string{
		{s.NomadAddr, "http://flag:4646"}, {s.RPCURL, "http://env:8545"}, {s.Operator, "0xfile"},
		{s.BillingURL, "http://127.0.0.1:9466"}, {s.Allocator, "http://flag:4646"},
	} {
		if got, want := c[0], c[1]; got != want {
			t.Errorf("got %q, want %q (settings %+v)", got, want, s)
		}
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	if s, err := Load(filepath.Join(dir, "none.json"), false); err != nil || s != (Settings{}) {
		t.Fatalf("a missing default file: %+v, %v", s, err)
	}
	if _, err := Load(filepath.Join(dir, "none.json"), true); err == nil {
		t.Fatal("a missing --config file was accepted")
	}
	p := filepath.Join(dir, "c.json")
	os.WriteFile(p, []byte(`{"nomad_addr": "http://n:4646", "key_file": "~/k"}`), 0o600)
	s, err := Load(p, true)
	if err != nil || s.NomadAddr != "http://n:4646" {
		t.Fatalf("Load = %+v, %v", s, err)
	}
	if r := Resolve(nil, func(string) string { return "" }, s); strings.HasPrefix(r.KeyFile, "~") {
		t.Errorf("key_file %q: ~ not expanded", r.KeyFile)
	}
	os.WriteFile(p, []byte(`{"nomad": "x"}`), 0o600)
	if _, err := Load(p, true); err == nil || !strings.Contains(err.Error(), `unknown field "nomad"`) {
		t.Fatalf("an unknown key: %v", err)
	}
}

func TestIdentityAndNamespace(t *testing.T) {
	none := func(string) string { return "" }
	s := Resolve(nil, none, Settings{})
	if s.Identity != "http://127.0.0.1:4657" || s.Namespace != "" {
		t.Fatalf("defaults: identity %q, namespace %q", s.Identity, s.Namespace)
	}
	file := Settings{Identity: "http://file:4657", Namespace: "t-file"}
	env := map[string]string{"DEC2_IDENTITY": "http://env:4657", "NOMAD_NAMESPACE": "t-env"}
	if s := Resolve(nil, func(k string) string { return env[k] }, file); s.Identity != "http://env:4657" || s.Namespace != "t-env" {
		t.Fatalf("environment over file: %+v", s)
	}
	if s := Resolve(map[string]string{"identity": "http://flag:4657", "namespace": "t-flag"}, func(k string) string { return env[k] }, file); s.Identity != "http://flag:4657" || s.Namespace != "t-flag" {
		t.Fatalf("flags over everything: %+v", s)
	}
	if s := Resolve(nil, none, file); s.Identity != "http://file:4657" || s.Namespace != "t-file" {
		t.Fatalf("file over defaults: %+v", s)
	}
}

// Update keeps the keys it does not change, creates the file 0600 in a 0700 directory, and
// what it writes loads back.
func TestSaveUpdate(t *testing.T) {
	p := filepath.Join(t.TempDir(), "new", "dec2", "config.json")
	if err := Update(p, func(s *Settings) { s.NomadToken, s.Namespace = "secret", "t-ab" }); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]os.FileMode{p: 0o600, filepath.Dir(p): 0o700 | os.ModeDir} {
		if fi, err := os.Stat(path); err != nil || fi.Mode() != want {
			t.Errorf("%s: mode %v, %v; want %v", path, fi.Mode(), err, want)
		}
	}
	os.WriteFile(p, []byte(`{"rpc_url": "http://rpc:8545", "nomad_token": "old", "key_file": "~/k"}`), 0o644)
	exp := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	if err := Update(p, func(s *Settings) {
		s.NomadToken, s.Namespace, s.TokenExpires = "new", "t-cd", exp.Format(time.RFC3339)
	}); err != nil {
		t.Fatal(err)
	}
	s, err := Load(p, true)
	if err != nil {
		t.Fatal(err)
	}
	want := Settings{RPCURL: "http://rpc:8545", KeyFile: "~/k", NomadToken: "new", Namespace: "t-cd", TokenExpires: "2030-01-02T03:04:05Z"}
	if s != want || !s.Expires().Equal(exp) {
		t.Fatalf("after Update: %+v (expires %v), want %+v", s, s.Expires(), want)
	}
	if fi, _ := os.Stat(p); fi.Mode() != 0o600 {
		t.Errorf("a 0644 file rewritten with a token is %v, want 0600", fi.Mode())
	}
	b, _ := os.ReadFile(p)
	if strings.Contains(string(b), `"allocator"`) {
		t.Errorf("unset keys are written:\n%s", b)
	}
	if err := Update(p, func(s *Settings) { s.NomadToken, s.Namespace, s.TokenExpires = "", "", "" }); err != nil {
		t.Fatal(err)
	}
	if s, _ := Load(p, true); s != (Settings{RPCURL: "http://rpc:8545", KeyFile: "~/k"}) {
		t.Fatalf("after clearing the session: %+v", s)
	}
	entries, _ := os.ReadDir(filepath.Dir(p))
	if len(entries) != 1 {
		t.Errorf("temporary files left beside the config: %v", entries)
	}
	os.WriteFile(p, []byte(`{"bogus": 1}`), 0o600)
	if err := Update(p, func(*Settings) {}); err == nil || !strings.Contains(err.Error(), "identity") {
		t.Errorf("updating an unreadable file: %v, want the error with the keys", err)
	}
	if b, _ := os.ReadFile(p); string(b) != `{"bogus": 1}` {
		t.Errorf("an unreadable file was overwritten: %s", b)
	}
}
