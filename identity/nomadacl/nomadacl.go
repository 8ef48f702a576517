// Package nomadacl sets up Nomad's side of wallet sign-in with the identity service's
// management token: the JWT auth method, its binding rule, each tenant's namespace and
// policy, and revocation. Nomad's ACL system holds every token; this package holds none.
package nomadacl

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/hashicorp/nomad/api"

	"github.com/dec2-cloud/dec2/conventions"
	"github.com/dec2-cloud/dec2/identity/tenant"
)

// Defaults for Config.
const (
	DefaultAuthMethod  = "dec2-wallet"
	DefaultMaxTokenTTL = time.Hour
)

// BindName makes the policy of a login the policy of the JWT's namespace claim: one rule
// serves every tenant, and a tenant's policy exists before its first JWT is issued.
const BindName = "tenant-${value.namespace}"

var (
	// ErrTokenUnknown: Nomad does not know the secret (never issued, expired or revoked).
	ErrTokenUnknown = errors.New("the token is unknown to Nomad: it expired or was revoked")
	// ErrNotTenantToken: the token was not made by a wallet login, so it is not ours to revoke.
	ErrNotTenantToken = errors.New("not a token from a wallet login: revoke it with nomad acl token delete")
)

// NamespaceTakenError refuses to give a tenant a namespace already bound to something else.
// A namespace is bound once: rebinding would move a tenant's jobs, and their bills, to another wallet.
type NamespaceTakenError struct {
	Namespace string
	Wallet    string // the wallet asking
	Bound     string // the namespace's dec2.wallet, "" if it has none
}

func (e *NamespaceTakenError) Error() string {
	bound := "no " + conventions.MetaWallet + " meta"
	if e.Bound != "" {
		bound = conventions.MetaWallet + " = " + e.Bound
	}
	return fmt.Sprintf("namespace %s exists with %s, not bound to %s: an operator must check and fix it", e.Namespace, bound, e.Wallet)
}

// Config describes the auth method.
type Config struct {
	AuthMethod  string // DefaultAuthMethod when ""
	JWKSURL     string // the identity service's JWKS, as Nomad's servers reach it
	Issuer      string
	Audience    string
	MaxTokenTTL time.Duration // DefaultMaxTokenTTL when 0: the life of a Nomad token from a login
}

// ACL talks to Nomad with a management token.
type ACL struct {
	nomad *api.Client
	cfg   Config
}

// New returns an ACL over nomad, whose client must carry a management token.
func New(nomad *api.Client, cfg Config) *ACL {
	if cfg.AuthMethod == "" {
		cfg.AuthMethod = DefaultAuthMethod
	}
	if cfg.MaxTokenTTL <= 0 {
		cfg.MaxTokenTTL = DefaultMaxTokenTTL
	}
	return &ACL{nomad: nomad, cfg: cfg}
}

// AuthMethod is the auth method's name, for clients' /v1/acl/login.
func (a *ACL) AuthMethod() string { return a.cfg.AuthMethod }

func (a *ACL) authMethod() *api.ACLAuthMethod {
	return &api.ACLAuthMethod{
		Name: a.cfg.AuthMethod,
		Type: api.ACLAuthMethodTypeJWT,
		// Global: the token replicates to every federated region, so a tenant signs in once.
		TokenLocality: api.ACLAuthMethodTokenLocalityGlobal,
		// The wallet in the name tells operators whose token it is; the prefix tells RevokeToken.
		TokenNameFormat: "${auth_method_name}-${value.wallet}",
		MaxTokenTTL:     a.cfg.MaxTokenTTL,
		Config: &api.ACLAuthMethodConfig{
			JWKSURL:        a.cfg.JWKSURL,
			BoundIssuer:    []string{a.cfg.Issuer},
			BoundAudiences: []string{a.cfg.Audience},
			SigningAlgs:    []string{"RS256"},
			ClaimMappings:  map[string]string{"wallet": "wallet", "namespace": "namespace"},
		},
	}
}

// EnsureAuthMethod creates the JWT auth method, or updates it to this configuration.
func (a *ACL) EnsureAuthMethod(ctx context.Context) error {
	want := a.authMethod()
	_, _, err := a.nomad.ACLAuthMethods().Get(want.Name, (&api.QueryOptions{}).WithContext(ctx))
	switch {
	case statusIs(err, http.StatusNotFound):
		_, _, err = a.nomad.ACLAuthMethods().Create(want, (&api.WriteOptions{}).WithContext(ctx))
	case err == nil:
		_, _, err = a.nomad.ACLAuthMethods().Update(want, (&api.WriteOptions{}).WithContext(ctx))
	}
	if err != nil {
		return fmt.Errorf("ensuring Nomad auth method %s: %w", want.Name, err)
	}
	return nil
}

