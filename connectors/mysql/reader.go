package mysql

import (
	"context"
	"database/sql"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/medleysql/medley/connectors/internal/sqlconn"
)

// openReader prepares q on a connection of its own (so that rows come in
// the binary protocol) and returns a reader of its rows (sqlconn.Reader).
// The reader is bound to ctx: cancelling it makes the driver drop the
// connection, and KILL QUERY stops the statement at the server.
func openReader(ctx context.Context, t *Table, q string, cols []column, schema *arrow.Schema, mem memory.Allocator) (array.RecordReader, error) {
	name := tableName(t.name)
	if err := ctx.Err(); err != nil {
		return nil, sqlconn.Canceled(err, name)
	}
	conn, err := t.conn.db.Conn(ctx)
	if err != nil {
		return nil, t.conn.queryError(ctx, err, name, "connecting")
	}
	var id int64
	if err := conn.QueryRowContext(ctx, "SELECT CONNECTION_ID()").Scan(&id); err != nil {
		conn.Close()
		return nil, t.conn.queryError(ctx, err, name, "connecting")
	}
	stop := t.conn.killOnCancel(ctx, id)
	var stmt *sql.Stmt
	var rows *sql.Rows
	if stmt, err = conn.PrepareContext(ctx, q); err == nil {
		rows, err = stmt.QueryContext(ctx)
	}
	// release closes the statement and the connection, after the KILL
	// QUERY watcher.
	release := func() {
		if stmt != nil {
			stmt.Close()
		}
		stop()
		conn.Close()
	}
	if err != nil {
		err = t.conn.queryError(ctx, err, name, "remote query")
		release()
		return nil, err
	}
	rc := make([]sqlconn.Column, len(cols))
	for i, c := range cols {
		rc[i] = sqlconn.Column{Name: c.name, Remote: c.remote.name, Nullable: c.nullable, Raw: c.raw, Conv: c.conv}
	}
	return sqlconn.NewReader(ctx, rows, mem, sqlconn.Result{Table: name, Schema: schema, Columns: rc, Errors: t.conn.queryError, Close: release}), nil
}
