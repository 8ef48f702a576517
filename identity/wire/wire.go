// Package wire is the identity service's HTTP bodies, shared by its server and its clients (the
// dec2 CLI, the console) so that a client links no server.
package wire

import "time"

// NonceResponse is GET /v1/siwe/nonce's answer: what a message must carry.
type NonceResponse struct {
	Nonce   string    `json:"nonce"`
	Domain  string    `json:"domain"`
	ChainID uint64    `json:"chain_id"`
	Expires time.Time `json:"expires"`
}

// LoginRequest is POST /v1/siwe/login's body.
type LoginRequest struct {
	Message   string `json:"message"`
	Signature string `json:"signature"` // 0x-hex, 65 bytes
}

// LoginResponse carries the JWT to swap at Nomad's /v1/acl/login with AuthMethod.
type LoginResponse struct {
	JWT        string    `json:"jwt"`
	Namespace  string    `json:"namespace"`
	Wallet     string    `json:"wallet"`
	Expires    time.Time `json:"expires"`
	AuthMethod string    `json:"auth_method"`
}

// ErrorResponse is every failure's body: Code is stable for programs, Error for people.
type ErrorResponse struct {
	Error string `json:"error"`
	Code  string `json:"code"`
}
