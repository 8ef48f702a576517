// Package jobspecs holds dec2's Nomad jobs as HCL2 files, embedded so that the CLI and the
// Terraform provider submit the same text that `nomad job run jobspecs/<name>.nomad.hcl` reads.
package jobspecs

import (
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strings"
)

// FS holds every jobspec in this directory.
//
//go:embed *.nomad.hcl
var FS embed.FS

const suffix = ".nomad.hcl"

// Source returns the jobspec called name (its file name without .nomad.hcl).
func Source(name string) (string, error) {
	b, err := FS.ReadFile(name + suffix)
	if err != nil {
		return "", fmt.Errorf("no jobspec %q: want one of %s", name, strings.Join(Names(), ", "))
	}
	return string(b), nil
}

// Names lists the embedded jobspecs, sorted.
func Names() []string {
	files, _ := fs.Glob(FS, "*"+suffix)
	names := make([]string, len(files))
	for i, f := range files {
		names[i] = strings.TrimSuffix(f, suffix)
	}
	sort.Strings(names)
	return names
}
