package metering

import (
	"strings"
	"testing"
	"time"
)

func TestParseFilter(t *testing.T) {
	const w = "0x00000000000000000000000000000000000000c0"
	for _, tc := range []struct {
		consumer, provider, since, until, err string
	}{
		{w, "", "24h", "", ""},
		{"", w, "2026-01-02T15:04:05Z", "1h", ""},
		{"", "", "", "", "--consumer or --provider"},
		{"bob", "", "", "", "not a 0x address"},
		{w, "", "yesterday", "", "--since"},
		{w, "", "", "soon", "--until"},
	} {
		f, err := ParseFilter(tc.consumer, tc.provider, tc.since, tc.until)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%+v: error %v, want %q", tc, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%+v: %v", tc, err)
		}
		if tc.since == "24h" && time.Since(f.Since) < 23*time.Hour {
			t.Errorf("24h back gave %v", f.Since)
		}
	}
}

func FuzzParseFilter(f *testing.F) {
	f.Add("0x00000000000000000000000000000000000000c0", "", "24h", "")
	f.Add("", "0x00000000000000000000000000000000000000c0", "2026-01-02T15:04:05Z", "-5m")
	f.Fuzz(func(t *testing.T, consumer, provider, since, until string) {
		if _, err := ParseFilter(consumer, provider, since, until); err != nil && err.Error() == "" {
			t.Fatal("empty error message")
		}
	})
}
