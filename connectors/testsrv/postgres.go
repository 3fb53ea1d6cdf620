package testsrv

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// PG is a running PostgreSQL cluster. Connections over TCP to Host:Port
// authenticate with scram-sha-256 as User/Password (a superuser); connections
// over the Unix socket in SocketDir are trusted.
type PG struct {
	Host      string // always 127.0.0.1
	Port      int
	User      string // superuser
	Password  string
	SocketDir string // the Unix socket's directory
	BinDir    string // the PostgreSQL binaries (psql, pg_dump, ...)
	Dir       string // the temporary directory holding the data directory

	cmd     *exec.Cmd
	exited  chan struct{}
	stopMu  sync.Mutex
	stopped bool
	dbSeq   atomic.Int64
}

// Default credentials of the servers' superuser.
const (
	DefaultUser     = "medley"
	DefaultPassword = "medley-test-pw"
)

var (
	pgOnce sync.Once
	pgSrv  *PG
	pgErr  error
)

// Postgres returns the test binary's shared PostgreSQL server, starting it
// on first use. Without PostgreSQL binaries it skips the test, or fails it
// when the environment variable CI is "true".
func Postgres(t testing.TB) *PG {
	t.Helper()
	pgOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		pgSrv, pgErr = StartPostgres(ctx)
	})
	if pgErr != nil {
		if errors.Is(pgErr, ErrNotInstalled) {
			missing(t, pgErr)
		}
		t.Fatalf("testsrv: start PostgreSQL: %v", pgErr)
	}
	return pgSrv
}

// PostgresBinDir returns the directory of the PostgreSQL server binaries:
// $MEDLEY_PG_BINDIR, else /usr/lib/postgresql/15/bin, else the newest
// /usr/lib/postgresql/*/bin, else the directory of initdb in PATH.
func PostgresBinDir() (string, error) {
	cands := []string{os.Getenv("MEDLEY_PG_BINDIR"), "/usr/lib/postgresql/15/bin"}
	more, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Sort(sort.Reverse(sort.StringSlice(more)))
	cands = append(cands, more...)
	for _, d := range cands {
		if d != "" && firstExisting(filepath.Join(d, "initdb")) != "" &&
			firstExisting(filepath.Join(d, "postgres")) != "" {
			return d, nil
		}
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		return filepath.Dir(p), nil
	}
	return "", fmt.Errorf("PostgreSQL: %w: no initdb/postgres in /usr/lib/postgresql/15/bin, "+
		"/usr/lib/postgresql/*/bin or PATH (set MEDLEY_PG_BINDIR)", ErrNotInstalled)
}

// StartPostgres initializes and starts a new PostgreSQL cluster in a
// temporary directory. The caller must Stop it (or call StopAll).
func StartPostgres(ctx context.Context) (*PG, error) {
	bin, err := PostgresBinDir()
	if err != nil {
		return nil, err
	}
	u, err := serverUser()
	if err != nil {
		return nil, err
	}
	dir, err := newServerDir("pg", u)
	if err != nil {
		return nil, err
	}
	p := &PG{Host: "127.0.0.1", User: DefaultUser, Password: DefaultPassword,
		SocketDir: dir, BinDir: bin, Dir: dir}
	if err := p.initdb(u); err != nil {
		_ = os.RemoveAll(dir)
		return nil, err
	}
	// The port was free a moment ago; another process may take it first.
	for attempt := 0; ; attempt++ {
		err = p.start(ctx, u)
		if err == nil || attempt == 2 || ctx.Err() != nil {
			break
		}
	}
	if err != nil {
		_ = os.RemoveAll(dir)
		return nil, err
	}
	register(p)
	return p, nil
}

func (p *PG) initdb(u osUser) error {
	pw := filepath.Join(p.Dir, "pwfile")
	if err := os.WriteFile(pw, []byte(p.Password+"\n"), 0o644); err != nil {
		return fmt.Errorf("testsrv: %w", err)
	}
	defer os.Remove(pw)
	return runAs(u, filepath.Join(p.BinDir, "initdb"), "-D", filepath.Join(p.Dir, "data"),
		"-U", p.User, "--pwfile="+pw, "--auth-local=trust", "--auth-host=scram-sha-256",
		"-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions")
}

