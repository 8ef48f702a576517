// Package tenancy decides which wallet pays for a tenant's job. A tenant is a Nomad namespace
// bound to a wallet (namespace meta dec2.wallet, written only by the identity service); job
// meta dec2.wallet, which anyone who submits a job sets freely, may name only that wallet or a
// wallet that signed a delegation to the namespace. Billing and the allocator both ask Payer,
// so a job the allocator admits is a job billing charges, and the other way round.
package tenancy

import (
	"errors"
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/dec2-cloud/dec2/conventions"
)

// Reasons a job cannot be billed; stable labels for metrics and events.
const (
	ReasonUnbound         = "unbound_namespace"
	ReasonBadBinding      = "bad_namespace_wallet"
	ReasonBadJobWallet    = "bad_job_wallet"
	ReasonNotNamespaces   = "foreign_wallet"
	ReasonBadDelegation   = "bad_delegation"
	ReasonDelegationEnded = "delegation_expired"
)

// Error says why a job's wallet is refused. Key is the meta key at fault ("" for the
// namespace's binding).
type Error struct {
	Reason string
	Key    string
	Err    error
}

func (e *Error) Error() string {
	if e.Key == "" {
		return e.Err.Error()
	}
	return "job meta " + e.Key + ": " + e.Err.Error()
}
func (e *Error) Unwrap() error { return e.Err }

// Job is what Payer reads of a job.
type Job struct {
	Namespace string
	Meta      map[string]string
	// NamespaceWallet is the namespace's meta dec2.wallet, "" where the namespace has none.
	NamespaceWallet string
}

// Payer returns the wallet a job is billed to at time at: the namespace's bound wallet, or the
// job's dec2.wallet where that wallet delegated to the namespace (valid on chainID at at).
func Payer(j Job, chainID *big.Int, at time.Time) (common.Address, error) {
	if strings.TrimSpace(j.NamespaceWallet) == "" {
		return common.Address{}, &Error{Reason: ReasonUnbound, Err: fmt.Errorf(
			"namespace %q has no bound wallet, so its jobs are billed to no one: sign in with `dec2 login` and run the job in the namespace it gives you", j.Namespace)}
	}
	bound, err := ParseWallet(j.NamespaceWallet)
	if err != nil {
		return common.Address{}, &Error{Reason: ReasonBadBinding, Err: fmt.Errorf("namespace %q meta %s: %w", j.Namespace, conventions.MetaWallet, err)}
	}
	named := strings.TrimSpace(j.Meta[conventions.MetaWallet])
	if named == "" {
		return bound, nil
	}
	w, err := ParseWallet(named)
	if err != nil {
		return common.Address{}, &Error{Reason: ReasonBadJobWallet, Key: conventions.MetaWallet, Err: err}
	}
	if w == bound {
		return bound, nil
	}
	sig, ok := j.Meta[conventions.MetaDelegation]
	if !ok {
		return common.Address{}, &Error{Reason: ReasonNotNamespaces, Key: conventions.MetaWallet, Err: fmt.Errorf(
			"%s is not namespace %q's wallet (%s) and the job carries no %s signed by it: drop the key to pay with %s, or add the delegation `dec2 wallet delegate --namespace %s` prints",
			w.Hex(), j.Namespace, bound.Hex(), conventions.MetaDelegation, bound.Hex(), j.Namespace)}
	}
	d, err := ParseDelegation(w, j.Namespace, sig, j.Meta[conventions.MetaDelegationUntil])
	if err != nil {
		return common.Address{}, err
	}
	if err := d.Verify(chainID, at); err != nil {
		return common.Address{}, err
	}
	return w, nil
}

// ParseDelegation reads a delegation from job meta: the signature and its end (unix seconds).
func ParseDelegation(wallet common.Address, namespace, sig, until string) (Delegation, error) {
	raw, err := hexBytes(sig)
	if err != nil || len(raw) != 65 {
		return Delegation{}, &Error{Reason: ReasonBadDelegation, Key: conventions.MetaDelegation,
			Err: fmt.Errorf("want a 0x-hex 65-byte signature, got %q", sig)}
	}
	secs, err := strconv.ParseUint(strings.TrimSpace(until), 10, 63)
	if err != nil {
		return Delegation{}, &Error{Reason: ReasonBadDelegation, Key: conventions.MetaDelegationUntil,
			Err: fmt.Errorf("want the delegation's end in unix seconds, got %q", until)}
	}
	return Delegation{Wallet: wallet, Namespace: namespace, Until: time.Unix(int64(secs), 0), Signature: raw}, nil
}

func hexBytes(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	if !strings.HasPrefix(s, "0x") {
		return nil, errors.New("no 0x prefix")
	}
	return common.ParseHexOrString(s)
}

// ParseWallet accepts a 0x-hex address; mixed case must be a valid EIP-55 checksum (a typo in
// a checksummed address must not send money elsewhere).
func ParseWallet(s string) (common.Address, error) {
	s = strings.TrimSpace(s)
	if !common.IsHexAddress(s) || !strings.HasPrefix(s, "0x") {
		return common.Address{}, fmt.Errorf("%q is not a 0x-prefixed 20-byte hex address", s)
	}
	a := common.HexToAddress(s)
	body := s[2:]
	if body != strings.ToLower(body) && body != strings.ToUpper(body) && a.Hex() != s {
		return common.Address{}, fmt.Errorf("%q fails its EIP-55 checksum (want %s): check for a typo", s, a.Hex())
	}
	if a == (common.Address{}) {
		return common.Address{}, errors.New("the zero address cannot pay or be paid")
	}
	return a, nil
}
