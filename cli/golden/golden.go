// Package golden compares test output with testdata/<name>.golden; `go test -update` rewrites
// the files from what the code prints now (review the diff before committing).
package golden

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/dec2-cloud/dec2/cli/output"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

// Check fails t when got differs from testdata/<name>.golden.
func Check(t testing.TB, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatalf("creating testdata: %v", err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatalf("updating %s: %v", path, err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading %s (run `go test -update` to create it): %v", path, err)
	}
	if string(got) != string(want) {
		t.Errorf("%s differs (run `go test -update` if the change is intended)\n--- got ---\n%s\n--- want ---\n%s", path, got, want)
	}
}

// CheckViews prints each view as a table and as JSON and checks both against
// testdata/<name>.table.golden and <name>.json.golden.
func CheckViews(t testing.TB, views map[string]output.Tabular) {
	t.Helper()
	for name, v := range views {
		for _, f := range []output.Format{output.Table, output.JSON} {
			var b bytes.Buffer
			if err := output.Write(&b, f, v); err != nil {
				t.Fatalf("printing %s as %s: %v", name, f, err)
			}
			Check(t, name+"."+string(f), b.Bytes())
		}
	}
}
