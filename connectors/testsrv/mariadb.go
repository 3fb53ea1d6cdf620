package testsrv

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"
)

// Maria is a running MariaDB server. Connections over TCP to Host:Port
// authenticate as User/Password (all privileges, WITH GRANT OPTION).
type Maria struct {
	Host     string // always 127.0.0.1
	Port     int
	User     string
	Password string
	Socket   string // the Unix socket's path
	Dir      string // the temporary directory holding the data directory

	cmd     *exec.Cmd
	exited  chan struct{}
	stopMu  sync.Mutex
	stopped bool
	dbSeq   atomic.Int64
}

var (
	myOnce sync.Once
	mySrv  *Maria
	myErr  error
)

// MariaDB returns the test binary's shared MariaDB server, starting
// it on first use. Without MariaDB binaries it skips the test, or fails it
// when the environment variable CI is "true".
func MariaDB(t testing.TB) *Maria {
	t.Helper()
	myOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
		defer cancel()
		mySrv, myErr = StartMariaDB(ctx)
	})
	if myErr != nil {
		if errors.Is(myErr, ErrNotInstalled) {
			missing(t, myErr)
		}
		t.Fatalf("testsrv: start MariaDB: %v", myErr)
	}
	return mySrv
}

// mariaBins returns the server and install-db binaries.
func mariaBins() (server, installDB string, err error) {
	server = firstExisting(os.Getenv("MEDLEY_MARIADBD"), "mariadbd", "/usr/sbin/mariadbd", "mysqld", "/usr/sbin/mysqld")
	installDB = firstExisting("mariadb-install-db", "/usr/bin/mariadb-install-db", "mysql_install_db", "/usr/bin/mysql_install_db")
	if server == "" || installDB == "" {
		return "", "", fmt.Errorf("MariaDB: %w: no mariadbd/mysqld and mariadb-install-db in PATH or /usr/sbin "+
			"(apt-get install mariadb-server)", ErrNotInstalled)
	}
	return server, installDB, nil
}

// StartMariaDB initializes and starts a new MariaDB server in a temporary
// directory. The caller must Stop it (or call StopAll).
func StartMariaDB(ctx context.Context) (*Maria, error) {
	server, installDB, err := mariaBins()
	if err != nil {
		return nil, err
	}
	u, err := serverUser()
	if err != nil {
		return nil, err
	}
	dir, err := newServerDir("mariadb", u)
	if err != nil {
		return nil, err
	}
	m := &Maria{Host: "127.0.0.1", User: DefaultUser, Password: DefaultPassword,
		Socket: filepath.Join(dir, "mysqld.sock"), Dir: dir}
	err = runAs(u, installDB, "--no-defaults", "--datadir="+filepath.Join(dir, "data"),
		"--auth-root-authentication-method=socket", "--skip-test-db", "--skip-name-resolve",
		"--user="+u.name)
	for attempt := 0; err == nil; attempt++ {
		if err = m.start(ctx, u, server); err == nil || attempt == 2 || ctx.Err() != nil {
			break
		}
	}
	if err == nil {
		err = m.bootstrap(ctx, u)
	}
	if err != nil {
		if m.cmd != nil {
			stopProcess(m.cmd, m.exited, syscall.SIGKILL, time.Second)
		}
		_ = os.RemoveAll(dir)
		return nil, err
	}
	register(m)
	return m, nil
}

