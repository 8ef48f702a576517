package e2e

import (
	"fmt"
	"net/http"
	"strings"
)

// Identity is `dec2-identity` serving sign-in with a wallet for a region with ACLs: it holds the
// region's management token, sets up Nomad's JWT auth method at start, and binds each wallet's
// namespace at its first sign-in.
type Identity struct {
	URL string // http://127.0.0.1:port, also the domain signers name
}

// StartIdentity builds and serves dec2-identity for r (which must have ACLs on) on a free port,
// waits until Nomad's auth method and binding rule point at it, and stops it at cleanup.
func StartIdentity(t TB, r *Region, args ...string) *Identity {
	t.Helper()
	if r.Token == "" {
		t.Fatalf("dec2-identity needs a region with ACLs (Options.ACL)")
	}
	id := &Identity{URL: fmt.Sprintf("http://127.0.0.1:%d", FreePort(t))}
	startService(t, "dec2-identity", "./identity/cmd/dec2-identity",
		append([]string{"-listen", strings.TrimPrefix(id.URL, "http://"), "-nomad-addr", r.Addr}, args...),
		[]string{"NOMAD_TOKEN=" + r.Token},
		func() bool {
			rules, _, err := r.API.ACLBindingRules().List(nil)
			if err != nil || len(rules) == 0 {
				return false
			}
			resp, err := http.Get(id.URL + "/.well-known/jwks.json")
			if err != nil {
				return false
			}
			resp.Body.Close()
			return resp.StatusCode == http.StatusOK
		})
	return id
}
