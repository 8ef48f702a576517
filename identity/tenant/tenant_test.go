package tenant_test

import (
	"regexp"
	"slices"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/hashicorp/nomad/acl"

	"github.com/dec2-cloud/dec2/identity/tenant"
)

var wallet = common.HexToAddress("0xe5A12547fe4E872D192E3eCecb76F2Ce1aeA4946")

func TestNames(t *testing.T) {
	ns := tenant.Namespace(wallet)
	if ns != "t-e5a12547fe4e872d192e3ececb76f2ce1aea4946" {
		t.Errorf("Namespace = %q", ns)
	}
	nomadName := regexp.MustCompile(`^[a-zA-Z0-9-]{1,128}$`)
	if !nomadName.MatchString(ns) || !nomadName.MatchString(tenant.PolicyName(ns)) {
		t.Errorf("%q or its policy is not a valid Nomad name", ns)
	}
	if !tenant.IsNamespace(ns) || !tenant.IsPolicyName(tenant.PolicyName(ns)) {
		t.Errorf("IsNamespace/IsPolicyName refuse their own names")
	}
	for _, bad := range []string{"default", "t-E5A12547fe4E872D192E3eCecb76F2Ce1aeA4946", "t-e5a1", "t-zz" + ns[4:]} {
		if tenant.IsNamespace(bad) || tenant.IsPolicyName("tenant-"+bad) {
			t.Errorf("%q taken for a tenant's namespace", bad)
		}
	}
}

// The policy parses with Nomad's own parser and grants exactly the tenant's namespace.
func TestPolicyParses(t *testing.T) {
	ns := tenant.Namespace(wallet)
	p, err := acl.Parse(tenant.Policy(ns), acl.PolicyParseStrict)
	if err != nil {
		t.Fatalf("Nomad refuses the policy: %v\n%s", err, tenant.Policy(ns))
	}
	if len(p.Namespaces) != 1 || p.Namespaces[0].Name != ns {
		t.Fatalf("namespaces %+v, want only %s", p.Namespaces, ns)
	}
	got := p.Namespaces[0]
	for _, c := range tenant.Capabilities {
		if !slices.Contains(got.Capabilities, c) {
			t.Errorf("capability %s missing", c)
		}
	}
	for _, c := range []string{"alloc-node-exec", "csi-register-plugin", "host-volume-create"} {
		if slices.Contains(got.Capabilities, c) {
			t.Errorf("a tenant gets %s", c)
		}
	}
	if got.Variables == nil || len(got.Variables.Paths) != 1 || got.Variables.Paths[0].PathSpec != "*" {
		t.Errorf("variables %+v, want the namespace's whole tree", got.Variables)
	}
	if p.Node == nil || p.Node.Policy != "read" || p.Namespaces[0].Policy != "" {
		t.Errorf("node %+v, want read", p.Node)
	}
	var pools []string
	for _, np := range p.NodePools {
		if np.Policy != "read" {
			t.Errorf("node pool %s: %s", np.Name, np.Policy)
		}
		pools = append(pools, np.Name)
	}
	if !slices.Equal(pools, []string{"default", ns}) {
		t.Errorf("node pools %v", pools)
	}
	if p.Agent != nil || p.Operator != nil || p.Quota != nil || p.Plugin != nil {
		t.Errorf("policy grants more than a namespace and reads: %+v", p)
	}
}
