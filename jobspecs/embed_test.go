package jobspecs_test

import (
	"os"
	"strings"
	"testing"

	"github.com/dec2-cloud/dec2/jobspecs"
)

func TestSourceIsTheFile(t *testing.T) {
	want, err := os.ReadFile("instance.nomad.hcl")
	if err != nil {
		t.Fatal(err)
	}
	got, err := jobspecs.Source("instance")
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Error("embedded instance jobspec differs from the file")
	}
}

func TestSourceUnknownNamesTheKnown(t *testing.T) {
	_, err := jobspecs.Source("nope")
	if err == nil || !strings.Contains(err.Error(), `"nope"`) || !strings.Contains(err.Error(), "instance") {
		t.Errorf("error = %v, want it to name nope and list instance", err)
	}
}
