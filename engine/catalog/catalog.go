// Package catalog is Medley's SQL/MED catalog: foreign-data wrappers,
// servers, user mappings, foreign tables, schemas, users and grants, kept in
// an embedded SQLite file with PostgreSQL's semantics.
//
// Every mutating call runs in one SQLite transaction (BEGIN IMMEDIATE), so a
// failed statement leaves the catalog unchanged and two processes sharing a
// catalog file never corrupt it. Reads see a consistent snapshot.
//
// Options a wrapper marks Secret are encrypted at rest with AES-256-GCM and
// write-only: every listing (\deu+, information_schema, the Go API) shows
// them as ******** to every user, the mapping's own user and superusers
// included — stricter than PostgreSQL, which shows them to those — and they
// never appear in errors or logs. Only ConnectInfo decrypts them, for the
// connector. The reference forms NAME_env 'VAR' and NAME_file '/path' are stored as
// given and resolved only by ConnectInfo.
//
// Notices (e.g. "server \"s\" already exists, skipping" for IF NOT EXISTS)
// go to the handler installed with WithNoticeHandler.
package catalog

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"

	"go.uber.org/zap"
	_ "modernc.org/sqlite" // database/sql driver "sqlite"

	"github.com/medleysql/medley/sql/sqlerr"
)

// CatalogName is the catalog name shown in information_schema.
const CatalogName = "medley"

// Public is the grantee and mapping user meaning every user (PostgreSQL's
// PUBLIC pseudo-role).
const Public = "PUBLIC"

// DefaultSchema is the schema that exists from the start.
const DefaultSchema = "public"

// MemoryServer is the built-in server of the memory wrapper holding the
// tables created with CREATE TABLE.
const MemoryServer = "memory"

// Options configures Open.
type Options struct {
	// Path is the SQLite file; ":memory:" keeps the catalog in memory for
	// the Catalog's lifetime. Empty means DefaultPath().
	Path string
	// SecretKey is the 32-byte AES-256 key for secret options. Empty means
	// $MEDLEY_SECRET_KEY (64 hex digits or base64 of 32 bytes), else a key
	// file created with mode 0600 beside the catalog (PATH.key).
	SecretKey []byte
	// BootstrapUser is created as a superuser when the catalog has no user
	// yet (the first user of a new catalog). Empty creates nobody.
	BootstrapUser string
	// Logger receives structured logs; nil means zap.NewNop().
	Logger *zap.Logger
}

// Catalog is an open catalog. It is safe for concurrent use.
type Catalog struct {
	db     *sql.DB
	path   string
	key    []byte
	log    *zap.Logger
	mu     sync.Mutex // serializes writers inside this process
	closed atomic.Bool
}

// DefaultPath returns $MEDLEY_CATALOG if set, else
// $XDG_DATA_HOME/medley/catalog.db, else ~/.local/share/medley/catalog.db.
// It does not create the directory (Open does).
func DefaultPath() (string, error) {
	if p := os.Getenv("MEDLEY_CATALOG"); p != "" {
		return p, nil
	}
	dir := os.Getenv("XDG_DATA_HOME")
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", sqlerr.Wrap(err, sqlerr.IOError, "cannot find the default catalog path")
		}
		dir = filepath.Join(home, ".local", "share")
	}
	return filepath.Join(dir, "medley", "catalog.db"), nil
}

// Open opens (creating and migrating if needed) the catalog at opts.Path.
func Open(ctx context.Context, opts Options) (*Catalog, error) {
	log := opts.Logger
	if log == nil {
		log = zap.NewNop()
	}
	path := opts.Path
	if path == "" {
		p, err := DefaultPath()
		if err != nil {
			return nil, err
		}
		path = p
	}
	db, err := openDB(path)
	if err != nil {
		return nil, err
	}
	c := &Catalog{db: db, path: path, log: log}
	if c.key, err = loadKey(path, opts.SecretKey); err != nil {
		db.Close()
		return nil, err
	}
	if err := c.write(ctx, func(tx *txn) error {
		if err := migrate(ctx, tx); err != nil {
			return err
		}
		return bootstrap(ctx, tx, opts.BootstrapUser)
	}); err != nil {
		db.Close()
		return nil, err
	}
	log.Debug("catalog opened", zap.String("path", path))
	return c, nil
}