func (p *PG) start(ctx context.Context, u osUser) error {
	port, err := freePort()
	if err != nil {
		return err
	}
	p.Port = port
	logPath := filepath.Join(p.Dir, "postgres.log")
	logf, err := os.Create(logPath)
	if err != nil {
		return fmt.Errorf("testsrv: %w", err)
	}
	defer logf.Close()
	cmd := exec.Command(filepath.Join(p.BinDir, "postgres"), "-D", filepath.Join(p.Dir, "data"),
		"-p", strconv.Itoa(port), "-k", p.SocketDir,
		"-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "synchronous_commit=off",
		"-c", "full_page_writes=off", "-c", "max_connections=200", "-c", "shared_buffers=64MB",
		"-c", "max_wal_size=1GB", "-c", "log_min_messages=warning", "-c", "TimeZone=UTC")
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.Env = append(os.Environ(), "LC_ALL=C")
	// SIGQUIT: immediate shutdown (the postmaster also ends its backends).
	if err := startProcess(cmd, u, syscall.SIGQUIT); err != nil {
		return fmt.Errorf("testsrv: start postgres: %w", err)
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	if err := waitReady(ctx, exited, func(ctx context.Context) error {
		c, err := pgx.Connect(ctx, p.DSN("postgres"))
		if err == nil {
			c.Close(ctx)
		}
		return err
	}); err != nil {
		stopProcess(cmd, exited, syscall.SIGQUIT, 5*time.Second)
		return fmt.Errorf("testsrv: PostgreSQL on port %d did not start: %w\nlog:\n%s", port, err, readLog(logPath))
	}
	p.cmd, p.exited = cmd, exited
	return nil
}

// waitReady polls ping until it succeeds, the process exits or ctx ends.
func waitReady(ctx context.Context, exited <-chan struct{}, ping func(context.Context) error) error {
	var last error
	for {
		pctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		last = ping(pctx)
		cancel()
		if last == nil {
			return nil
		}
		select {
		case <-exited:
			return fmt.Errorf("server exited: %v", last)
		case <-ctx.Done():
			return fmt.Errorf("%w (last error: %v)", ctx.Err(), last)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// Stop shuts the server down and removes its directory. It is idempotent.
func (p *PG) Stop() error {
	p.stopMu.Lock()
	defer p.stopMu.Unlock()
	if p.stopped {
		return nil
	}
	p.stopped = true
	unregister(p)
	// SIGINT: fast shutdown, clients are disconnected.
	stopProcess(p.cmd, p.exited, syscall.SIGINT, 10*time.Second)
	return os.RemoveAll(p.Dir)
}

// DSN returns a URL to connect to database db over TCP as the superuser,
// usable by pgx and libpq.
func (p *PG) DSN(db string) string {
	u := url.URL{Scheme: "postgres", User: url.UserPassword(p.User, p.Password),
		Host: fmt.Sprintf("%s:%d", p.Host, p.Port), Path: "/" + db, RawQuery: "sslmode=disable"}
	return u.String()
}

// CreateDatabase creates database name, dropping it first if it exists,
// and returns its DSN. The database lives as long as the server.
func (p *PG) CreateDatabase(t testing.TB, name string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := p.CreateDatabaseContext(ctx, name); err != nil {
		t.Fatal(err)
	}
	return p.DSN(name)
}

// CreateDatabaseContext creates database name, dropping it first if it
// exists.
func (p *PG) CreateDatabaseContext(ctx context.Context, name string) error {
	q := pgx.Identifier{name}.Sanitize()
	return p.ExecContext(ctx, "postgres", "DROP DATABASE IF EXISTS "+q+" WITH (FORCE)", "CREATE DATABASE "+q)
}

// NewDatabase creates a fresh database named after the test and returns its
// name.
func (p *PG) NewDatabase(t testing.TB) string {
	t.Helper()
	name := fmt.Sprintf("%s_%d", sanitize(t.Name()), p.dbSeq.Add(1))
	p.CreateDatabase(t, name)
	return name
}

// Exec runs SQL in database db as the superuser; sql may hold several
// statements separated by semicolons. It fails the test on error.
func (p *PG) Exec(t testing.TB, db, sql string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := p.ExecContext(ctx, db, sql); err != nil {
		t.Fatal(err)
	}
}

// ExecContext runs each of sqls (each may hold several statements) in
// database db as the superuser, in order, outside any transaction block.
func (p *PG) ExecContext(ctx context.Context, db string, sqls ...string) error {
	c, err := pgx.Connect(ctx, p.DSN(db))
	if err != nil {
		return fmt.Errorf("testsrv: connect to PostgreSQL database %q: %w", db, err)
	}
	defer c.Close(context.Background())
	for _, s := range sqls {
		if _, err := c.PgConn().Exec(ctx, s).ReadAll(); err != nil {
			return fmt.Errorf("testsrv: PostgreSQL database %q: %w\nSQL: %s", db, err, tail(strings.TrimSpace(s), 500))
		}
	}
	return nil
}
