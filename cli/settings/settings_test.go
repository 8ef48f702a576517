package settings

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
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
