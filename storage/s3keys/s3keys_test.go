package s3keys_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/dec2-cloud/dec2/storage/s3keys"
)

func TestCreateAppendsAndLoads(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "s3keys.json")
	if _, err := s3keys.Load(path); !errors.Is(err, s3keys.ErrNoKeys) {
		t.Fatalf("missing file: %v, want ErrNoKeys", err)
	}
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	a, err := s3keys.Create(path, now)
	if err != nil {
		t.Fatal(err)
	}
	b, err := s3keys.Create(path, now)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.AccessKey) != 20 || len(a.SecretKey) != 40 || a.AccessKey[:4] != "DEC2" {
		t.Errorf("key shape %q/%d, want 20 chars starting DEC2 and a 40-char secret", a.AccessKey, len(a.SecretKey))
	}
	if a.AccessKey == b.AccessKey || a.SecretKey == b.SecretKey {
		t.Error("two keys are equal")
	}
	got, err := s3keys.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0] != a || got[1] != b {
		t.Errorf("loaded %+v, want [%+v %+v]", got, a, b)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", fi.Mode().Perm())
	}
}

func TestLoadRefusesBadFiles(t *testing.T) {
	dir := t.TempDir()
	for name, body := range map[string]string{
		"garbage":   "not json",
		"empty key": `{"keys":[{"access_key":"","secret_key":"x"}]}`,
		"separator": `{"keys":[{"access_key":"A/B","secret_key":"x"}]}`,
		"duplicate": `{"keys":[{"access_key":"A","secret_key":"x"},{"access_key":"A","secret_key":"y"}]}`,
	} {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		var m *s3keys.MalformedError
		if _, err := s3keys.Load(path); !errors.As(err, &m) {
			t.Errorf("%s: %v, want *MalformedError", name, err)
		}
	}
	path := filepath.Join(dir, "none")
	if err := os.WriteFile(path, []byte(`{"keys":[]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := s3keys.Load(path); !errors.Is(err, s3keys.ErrNoKeys) {
		t.Errorf("no keys: %v, want ErrNoKeys", err)
	}
}
