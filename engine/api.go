// Package engine is Medley's public Go API: open a DB on a catalog, run SQL or
// Substrait plans in sessions, read results as Arrow record batches, and
// register Go connectors.
//
// It is shaped like database/sql and pgx:
//
//	db, err := engine.Open(ctx, engine.Config{CatalogPath: "medley.db"})
//	defer db.Close()
//	rdr, err := db.Query(ctx, "SELECT * FROM orders WHERE o_orderkey = $1", 42)
//	defer rdr.Release()
//	for rdr.Next() { batch := rdr.RecordBatch(); ... }
package engine

import (
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"go.uber.org/zap"

	"github.com/medleysql/medley/connectors"
)

// Config configures a DB. The zero value is usable: the default catalog path,
// the OS user, all cores, no memory limit beyond the machine's.
type Config struct {
	// CatalogPath is the SQLite catalog file. Empty means $MEDLEY_CATALOG,
	// else $XDG_DATA_HOME/medley/catalog.db (~/.local/share/...).
	// ":memory:" keeps the catalog in memory for the DB's lifetime.
	CatalogPath string
	// SecretKey is the 32-byte AES-256 key for secret options at rest.
	// Empty means $MEDLEY_SECRET_KEY (hex or base64), else a key file
	// created with mode 0600 beside the catalog.
	SecretKey []byte
	// User is the current user of DB-level calls (db.Exec, db.Query).
	// Empty means the OS user. The first user of a new catalog is created
	// as its superuser.
	User string
	// Threads is the degree of parallelism of a query; 0 means all cores.
	Threads int
	// MemoryLimit is the per-query memory limit in bytes; 0 means none.
	MemoryLimit int64
	// Allocator is where query memory comes from; nil means
	// memory.DefaultAllocator. Tests pass a checked allocator.
	Allocator memory.Allocator
	// Logger receives structured logs; nil means zap.NewNop().
	Logger *zap.Logger
}

// Result is the outcome of one statement.
type Result struct {
	// Tag is PostgreSQL's command tag: "SELECT 3", "CREATE SERVER",
	// "INSERT 0 5", ...
	Tag string
	// RowsAffected counts rows written by INSERT/UPDATE/DELETE.
	RowsAffected int64
	// Reader streams the rows of a statement that returns rows (SELECT,
	// EXPLAIN, SHOW); nil otherwise. The caller releases it.
	Reader array.RecordReader
	// Progress reports the statement's progress so far; safe to call from
	// another goroutine while Reader is being read. Nil when not a query.
	Progress func() Progress
}

// Progress is a running statement's progress.
type Progress struct {
	Sources []SourceProgress
}

// SourceProgress counts what one scan fetched so far.
type SourceProgress struct {
	Name  string // the foreign table
	Rows  int64
	Bytes int64
}

// Session API (implemented in db.go / session.go):
//
//	func Open(ctx context.Context, cfg Config) (*DB, error)
//	func (db *DB) Close() error
//	func (db *DB) Session(ctx context.Context, user string) (*Session, error)
//	func (db *DB) Exec(ctx context.Context, sql string, args ...any) (*Result, error)
//	func (db *DB) Query(ctx context.Context, sql string, args ...any) (array.RecordReader, error)
//	func (s *Session) Run(ctx context.Context, sql string, args ...any) (*Result, error) // one statement
//	func (s *Session) Exec / Query  // as on DB
//	func (s *Session) User() string
//	func (s *Session) InfoSchema(ctx context.Context, view string) (array.RecordReader, error)
//	func SplitStatements(text string) (complete []string, rest string)

// RegisterConnector makes a Go connector available as a built-in foreign
// data wrapper called name, in every catalog opened afterwards: after
// `CREATE SERVER s FOREIGN DATA WRAPPER name`, its tables are queried like
// any other. Registering a name twice panics, as database/sql.Register
// does. To add a connector to a DB that is already open, use
// DB.RegisterConnector.
func RegisterConnector(name string, c connectors.Connector) { connectors.Register(name, c) }
