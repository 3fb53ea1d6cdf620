package engine

import (
	"context"
	"os/user"
	"sync"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"go.uber.org/zap"

	"github.com/medleysql/medley/connectors"
	_ "github.com/medleysql/medley/connectors/all" // the built-in wrappers
	"github.com/medleysql/medley/engine/catalog"
	"github.com/medleysql/medley/sql/sqlerr"
)

// DB is an open Medley engine on one catalog. It is safe for concurrent use.
type DB struct {
	cfg   Config
	cat   *catalog.Catalog
	pool  *connPool
	alloc memory.Allocator
	log   *zap.Logger
	user  string // the default user of db.Exec / db.Query

	closeOnce sync.Once
	closeErr  error
}

// Open opens (creating if needed) the catalog and returns a DB. The first
// user of a new catalog (Config.User, else the OS user) is its superuser.
func Open(ctx context.Context, cfg Config) (*DB, error) {
	db := &DB{cfg: cfg, alloc: cfg.Allocator, log: cfg.Logger, user: cfg.User}
	if db.alloc == nil {
		db.alloc = memory.DefaultAllocator
	}
	if db.log == nil {
		db.log = zap.NewNop()
	}
	if db.user == "" {
		db.user = osUser()
	}
	cat, err := catalog.Open(ctx, catalog.Options{
		Path: cfg.CatalogPath, SecretKey: cfg.SecretKey, BootstrapUser: db.user, Logger: db.log,
	})
	if err != nil {
		return nil, err
	}
	db.cat = cat
	db.pool = newConnPool(cat, db.alloc, db.log)
	return db, nil
}

func osUser() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	return "medley"
}

// Close closes every pooled connection and the catalog. It is idempotent.
func (db *DB) Close() error {
	db.closeOnce.Do(func() {
		perr := db.pool.Close()
		cerr := db.cat.Close()
		if perr != nil {
			db.closeErr = perr
		} else {
			db.closeErr = cerr
		}
	})
	return db.closeErr
}

// Session opens a session for user; the user must exist in the catalog
// (28000 otherwise).
func (db *DB) Session(ctx context.Context, user string) (*Session, error) {
	if user == "" {
		user = db.user
	}
	if _, err := db.cat.GetUser(ctx, user); err != nil {
		return nil, sqlerr.New(sqlerr.InvalidAuthorization, "role %q does not exist", user)
	}
	return &Session{db: db, user: user, set: defaultSettings(db.cfg)}, nil
}

// Exec runs one statement as the DB's default user and returns its result
// with any rows already drained (use Query for rows).
func (db *DB) Exec(ctx context.Context, sql string, args ...any) (*Result, error) {
	s, err := db.Session(ctx, "")
	if err != nil {
		return nil, err
	}
	return s.Exec(ctx, sql, args...)
}

// Query runs one query as the DB's default user and streams its rows.
func (db *DB) Query(ctx context.Context, sql string, args ...any) (array.RecordReader, error) {
	s, err := db.Session(ctx, "")
	if err != nil {
		return nil, err
	}
	return s.Query(ctx, sql, args...)
}

// Catalog returns the DB's catalog, for tools built on the engine (the
// Flight SQL server authenticates users with it).
func (db *DB) Catalog() *catalog.Catalog { return db.cat }

// RegisterConnector registers a Go connector (see the package function
// RegisterConnector) and adds it to this DB's catalog as a built-in
// foreign data wrapper.
func (db *DB) RegisterConnector(ctx context.Context, name string, c connectors.Connector) error {
	RegisterConnector(name, c)
	return db.cat.SyncWrappers(ctx)
}
