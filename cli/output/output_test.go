package output

import (
	"bytes"
	"strings"
	"testing"
)

type pets []struct {
	Name string `json:"name"`
	Legs int    `json:"legs"`
}

func (p pets) Header() []string { return []string{"NAME", "LEGS"} }
func (p pets) Rows() [][]string {
	var rows [][]string
	for _, x := range p {
		rows = append(rows, []string{x.Name, strings.Repeat("|", x.Legs)})
	}
	return rows
}

func TestWrite(t *testing.T) {
	v := pets{{"cat", 4}, {"bird\twith\ntab", 2}, {"", 0}}
	var b bytes.Buffer
	if err := Write(&b, Table, v); err != nil {
		t.Fatal(err)
	}
	want := "NAME           LEGS\ncat            ||||\nbird with tab  ||\n-              -\n"
	if b.String() != want {
		t.Errorf("table:\n%q\nwant\n%q", b.String(), want)
	}
	b.Reset()
	if err := Write(&b, JSON, v); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), `"name": "bird\twith\ntab"`) || !strings.Contains(b.String(), `"legs": 0`) {
		t.Errorf("JSON keeps values as they are:\n%s", b.String())
	}
}

func TestParseFormat(t *testing.T) {
	for in, want := range map[string]Format{"table": Table, "JSON": JSON, " json ": JSON} {
		if got, err := ParseFormat(in); err != nil || got != want {
			t.Errorf("ParseFormat(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := ParseFormat("yaml"); err == nil || !strings.Contains(err.Error(), "--output") {
		t.Errorf("ParseFormat(yaml) = %v, want an error naming --output", err)
	}
}
