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

// A job for another region passes through untouched (Nomad forwards it there); one for this
// region is pinned.
func TestOtherRegionsPassThrough(t *testing.T) {
	model, _ := benchFleet(3)
	var got []byte
	stub := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method == http.MethodGet && r.URL.Path == "/v1/nodes":
			fmt.Fprint(w, `[{"ID":"node-00000"},{"ID":"node-00001"},{"ID":"node-00002"}]`)
		case r.Method == http.MethodPut && r.URL.Path == "/v1/jobs":
			got, _ = io.ReadAll(r.Body)
			fmt.Fprint(w, `{"EvalID":"e","JobModifyIndex":5}`)
		case r.Method == http.MethodGet && r.URL.Path == "/v1/namespace/default":
			fmt.Fprintf(w, `{"Name":"default","Meta":{"dec2.wallet":%q}}`, stubTenantWallet)
		default:
			http.Error(w, "job not found", http.StatusNotFound)
		}
	}))
	defer stub.Close()
	s, err := New(Config{NomadAddr: stub.URL})
	if err != nil {
		t.Fatal(err)
	}
	s.fleet.Reset(model)
	h := s.Handler()
	for region, pinned := range map[string]bool{"eu": false, "global": true} {
		body := fmt.Sprintf(`{"Job":{"ID":"a","Region":%q,"Meta":{"dec2.pack":"true"},"TaskGroups":[{"Name":"g","Count":1,"Tasks":[{"Name":"t"}]}]}}`, region)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodPut, "/v1/jobs", strings.NewReader(body)))
		if rec.Code != http.StatusOK {
			t.Fatalf("region %s: %d %s", region, rec.Code, rec.Body)
		}
		if strings.Contains(string(got), "dec2.plan") != pinned {
			t.Errorf("region %s: pinned = %v, want %v; Nomad got %s", region, !pinned, pinned, got)
		}
	}
}

// What cannot fit anywhere is a refusal (409); what is malformed in the job is bad input (400).
func TestRefusalOrBadInput(t *testing.T) {
	model, nodes := benchFleet(3)
	stub := stubNomad(nodes)
	defer stub.Close()
	s, err := New(Config{NomadAddr: stub.URL})
	if err != nil {
		t.Fatal(err)
	}
	s.fleet.Reset(model)
	for want, job := range map[int]string{
		http.StatusConflict:   `{"ID":"a","Meta":{"dec2.pack":"true"},"TaskGroups":[{"Name":"g","Tasks":[{"Name":"t","Resources":{"MemoryMB":999999}}]}]}`,
		http.StatusBadRequest: `{"ID":"a","Meta":{"dec2.pack":"true"},"Constraints":[{"LTarget":"${attr.x}","Operand":"regexp","RTarget":"("}],"TaskGroups":[{"Name":"g","Tasks":[{"Name":"t"}]}]}`,
		http.StatusOK:         `{"ID":"a","Meta":{"dec2.pack":"true"},"TaskGroups":[{"Name":"g","Tasks":[{"Name":"t"}]}]}`,
	} {
		rec := httptest.NewRecorder()
		s.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodPut, "/v1/jobs", strings.NewReader(`{"Job":`+job+`}`)))
		if rec.Code != want {
			t.Errorf("status %d, want %d: %s", rec.Code, want, rec.Body)
		}
	}
}
