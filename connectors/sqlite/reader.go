package sqlite

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/medleysql/medley/connectors/internal/sqlconn"
)

// openReader runs q and returns a reader of its rows (sqlconn.Reader),
// bound to ctx: cancelling it interrupts the statement.
func openReader(ctx context.Context, t *Table, q string, cols []column, schema *arrow.Schema, mem memory.Allocator) (array.RecordReader, error) {
	name := tableName(t.name)
	if err := ctx.Err(); err != nil {
		return nil, sqlconn.Canceled(err, name)
	}
	rows, err := t.conn.db.QueryContext(ctx, q)
	if err != nil {
		return nil, t.conn.queryError(ctx, err, name, "remote query")
	}
	rc := make([]sqlconn.Column, len(cols))
	for i, c := range cols {
		rc[i] = sqlconn.Column{Name: c.name, Remote: c.remote, Nullable: c.nullable, Conv: c.conv}
	}
	return sqlconn.NewReader(ctx, rows, mem, sqlconn.Result{Table: name, Schema: schema, Columns: rc, Errors: t.conn.queryError}), nil
}
