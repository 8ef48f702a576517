package chain

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/dec2-cloud/dec2/contracts/bindings/escrow"
	"github.com/dec2-cloud/dec2/contracts/bindings/registry"
	"github.com/dec2-cloud/dec2/contracts/bindings/sale"
	"github.com/dec2-cloud/dec2/contracts/bindings/token"
)

// The committed artifacts and bindings must come from the committed sources and pinned
// toolchain: contracts/scripts/compile.js records a hash of contracts/src in
// artifacts/stamp.json, and this test recomputes it the same way.
func TestArtifactsMatchSources(t *testing.T) {
	var stamp struct {
		Solc, OpenZeppelin, Sources string
	}
	b, err := os.ReadFile("../artifacts/stamp.json")
	if err != nil {
		t.Fatalf("read stamp (run make contracts): %v", err)
	}
	if err := json.Unmarshal(b, &stamp); err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob("../src/*.sol")
	if err != nil || len(files) == 0 {
		t.Fatalf("no contract sources: %v", err)
	}
	sort.Strings(files)
	h := sha256.New()
	for _, f := range files {
		body, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		h.Write([]byte("src/" + filepath.Base(f) + "\n"))
		h.Write(body)
		h.Write([]byte("\n"))
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != stamp.Sources {
		t.Fatalf("contracts/src changed since the artifacts were built (hash %s, stamp %s): run make contracts", got, stamp.Sources)
	}

	var pkg struct{ Dependencies map[string]string }
	b, err = os.ReadFile("../package.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &pkg); err != nil {
		t.Fatal(err)
	}
	if want := pkg.Dependencies["solc"]; len(stamp.Solc) < len(want) || stamp.Solc[:len(want)+1] != want+"+" {
		t.Fatalf("artifacts built with solc %s, package.json pins %s: run make contracts", stamp.Solc, want)
	}
	if want := pkg.Dependencies["@openzeppelin/contracts"]; stamp.OpenZeppelin != want {
		t.Fatalf("artifacts built with OpenZeppelin %s, package.json pins %s: run make contracts", stamp.OpenZeppelin, want)
	}
}

// The bindings must carry the artifacts' bytecode: regenerating one without the other is caught.
func TestBindingsMatchArtifacts(t *testing.T) {
	for name, bin := range map[string]string{
		"Dec2Token":        token.Dec2TokenMetaData.Bin,
		"TokenSale":        sale.TokenSaleMetaData.Bin,
		"StreamEscrow":     escrow.StreamEscrowMetaData.Bin,
		"ProviderRegistry": registry.ProviderRegistryMetaData.Bin,
	} {
		var combined struct {
			Contracts map[string]struct{ Bin string }
		}
		b, err := os.ReadFile("../artifacts/" + name + ".combined.json")
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, &combined); err != nil {
			t.Fatal(err)
		}
		if got := combined.Contracts["src/"+name+".sol:"+name].Bin; "0x"+got != bin {
			t.Errorf("%s: bindings and artifacts differ: run make contracts", name)
		}
	}
}
