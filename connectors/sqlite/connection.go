package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/connectors/internal/sqlconn"
	"github.com/medleysql/medley/sql/sqlerr"
	"go.uber.org/zap"
	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// busyTimeoutMS is how long a statement waits for another connection's
// lock on the file before failing with SQLITE_BUSY.
const busyTimeoutMS = 10000

// Conn is an open SQLite database file. The *sql.DB pools the file's
// connections, so a Conn is safe for concurrent use.
type Conn struct {
	db        *sql.DB
	server    string // the foreign server's name, for errors
	path      string
	readOnly  bool // force_readonly: opened with mode=ro
	updatable bool // the server's updatable option
	batchSize int
	log       *zap.Logger

	closeOnce sync.Once
	closeErr  error
}

var _ connectors.Conn = (*Conn)(nil)

// fileURI builds the SQLite URI of path, escaping what a URI would read
// as syntax.
func fileURI(path string, readOnly bool) string {
	r := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23")
	mode := "rw" // never create a missing file
	if readOnly {
		mode = "ro"
	}
	return fmt.Sprintf("file:%s?mode=%s&_pragma=busy_timeout(%d)", r.Replace(path), mode, busyTimeoutMS)
}

func connect(ctx context.Context, p connectors.ConnectParams) (*Conn, error) {
	opts := p.ServerOptions
	path := opts["database"]
	if path == "" {
		return nil, sqlerr.New(sqlerr.FDWOptionNameNotFound, "server %q: option \"database\" is required", p.Server)
	}
	c := &Conn{
		server:    p.Server,
		path:      path,
		readOnly:  sqlconn.IsTrue(opts["force_readonly"]),
		updatable: opts["updatable"] == "" || sqlconn.IsTrue(opts["updatable"]),
		batchSize: 1,
		log:       p.Logger,
	}
	if c.log == nil {
		c.log = zap.NewNop()
	}
	if v := opts["batch_size"]; v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return nil, sqlerr.New(sqlerr.FDWInvalidAttributeValue, "server %q: invalid batch_size %q", p.Server, v)
		}
		c.batchSize = n
	}
	db, err := sql.Open("sqlite", fileURI(path, c.readOnly))
	if err != nil {
		return nil, sqlerr.Wrap(err, sqlerr.ConnectionFailure, "server %q: cannot open SQLite file %q", p.Server, path)
	}
	// Reading the schema proves the file exists and is a database.
	if _, err := db.ExecContext(ctx, "SELECT count(*) FROM sqlite_master"); err != nil {
		db.Close()
		if ctx.Err() != nil {
			return nil, sqlerr.Wrap(ctx.Err(), sqlerr.QueryCanceled, "server %q: connecting cancelled", p.Server)
		}
		return nil, sqlerr.Wrap(err, sqlerr.ConnectionFailure, "server %q: cannot open SQLite file %q", p.Server, path)
	}
	c.db = db
	c.log.Info("sqlite: opened", zap.String("server", p.Server), zap.String("database", path), zap.Bool("readonly", c.readOnly))
	return c, nil
}

// Close closes the file's connections; it is idempotent.
func (c *Conn) Close() error {
	c.closeOnce.Do(func() {
		c.closeErr = c.db.Close()
		c.log.Info("sqlite: closed", zap.String("database", c.path))
	})
	return c.closeErr
}

// remoteColumn is what PRAGMA table_info says of a remote column.
type remoteColumn struct {
	name    string
	decl    string // declared type, as written
	notNull bool
	pk      int // 1-based position in the primary key, 0 if none
}

