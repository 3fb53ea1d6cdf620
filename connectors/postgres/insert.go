package postgres

import (
	"context"
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/connectors/internal/sqlgen"
	"github.com/medleysql/medley/sql/sqlerr"
)

var _ connectors.Inserter = (*Table)(nil)

// Insert writes all batches in one remote transaction: through COPY FROM
// STDIN (FORMAT binary), streaming batch by batch (copy.go), or, when COPY
// cannot be used, batch_size rows per INSERT statement with values as
// parameters. Any error rolls back every row; it names the column and row
// (1-based, across batches) when the value is known, or the line of the
// COPY stream / the range of rows of the failing statement.
func (t *Table) Insert(ctx context.Context, rows array.RecordReader) (int64, error) {
	if err := t.checkUpdatable("INSERT into"); err != nil {
		return 0, err
	}
	cols, err := t.insertColumns(rows.Schema())
	if err != nil {
		return 0, err
	}
	pc, err := t.conn.acquire(ctx)
	if err != nil {
		return 0, err
	}
	defer t.conn.release(pc)
	tx, err := pc.Begin(ctx)
	if err != nil {
		return 0, t.conn.remoteError(ctx, err, "INSERT into %s", localName(t.name))
	}
	defer tx.Rollback(context.Background()) // a no-op after Commit
	ct, err := t.copyPlan(ctx, tx, rows.Schema())
	if err != nil {
		return 0, err
	}
	if ct.ok {
		n, err := t.copyInsert(ctx, tx, ct, rows)
		if err != nil {
			return 0, err
		}
		if err := tx.Commit(ctx); err != nil {
			return 0, t.conn.remoteError(ctx, err, "INSERT into %s (commit)", localName(t.name))
		}
		return n, nil
	}
	var total int64
	var args []any
	pending, first := 0, int64(1)
	flush := func() error {
		if pending == 0 {
			return nil
		}
		if _, err := tx.Exec(ctx, t.insertSQL(cols, pending), args...); err != nil {
			where := fmt.Sprintf("row %d", first)
			if pending > 1 {
				where = fmt.Sprintf("rows %d to %d", first, first+int64(pending)-1)
			}
			return t.conn.remoteError(ctx, err, "INSERT into %s (%s)", localName(t.name), where)
		}
		first += int64(pending)
		args, pending = args[:0], 0
		return nil
	}
	for rows.Next() {
		b := rows.RecordBatch()
		for r := 0; r < int(b.NumRows()); r++ {
			total++
			for i := range cols {
				v, err := goValue(b.Column(i), r)
				if err != nil {
					return 0, sqlerr.New(sqlerr.DatatypeMismatch, "INSERT into %s: column %s, row %d: %v",
						localName(t.name), b.Schema().Field(i).Name, total, err)
				}
				args = append(args, v)
			}
			if pending++; pending == t.batchSize {
				if err := flush(); err != nil {
					return 0, err
				}
			}
		}
	}
	if err := rows.Err(); err != nil {
		return 0, err
	}
	if err := flush(); err != nil {
		return 0, err
	}
	if err := tx.Commit(ctx); err != nil {
		return 0, t.conn.remoteError(ctx, err, "INSERT into %s (commit)", localName(t.name))
	}
	return total, nil
}

// checkUpdatable refuses writes to a table (or server) with updatable
// 'false', as PostgreSQL refuses them in a read-only transaction (25006).
func (t *Table) checkUpdatable(op string) error {
	if t.updatable {
		return nil
	}
	return sqlerr.New(sqlerr.ReadOnlyTransaction, "cannot %s foreign table %s: it is not updatable", op, localName(t.name)).
		WithHint("The foreign table or its server has the option updatable 'false'.")
}

// insertColumns maps the rows' fields to remote column names.
func (t *Table) insertColumns(s *arrow.Schema) ([]string, error) {
	var out []string
	for _, f := range s.Fields() {
		idx := t.schema.FieldIndices(f.Name)
		if len(idx) != 1 {
			return nil, sqlerr.New(sqlerr.UndefinedColumn, "column %q of foreign table %s does not exist", f.Name, localName(t.name))
		}
		q, err := sqlgen.PostgreSQL.QuoteIdent(t.cols[idx[0]].Name)
		if err != nil {
			return nil, sqlerr.New(sqlerr.InvalidName, "%v", err)
		}
		out = append(out, q)
	}
	return out, nil
}

func (t *Table) insertSQL(cols []string, rows int) string {
	table, _ := sqlgen.PostgreSQL.QualifiedName(t.remote)
	var b strings.Builder
	b.WriteString("INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES ")
	n := 1
	for r := 0; r < rows; r++ {
		if r > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for c := range cols {
			if c > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "$%d", n)
			n++
		}
		b.WriteByte(')')
	}
	return b.String()
}

// goValue is the pgx parameter for row r of a.
func goValue(a arrow.Array, r int) (any, error) {
	if a.IsNull(r) {
		return nil, nil
	}
	switch x := a.(type) {
	case *array.Int16:
		return x.Value(r), nil
	case *array.Int32:
		return x.Value(r), nil
	case *array.Int64:
		return x.Value(r), nil
	case *array.Float32:
		return x.Value(r), nil
	case *array.Float64:
		return x.Value(r), nil
	case *array.Boolean:
		return x.Value(r), nil
	case *array.String:
		return x.Value(r), nil
	case *array.Binary:
		return x.Value(r), nil
	case *array.Decimal128:
		return x.Value(r).ToString(x.DataType().(*arrow.Decimal128Type).Scale), nil
	case *array.Date32:
		return pgtype.Date{Time: x.Value(r).ToTime(), Valid: true}, nil
	case *array.Timestamp:
		tt := x.DataType().(*arrow.TimestampType)
		ts := x.Value(r).ToTime(tt.Unit).UTC()
		if tt.TimeZone != "" {
			return ts, nil
		}
		return pgtype.Timestamp{Time: ts, Valid: true}, nil
	case *array.Time64:
		us := int64(x.Value(r))
		if x.DataType().(*arrow.Time64Type).Unit == arrow.Nanosecond {
			us /= 1000
		}
		return pgtype.Time{Microseconds: us, Valid: true}, nil
	case *array.MonthDayNanoInterval:
		v := x.Value(r)
		return pgtype.Interval{Months: v.Months, Days: v.Days, Microseconds: v.Nanoseconds / 1000, Valid: true}, nil
	}
	return nil, fmt.Errorf("type %s cannot be written", a.DataType())
}
