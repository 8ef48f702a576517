package main

import (
	"strings"
	"testing"
)

func TestFlagsDefaultFromPublicURL(t *testing.T) {
	t.Setenv("NOMAD_TOKEN", "")
	if _, err := parseFlags(nil); err == nil || !strings.Contains(err.Error(), "NOMAD_TOKEN") {
		t.Errorf("without a token: %v, want it to say how to pass one", err)
	}
	o, err := parseFlags([]string{"-nomad-token", "s", "-public-url", "https://id.dec2.example"})
	if err != nil {
		t.Fatal(err)
	}
	if o.domain != "id.dec2.example" || o.issuer != "https://id.dec2.example" || o.chainID != 1337 {
		t.Errorf("options %+v", o)
	}
	t.Setenv("NOMAD_TOKEN", "from-env")
	o, err = parseFlags([]string{"-listen", "127.0.0.1:9"})
	if err != nil || o.nomadToken != "from-env" || o.publicURL != "http://127.0.0.1:9" || o.domain != "127.0.0.1:9" {
		t.Errorf("options %+v, %v", o, err)
	}
	if _, err := parseFlags([]string{"-nomad-token", "s", "-public-url", "id.example"}); err == nil {
		t.Error("a public URL without a scheme was taken")
	}
}
