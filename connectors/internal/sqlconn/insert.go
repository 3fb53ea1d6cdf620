package sqlconn

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/medleysql/medley/sql/sqlerr"
)

// Insert writes rows into one remote table with batched, prepared INSERT
// statements in one transaction.
type Insert struct {
	Table string // the foreign table, for errors
	// Columns are the declared column of each field of the rows
	// (InsertColumns).
	Columns []int
	// PerStatement is the number of rows per INSERT (RowsPerStatement).
	PerStatement int
	// SQL renders the INSERT of n rows, whose parameters take the values
	// row by row, in the order of Columns (InsertSQL).
	SQL func(n int) string
	// Value is the driver value of row r of a, a value of the declared
	// column col; nil for NULL. The wrapper's own conversions come first,
	// DriverValue's for the others.
	Value  func(col int, a arrow.Array, r int) (any, error)
	Errors QueryError
}

// Run writes every row of rows in tx and commits it. On any error tx is
// rolled back, so nothing is written, and the error names the column and
// row (1-based, across batches) of a value Value refuses (22023), or the
// rows of the failing statement (the first row when PerStatement is 1).
func (ins Insert) Run(ctx context.Context, tx *sql.Tx, rows array.RecordReader) (int64, error) {
	w := &inserter{ins: ins, tx: tx, stmts: map[int]*sql.Stmt{}}
	n, err := w.run(ctx, rows)
	for _, s := range w.stmts {
		s.Close()
	}
	if err != nil {
		_ = tx.Rollback()
		return 0, err
	}
	if err := tx.Commit(); err != nil {
		return 0, ins.Errors(ctx, err, ins.Table, "COMMIT")
	}
	return n, nil
}

// InsertColumns maps the fields of the rows (by name) to the columns of
// the declared schema; a field without a column is 42703.
func InsertColumns(table string, declared, rows *arrow.Schema) ([]int, error) {
	idx := make([]int, rows.NumFields())
	for j, f := range rows.Fields() {
		cols := declared.FieldIndices(f.Name)
		if len(cols) == 0 {
			return nil, sqlerr.New(sqlerr.UndefinedColumn, "column %q of foreign table %q does not exist", f.Name, table)
		}
		idx[j] = cols[0]
	}
	return idx, nil
}

// RowsPerStatement is batchSize, lowered so that a statement of cols
// columns has at most maxParams parameters, and at least 1.
func RowsPerStatement(batchSize, maxParams, cols int) int {
	return max(1, min(batchSize, maxParams/max(1, cols)))
}

// InsertSQL renders "INSERT INTO table (cols) VALUES (?, ...), ..." of n
// rows; table and cols are quoted already.
func InsertSQL(table string, cols []string, n int) string {
	var b strings.Builder
	b.WriteString("INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES ")
	row := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + ")"
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(row)
	}
	return b.String()
}

type inserter struct {
	ins     Insert
	tx      *sql.Tx
	stmts   map[int]*sql.Stmt // by rows per statement
	args    []any
	pending int   // rows in args
	first   int64 // the number of the first row in args
	rows    int64 // rows seen so far
}

func (w *inserter) run(ctx context.Context, rows array.RecordReader) (int64, error) {
	for rows.Next() {
		b := rows.RecordBatch()
		for r := 0; r < int(b.NumRows()); r++ {
			w.rows++
			if w.pending == 0 {
				w.first = w.rows
			}
			w.pending++
			for j, c := range w.ins.Columns {
				v, err := w.ins.Value(c, b.Column(j), r)
				if err != nil {
					return 0, sqlerr.Wrap(err, sqlerr.InvalidParameterValue, "foreign table %q: column %q, row %d",
						w.ins.Table, b.Schema().Field(j).Name, w.rows)
				}
				w.args = append(w.args, v)
			}
			if w.pending == w.ins.PerStatement {
				if err := w.flush(ctx); err != nil {
					return 0, err
				}
			}
		}
	}
	if err := rows.Err(); err != nil {
		return 0, err
	}
	if err := w.flush(ctx); err != nil {
		return 0, err
	}
	return w.rows, nil
}

// flush sends the buffered rows as one INSERT.
func (w *inserter) flush(ctx context.Context) error {
	n := w.pending
	if n == 0 {
		return nil
	}
	stmt, ok := w.stmts[n]
	if !ok {
		var err error
		if stmt, err = w.tx.PrepareContext(ctx, w.ins.SQL(n)); err != nil {
			return w.ins.Errors(ctx, err, w.ins.Table, "preparing INSERT")
		}
		w.stmts[n] = stmt
	}
	if _, err := stmt.ExecContext(ctx, w.args...); err != nil {
		where := fmt.Sprintf("INSERT of row %d", w.first)
		if n > 1 {
			where = fmt.Sprintf("INSERT of rows %d to %d", w.first, w.first+int64(n)-1)
		}
		return w.ins.Errors(ctx, err, w.ins.Table, "%s", where)
	}
	w.args, w.pending = w.args[:0], 0
	return nil
}

// DriverValue is the database/sql value of row r of a for MySQL and
// SQLite, which parse decimals, dates and times from text exactly:
// integers as int64 (uint64 as it is), floats as float64, decimals, dates,
// timestamps (UTC) and times as text, booleans, strings and bytes as they
// are; nil for NULL. ok is false for a type it does not convert.
func DriverValue(a arrow.Array, r int) (v any, ok bool) {
	if a.IsNull(r) {
		return nil, true
	}
	switch a := a.(type) {
	case *array.Boolean:
		return a.Value(r), true
	case *array.Int8:
		return int64(a.Value(r)), true
	case *array.Int16:
		return int64(a.Value(r)), true
	case *array.Int32:
		return int64(a.Value(r)), true
	case *array.Int64:
		return a.Value(r), true
	case *array.Uint8:
		return int64(a.Value(r)), true
	case *array.Uint16:
		return int64(a.Value(r)), true
	case *array.Uint32:
		return int64(a.Value(r)), true
	case *array.Uint64:
		return a.Value(r), true
	case *array.Float32:
		return float64(a.Value(r)), true
	case *array.Float64:
		return a.Value(r), true
	case *array.Decimal128:
		return a.Value(r).ToString(a.DataType().(*arrow.Decimal128Type).Scale), true
	case *array.String:
		return a.Value(r), true
	case *array.LargeString:
		return a.Value(r), true
	case *array.Binary:
		return a.Value(r), true
	case *array.Date32:
		return a.Value(r).ToTime().Format("2006-01-02"), true
	case *array.Timestamp:
		unit := a.DataType().(*arrow.TimestampType).Unit
		return a.Value(r).ToTime(unit).UTC().Format("2006-01-02 15:04:05.999999"), true
	case *array.Time64:
		return timeOfDay(int64(a.Value(r)) * int64(a.DataType().(*arrow.Time64Type).Unit.Multiplier())), true
	case *array.Time32:
		return timeOfDay(int64(a.Value(r)) * int64(a.DataType().(*arrow.Time32Type).Unit.Multiplier())), true
	}
	return nil, false
}

func timeOfDay(ns int64) string {
	return time.Unix(0, ns).UTC().Format("15:04:05.999999")
}
