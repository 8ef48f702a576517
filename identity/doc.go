// Package identity is dec2's wallet sign-in: a consumer proves control of an Ethereum wallet
// with a Sign-In with Ethereum message (siwe), the service checks it against a single-use
// nonce (nonces), binds the wallet to its Nomad namespace (tenant, nomadacl) and issues a
// short-lived JWT (jwtkeys), which Nomad's JWT auth method swaps for an ACL token confined to
// that namespace. server is the HTTP API, client what `dec2 login` calls, and
// cmd/dec2-identity the service. docs/identity.md describes the design.
package identity
