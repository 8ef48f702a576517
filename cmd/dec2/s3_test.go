package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/dec2-cloud/dec2/storage/s3keys"
)

func TestS3KeysCreate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s3keys.json")
	for range 2 {
		out, _, err := dec2(t, map[string]string{"DEC2_S3_KEYS": path}, "s3", "keys", "create")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out, "AWS_ACCESS_KEY_ID=DEC2") || !strings.Contains(out, "AWS_SECRET_ACCESS_KEY=") {
			t.Errorf("output %q", out)
		}
	}
	keys, err := s3keys.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) != 2 {
		t.Errorf("%d keys in the file after two creates", len(keys))
	}
	out, _, err := dec2(t, nil, "s3", "keys", "create", "--keys-file", filepath.Join(t.TempDir(), "k.json"))
	if err != nil || !strings.Contains(out, "k.json") {
		t.Errorf("--keys-file: %q %v", out, err)
	}
}
