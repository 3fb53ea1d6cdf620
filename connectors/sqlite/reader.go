package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync/atomic"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/medleysql/medley/sql/sqlerr"
)

// batchRows is the number of rows per batch a reader returns.
const batchRows = 8192

// reader is an array.RecordReader over the rows of one remote SELECT. It
// is bound to the context it was opened with: once that is cancelled,
// Next returns false and Err reports 57014 wrapping context.Canceled.
type reader struct {
	ctx    context.Context
	t      *Table
	rows   *sql.Rows
	cols   []column // the selected columns, in output order
	schema *arrow.Schema
	bld    *array.RecordBuilder // nil for a zero-column scan
	vals   []any
	ptrs   []any
	refs   atomic.Int64
	cur    arrow.RecordBatch
	err    error
	row    int64 // rows read so far, for errors
	done   bool
}

// openReader runs q and returns a reader of its rows.
func openReader(ctx context.Context, t *Table, q string, args []any, cols []column, schema *arrow.Schema, mem memory.Allocator) (*reader, error) {
	if err := ctx.Err(); err != nil {
		return nil, sqlerr.Wrap(err, sqlerr.QueryCanceled, "foreign table %q: canceling statement due to user request", tableName(t.name))
	}
	rows, err := t.conn.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, t.conn.queryError(ctx, err, tableName(t.name), "remote query")
	}
	r := &reader{ctx: ctx, t: t, rows: rows, cols: cols, schema: schema}
	if len(cols) > 0 {
		r.bld = array.NewRecordBuilder(mem, schema)
		r.vals = make([]any, len(cols))
		r.ptrs = make([]any, len(cols))
		for i := range r.vals {
			r.ptrs[i] = &r.vals[i]
		}
	} else {
		var one any
		r.ptrs = []any{&one}
	}
	r.refs.Store(1)
	return r, nil
}

func (r *reader) Schema() *arrow.Schema          { return r.schema }
func (r *reader) RecordBatch() arrow.RecordBatch { return r.cur }
func (r *reader) Record() arrow.RecordBatch      { return r.cur }
func (r *reader) Err() error                     { return r.err }
func (r *reader) Retain()                        { r.refs.Add(1) }

// Release drops a reference; the last one closes the remote cursor.
func (r *reader) Release() {
	if r.refs.Add(-1) == 0 {
		r.releaseCur()
		r.finish()
		if r.bld != nil {
			r.bld.Release()
			r.bld = nil
		}
	}
}

func (r *reader) releaseCur() {
	if r.cur != nil {
		r.cur.Release()
		r.cur = nil
	}
}

func (r *reader) finish() {
	if !r.done {
		r.done = true
		if err := r.rows.Close(); err != nil && r.err == nil {
			r.err = err
		}
	}
}

func (r *reader) fail(err error) bool {
	if r.ctx.Err() != nil {
		err = sqlerr.Wrap(r.ctx.Err(), sqlerr.QueryCanceled, "foreign table %q: canceling statement due to user request", tableName(r.t.name))
	}
	r.err = err
	r.finish()
	return false
}

// Next reads up to batchRows rows into the next batch.
func (r *reader) Next() bool {
	r.releaseCur()
	if r.done {
		return false
	}
	if err := r.ctx.Err(); err != nil {
		return r.fail(err)
	}
	n := 0
	for n < batchRows && r.rows.Next() {
		if err := r.rows.Scan(r.ptrs...); err != nil {
			return r.fail(r.t.conn.queryError(r.ctx, err, tableName(r.t.name), "reading row %d", r.row+1))
		}
		r.row++
		n++
		if r.bld == nil {
			continue
		}
		for i, v := range r.vals {
			f := r.bld.Field(i)
			if v == nil {
				if !r.cols[i].nullable {
					return r.fail(sqlerr.New(sqlerr.NotNullViolation, "foreign table %q: column %q, row %d: NULL in a column declared NOT NULL",
						tableName(r.t.name), r.cols[i].name, r.row))
				}
				f.AppendNull()
				continue
			}
			if err := r.cols[i].conv(f, v); err != nil {
				return r.fail(r.valueError(err, i))
			}
		}
	}
	if n == 0 {
		if err := r.rows.Err(); err != nil {
			return r.fail(r.t.conn.queryError(r.ctx, err, tableName(r.t.name), "reading row %d", r.row+1))
		}
		r.finish()
		return false
	}
	if r.bld == nil {
		r.cur = array.NewRecordBatch(r.schema, nil, int64(n))
	} else {
		r.cur = r.bld.NewRecordBatch()
	}
	return true
}

func (r *reader) valueError(err error, i int) error {
	code := sqlerr.InvalidTextRepr
	var ce *convError
	if errors.As(err, &ce) {
		code = ce.code
	}
	return sqlerr.Wrap(err, code, "foreign table %q: column %q (remote %q), row %d", tableName(r.t.name), r.cols[i].name, r.cols[i].remote, r.row)
}

var _ array.RecordReader = (*reader)(nil)

var _ = fmt.Sprint