func openDB(path string) (*sql.DB, error) {
	if strings.ContainsRune(path, '?') {
		return nil, sqlerr.New(sqlerr.IOError, "catalog path %q must not contain '?'", path)
	}
	memory := path == ":memory:"
	var dsn string
	if memory {
		dsn = ":memory:?_pragma=foreign_keys(1)"
	} else {
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return nil, sqlerr.Wrap(err, sqlerr.IOError, "cannot create the catalog directory")
		}
		dsn = path + "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)"
	}
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, sqlerr.Wrap(err, sqlerr.IOError, "cannot open catalog %q", path)
	}
	if memory {
		// Each connection of database/sql would get its own empty database.
		db.SetMaxOpenConns(1)
	} else {
		db.SetMaxOpenConns(4)
	}
	if err := db.Ping(); err != nil {
		db.Close()
		return nil, sqlerr.Wrap(err, sqlerr.IOError, "cannot open catalog %q", path)
	}
	if !memory {
		// The catalog holds password hashes and sealed secrets: owner only.
		// SQLite gives its -wal and -shm files the same mode.
		_ = os.Chmod(path, 0o600)
	}
	return db, nil
}

// Path returns the catalog's file path (or ":memory:").
func (c *Catalog) Path() string { return c.path }

// Close closes the catalog. It is idempotent.
func (c *Catalog) Close() error {
	c.mu.Lock() // let a running write finish
	defer c.mu.Unlock()
	if c.closed.Swap(true) {
		return nil
	}
	return c.db.Close()
}

// querier is what both a transaction's connection and the pool offer.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// txn is one catalog transaction.
type txn struct {
	querier
	c *Catalog
}

var errClosed = sqlerr.New(sqlerr.ConnectionNotExist, "catalog is closed")

// write runs fn in a BEGIN IMMEDIATE transaction, committing if fn returns
// nil and rolling back otherwise.
func (c *Catalog) write(ctx context.Context, fn func(tx *txn) error) (err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed.Load() {
		return errClosed
	}
	conn, err := c.db.Conn(ctx)
	if err != nil {
		return storageErr(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		return storageErr(err)
	}
	defer func() {
		if p := recover(); p != nil {
			_, _ = conn.ExecContext(context.Background(), "ROLLBACK")
			err = sqlerr.New(sqlerr.InternalError, "catalog: internal error: %v", p)
			return
		}
		if err != nil {
			_, _ = conn.ExecContext(context.Background(), "ROLLBACK")
			return
		}
		if _, cerr := conn.ExecContext(ctx, "COMMIT"); cerr != nil {
			_, _ = conn.ExecContext(context.Background(), "ROLLBACK")
			err = storageErr(cerr)
		}
	}()
	return fn(&txn{querier: conn, c: c})
}

// read runs fn in a read transaction (a consistent snapshot).
func (c *Catalog) read(ctx context.Context, fn func(tx *txn) error) error {
	if c.closed.Load() {
		return errClosed
	}
	tx, err := c.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return storageErr(err)
	}
	defer tx.Rollback() //nolint:errcheck // read-only
	return fn(&txn{querier: tx, c: c})
}

// storageErr wraps an SQLite failure; sqlerr errors pass through.
func storageErr(err error) error {
	if err == nil {
		return nil
	}
	var e *sqlerr.Error
	if errors.As(err, &e) {
		return err
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return sqlerr.Wrap(err, sqlerr.QueryCanceled, "catalog")
	}
	return sqlerr.Wrap(err, sqlerr.IOError, "catalog storage")
}

// Notice is a non-error message of a statement, as PostgreSQL's NOTICE.
type Notice struct {
	Code    sqlerr.Code
	Message string
}

type noticeKey struct{}

// WithNoticeHandler returns a context whose catalog calls send their notices
// to h.
func WithNoticeHandler(ctx context.Context, h func(Notice)) context.Context {
	return context.WithValue(ctx, noticeKey{}, h)
}

func (c *Catalog) notice(ctx context.Context, code sqlerr.Code, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if h, ok := ctx.Value(noticeKey{}).(func(Notice)); ok && h != nil {
		h(Notice{Code: code, Message: msg})
		return
	}
	c.log.Debug("notice", zap.String("message", msg))
}

// SendNotice sends a notice to ctx's handler (see WithNoticeHandler), for
// the engine's own notices about catalog statements.
func SendNotice(ctx context.Context, n Notice) {
	if h, ok := ctx.Value(noticeKey{}).(func(Notice)); ok && h != nil {
		h(n)
	}
}
