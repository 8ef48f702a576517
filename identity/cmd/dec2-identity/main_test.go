package main

import (
	"slices"
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
	if !slices.Equal(o.domains, []string{"id.dec2.example"}) || o.issuer != "https://id.dec2.example" || o.chainID != 1337 {
		t.Errorf("options %+v", o)
	}
	t.Setenv("NOMAD_TOKEN", "from-env")
	o, err = parseFlags([]string{"-listen", "127.0.0.1:9"})
	if err != nil || o.nomadToken != "from-env" || o.publicURL != "http://127.0.0.1:9" || !slices.Equal(o.domains, []string{"127.0.0.1:9"}) {
		t.Errorf("options %+v, %v", o, err)
	}
	if _, err := parseFlags([]string{"-nomad-token", "s", "-public-url", "id.example"}); err == nil {
		t.Error("a public URL without a scheme was taken")
	}
	// Each console's host is a domain too, after the service's own.
	o, err = parseFlags([]string{"-public-url", "https://id.dec2.example", "-domain", "eu.console.example", "-domain", "us.console.example:4662"})
	if err != nil || !slices.Equal(o.domains, []string{"id.dec2.example", "eu.console.example", "us.console.example:4662"}) {
		t.Errorf("domains %q, %v", o.domains, err)
	}
	for _, bad := range []string{"", "https://console.example", "console.example/signin"} {
		if _, err := parseFlags([]string{"-domain", bad}); err == nil || !strings.Contains(err.Error(), "host[:port]") {
			t.Errorf("-domain %q: %v, want an error naming host[:port]", bad, err)
		}
	}
}
