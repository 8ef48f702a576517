// Package sqlstore is meta.Store on SQL: embedded SQLite (modernc.org/sqlite, pure Go, the
// default) or PostgreSQL (pgx). Both run the same schema and the same statements; what differs
// is in dialect: the byte-string type, how a transaction starts, row locks, and which errors
// mean "run the transaction again".
package sqlstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	mrand "math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"
	"modernc.org/sqlite"

	"github.com/dec2-cloud/dec2/storage/meta"
)

type dialect struct {
	name      string
	bytesType string
	txOptions *sql.TxOptions
	// forUpdate locks the rows a read-modify-write reads, so concurrent writers of one object
	// queue instead of failing serialization and retrying. Empty on SQLite, whose write
	// transactions already exclude each other.
	forUpdate string
	retryable func(error) bool
}

var sqliteDialect = dialect{
	name:      "sqlite",
	bytesType: "BLOB",
	retryable: func(err error) bool {
		var e *sqlite.Error
		// SQLITE_BUSY (5) and SQLITE_LOCKED (6): another connection held the lock past
		// busy_timeout.
		return errors.As(err, &e) && (e.Code()&0xff == 5 || e.Code()&0xff == 6)
	},
}

// PostgreSQL runs SERIALIZABLE, as CockroachDB and other Postgres-wire distributed databases
// do by default, and every transaction is retried on a serialization failure or deadlock.
var postgresDialect = dialect{
	name:      "postgres",
	bytesType: "BYTEA",
	txOptions: &sql.TxOptions{Isolation: sql.LevelSerializable},
	forUpdate: " FOR UPDATE",
	retryable: func(err error) bool {
		var e *pgconn.PgError
		return errors.As(err, &e) && (e.Code == "40001" || e.Code == "40P01")
	},
}

// maxAttempts bounds retries of one transaction; a busy object's writers normally get through
// within a few.
const maxAttempts = 20

// Store is meta.Store on a SQL database.
type Store struct {
	db *sql.DB
	d  dialect
}

var _ meta.Store = (*Store)(nil)

// Open opens the database a --db flag names: sqlite:///abs/path.db, sqlite://rel/path.db, or
// postgres://... / postgresql://... (a libpq URL). It creates the schema when missing.
func Open(ctx context.Context, dsn string) (*Store, error) {
	switch {
	case strings.HasPrefix(dsn, "sqlite://"):
		return OpenSQLite(ctx, strings.TrimPrefix(dsn, "sqlite://"))
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		return OpenPostgres(ctx, dsn)
	}
	return nil, fmt.Errorf("database %q: want sqlite:///path/to/meta.db or postgres://user@host/db", redact(dsn))
}

// OpenSQLite opens (creating) the SQLite database at path, in WAL mode, where every
// transaction takes the write lock at its start: one writer at a time, waiting up to 10 s.
func OpenSQLite(ctx context.Context, path string) (*Store, error) {
	if path == "" {
		return nil, errors.New("sqlite: no database path")
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("sqlite: creating %s: %w", dir, err)
		}
	}
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Set("_txlock", "immediate")
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("sqlite %s: %w", path, err)
	}
	return open(ctx, db, sqliteDialect, path)
}

// OpenPostgres connects to PostgreSQL (or a Postgres-wire database) at a libpq URL.
func OpenPostgres(ctx context.Context, dsn string) (*Store, error) {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("postgres %s: %w", redact(dsn), err)
	}
	return open(ctx, db, postgresDialect, redact(dsn))
}

func open(ctx context.Context, db *sql.DB, d dialect, where string) (*Store, error) {
	s := &Store{db: db, d: d}
	for _, stmt := range statements(d.bytesType) {
		if _, err := db.ExecContext(ctx, stmt); err != nil {
			_ = db.Close()
			return nil, fmt.Errorf("%s %s: creating the schema: %w", d.name, where, err)
		}
	}
	if err := upgrade(ctx, db, d); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("%s %s: upgrading the schema: %w", d.name, where, err)
	}
	return s, nil
}

// upgrade adds the columns an older database lacks. Selecting a column is how both dialects
// (and Postgres-wire databases) say whether it exists; the schema above already has them all,
// so a new database adds nothing.
func upgrade(ctx context.Context, db *sql.DB, d dialect) error {
	for _, a := range added {
		rows, err := db.QueryContext(ctx, "SELECT "+a.column+" FROM "+a.table+" WHERE 1 = 0")
		if err == nil {
			rows.Close()
			continue
		}
		def := strings.ReplaceAll(a.definition, "{BYTES}", d.bytesType)
		if _, err := db.ExecContext(ctx, "ALTER TABLE "+a.table+" ADD COLUMN "+a.column+" "+def); err != nil {
			return fmt.Errorf("adding %s.%s: %w", a.table, a.column, err)
		}
		if a.backfill != "" {
			if _, err := db.ExecContext(ctx, a.backfill); err != nil {
				return fmt.Errorf("filling %s.%s: %w", a.table, a.column, err)
			}
		}
	}
	return nil
}

// redact drops a URL's password, for messages.
func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "(unparsable database URL)"
	}
	return u.Redacted()
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// Dialect names the backend: "sqlite" or "postgres".
func (s *Store) Dialect() string { return s.d.name }

// inTx runs fn in a transaction, again from the start when the database says the transaction
// collided with another (serialization failure, deadlock, busy), after a jittered pause.
func (s *Store) inTx(ctx context.Context, fn func(*sql.Tx) error) error {
	for attempt := 1; ; attempt++ {
		err := s.once(ctx, fn)
		if err == nil || !s.d.retryable(err) || attempt == maxAttempts {
			return err
		}
		pause := time.Duration(mrand.Int64N(int64(time.Millisecond) << min(attempt, 7)))
		select {
		case <-ctx.Done():
			return fmt.Errorf("%w (after %d attempts: %w)", ctx.Err(), attempt, err)
		case <-time.After(pause):
		}
	}
}

func (s *Store) once(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, s.d.txOptions)
	if err != nil {
		return fmt.Errorf("%s: beginning a transaction: %w", s.d.name, err)
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("%s: committing: %w", s.d.name, err)
	}
	return nil
}

// newID is a fresh owner id for an object version's segments and pieces.
func newID() []byte {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // never fails (crypto/rand panics on an unusable source)
	return b
}

// nz turns nil into an empty byte string: pgx sends a nil slice as NULL.
func nz(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}
