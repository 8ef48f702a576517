package size

import (
	"strconv"
	"strings"
	"testing"
)

func TestParseMiB(t *testing.T) {
	for in, want := range map[string]int64{
		"40GiB": 40960, "40 GiB": 40960, "40gib": 40960, "40G": 40960, "512MiB": 512, "512": 512,
		"1.5GiB": 1536, "0.1MiB": 1, "1TiB": 1 << 20, " 80GiB ": 81920,
	} {
		got, err := ParseMiB(in)
		if err != nil || got != want {
			t.Errorf("ParseMiB(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "GiB", "40GB", "40 KiB", "-1GiB", "1.2.3GiB", ".5GiB", "5.GiB", "0", "0GiB", "2000TiB", "40GiBs", "1e3MiB"} {
		if got, err := ParseMiB(in); err == nil {
			t.Errorf("ParseMiB(%q) = %d, want an error", in, got)
		} else if !strings.Contains(err.Error(), "size") {
			t.Errorf("ParseMiB(%q): error %q does not say what was wrong", in, err)
		}
	}
}

func FuzzParseMiB(f *testing.F) {
	for _, s := range []string{"40GiB", "1.5 GiB", "512", "0.0001MiB", "1TiB", "abc", "9999999999999TiB", "1..2G"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := ParseMiB(s)
		if err != nil {
			if n != 0 {
				t.Fatalf("ParseMiB(%q) returned %d with error %v", s, n, err)
			}
			return
		}
		if n <= 0 || n > maxMiB {
			t.Fatalf("ParseMiB(%q) = %d, outside (0, %d]", s, n, maxMiB)
		}
		// The size written back in MiB reads as the same size.
		if again, err := ParseMiB(strconv.FormatInt(n, 10) + "MiB"); err != nil || again != n {
			t.Fatalf("ParseMiB(%q) = %d, but %dMiB reads as %d, %v", s, n, n, again, err)
		}
	})
}
