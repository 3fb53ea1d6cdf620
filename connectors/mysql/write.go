package mysql

import (
	"context"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/connectors/internal/sqlconn"
)

var _ connectors.Inserter = (*Table)(nil)

// maxPlaceholders is MySQL's limit of parameters in one prepared statement.
const maxPlaceholders = 65535

// Insert writes all rows in one remote transaction, batch_size rows per
// INSERT statement (prepared, binary protocol; sqlconn.Insert), with
// STRICT_ALL_TABLES added to the session's sql_mode so that a value the
// remote column cannot hold fails instead of being truncated. On any error
// the transaction is rolled back and nothing is written; the error names
// the column and row (the first row of the failing statement when
// batch_size > 1).
func (t *Table) Insert(ctx context.Context, rows array.RecordReader) (int64, error) {
	name := tableName(t.name)
	if !t.updatable {
		return 0, t.notUpdatable()
	}
	idx, err := sqlconn.InsertColumns(name, t.schema, rows.Schema())
	if err != nil {
		return 0, err
	}
	conn, err := t.conn.db.Conn(ctx)
	if err != nil {
		return 0, t.conn.queryError(ctx, err, name, "connecting")
	}
	defer conn.Close()
	var mode string
	if err := conn.QueryRowContext(ctx, "SELECT @@SESSION.sql_mode").Scan(&mode); err != nil {
		return 0, t.conn.queryError(ctx, err, name, "INSERT")
	}
	if _, err := conn.ExecContext(ctx, "SET SESSION sql_mode = CONCAT(@@SESSION.sql_mode, ',STRICT_ALL_TABLES')"); err != nil {
		return 0, t.conn.queryError(ctx, err, name, "INSERT")
	}
	defer conn.ExecContext(context.Background(), "SET SESSION sql_mode = ?", mode) //nolint:errcheck // the connection is closed anyway on error
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return 0, t.conn.queryError(ctx, err, name, "BEGIN")
	}
	cols := make([]string, len(idx))
	for i, c := range idx {
		cols[i] = quoteIdent(t.cols[c].remote.name)
	}
	return sqlconn.Insert{
		Table:        name,
		Columns:      idx,
		PerStatement: sqlconn.RowsPerStatement(t.batchSize, maxPlaceholders, len(idx)),
		SQL:          func(n int) string { return sqlconn.InsertSQL(t.qualified(), cols, n) },
		Value:        goValue,
		Errors:       t.conn.queryError,
	}.Run(ctx, tx, rows)
}

// goValue is the driver value of row r of a: sqlconn.DriverValue's (text
// for decimals, dates and times, which MySQL parses exactly; numbers,
// booleans and bytes as they are).
func goValue(_ int, a arrow.Array, r int) (any, error) {
	if v, ok := sqlconn.DriverValue(a, r); ok {
		return v, nil
	}
	return nil, fmt.Errorf("type %s cannot be written to MySQL", a.DataType())
}
