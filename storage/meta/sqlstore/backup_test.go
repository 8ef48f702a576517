package sqlstore_test

import (
	"errors"
	"path/filepath"
	"testing"

	"github.com/dec2-cloud/dec2/storage/meta/sqlstore"
)

// A backup taken while the store is open is a database of its own that holds what was written.
func TestBackupIsAWorkingCopy(t *testing.T) {
	dir := t.TempDir()
	s, err := sqlstore.Open(ctx(t), "sqlite://"+filepath.Join(dir, "meta.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	mustBucket(t, s, alice, "b")
	mustPut(t, s, alice, object("b", "k", "v1", 2))
	backup := filepath.Join(dir, "backup.db")
	if err := s.Backup(ctx(t), backup); err != nil {
		t.Fatal(err)
	}
	if err := s.Backup(ctx(t), backup); err == nil {
		t.Error("a backup over an existing file succeeded, want an error")
	}
	c, err := sqlstore.Open(ctx(t), "sqlite://"+backup)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	o, err := c.GetObject(ctx(t), alice, []byte("b"), []byte("k"))
	if err != nil || o.ETag != "v1" || len(o.Segments) != 2 || len(o.Segments[1].Pieces) != 4 {
		t.Errorf("the backup's object: %+v, %v", o, err)
	}
}

func TestBackupOfPostgresPointsAtReplication(t *testing.T) {
	s := openPostgres(t)
	var no *sqlstore.NoBackup
	if err := s.Backup(ctx(t), filepath.Join(t.TempDir(), "x.db")); !errors.As(err, &no) {
		t.Errorf("Backup of PostgreSQL: %v, want *NoBackup", err)
	}
}
