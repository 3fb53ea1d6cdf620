package mysql

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"sync/atomic"
	"time"

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
	conn   *sql.Conn // the reader's own connection
	stmt   *sql.Stmt
	rows   *sql.Rows
	stop   func() bool   // stops the KILL QUERY watcher
	killed chan struct{} // closed when the KILL QUERY watcher is done
	cols   []column      // the selected columns, in output order
	schema *arrow.Schema
	bld    *array.RecordBuilder // nil for a zero-column scan
	raws   []sql.RawBytes       // values of raw columns
	vals   []any                // values of the others
	ptrs   []any
	refs   atomic.Int64
	cur    arrow.RecordBatch
	err    error
	row    int64 // rows read so far, for errors
	done   bool
}

// openReader prepares q on a connection of its own (so that rows come in
// the binary protocol) and returns a reader of its rows.
func openReader(ctx context.Context, t *Table, q string, args []any, cols []column, schema *arrow.Schema, mem memory.Allocator) (*reader, error) {
	name := tableName(t.name)
	if err := ctx.Err(); err != nil {
		return nil, sqlerr.Wrap(err, sqlerr.QueryCanceled, "foreign table %q: canceling statement due to user request", name)
	}
	r := &reader{ctx: ctx, t: t, cols: cols, schema: schema}
	var err error
	if r.conn, err = t.conn.db.Conn(ctx); err != nil {
		return nil, t.conn.queryError(ctx, err, name, "connecting")
	}
	var id int64
	if err := r.conn.QueryRowContext(ctx, "SELECT CONNECTION_ID()").Scan(&id); err != nil {
		r.conn.Close()
		return nil, t.conn.queryError(ctx, err, name, "connecting")
	}
	r.killed = make(chan struct{})
	r.stop = context.AfterFunc(ctx, func() {
		defer close(r.killed)
		kctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_, _ = t.conn.db.ExecContext(kctx, "KILL QUERY "+strconv.FormatInt(id, 10))
	})
	if r.stmt, err = r.conn.PrepareContext(ctx, q); err == nil {
		r.rows, err = r.stmt.QueryContext(ctx, args...)
	}
	if err != nil {
		err = t.conn.queryError(ctx, err, name, "remote query")
		r.finish()
		return nil, err
	}
	if len(cols) > 0 {
		r.bld = array.NewRecordBuilder(mem, schema)
		r.raws = make([]sql.RawBytes, len(cols))
		r.vals = make([]any, len(cols))
		r.ptrs = make([]any, len(cols))
		for i, c := range cols {
			if c.raw {
				r.ptrs[i] = &r.raws[i]
			} else {
				r.ptrs[i] = &r.vals[i]
			}
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

// finish closes the cursor, the statement and the connection, after the
// KILL QUERY watcher if it started.
func (r *reader) finish() {
	if r.done {
		return
	}
	r.done = true
	if r.rows != nil {
		if err := r.rows.Close(); err != nil && r.err == nil && r.ctx.Err() == nil {
			r.err = r.t.conn.queryError(r.ctx, err, tableName(r.t.name), "closing the remote query")
		}
	}
	if r.stmt != nil {
		r.stmt.Close()
	}
	if !r.stop() {
		<-r.killed
	}
	r.conn.Close()
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
		for i := range r.cols {
			f := r.bld.Field(i)
			var v any
			if r.cols[i].raw {
				if r.raws[i] != nil {
					v = []byte(r.raws[i])
				}
			} else {
				v = r.vals[i]
			}
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
	return sqlerr.Wrap(err, code, "foreign table %q: column %q (remote %q), row %d", tableName(r.t.name), r.cols[i].name, r.cols[i].remote.name, r.row)
}

var _ array.RecordReader = (*reader)(nil)
