package catalog

import (
	"context"
	"database/sql"
	"errors"

	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/sql/sqlerr"
)

// migrations are the catalog's schema versions, in order: migrations[i]
// brings a catalog from version i to version i+1. Never edit a released
// entry; append a new one.
var migrations = []string{
	// 1: the SQL/MED objects, users and grants. Options are JSON arrays of
	// [name, value] pairs in declaration order; secret values are sealed.
	`CREATE TABLE users (
		name TEXT PRIMARY KEY,
		password_hash TEXT NOT NULL DEFAULT '',
		superuser INTEGER NOT NULL DEFAULT 0,
		can_login INTEGER NOT NULL DEFAULT 1
	);
	CREATE TABLE wrappers (
		name TEXT PRIMARY KEY,
		owner TEXT NOT NULL,
		handler TEXT NOT NULL DEFAULT '',
		validator TEXT NOT NULL DEFAULT '',
		builtin INTEGER NOT NULL DEFAULT 0,
		options TEXT NOT NULL DEFAULT '[]'
	);
	CREATE TABLE servers (
		name TEXT PRIMARY KEY,
		wrapper TEXT NOT NULL REFERENCES wrappers(name) ON UPDATE CASCADE,
		owner TEXT NOT NULL,
		type TEXT NOT NULL DEFAULT '',
		version TEXT NOT NULL DEFAULT '',
		options TEXT NOT NULL DEFAULT '[]',
		gen INTEGER NOT NULL DEFAULT 1
	);
	CREATE TABLE user_mappings (
		server TEXT NOT NULL REFERENCES servers(name) ON UPDATE CASCADE,
		username TEXT NOT NULL,
		options TEXT NOT NULL DEFAULT '[]',
		PRIMARY KEY (server, username)
	);
	CREATE TABLE schemas (
		name TEXT PRIMARY KEY,
		owner TEXT NOT NULL
	);
	CREATE TABLE tables (
		schema TEXT NOT NULL REFERENCES schemas(name),
		name TEXT NOT NULL,
		kind TEXT NOT NULL,
		server TEXT NOT NULL REFERENCES servers(name) ON UPDATE CASCADE,
		owner TEXT NOT NULL,
		options TEXT NOT NULL DEFAULT '[]',
		PRIMARY KEY (schema, name)
	);
	CREATE TABLE columns (
		schema TEXT NOT NULL,
		tbl TEXT NOT NULL,
		ord INTEGER NOT NULL,
		name TEXT NOT NULL,
		type_text TEXT NOT NULL,
		not_null INTEGER NOT NULL DEFAULT 0,
		has_default INTEGER NOT NULL DEFAULT 0,
		default_text TEXT NOT NULL DEFAULT '',
		options TEXT NOT NULL DEFAULT '[]',
		PRIMARY KEY (schema, tbl, ord),
		FOREIGN KEY (schema, tbl) REFERENCES tables(schema, name) ON UPDATE CASCADE ON DELETE CASCADE
	);
	CREATE TABLE grants (
		kind TEXT NOT NULL,
		object TEXT NOT NULL,
		grantee TEXT NOT NULL,
		privilege TEXT NOT NULL,
		grantor TEXT NOT NULL,
		PRIMARY KEY (kind, object, grantee, privilege)
	);`,
}

// SchemaVersion is the catalog schema version this build writes.
var SchemaVersion = len(migrations)

func migrate(ctx context.Context, tx *txn) error {
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)`); err != nil {
		return storageErr(err)
	}
	var v int
	err := tx.QueryRowContext(ctx, `SELECT version FROM schema_version`).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		if _, err := tx.ExecContext(ctx, `INSERT INTO schema_version VALUES (0)`); err != nil {
			return storageErr(err)
		}
	} else if err != nil {
		return storageErr(err)
	}
	if v > len(migrations) {
		return sqlerr.New(sqlerr.FeatureNotSupported,
			"catalog schema version %d is newer than this Medley supports (%d)", v, len(migrations))
	}
	for i := v; i < len(migrations); i++ {
		if _, err := tx.ExecContext(ctx, migrations[i]); err != nil {
			return sqlerr.Wrap(err, sqlerr.IOError, "catalog migration %d", i+1)
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE schema_version SET version = ?`, len(migrations)); err != nil {
		return storageErr(err)
	}
	return nil
}

// BuiltinWrappers are the wrappers every catalog has from the start.
var BuiltinWrappers = []string{"postgres", "mysql", "sqlite", "parquet", "csv", "json", "flightsql", "memory"}

// bootstrap creates the first superuser, the public schema, the built-in
// wrappers (and any other registered connector) and the memory server.
func bootstrap(ctx context.Context, tx *txn, user string) error {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM users`).Scan(&n); err != nil {
		return storageErr(err)
	}
	if n == 0 && user != "" {
		if err := checkRoleName(user); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO users(name, superuser) VALUES (?, 1)`, user); err != nil {
			return storageErr(err)
		}
	}
	owner, err := tx.firstSuperuser(ctx)
	if err != nil {
		return err
	}
	if owner != "" {
		// Built-in objects made while the catalog had no user get an owner.
		for _, t := range []string{"wrappers", "servers", "schemas"} {
			if _, err := tx.ExecContext(ctx, `UPDATE `+t+` SET owner = ? WHERE owner = ''`, owner); err != nil {
				return storageErr(err)
			}
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO schemas(name, owner) VALUES (?, ?)`, DefaultSchema, owner); err != nil {
		return storageErr(err)
	}
	if err := syncWrappers(ctx, tx, owner); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT OR IGNORE INTO servers(name, wrapper, owner) VALUES (?, 'memory', ?)`, MemoryServer, owner)
	if err != nil {
		return storageErr(err)
	}
	// Everyone may create memory tables, as everyone may create tables in
	// PostgreSQL's public schema before version 15.
	_, err = tx.ExecContext(ctx, `INSERT OR IGNORE INTO grants VALUES ('server', ?, ?, 'USAGE', ?)`, MemoryServer, Public, owner)
	return storageErr(err)
}

func syncWrappers(ctx context.Context, tx *txn, owner string) error {
	names := append([]string{}, BuiltinWrappers...)
	names = append(names, connectors.Names()...)
	for _, name := range names {
		if _, err := tx.ExecContext(ctx,
			`INSERT OR IGNORE INTO wrappers(name, owner, handler, builtin) VALUES (?, ?, ?, 1)`,
			name, owner, name); err != nil {
			return storageErr(err)
		}
	}
	return nil
}

// SyncWrappers adds a built-in wrapper for every connector registered since
// Open (a Go program's own connectors).
func (c *Catalog) SyncWrappers(ctx context.Context) error {
	return c.write(ctx, func(tx *txn) error {
		owner, err := tx.firstSuperuser(ctx)
		if err != nil {
			return err
		}
		return syncWrappers(ctx, tx, owner)
	})
}

// firstSuperuser is the owner of built-in objects: the oldest superuser, or
// "" in a catalog without users.
func (tx *txn) firstSuperuser(ctx context.Context) (string, error) {
	var name string
	err := tx.QueryRowContext(ctx, `SELECT name FROM users WHERE superuser = 1 ORDER BY rowid LIMIT 1`).Scan(&name)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return name, storageErr(err)
}
