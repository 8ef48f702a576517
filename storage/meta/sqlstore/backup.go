package sqlstore

import (
	"context"
	"fmt"
)

// NoBackup is a backup asked of a database that is not SQLite: PostgreSQL keeps its own copies
// (streaming replication, pg_basebackup), which a file snapshot would only duplicate badly.
type NoBackup struct{ Dialect string }

func (e *NoBackup) Error() string {
	return fmt.Sprintf("sqlstore: a %s database is backed up by its own replication (docs/durability.md), not by file snapshots", e.Dialect)
}

// Backup writes a consistent copy of a SQLite database to path, which must not exist, while
// the store stays in use (VACUUM INTO reads one transaction's view and compacts it).
func (s *Store) Backup(ctx context.Context, path string) error {
	if s.d.name != sqliteDialect.name {
		return &NoBackup{Dialect: s.d.name}
	}
	if _, err := s.db.ExecContext(ctx, "VACUUM INTO ?", path); err != nil {
		return fmt.Errorf("sqlite: backing up into %s: %w", path, err)
	}
	return nil
}
