package server

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/dec2-cloud/dec2/identity/nomadacl"
	"github.com/dec2-cloud/dec2/identity/nonces"
	"github.com/dec2-cloud/dec2/identity/siwe"
	"github.com/dec2-cloud/dec2/identity/wire"
)

// status maps an error to its HTTP status and code. Anything unrecognised is the service's
// or Nomad's fault: 502, since it is nearly always Nomad that failed.
func status(err error) (int, string) {
	var tooBig *http.MaxBytesError
	var taken *nomadacl.NamespaceTakenError
	var bad *badRequest
	switch {
	case errors.As(err, &tooBig):
		return http.StatusRequestEntityTooLarge, "request_too_large"
	case errors.As(err, &bad), errors.Is(err, siwe.ErrMalformed):
		return http.StatusBadRequest, "malformed_message"
	case errors.Is(err, siwe.ErrDomain):
		return http.StatusBadRequest, "wrong_domain"
	case errors.Is(err, siwe.ErrChainID):
		return http.StatusBadRequest, "wrong_chain_id"
	case errors.Is(err, siwe.ErrSignature):
		return http.StatusUnauthorized, "bad_signature"
	case errors.Is(err, siwe.ErrExpired):
		return http.StatusUnauthorized, "expired"
	case errors.Is(err, siwe.ErrNotYet):
		return http.StatusUnauthorized, "not_yet_valid"
	case errors.Is(err, siwe.ErrNonce):
		return http.StatusConflict, "bad_nonce"
	case errors.As(err, &taken):
		return http.StatusConflict, "namespace_taken"
	case errors.Is(err, errNoToken):
		return http.StatusUnauthorized, "no_token"
	case errors.Is(err, nomadacl.ErrTokenUnknown):
		return http.StatusUnauthorized, "unknown_token"
	case errors.Is(err, nomadacl.ErrNotTenantToken):
		return http.StatusForbidden, "not_a_wallet_token"
	case errors.Is(err, nonces.ErrFull):
		return http.StatusServiceUnavailable, "too_many_nonces"
	}
	return http.StatusBadGateway, "upstream"
}

// fail answers with err's status; server-side failures are logged, not detailed to the caller.
func (s *server) fail(w http.ResponseWriter, r *http.Request, err error) {
	code, name := status(err)
	msg := err.Error()
	if code >= 500 {
		s.Log.Error("request failed", "path", r.URL.Path, "err", err)
		if code == http.StatusServiceUnavailable {
			w.Header().Set("Retry-After", strconv.Itoa(5))
		} else {
			msg = "the identity service could not complete the request; it is logged"
		}
	} else {
		s.Log.Info("request refused", "path", r.URL.Path, "code", name, "err", err)
	}
	writeJSON(w, code, wire.ErrorResponse{Error: msg, Code: name})
}
