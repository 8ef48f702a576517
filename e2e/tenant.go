package e2e

import (
	"github.com/hashicorp/nomad/api"

	"github.com/dec2-cloud/dec2/conventions"
)

// TenantWallet is the wallet tests bind `default` to where nobody pays (packing tests).
const TenantWallet = "0x00000000000000000000000000000000000000C0"

// BindWallet makes namespace ns a tenant bound to wallet, as the identity service does at the
// wallet's first sign-in (namespace meta dec2.wallet), with the region's management token. Tests
// of billing and packing use it where signing in is not what they test.
func (r *Region) BindWallet(t TB, ns, wallet string) {
	t.Helper()
	n := &api.Namespace{Name: ns, Meta: map[string]string{conventions.MetaWallet: wallet}}
	if old, _, err := r.API.Namespaces().Info(ns, nil); err == nil && old != nil {
		n.Description, n.Quota, n.Capabilities = old.Description, old.Quota, old.Capabilities
	}
	if _, err := r.API.Namespaces().Register(n, nil); err != nil {
		t.Fatalf("binding namespace %s to wallet %s: %v", ns, wallet, err)
	}
}