// EnsureBindingRule creates the auth method's policy binding rule unless it exists; other
// rules on the method are the operator's and stay.
func (a *ACL) EnsureBindingRule(ctx context.Context) error {
	stubs, _, err := a.nomad.ACLBindingRules().List((&api.QueryOptions{}).WithContext(ctx))
	if err != nil {
		return fmt.Errorf("listing Nomad binding rules: %w", err)
	}
	for _, s := range stubs {
		if s.AuthMethod != a.cfg.AuthMethod {
			continue
		}
		rule, _, err := a.nomad.ACLBindingRules().Get(s.ID, (&api.QueryOptions{}).WithContext(ctx))
		if err != nil {
			return fmt.Errorf("reading Nomad binding rule %s: %w", s.ID, err)
		}
		if rule.BindType == api.ACLBindingRuleBindTypePolicy && rule.BindName == BindName && rule.Selector == "" {
			return nil
		}
	}
	_, _, err = a.nomad.ACLBindingRules().Create(&api.ACLBindingRule{
		Description: "dec2: a wallet login gets its tenant namespace's policy",
		AuthMethod:  a.cfg.AuthMethod,
		BindType:    api.ACLBindingRuleBindTypePolicy,
		BindName:    BindName,
	}, (&api.WriteOptions{}).WithContext(ctx))
	if err != nil {
		return fmt.Errorf("creating Nomad binding rule %s for %s: %w", BindName, a.cfg.AuthMethod, err)
	}
	return nil
}

// EnsureTenant makes sure wallet has its namespace, bound to it by meta, and the namespace's
// policy, and returns the namespace. It never rebinds a namespace (NamespaceTakenError).
func (a *ACL) EnsureTenant(ctx context.Context, wallet common.Address) (string, error) {
	ns := tenant.Namespace(wallet)
	existing, _, err := a.nomad.Namespaces().Info(ns, (&api.QueryOptions{}).WithContext(ctx))
	switch {
	case statusIs(err, http.StatusNotFound):
		_, err = a.nomad.Namespaces().Register(&api.Namespace{
			Name:        ns,
			Description: "dec2 tenant " + wallet.Hex(),
			Meta:        map[string]string{conventions.MetaWallet: wallet.Hex()},
		}, (&api.WriteOptions{}).WithContext(ctx))
		if err != nil {
			return "", fmt.Errorf("creating namespace %s for %s: %w", ns, wallet.Hex(), err)
		}
	case err != nil:
		return "", fmt.Errorf("reading namespace %s: %w", ns, err)
	case existing.Meta[conventions.MetaWallet] != wallet.Hex():
		return "", &NamespaceTakenError{Namespace: ns, Wallet: wallet.Hex(), Bound: existing.Meta[conventions.MetaWallet]}
	}
	// Upserted at every login, so a changed tenant.Policy reaches every tenant.
	_, err = a.nomad.ACLPolicies().Upsert(&api.ACLPolicy{
		Name:        tenant.PolicyName(ns),
		Description: "dec2 tenant " + wallet.Hex() + ": its namespace only",
		Rules:       tenant.Policy(ns),
	}, (&api.WriteOptions{}).WithContext(ctx))
	if err != nil {
		return "", fmt.Errorf("writing policy %s: %w", tenant.PolicyName(ns), err)
	}
	return ns, nil
}

// RevokeToken deletes the Nomad token whose secret is secretID, if a wallet login made it.
// Only the holder of the secret can ask, and the secret is all it proves.
func (a *ACL) RevokeToken(ctx context.Context, secretID string) error {
	self, _, err := a.nomad.ACLTokens().Self((&api.QueryOptions{AuthToken: secretID}).WithContext(ctx))
	switch {
	case statusIs(err, http.StatusForbidden) || statusIs(err, http.StatusNotFound):
		return fmt.Errorf("revoking a token: %w", ErrTokenUnknown)
	case err != nil:
		return fmt.Errorf("revoking a token: looking it up: %w", err)
	case !a.fromLogin(self):
		return fmt.Errorf("revoking token %s (%s): %w", self.AccessorID, self.Name, ErrNotTenantToken)
	}
	if _, err := a.nomad.ACLTokens().Delete(self.AccessorID, (&api.WriteOptions{}).WithContext(ctx)); err != nil {
		return fmt.Errorf("revoking token %s: %w", self.AccessorID, err)
	}
	return nil
}

// fromLogin tells a wallet login's token: a client token named after the auth method with
// tenants' policies only.
func (a *ACL) fromLogin(t *api.ACLToken) bool {
	if t.Type != "client" || !strings.HasPrefix(t.Name, a.cfg.AuthMethod+"-") || len(t.Roles) > 0 || len(t.Policies) == 0 {
		return false
	}
	for _, p := range t.Policies {
		if !tenant.IsPolicyName(p) {
			return false
		}
	}
	return true
}

func statusIs(err error, code int) bool {
	var ue api.UnexpectedResponseError
	return errors.As(err, &ue) && ue.StatusCode() == code
}
