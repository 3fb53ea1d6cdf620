package mysql

import (
	"context"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/connectors/internal/sqlconn"
	"github.com/medleysql/medley/connectors/internal/sqlgen"
	"github.com/medleysql/medley/sql/sqlerr"
)

// dialect is sqlgen's MySQL/MariaDB dialect: string comparisons are made
// binary (CAST(... AS BINARY)), so the default case- and
// trailing-space-insensitive collations do not make them inexact.
var dialect = sqlgen.MySQL

// unshippable is the type given to sqlgen for a column whose remote
// comparisons could differ from the engine's; sqlgen then ships no filter
// or ordering on it.
var unshippable arrow.DataType = arrow.Null

// shippable reports whether MySQL compares the column as the engine
// compares the declared type. Strings must be stored in utf8mb4 (or its
// subsets utf8mb3 and ascii) or as binary strings, so that CAST(... AS
// BINARY) yields the engine's bytes; a string read from a FLOAT/DOUBLE
// column is formatted differently remotely.
func (c column) shippable() bool {
	rcl := classOf(c.remote)
	switch c.typ.ID() {
	case arrow.STRING:
		switch rcl {
		case rString:
			switch c.remote.charset {
			case "utf8mb4", "utf8mb3", "utf8", "ascii", "binary":
				return true
			}
			return false
		case rFloat:
			return false
		}
		return true
	case arrow.FLOAT32:
		return rcl == rFloat && c.remote.dataType == "float"
	}
	return true
}

func (t *Table) columnRefs() []sqlgen.ColumnRef {
	refs := make([]sqlgen.ColumnRef, len(t.cols))
	for i, c := range t.cols {
		refs[i] = sqlgen.ColumnRef{Name: c.remote.name, Type: c.typ}
		if !c.shippable() {
			refs[i].Type = unshippable
		}
	}
	return refs
}

// Scan plans one remote SELECT, run as a prepared statement (binary
// protocol). Filters sqlgen ships are Exact; the others Unsupported; the
// limit and ordering are pushed when every filter is.
func (t *Table) Scan(ctx context.Context, req connectors.ScanRequest) (*connectors.ScanPlan, error) {
	res, err := sqlgen.Select(dialect, sqlgen.Query{
		Table: []string{t.db, t.remote}, Columns: t.columnRefs(), Project: req.Columns,
		Filters: req.Filters, Limit: req.Limit, Order: req.Order,
	})
	if err != nil {
		return nil, sqlerr.Wrap(err, sqlerr.FDWUnableToCreateExecution, "foreign table %q", tableName(t.name))
	}
	cols := make([]column, len(req.Columns))
	for i, c := range req.Columns {
		cols[i] = t.cols[c]
	}
	header := fmt.Sprintf("mysql %s: server %s", tableName(t.name), t.conn.server)
	return sqlconn.ScanPlan(header, res.SQL, res, req, t.schema, func(schema *arrow.Schema) connectors.Partition {
		return &partition{t: t, sql: res.SQL, cols: cols, schema: schema}
	}), nil
}

type partition struct {
	t      *Table
	sql    string
	cols   []column
	schema *arrow.Schema
}

// Open prepares and runs the remote SELECT on a connection of its own.
// Cancelling ctx makes the driver drop the connection, and the reader
// sends KILL QUERY for it so that the server stops at once.
func (p *partition) Open(ctx context.Context, mem memory.Allocator) (array.RecordReader, error) {
	return openReader(ctx, p.t, p.sql, p.cols, p.schema, mem)
}