func (m *Maria) start(ctx context.Context, u osUser, server string) error {
	port, err := freePort()
	if err != nil {
		return err
	}
	m.Port = port
	logPath := filepath.Join(m.Dir, "mariadb.log")
	_ = os.Remove(logPath)
	cmd := exec.Command(server, "--no-defaults", "--datadir="+filepath.Join(m.Dir, "data"),
		"--socket="+m.Socket, "--port="+strconv.Itoa(port), "--bind-address=127.0.0.1",
		"--pid-file="+filepath.Join(m.Dir, "mysqld.pid"), "--log-error="+logPath,
		"--tmpdir="+m.Dir, "--skip-name-resolve", "--skip-log-bin", "--performance-schema=OFF",
		"--innodb-flush-log-at-trx-commit=0", "--innodb-doublewrite=0", "--innodb-buffer-pool-size=64M",
		"--max-connections=200", "--character-set-server=utf8mb4", "--default-time-zone=+00:00")
	cmd.Env = append(os.Environ(), "LC_ALL=C")
	if err := startProcess(cmd, u, syscall.SIGKILL); err != nil {
		return fmt.Errorf("testsrv: start mariadbd: %w", err)
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	rootDSN := currentOSUser() + "@unix(" + m.Socket + ")/"
	if err := waitReady(ctx, exited, func(ctx context.Context) error {
		return pingDSN(ctx, rootDSN)
	}); err != nil {
		stopProcess(cmd, exited, syscall.SIGKILL, time.Second)
		return fmt.Errorf("testsrv: MariaDB on port %d did not start: %w\nlog:\n%s", port, err, readLog(logPath))
	}
	m.cmd, m.exited = cmd, exited
	return nil
}

// currentOSUser is the name of the OS user running this process.
func currentOSUser() string {
	if os.Geteuid() == 0 {
		return "root"
	}
	if u, err := user.Current(); err == nil {
		return u.Username
	}
	return os.Getenv("USER")
}

func pingDSN(ctx context.Context, dsn string) error {
	db, err := sql.Open("mysql", dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	return db.PingContext(ctx)
}

// bootstrap creates the TCP superuser through the socket, where the OS user
// running the server is MariaDB's root.
func (m *Maria) bootstrap(ctx context.Context, u osUser) error {
	// unix_socket authentication maps the peer's OS user to the MariaDB
	// user of the same name; the install made root and u.name superusers,
	// and this process runs as one of them.
	cfg := mysql.NewConfig()
	cfg.Net, cfg.Addr, cfg.User = "unix", m.Socket, currentOSUser()
	cfg.MultiStatements = true
	db, err := openConfig(cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	pw := strings.ReplaceAll(m.Password, "'", "''")
	q := fmt.Sprintf("CREATE USER '%[1]s'@'%%' IDENTIFIED BY '%[2]s'; "+
		"GRANT ALL PRIVILEGES ON *.* TO '%[1]s'@'%%' WITH GRANT OPTION; "+
		"CREATE USER '%[1]s'@'localhost' IDENTIFIED BY '%[2]s'; "+
		"GRANT ALL PRIVILEGES ON *.* TO '%[1]s'@'localhost' WITH GRANT OPTION; FLUSH PRIVILEGES", m.User, pw)
	if _, err := db.ExecContext(ctx, q); err != nil {
		return fmt.Errorf("testsrv: MariaDB: create user %s: %w", m.User, err)
	}
	return nil
}

func openConfig(cfg *mysql.Config) (*sql.DB, error) {
	conn, err := mysql.NewConnector(cfg)
	if err != nil {
		return nil, fmt.Errorf("testsrv: MariaDB: %w", err)
	}
	return sql.OpenDB(conn), nil
}

// Stop shuts the server down and removes its directory. It is idempotent.
func (m *Maria) Stop() error {
	m.stopMu.Lock()
	defer m.stopMu.Unlock()
	if m.stopped {
		return nil
	}
	m.stopped = true
	unregister(m)
	stopProcess(m.cmd, m.exited, syscall.SIGTERM, 10*time.Second)
	return os.RemoveAll(m.Dir)
}

// Config returns a go-sql-driver/mysql configuration for database db over
// TCP as User.
func (m *Maria) Config(db string) *mysql.Config {
	cfg := mysql.NewConfig()
	cfg.Net, cfg.Addr = "tcp", fmt.Sprintf("%s:%d", m.Host, m.Port)
	cfg.User, cfg.Passwd, cfg.DBName = m.User, m.Password, db
	return cfg
}

// DSN returns a go-sql-driver/mysql DSN for database db over TCP as User
// (user:password@tcp(127.0.0.1:port)/db), without parameters.
func (m *Maria) DSN(db string) string { return m.Config(db).FormatDSN() }

// CreateDatabase creates database name (utf8mb4), dropping it first if it
// exists, and returns its DSN. The database lives as long as the server.
func (m *Maria) CreateDatabase(t testing.TB, name string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := m.CreateDatabaseContext(ctx, name); err != nil {
		t.Fatal(err)
	}
	return m.DSN(name)
}

// CreateDatabaseContext creates database name, dropping it first if it
// exists.
func (m *Maria) CreateDatabaseContext(ctx context.Context, name string) error {
	q := "`" + strings.ReplaceAll(name, "`", "``") + "`"
	return m.ExecContext(ctx, "", "DROP DATABASE IF EXISTS "+q+"; CREATE DATABASE "+q+" CHARACTER SET utf8mb4")
}

// NewDatabase creates a fresh database named after the test and returns its
// name.
func (m *Maria) NewDatabase(t testing.TB) string {
	t.Helper()
	name := fmt.Sprintf("%s_%d", sanitize(t.Name()), m.dbSeq.Add(1))
	m.CreateDatabase(t, name)
	return name
}

// Exec runs SQL in database db as User; sql may hold several statements
// separated by semicolons. It fails the test on error.
func (m *Maria) Exec(t testing.TB, db, sql string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := m.ExecContext(ctx, db, sql); err != nil {
		t.Fatal(err)
	}
}

// ExecContext runs sql (several statements allowed) in database db ("" for
// none) as User.
func (m *Maria) ExecContext(ctx context.Context, db, sql string) error {
	cfg := m.Config(db)
	cfg.MultiStatements = true
	h, err := openConfig(cfg)
	if err != nil {
		return err
	}
	defer h.Close()
	if _, err := h.ExecContext(ctx, sql); err != nil {
		return fmt.Errorf("testsrv: MariaDB database %q: %w\nSQL: %s", db, err, tail(strings.TrimSpace(sql), 500))
	}
	return nil
}