// tableInfo returns the remote table's columns, or nil when there is no
// table or view of that name.
func (c *Conn) tableInfo(ctx context.Context, table string) ([]remoteColumn, error) {
	rows, err := c.db.QueryContext(ctx, "SELECT name, type, \"notnull\", pk FROM pragma_table_info(?)", table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var cols []remoteColumn
	for rows.Next() {
		var rc remoteColumn
		if err := rows.Scan(&rc.name, &rc.decl, &rc.notNull, &rc.pk); err != nil {
			return nil, err
		}
		cols = append(cols, rc)
	}
	return cols, rows.Err()
}

// Table resolves a foreign table: the remote table must exist and have
// every declared column, and every declared type must be one this wrapper
// converts.
func (c *Conn) Table(ctx context.Context, d connectors.TableDesc) (connectors.Table, error) {
	name := tableName(d.Name)
	remote := d.Options["table"]
	if remote == "" {
		remote = d.Name[len(d.Name)-1]
	}
	info, err := c.tableInfo(ctx, remote)
	if err != nil {
		return nil, c.queryError(ctx, err, name, "reading the columns of remote table %q", remote)
	}
	if len(info) == 0 {
		return nil, sqlerr.New(sqlerr.FDWTableNotFound, "foreign table %q: remote table %q does not exist on server %q (file %q)", name, remote, c.server, c.path)
	}
	byName := map[string]remoteColumn{}
	for _, rc := range info {
		byName[strings.ToLower(rc.name)] = rc
	}
	t := &Table{conn: c, name: d.Name, remote: remote, schema: d.Schema(), updatable: c.updatable && !c.readOnly, batchSize: c.batchSize}
	if v := d.Options["batch_size"]; v != "" {
		if n, err := strconv.Atoi(v); err == nil && n > 0 {
			t.batchSize = n
		}
	}
	if v, ok := d.Options["updatable"]; ok {
		t.updatable = sqlconn.IsTrue(v) && !c.readOnly
	}
	for _, cd := range d.Columns {
		col := column{name: cd.Name, remote: cd.Name, typ: cd.Type, nullable: cd.Nullable,
			unix: strings.EqualFold(cd.Options["column_type"], "INT"), key: sqlconn.IsTrue(cd.Options["key"])}
		if v := cd.Options["column_name"]; v != "" {
			col.remote = v
		}
		rc, ok := byName[strings.ToLower(col.remote)]
		if !ok {
			return nil, sqlerr.New(sqlerr.FDWColumnNameNotFound, "foreign table %q: column %q: remote table %q has no column %q",
				name, cd.Name, remote, col.remote)
		}
		col.remote, col.decl, col.affinity, col.pk = rc.name, rc.decl, affinityOf(rc.decl), rc.pk
		if col.conv = converterFor(cd.Type, col.unix); col.conv == nil {
			return nil, sqlerr.New(sqlerr.FDWInvalidDataType, "foreign table %q: column %q has type %s, which the sqlite wrapper cannot read",
				name, cd.Name, cd.Type)
		}
		t.cols = append(t.cols, col)
	}
	return t, nil
}

// queryError turns an error of the SQLite driver into a SQLSTATE error
// naming the foreign table (sqlconn.DriverError); a cancelled context is
// 57014.
func (c *Conn) queryError(ctx context.Context, err error, table, format string, args ...any) error {
	return sqlconn.DriverError(ctx, err, errorCode, nil, table, format, args...)
}

// errorCode is the SQLSTATE of a driver error, read from SQLite's message;
// HV000 for one it does not know.
func errorCode(err error) sqlerr.Code {
	code := sqlerr.FDWError
	s := err.Error()
	switch {
	case strings.Contains(s, "no such table"):
		code = sqlerr.FDWTableNotFound
	case strings.Contains(s, "no such column"):
		code = sqlerr.FDWColumnNameNotFound
	case strings.Contains(s, "readonly database"), strings.Contains(s, "read-only"):
		code = sqlerr.ReadOnlyTransaction
	case strings.Contains(s, "UNIQUE constraint"), strings.Contains(s, "PRIMARY KEY constraint"):
		code = "23505"
	case strings.Contains(s, "NOT NULL constraint"):
		code = sqlerr.NotNullViolation
	case strings.Contains(s, "CHECK constraint"):
		code = "23514"
	case strings.Contains(s, "FOREIGN KEY constraint"):
		code = "23503"
	case strings.Contains(s, "integer overflow"): // sum() beyond 64 bits
		code = sqlerr.NumericValueOutOfRange
	case strings.Contains(s, "database is locked"), strings.Contains(s, "SQLITE_BUSY"):
		code = "55P03"
	}
	return code
}

// column is a declared column and where it lives remotely.
type column struct {
	name     string
	remote   string
	typ      arrow.DataType
	nullable bool
	decl     string // the remote declared type
	affinity affinity
	pk       int
	unix     bool // column_type 'INT': dates and times stored as Unix seconds
	key      bool // key option: part of the row key of UPDATE/DELETE
	conv     converter
}

// Table is a foreign table over a SQLite table or view.
type Table struct {
	conn      *Conn
	name      []string
	remote    string
	schema    *arrow.Schema
	cols      []column
	updatable bool
	batchSize int // rows per INSERT statement
}

var _ connectors.Table = (*Table)(nil)

// Schema is the declared schema.
func (t *Table) Schema() *arrow.Schema { return t.schema }

func tableName(name []string) string { return strings.Join(name, ".") }

// quoteIdent quotes an SQLite identifier.
func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// Statistics reports the row count ANALYZE left in sqlite_stat1, if any;
// counting the rows would cost a full scan, so otherwise it is -1.
func (t *Table) Statistics(ctx context.Context) (connectors.Statistics, error) {
	var stat string
	err := t.conn.db.QueryRowContext(ctx,
		"SELECT stat FROM sqlite_stat1 WHERE tbl = ? ORDER BY idx IS NOT NULL LIMIT 1", t.remote).Scan(&stat)
	if err != nil {
		if ctx.Err() != nil {
			return connectors.UnknownStatistics, sqlerr.Wrap(ctx.Err(), sqlerr.QueryCanceled, "foreign table %q: statistics cancelled", tableName(t.name))
		}
		return connectors.UnknownStatistics, nil // no sqlite_stat1 or no row for the table
	}
	first, _, _ := strings.Cut(stat, " ")
	n, err := strconv.ParseInt(first, 10, 64)
	if err != nil || n < 0 {
		return connectors.UnknownStatistics, nil
	}
	return connectors.Statistics{RowCount: n}, nil
}
