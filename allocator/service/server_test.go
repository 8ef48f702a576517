package service

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestNomadUnreachableIs502WithTheAddress(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := fmt.Sprintf("http://%s", ln.Addr())
	ln.Close() // nothing listens there now
	s, err := New(Config{NomadAddr: addr})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/v1/jobs")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusBadGateway || !strings.Contains(string(body), addr) {
		t.Errorf("status %d body %q; want 502 naming %s", resp.StatusCode, body, addr)
	}
}

func TestConfigErrors(t *testing.T) {
	for _, addr := range []string{"", "127.0.0.1:4646", "ftp://x"} {
		if _, err := New(Config{NomadAddr: addr}); err == nil {
			t.Errorf("address %q accepted", addr)
		}
	}
	if _, err := New(Config{NomadAddr: "http://127.0.0.1:4646", Algorithms: []string{"magic"}}); err == nil || !strings.Contains(err.Error(), "ffd-dominant") {
		t.Errorf("unknown algorithm: %v", err)
	}
}
