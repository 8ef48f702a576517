package sqlstore_test

import (
	"context"
	"database/sql"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dec2-cloud/dec2/storage/meta/sqlstore"
)

// postgres is a throwaway PostgreSQL cluster (Debian's postgresql package) shared by this test
// binary: started on first use, on a free loopback port in a temp dir, stopped by TestMain.
var pg struct {
	once    sync.Once
	err     error
	skip    string
	dir     string
	run     func(name string, args ...string) *exec.Cmd
	bin     string
	dsnBase string
	dbs     atomic.Int64
}

func TestMain(m *testing.M) {
	code := m.Run()
	stopPostgres()
	os.Exit(code)
}

// openPostgres returns a store on a fresh database of the shared cluster. Without Debian's
// postgresql it skips, except in CI (CI=true), where a missing backend must fail loudly.
func openPostgres(t *testing.T) *sqlstore.Store {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s, err := sqlstore.Open(ctx, postgresDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// postgresDatabase creates a fresh database of the shared cluster and returns its URL.
func postgresDatabase(t *testing.T) string {
	t.Helper()
	pg.once.Do(startPostgres)
	if pg.skip != "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("PostgreSQL backend: %s (CI=true: run scripts/ensure-postgres.sh, which make tools calls)", pg.skip)
		}
		t.Skipf("PostgreSQL backend: %s; scripts/ensure-postgres.sh installs it", pg.skip)
	}
	if pg.err != nil {
		t.Fatalf("starting PostgreSQL: %v", pg.err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	name := "t" + strconv.FormatInt(pg.dbs.Add(1), 10)
	admin, err := sql.Open("pgx", pg.dsnBase+"postgres?sslmode=disable") // registered by sqlstore
	if err != nil {
		t.Fatal(err)
	}
	_, err = admin.ExecContext(ctx, "CREATE DATABASE "+name)
	_ = admin.Close()
	if err != nil {
		t.Fatalf("creating database %s: %v", name, err)
	}
	return pg.dsnBase + name + "?sslmode=disable"
}

func startPostgres() {
	bins, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	if len(bins) == 0 {
		pg.skip = "no /usr/lib/postgresql/*/bin/initdb"
		return
	}
	sort.Slice(bins, func(i, j int) bool { return pgMajor(bins[i]) > pgMajor(bins[j]) })
	pg.bin = filepath.Dir(bins[0])
	dir, err := os.MkdirTemp("", "dec2-meta-pg-")
	if err != nil {
		pg.err = err
		return
	}
	pg.dir = dir
	pg.run = exec.Command
	// PostgreSQL refuses to run as root: run it as the postgres (or nobody) user, which must
	// own the cluster's directory.
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			u, err = user.Lookup("nobody")
		}
		if err != nil {
			pg.err = fmt.Errorf("running as root and neither a postgres nor a nobody user: %w", err)
			return
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			pg.err = err
			return
		}
		pg.run = func(name string, args ...string) *exec.Cmd {
			return exec.Command("runuser", append([]string{"-u", u.Username, "--", name}, args...)...)
		}
	}
	data := filepath.Join(dir, "data")
	if out, err := pg.run(filepath.Join(pg.bin, "initdb"), "-D", data, "-U", "dec2", "--auth=trust", "-E", "UTF8",
		"--no-locale", "--no-sync").CombinedOutput(); err != nil {
		pg.err = fmt.Errorf("initdb: %w\n%s", err, out)
		return
	}
	port, err := freePort()
	if err != nil {
		pg.err = err
		return
	}
	opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c max_connections=200", port, dir)
	if out, err := pg.run(filepath.Join(pg.bin, "pg_ctl"), "-D", data, "-o", opts, "-l", filepath.Join(dir, "log"), "-w", "-t", "60",
		"start").CombinedOutput(); err != nil {
		log, _ := os.ReadFile(filepath.Join(dir, "log"))
		pg.err = fmt.Errorf("pg_ctl start: %w\n%s\n%s", err, out, log)
		return
	}
	pg.dsnBase = fmt.Sprintf("postgres://dec2@127.0.0.1:%d/", port)
}

func stopPostgres() {
	if pg.dir == "" {
		return
	}
	if pg.dsnBase != "" {
		_ = pg.run(filepath.Join(pg.bin, "pg_ctl"), "-D", filepath.Join(pg.dir, "data"), "-m", "immediate", "stop").Run()
	}
	_ = os.RemoveAll(pg.dir)
}

func pgMajor(initdb string) int {
	n, _ := strconv.Atoi(strings.Split(initdb, string(filepath.Separator))[4])
	return n
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
