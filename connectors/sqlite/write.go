package sqlite

import (
	"context"
	"fmt"
	"math"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/connectors/internal/sqlconn"
	"github.com/medleysql/medley/sql/sqlerr"
)

var _ connectors.Inserter = (*Table)(nil)

// maxPlaceholders is SQLite's default limit of parameters in a statement.
const maxPlaceholders = 32766

// Insert writes all rows in one remote transaction, batch_size rows per
// INSERT statement (sqlconn.Insert). On any error the transaction is
// rolled back and nothing is written; the error names the column and row
// (the first row of the failing statement when batch_size > 1). Dates and
// times are written as ISO-8601 text, or Unix seconds for column_type
// 'INT'; decimals as text (NUMERIC affinity keeps them exact up to 15
// digits).
func (t *Table) Insert(ctx context.Context, rows array.RecordReader) (int64, error) {
	name := tableName(t.name)
	if !t.updatable {
		return 0, sqlerr.New(sqlerr.ReadOnlyTransaction, "foreign table %q is not updatable (updatable 'false' or force_readonly)", name)
	}
	idx, err := sqlconn.InsertColumns(name, t.schema, rows.Schema())
	if err != nil {
		return 0, err
	}
	tx, err := t.conn.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, t.conn.queryError(ctx, err, name, "BEGIN")
	}
	return sqlconn.Insert{
		Table:        name,
		Columns:      idx,
		PerStatement: sqlconn.RowsPerStatement(t.batchSize, maxPlaceholders, len(idx)),
		SQL:          func(n int) string { return t.insertSQL(idx, n) },
		Value:        func(c int, a arrow.Array, r int) (any, error) { return goValue(a, r, t.cols[c].unix) },
		Errors:       t.conn.queryError,
	}.Run(ctx, tx, rows)
}

// insertSQL renders an INSERT of n rows of the columns idx; of no columns,
// INSERT ... DEFAULT VALUES.
func (t *Table) insertSQL(idx []int, n int) string {
	if len(idx) == 0 {
		return "INSERT INTO " + quoteIdent(t.remote) + " DEFAULT VALUES"
	}
	cols := make([]string, len(idx))
	for i, c := range idx {
		cols[i] = quoteIdent(t.cols[c].remote)
	}
	return sqlconn.InsertSQL(quoteIdent(t.remote), cols, n)
}

// goValue is the driver value of row r of a: booleans as the INTEGERs 0
// and 1, unsigned integers only up to 2^63-1, dates and times as ISO-8601
// text (sqlconn.DriverValue) or, with unix, Unix seconds.
func goValue(a arrow.Array, r int, unix bool) (any, error) {
	if a.IsNull(r) {
		return nil, nil
	}
	switch a := a.(type) {
	case *array.Boolean:
		if a.Value(r) {
			return int64(1), nil
		}
		return int64(0), nil
	case *array.Uint64:
		if a.Value(r) > math.MaxInt64 {
			return nil, fmt.Errorf("value %d is out of range for SQLite's 64-bit integers", a.Value(r))
		}
		return int64(a.Value(r)), nil
	case *array.Date32:
		if unix {
			return int64(a.Value(r)) * 86400, nil
		}
	case *array.Timestamp:
		if unix {
			tm := a.Value(r).ToTime(a.DataType().(*arrow.TimestampType).Unit).UTC()
			if tm.Nanosecond() == 0 {
				return tm.Unix(), nil
			}
			return float64(tm.UnixMicro()) / 1e6, nil
		}
	}
	if v, ok := sqlconn.DriverValue(a, r); ok {
		return v, nil
	}
	return nil, fmt.Errorf("type %s cannot be written to SQLite", a.DataType())
}
