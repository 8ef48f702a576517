package service

import (
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/dec2-cloud/dec2/allocator/admission"
)

// Each kind of refusal answers the status it always has, in Nomad's plain-text form.
func TestRefusalStatuses(t *testing.T) {
	s, err := New(Config{NomadAddr: "http://127.0.0.1:1", Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		err  error
		code int
	}{
		{admission.Refuse(admission.BadInput, "x"), http.StatusBadRequest},
		{admission.Refuse(admission.Forbidden, "x"), http.StatusForbidden},
		{admission.Refuse(admission.Unplaceable, "x"), http.StatusConflict},
		{admission.Refuse(admission.Upstream, "x"), http.StatusBadGateway},
		{admission.Refuse(admission.Unavailable, "x"), http.StatusServiceUnavailable},
		{admission.Refuse(admission.Internal, "x"), http.StatusInternalServerError},
		{errors.New("x"), http.StatusInternalServerError},
	} {
		rec := httptest.NewRecorder()
		s.fail(rec, "register", tc.err)
		if rec.Code != tc.code || strings.TrimSpace(rec.Body.String()) != "dec2-allocator: x" {
			t.Errorf("%v: %d %q, want %d %q", tc.err, rec.Code, rec.Body.String(), tc.code, "dec2-allocator: x")
		}
	}
}
