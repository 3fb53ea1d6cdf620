package sqlite

import (
	"context"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/connectors/internal/sqlconn"
)

// Scan plans one remote SELECT of the wanted columns. Filters the deparser
// renders with SQLite's exact semantics are Exact and go into its WHERE;
// the others are Unsupported and left to the engine. The limit and the
// ordering are pushed when every filter is Exact.
func (t *Table) Scan(ctx context.Context, req connectors.ScanRequest) (*connectors.ScanPlan, error) {
	sql, res, err := t.deparseSelect(req)
	if err != nil {
		return nil, err
	}
	cols := make([]column, len(req.Columns))
	for i, c := range req.Columns {
		cols[i] = t.cols[c]
	}
	header := fmt.Sprintf("sqlite %s: file %s", tableName(t.name), t.conn.path)
	return sqlconn.ScanPlan(header, sql, res, req, t.schema, func(schema *arrow.Schema) connectors.Partition {
		return &partition{t: t, sql: sql, cols: cols, schema: schema}
	}), nil
}

type partition struct {
	t      *Table
	sql    string
	cols   []column
	schema *arrow.Schema
}

// Open runs the remote SELECT.
func (p *partition) Open(ctx context.Context, mem memory.Allocator) (array.RecordReader, error) {
	return openReader(ctx, p.t, p.sql, p.cols, p.schema, mem)
}
