// Package tenant names a wallet's Nomad namespace and writes the ACL policy that confines a
// tenant's tokens to it. It is pure: package nomadacl applies what it returns.
package tenant

import (
	"fmt"
	"strings"

	"github.com/ethereum/go-ethereum/common"
)

// prefixes keep tenants' namespaces and policies apart from operators' own.
const (
	namespacePrefix = "t-"
	policyPrefix    = "tenant-"
)

// Capabilities a tenant holds in its own namespace: run, read, log, exec into, browse the
// files of and scale its jobs. Left out: alloc-node-exec (raw_exec on a provider's host),
// CSI and host volumes (a provider's disks), sentinel-override and submit-recommendation
// (Enterprise).
var Capabilities = []string{
	"list-jobs", "parse-job", "read-job", "submit-job", "dispatch-job",
	"read-logs", "read-fs", "alloc-exec", "alloc-lifecycle",
	"list-scaling-policies", "read-scaling-policy", "read-job-scaling", "scale-job",
}

// Namespace is the wallet's namespace: "t-" and the address in lowercase hex, which fits
// Nomad's ^[a-zA-Z0-9-]{1,128}$ and names one wallet whatever its case.
func Namespace(wallet common.Address) string {
	return namespacePrefix + strings.ToLower(wallet.Hex()[2:])
}

// IsNamespace reports whether ns is a tenant's namespace name.
func IsNamespace(ns string) bool {
	hex, ok := strings.CutPrefix(ns, namespacePrefix)
	return ok && len(hex) == 40 && strings.ToLower(hex) == hex && common.IsHexAddress(hex)
}

// PolicyName is the ACL policy of a tenant's namespace, the name the auth method's binding
// rule computes from the JWT's namespace claim.
func PolicyName(namespace string) string {
	return policyPrefix + namespace
}

// IsPolicyName reports whether name is a tenant's policy.
func IsPolicyName(name string) bool {
	ns, ok := strings.CutPrefix(name, policyPrefix)
	return ok && IsNamespace(ns)
}

// Policy is the ACL policy for namespace and nothing else. Node and node-pool reads let the
// tenant see where its work may go (the allocator needs them under the caller's token); its
// own pool is where a provider dedicated to it joins.
func Policy(namespace string) string {
	quoted := make([]string, len(Capabilities))
	for i, c := range Capabilities {
		quoted[i] = fmt.Sprintf("%q", c)
	}
	return fmt.Sprintf(`namespace %[1]q {
  capabilities = [%[2]s]

  variables {
    path "*" {
      capabilities = ["read", "write", "list", "destroy"]
    }
  }
}

node {
  policy = "read"
}

node_pool "default" {
  policy = "read"
}

node_pool %[1]q {
  policy = "read"
}
`, namespace, strings.Join(quoted, ", "))
}
