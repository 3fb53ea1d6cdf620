package mysql

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/sql/sqlerr"
)

var _ connectors.Inserter = (*Table)(nil)

// maxPlaceholders is MySQL's limit of parameters in one prepared statement.
const maxPlaceholders = 65535

// Insert writes all rows in one remote transaction, batch_size rows per
// INSERT statement (prepared, binary protocol), with STRICT_ALL_TABLES
// added to the session's sql_mode so that a value the remote column cannot
// hold fails instead of being truncated. On any error the transaction is
// rolled back and nothing is written; the error names the column and row
// (the first row of the failing statement when batch_size > 1).
func (t *Table) Insert(ctx context.Context, rows array.RecordReader) (int64, error) {
	name := tableName(t.name)
	if !t.updatable {
		return 0, t.notUpdatable()
	}
	idx, err := t.insertColumns(rows.Schema())
	if err != nil {
		return 0, err
	}
	per := max(1, min(t.batchSize, maxPlaceholders/max(1, len(idx))))
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
	w := &inserter{t: t, tx: tx, idx: idx, per: per, stmts: map[int]*sql.Stmt{}}
	n, err := w.run(ctx, rows)
	for _, s := range w.stmts {
		s.Close()
	}
	if err != nil {
		_ = tx.Rollback()
		return 0, err
	}
	if err := tx.Commit(); err != nil {
		return 0, t.conn.queryError(ctx, err, name, "COMMIT")
	}
	return n, nil
}

// insertColumns maps the fields of the rows to declared columns.
func (t *Table) insertColumns(s *arrow.Schema) ([]int, error) {
	idx := make([]int, s.NumFields())
	for j, f := range s.Fields() {
		cols := t.schema.FieldIndices(f.Name)
		if len(cols) == 0 {
			return nil, sqlerr.New(sqlerr.UndefinedColumn, "column %q of foreign table %q does not exist", f.Name, tableName(t.name))
		}
		idx[j] = cols[0]
	}
	return idx, nil
}

type inserter struct {
	t       *Table
	tx      *sql.Tx
	idx     []int
	per     int
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
			for j := range w.idx {
				v, err := goValue(b.Column(j), r)
				if err != nil {
					return 0, sqlerr.Wrap(err, sqlerr.InvalidParameterValue, "foreign table %q: column %q, row %d",
						tableName(w.t.name), b.Schema().Field(j).Name, w.rows)
				}
				w.args = append(w.args, v)
			}
			if w.pending == w.per {
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
		if stmt, err = w.tx.PrepareContext(ctx, w.t.insertSQL(w.idx, n)); err != nil {
			return w.t.conn.queryError(ctx, err, tableName(w.t.name), "preparing INSERT")
		}
		w.stmts[n] = stmt
	}
	if _, err := stmt.ExecContext(ctx, w.args...); err != nil {
		where := fmt.Sprintf("INSERT of row %d", w.first)
		if n > 1 {
			where = fmt.Sprintf("INSERT of rows %d to %d", w.first, w.first+int64(n)-1)
		}
		return w.t.conn.queryError(ctx, err, tableName(w.t.name), "%s", where)
	}
	w.args, w.pending = w.args[:0], 0
	return nil
}

// insertSQL renders an INSERT of n rows of the columns idx.
func (t *Table) insertSQL(idx []int, n int) string {
	var b strings.Builder
	b.WriteString("INSERT INTO " + t.qualified() + " (")
	for i, c := range idx {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(quoteIdent(t.cols[c].remote.name))
	}
	b.WriteString(") VALUES ")
	row := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(idx)), ", ") + ")"
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(row)
	}
	return b.String()
}

// goValue is the driver value of row r of a: text for decimals, dates and
// times (MySQL parses them exactly), numbers and bytes as they are.
func goValue(a arrow.Array, r int) (any, error) {
	if a.IsNull(r) {
		return nil, nil
	}
	switch a := a.(type) {
	case *array.Boolean:
		return a.Value(r), nil
	case *array.Int8:
		return int64(a.Value(r)), nil
	case *array.Int16:
		return int64(a.Value(r)), nil
	case *array.Int32:
		return int64(a.Value(r)), nil
	case *array.Int64:
		return a.Value(r), nil
	case *array.Uint8:
		return int64(a.Value(r)), nil
	case *array.Uint16:
		return int64(a.Value(r)), nil
	case *array.Uint32:
		return int64(a.Value(r)), nil
	case *array.Uint64:
		return a.Value(r), nil
	case *array.Float32:
		return float64(a.Value(r)), nil
	case *array.Float64:
		return a.Value(r), nil
	case *array.Decimal128:
		return a.Value(r).ToString(a.DataType().(*arrow.Decimal128Type).Scale), nil
	case *array.String:
		return a.Value(r), nil
	case *array.LargeString:
		return a.Value(r), nil
	case *array.Binary:
		return a.Value(r), nil
	case *array.Date32:
		return a.Value(r).ToTime().Format("2006-01-02"), nil
	case *array.Timestamp:
		unit := a.DataType().(*arrow.TimestampType).Unit
		return a.Value(r).ToTime(unit).UTC().Format("2006-01-02 15:04:05.999999"), nil
	case *array.Time64:
		return timeOfDay(int64(a.Value(r)) * int64(a.DataType().(*arrow.Time64Type).Unit.Multiplier())), nil
	case *array.Time32:
		return timeOfDay(int64(a.Value(r)) * int64(a.DataType().(*arrow.Time32Type).Unit.Multiplier())), nil
	}
	return nil, fmt.Errorf("type %s cannot be written to MySQL", a.DataType())
}

func timeOfDay(ns int64) string {
	return time.Unix(0, ns).UTC().Format("15:04:05.999999")
}
