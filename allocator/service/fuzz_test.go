package service

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// FuzzRegister: whatever body a registration carries, the allocator answers in Nomad's form —
// forwarded (200 from the stub), 400 for what is malformed, 403 for a wallet the namespace may
// not bill, 409 for what cannot be placed —
// and never panics or holds capacity for a registration Nomad did not take.
func FuzzRegister(f *testing.F) {
	model, nodes := benchFleet(6)
	stub := stubNomad(nodes)
	defer stub.Close()
	s, err := New(Config{NomadAddr: stub.URL, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), HoldTTL: time.Hour})
	if err != nil {
		f.Fatal(err)
	}
	s.fleet.Reset(model)
	h := s.Handler()
	for _, seed := range []string{
		`{"Job":{"ID":"a","Meta":{"dec2.pack":"true"},"TaskGroups":[{"Name":"g","Count":2,"Tasks":[{"Name":"t","Resources":{"CPU":500,"MemoryMB":512}}]}]}}`,
		`{"Job":{"ID":"a","Meta":{"dec2.pack":"true"},"TaskGroups":[{"Name":"g","Count":1,"Tasks":[{"Name":"t","Resources":{"MemoryMB":999999}}]}]}}`,
		`{"Job":{"ID":"a","Meta":{"dec2.pack":"true"},"TaskGroups":[{"Name":"g","Count":-1,"Tasks":[{"Name":"t"}]}]}}`,
		`{"Job":{"ID":"a","Meta":{"dec2.pack":"true","dec2.max_price_hour":"x"},"TaskGroups":[{"Name":"g","Tasks":[{"Name":"t"}]}]}}`,
		`{"Job":{"ID":"a","Meta":{"dec2.pack":"true"},"Constraints":[{"LTarget":"${attr.x}","Operand":"regexp","RTarget":"("}],"TaskGroups":[{"Name":"g","Tasks":[{"Name":"t"}]}]}}`,
		`{"Job":{"ID":"a","Meta":{"dec2.pack":"true","dec2.plan":"{}"},"TaskGroups":[{"Name":"g#2"}]}}`,
		`{"Job":{"ID":"a","TaskGroups":[]}}`,
		`{"Job":{"ID":"a","Meta":{"dec2.pack":"true","dec2.max_price_hour":"NaN"},"TaskGroups":[{"Name":"g","Tasks":[{"Name":"t"}]}]}}`,
		`{"Job":{"ID":"a","Meta":{"dec2.pack":"true","dec2.wallet":"0x00000000000000000000000000000000000000b0"},"TaskGroups":[{"Name":"g","Tasks":[{"Name":"t"}]}]}}`,
		`{"Job":null}`, `[]`, `{`,
	} {
		f.Add([]byte(seed))
	}
	held := func() int {
		s.fleet.mu.Lock()
		defer s.fleet.mu.Unlock()
		return s.fleet.ledger.Instances()
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		before := held()
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodPut, "/v1/jobs", bytes.NewReader(body)))
		switch rec.Code {
		case http.StatusOK:
		case http.StatusBadRequest, http.StatusForbidden, http.StatusConflict:
			if after := held(); after != before {
				t.Fatalf("a refused registration (%d) changed the holds from %d to %d", rec.Code, before, after)
			}
		default:
			t.Fatalf("status %d for %q: %s", rec.Code, body, rec.Body.String())
		}
	})
}
