package mysql

import (
	"context"
	"database/sql"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/connectors/internal/sqlconn"
	"github.com/medleysql/medley/sql/sqlerr"
)

// remoteColumn is what information_schema.COLUMNS says of a column.
type remoteColumn struct {
	name     string
	dataType string // lower case: "int", "varchar", ...
	colType  string // full: "int(10) unsigned", "tinyint(1)", "decimal(10,2)"
	nullable bool
	charset  string // "" for non-string columns
	prec     sql.NullInt64
	scale    sql.NullInt64
	dtPrec   sql.NullInt64 // fractional seconds of datetime/timestamp/time
}

func (rc remoteColumn) unsigned() bool { return strings.Contains(rc.colType, "unsigned") }

const columnsQuery = "SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, IS_NULLABLE, COALESCE(CHARACTER_SET_NAME, ''), " +
	"NUMERIC_PRECISION, NUMERIC_SCALE, DATETIME_PRECISION FROM information_schema.COLUMNS " +
	"WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION"

// columns returns a remote table's columns; none when it does not exist.
func (c *Conn) columns(ctx context.Context, db, table string) ([]remoteColumn, error) {
	rows, err := c.db.QueryContext(ctx, columnsQuery, db, table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []remoteColumn
	for rows.Next() {
		var rc remoteColumn
		var null string
		if err := rows.Scan(&rc.name, &rc.dataType, &rc.colType, &null, &rc.charset, &rc.prec, &rc.scale, &rc.dtPrec); err != nil {
			return nil, err
		}
		rc.dataType, rc.colType = strings.ToLower(rc.dataType), strings.ToLower(rc.colType)
		rc.nullable = null == "YES"
		out = append(out, rc)
	}
	return out, rows.Err()
}

// column is a declared column and the remote column it reads.
type column struct {
	name     string
	typ      arrow.DataType
	nullable bool
	remote   remoteColumn
	conv     converter
	raw      bool // scanned as sql.RawBytes (strings, decimals, dates...)
}

// Table is a foreign table over a MySQL table or view.
type Table struct {
	conn   *Conn
	name   []string
	db     string
	remote string
	schema *arrow.Schema
	cols   []column
	// batchSize is the number of rows per INSERT statement.
	batchSize int
	// updatable is the updatable option: INSERT, UPDATE and DELETE are
	// refused (25006) when false.
	updatable bool
}

var _ connectors.Table = (*Table)(nil)

func tableName(name []string) string { return strings.Join(name, ".") }

// Table resolves a foreign table against information_schema: the remote
// table must exist, hold every declared column, and each declared type
// must be readable from the remote type.
func (c *Conn) Table(ctx context.Context, d connectors.TableDesc) (connectors.Table, error) {
	name := tableName(d.Name)
	db := d.Options["dbname"]
	if db == "" {
		return nil, sqlerr.New(sqlerr.FDWOptionNameNotFound, "foreign table %q: option \"dbname\" is required", name)
	}
	remote := d.Options["table_name"]
	if remote == "" {
		remote = d.Name[len(d.Name)-1]
	}
	rcols, err := c.columns(ctx, db, remote)
	if err != nil {
		return nil, c.queryError(ctx, err, name, "reading the columns of %s.%s", db, remote)
	}
	if len(rcols) == 0 {
		return nil, sqlerr.New(sqlerr.FDWTableNotFound, "foreign table %q: remote table %s.%s does not exist on server %q",
			name, quoteIdent(db), quoteIdent(remote), c.server)
	}
	byName := map[string]remoteColumn{}
	for _, rc := range rcols {
		byName[strings.ToLower(rc.name)] = rc
	}
	t := &Table{conn: c, name: d.Name, db: db, remote: remote, schema: d.Schema(), batchSize: max(1, c.batchSize), updatable: c.updatable}
	if v, ok := d.Options["updatable"]; ok {
		t.updatable = sqlconn.IsTrue(v)
	}
	if v := d.Options["batch_size"]; v != "" {
		if n, err := strconv.Atoi(v); err == nil && n > 0 {
			t.batchSize = n
		}
	}
	for _, cd := range d.Columns {
		rname := cd.Name
		if v := cd.Options["column_name"]; v != "" {
			rname = v
		}
		rc, ok := byName[strings.ToLower(rname)]
		if !ok {
			return nil, sqlerr.New(sqlerr.FDWColumnNameNotFound, "foreign table %q: column %q: remote table %s.%s has no column %q",
				name, cd.Name, db, remote, rname)
		}
		conv, raw, err := converterFor(cd.Type, rc)
		if err != nil {
			return nil, sqlerr.Wrap(err, sqlerr.FDWInvalidDataType, "foreign table %q: column %q", name, cd.Name)
		}
		t.cols = append(t.cols, column{name: cd.Name, typ: cd.Type, nullable: cd.Nullable, remote: rc, conv: conv, raw: raw})
	}
	return t, nil
}

// Schema is the declared schema.
func (t *Table) Schema() *arrow.Schema { return t.schema }

// qualified is the remote table's quoted name.
func (t *Table) qualified() string { return quoteIdent(t.db) + "." + quoteIdent(t.remote) }

// Statistics reports the row count of engines that keep it exactly
// (MyISAM, Aria, MEMORY); InnoDB's TABLE_ROWS is an estimate, so -1.
func (t *Table) Statistics(ctx context.Context) (connectors.Statistics, error) {
	var engine sql.NullString
	var rows sql.NullInt64
	err := t.conn.db.QueryRowContext(ctx,
		"SELECT ENGINE, TABLE_ROWS FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?",
		t.db, t.remote).Scan(&engine, &rows)
	if err != nil {
		if err == sql.ErrNoRows {
			return connectors.UnknownStatistics, nil
		}
		return connectors.UnknownStatistics, t.conn.queryError(ctx, err, tableName(t.name), "statistics")
	}
	switch strings.ToLower(engine.String) {
	case "myisam", "aria", "memory":
		if rows.Valid {
			return connectors.Statistics{RowCount: rows.Int64}, nil
		}
	}
	return connectors.UnknownStatistics, nil
}
