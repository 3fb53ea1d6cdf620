package engine

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/medleysql/medley/sql/sqlerr"
)

// DB is an open Medley engine on one catalog. It is safe for concurrent use.
type DB struct {
	cfg Config
}

// Session is one user's connection to a DB: the current user, settings
// (threads, memory_limit, pushdown, search_path). It is not safe for
// concurrent use; open one per goroutine.
type Session struct {
	db   *DB
	user string
}

var errTODO = sqlerr.New(sqlerr.FeatureNotSupported, "not implemented yet")

// Open opens the catalog and returns a DB.
func Open(ctx context.Context, cfg Config) (*DB, error) { return &DB{cfg: cfg}, nil }

// Close closes the catalog and every pooled connection. It is idempotent.
func (db *DB) Close() error { return nil }

// Session opens a session for user; the user must exist in the catalog.
func (db *DB) Session(ctx context.Context, user string) (*Session, error) {
	return &Session{db: db, user: user}, nil
}

// Exec runs one statement as the DB's default user.
func (db *DB) Exec(ctx context.Context, sql string, args ...any) (*Result, error) {
	return nil, errTODO
}

// Query runs one query as the DB's default user and streams its rows.
func (db *DB) Query(ctx context.Context, sql string, args ...any) (array.RecordReader, error) {
	return nil, errTODO
}

// User returns the session's current user.
func (s *Session) User() string { return s.user }

// Run runs exactly one statement.
func (s *Session) Run(ctx context.Context, sql string, args ...any) (*Result, error) {
	return nil, errTODO
}

// InfoSchema returns the rows of an information_schema view by name
// (e.g. "foreign_servers"), as the session's user may see them.
func (s *Session) InfoSchema(ctx context.Context, view string) (array.RecordReader, error) {
	return nil, errTODO
}

// SplitStatements splits text at top-level semicolons. complete holds each
// finished statement (without its ';'); rest is trailing text not yet ended
// by ';' (whitespace-only rest is returned as "").
func SplitStatements(text string) (complete []string, rest string) {
	return nil, text
}
