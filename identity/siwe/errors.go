package siwe

import "errors"

// The kinds of rejection, for errors.Is: a caller maps them to its own responses (the HTTP
// handlers to status codes) without reading messages.
var (
	ErrMalformed = errors.New("malformed message")
	ErrSignature = errors.New("bad signature")
	ErrDomain    = errors.New("wrong domain")
	ErrChainID   = errors.New("wrong chain id")
	ErrNonce     = errors.New("unknown or used nonce")
	ErrExpired   = errors.New("expired")
	ErrNotYet    = errors.New("not yet valid")
)

// Error names the message field that was rejected and what the signer should do about it.
type Error struct {
	Field  string
	Reason string
	Kind   error // one of the Err* sentinels
}

func (e *Error) Error() string {
	return "siwe: " + e.Field + ": " + e.Reason
}

func (e *Error) Unwrap() error { return e.Kind }

func malformed(field, reason string) *Error {
	return &Error{Field: field, Reason: reason, Kind: ErrMalformed}
}
