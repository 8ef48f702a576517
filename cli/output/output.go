// Package output prints what dec2 commands return, as an aligned table for people or as JSON
// for scripts (`--output table|json`). A command's result is one value that knows its table
// form; its JSON form is the value itself, so scripts see every field the table leaves out.
package output

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// Format is how results are printed.
type Format string

const (
	Table Format = "table"
	JSON  Format = "json"
)

// ParseFormat reads the --output flag.
func ParseFormat(s string) (Format, error) {
	switch f := Format(strings.ToLower(strings.TrimSpace(s))); f {
	case Table, JSON:
		return f, nil
	}
	return "", fmt.Errorf("--output %q: want table or json", s)
}

// Tabular is a result with a table form. Header may be nil for key/value listings.
type Tabular interface {
	Header() []string
	Rows() [][]string
}

// Write prints v in format f.
func Write(w io.Writer, f Format, v Tabular) error {
	if f == JSON {
		e := json.NewEncoder(w)
		e.SetIndent("", "  ")
		return e.Encode(v)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	if h := v.Header(); h != nil {
		fmt.Fprintln(tw, strings.Join(h, "\t"))
	}
	for _, r := range v.Rows() {
		fmt.Fprintln(tw, strings.Join(clean(r), "\t"))
	}
	return tw.Flush()
}

// clean keeps cells on one line and in their column: a tab or newline in a value would
// break the alignment of every row after it.
func clean(row []string) []string {
	out := make([]string, len(row))
	for i, c := range row {
		if c == "" {
			c = "-"
		}
		out[i] = strings.NewReplacer("\t", " ", "\n", " ", "\r", " ").Replace(c)
	}
	return out
}
