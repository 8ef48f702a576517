package chain

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"testing"
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
