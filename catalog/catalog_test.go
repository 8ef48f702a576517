package catalog

import (
	"strings"
	"testing"
)

func TestShippedTypesParse(t *testing.T) {
	ts, err := parse(typesJSON)
	if err != nil {
		t.Fatal(err)
	}
	var gpus int
	for _, ty := range ts {
		gpus += ty.GPUs
	}
	if len(ts) < 8 || gpus == 0 {
		t.Errorf("catalogue has %d types and %d GPUs; want CPU and GPU types", len(ts), gpus)
	}
}

func TestLookup(t *testing.T) {
	ty, err := Lookup("g1.a100x2")
	if err != nil {
		t.Fatal(err)
	}
	if ty.GPUs != 2 || ty.GPUName != "A100-80GB" {
		t.Errorf("g1.a100x2 = %+v", ty)
	}
	_, err = Lookup("t2.micro")
	if err == nil || !strings.Contains(err.Error(), `"t2.micro"`) || !strings.Contains(err.Error(), "d2.small") {
		t.Errorf("error = %v, want it to name t2.micro and list d2.small", err)
	}
}

func TestTypesIsACopy(t *testing.T) {
	Types()[0].Name = "changed"
	if Types()[0].Name == "changed" {
		t.Error("Types lets callers change the catalogue")
	}
}

func TestParseRejects(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`[{"name":"a","cpu_mhz":1,"memory_mb":1,"disk_mb":1},{"name":"a","cpu_mhz":1,"memory_mb":1,"disk_mb":1}]`, "twice"},
		{`[{"name":"a","cpu_mhz":0,"memory_mb":1,"disk_mb":1}]`, "positive"},
		{`[{"name":"a","cpu_mhz":1,"memory_mb":1,"disk_mb":1,"gpu_name":"x"}]`, "without gpus"},
		{`[{"name":"a","cpu":1}]`, "unknown field"},
		{`[{"cpu_mhz":1,"memory_mb":1,"disk_mb":1}]`, "no name"},
	} {
		if _, err := parse([]byte(c.in)); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("parse(%s) = %v, want an error with %q", c.in, err, c.want)
		}
	}
}
