package linkguard

import (
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

const module = "github.com/dec2-cloud/dec2/"

// deps is `go list -deps` of pkg (a path below the module), without tests.
func deps(t *testing.T, pkg string) []string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	cmd := exec.Command("go", "list", "-deps", "./"+pkg)
	cmd.Dir = filepath.Dir(filepath.Dir(file))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go list -deps ./%s: %v\n%s", pkg, err, out)
	}
	return strings.Fields(string(out))
}

// forbid fails for every dependency of pkg that starts with one of prefixes (a prefix
// without a dot is taken below the module).
func forbid(t *testing.T, pkg string, prefixes ...string) {
	t.Helper()
	for _, d := range deps(t, pkg) {
		for _, p := range prefixes {
			if !strings.Contains(p, ".") {
				p = module + p
			}
			if d == p || strings.HasPrefix(d, p+"/") || (strings.HasSuffix(p, "/") && strings.HasPrefix(d, p)) {
				t.Errorf("%s links %s (forbidden: %s)", pkg, d, p)
			}
		}
	}
}

const (
	nvml       = "github.com/NVIDIA/go-nvml"
	prometheus = "github.com/prometheus/client_golang"
	bbolt      = "go.etcd.io/bbolt"
	scheduler  = "github.com/hashicorp/nomad/scheduler"
	nomadMock  = "github.com/hashicorp/nomad/nomad/mock"
	nomadAPI   = "github.com/hashicorp/nomad/api"
	ethclient  = "github.com/ethereum/go-ethereum/ethclient"
	sqlite     = "modernc.org/sqlite"
	pgx        = "github.com/jackc/pgx"
)

// allocatorButPack is the allocator less its pure packer (allocator/pack), which the storage
// gateway places pieces with (issue 16: placement by the packer, not a second heuristic).
var allocatorButPack = []string{"allocator/admission", "allocator/cmd", "allocator/leadership", "allocator/nomadstate", "allocator/packcli", "allocator/regions",
	"allocator/reserve", "allocator/rewrite", "allocator/service", "allocator/pack/nomadbase", "allocator/pack/tracegen"}

// Each binary links what it serves and nothing of the components it talks to.
func TestBinariesLinkOnlyWhatTheyServe(t *testing.T) {
	forbid(t, "cmd/dec2", append([]string{nvml, prometheus, bbolt, scheduler, "billing-sidecar", "identity/server", "identity/nomadacl"}, allocatorButPack...)...)
	forbid(t, "allocator/cmd/dec2-allocator", nvml, scheduler, nomadMock, "billing-sidecar", "identity", "nomad-plugins")
	forbid(t, "billing-sidecar/cmd/dec2-billing", nvml, scheduler, "allocator", "identity", "nomad-plugins", "cli")
	forbid(t, "identity/cmd/dec2-identity", nvml, prometheus, bbolt, scheduler, "allocator", "billing-sidecar", "nomad-plugins", "cli")
	forbid(t, "terraform/cmd/terraform-provider-dec2", append([]string{nvml, prometheus, bbolt, scheduler, "billing-sidecar"}, allocatorButPack...)...)
	forbid(t, "nomad-plugins/gpu/cmd/dec2-gpu", prometheus, bbolt, "allocator", "billing-sidecar", "identity", "cli")
	// The attestor audits storage providers: it links storage's wire (nodeapi, metaapi's
	// client, the audit core), none of its servers, stores or data path.
	forbid(t, "attestor/cmd/dec2-attestor", nvml, bbolt, scheduler, sqlite, pgx, "allocator", "billing-sidecar", "identity", "nomad-plugins", "cli",
		"storage/node", "storage/meta/sqlstore", "storage/gateway", "storage/piecesink", "storage/segment", "storage/erasure", "storage/crypt", "storage/cmd")
	// The storage service stores its own metadata snapshots on the storage nodes Nomad lists:
	// it links Nomad's client and storage's data path, not the gateway or the node's server.
	forbid(t, "storage/cmd/dec2-storage", append([]string{nvml, bbolt, scheduler, "billing-sidecar", "attestor", "identity", "nomad-plugins", "cli",
		"storage/node", "storage/gateway"}, allocatorButPack...)...)
	// The console serves inside dec2 (cmd/dec2 above bounds it too): its pages read through the
	// CLI's packages and link no other component's server.
	forbid(t, "console/web", append([]string{nvml, prometheus, bbolt, scheduler, "billing-sidecar", "identity"}, allocatorButPack...)...)
	// The region console signs its users in through dec2-identity's client (its wire and siwe),
	// none of the service's keys, nonces or Nomad ACL side, and serves the console's pages.
	forbid(t, "console/cmd/dec2-console", append([]string{nvml, prometheus, bbolt, scheduler, sqlite, pgx, "billing-sidecar", "attestor",
		"identity/server", "identity/nomadacl", "identity/jwtkeys", "identity/nonces", "identity/cmd", "storage/node", "storage/meta/sqlstore", "storage/cmd"},
		allocatorButPack...)...)
	// The repairer moves ciphertext between storage nodes: storage's wire and data path
	// (nodeapi, metaapi's client, erasure, piecesink's placement), none of its servers or stores.
	forbid(t, "storage/cmd/dec2-repair", append([]string{nvml, prometheus, bbolt, scheduler, sqlite, pgx, "billing-sidecar", "attestor", "identity", "nomad-plugins", "cli",
		"storage/node", "storage/meta/sqlstore", "storage/gateway", "storage/cmd/dec2-storage"}, allocatorButPack...)...)
	forbid(t, "storage/cmd/dec2-storagenode", nvml, bbolt, scheduler, nomadAPI, sqlite, pgx, "allocator", "billing-sidecar", "attestor", "identity", "nomad-plugins", "cli", "storage/meta")
}

// Domain cores are pure: no network, no Nomad client, no chain client.
func TestCoresDoNoIO(t *testing.T) {
	for _, core := range []string{"allocator/pack", "billing-sidecar/lifecycle", "tenancy", "pricing", "metering", "conventions",
		"identity/siwe", "identity/tenant", "catalog", "nomad-plugins/gpu/inventory", "nomad-plugins/gpu/gpuconfig",
		"attestor/evidence", "attestor/downtime", "attestor/gates", "attestor/leader", "attestor/amount", "reputation",
		"storage/crypt", "storage/erasure", "storage/segment", "storage/merkle", "storage/receipt", "storage/meta", "storage/audit", "storage/repair",
		"storage/metasnap", "console/view"} {
		forbid(t, core, "net/http", ethclient, bbolt, nvml, nomadAPI)
	}
}

// Shared packages stay leaves: they import no component.
func TestSharedPackagesImportNoComponent(t *testing.T) {
	for _, shared := range []string{"conventions", "pricing", "pricing/nomadprices", "metering", "tenancy", "tenancy/nsbinding", "nomadevents", "nomad-plugins/gpu/gpuconfig",
		"reputation", "reputation/reputationclient", "walletkey", "cmdmain"} {
		forbid(t, shared, "allocator", "billing-sidecar", "identity", "cli", "cmd", "terraform", "e2e", "attestor", "storage")
	}
}
