package gateway

import (
	"testing"
	"time"
)

func TestSnapshotsKeepListingsForTheirLaterPages(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	s := &snapshots{now: func() time.Time { return now }}
	sn := s.put("b", "photos/", "/", []entry{{name: "photos/a"}, {name: "photos/b"}})
	if got, ok := s.get(sn.id, "b", "photos/", "/"); !ok || got != sn {
		t.Fatalf("get of a fresh snapshot: %v %v", got, ok)
	}
	for _, c := range []struct{ bucket, prefix, delim string }{{"other", "photos/", "/"}, {"b", "", "/"}, {"b", "photos/", ""}} {
		if _, ok := s.get(sn.id, c.bucket, c.prefix, c.delim); ok {
			t.Errorf("snapshot of b/photos/ with / served the listing %+v", c)
		}
	}
	if _, ok := s.get("", "b", "photos/", "/"); ok {
		t.Error("a listing's first page (no snapshot id) got a snapshot")
	}
	now = now.Add(snapshotTTL + time.Second)
	if _, ok := s.get(sn.id, "b", "photos/", "/"); ok {
		t.Error("an expired snapshot was served")
	}
	var ids []string
	for range maxSnapshot + 3 {
		ids = append(ids, s.put("b", "", "", nil).id)
	}
	if _, ok := s.get(ids[0], "b", "", ""); ok {
		t.Error("the oldest snapshot past the bound was kept")
	}
	if _, ok := s.get(ids[len(ids)-1], "b", "", ""); !ok {
		t.Error("the newest snapshot was evicted")
	}
}

func TestContinuationTokenRoundTrips(t *testing.T) {
	for _, name := range []string{"", "a", "dir/with.dots/ü.txt"} {
		after, snap, err := parseToken(token(name, "0011aabb"))
		if err != nil || after != name || snap != "0011aabb" {
			t.Errorf("token of %q: %q %q %v", name, after, snap, err)
		}
	}
	if after, snap, err := parseToken("ZGly"); err != nil || after != "dir" || snap != "" {
		t.Errorf("a token without a snapshot: %q %q %v", after, snap, err)
	}
	if _, _, err := parseToken("not base64!"); err == nil {
		t.Error("a malformed token was accepted")
	}
}
