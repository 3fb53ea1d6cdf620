package sqlconn

import (
	"context"
	"database/sql"
	"errors"
	"sync/atomic"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/medleysql/medley/sql/sqlerr"
)

// BatchRows is the number of rows per batch a Reader returns.
const BatchRows = 8192

// Converter appends one non-NULL driver value to a builder of the
// column's declared type, strictly: a value that does not fit is an error,
// a *ConvError to choose its SQLSTATE.
type Converter func(b array.Builder, v any) error

// Column is one column of a remote result as a Reader reads it.
type Column struct {
	Name     string // the declared column, for errors
	Remote   string // the remote column, for errors
	Nullable bool   // false: a NULL is an error (23502)
	// Raw scans the value into sql.RawBytes and hands it to Conv as a
	// []byte that is valid only during the call (no copy); otherwise the
	// driver's value is scanned into an any.
	Raw  bool
	Conv Converter
}

// ConvError is a value that does not fit its declared type. Code is its
// SQLSTATE (22003 out of range, 22P02 a value of the wrong kind, ...); the
// Reader adds the table, column and row.
type ConvError struct {
	Code sqlerr.Code
	Msg  string
}

func (e *ConvError) Error() string { return e.Msg }

// Result describes the rows of one remote SELECT for NewReader.
type Result struct {
	Table  string // the foreign table (or the query of a pushed-down relation), for errors
	Schema *arrow.Schema
	// Columns are the result's columns in Schema order; none for a
	// zero-column scan, whose rows are only counted (the query then
	// selects one column, which is not read).
	Columns []Column
	Errors  QueryError
	// Close, if not nil, runs once the rows are closed: it releases what
	// the wrapper opened for them (a prepared statement, a connection).
	Close func()
}

// Reader is an array.RecordReader over the rows of one remote SELECT, read
// through database/sql into Arrow builders, BatchRows rows per batch. It
// is bound to the context it was opened with: once that is cancelled,
// Next returns false and Err reports 57014 wrapping the context's error.
// The last Release closes the rows.
type Reader struct {
	ctx  context.Context
	res  Result
	rows *sql.Rows
	bld  *array.RecordBuilder // nil for a zero-column scan
	raws []sql.RawBytes       // values of Raw columns
	vals []any                // values of the others
	ptrs []any
	refs atomic.Int64
	cur  arrow.RecordBatch
	err  error
	row  int64 // rows read so far, for errors
	done bool
}

var _ array.RecordReader = (*Reader)(nil)

// NewReader returns a Reader of rows, allocating its batches from mem. It
// owns rows (and res.Close) from now on.
func NewReader(ctx context.Context, rows *sql.Rows, mem memory.Allocator, res Result) *Reader {
	r := &Reader{ctx: ctx, res: res, rows: rows}
	if n := len(res.Columns); n > 0 {
		r.bld = array.NewRecordBuilder(mem, res.Schema)
		r.raws = make([]sql.RawBytes, n)
		r.vals = make([]any, n)
		r.ptrs = make([]any, n)
		for i, c := range res.Columns {
			if c.Raw {
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
	return r
}

func (r *Reader) Schema() *arrow.Schema          { return r.res.Schema }
func (r *Reader) RecordBatch() arrow.RecordBatch { return r.cur }
func (r *Reader) Record() arrow.RecordBatch      { return r.cur }
func (r *Reader) Err() error                     { return r.err }
func (r *Reader) Retain()                        { r.refs.Add(1) }

// Release drops a reference; the last one closes the remote cursor.
func (r *Reader) Release() {
	if r.refs.Add(-1) == 0 {
		r.releaseCur()
		r.finish()
		if r.bld != nil {
			r.bld.Release()
			r.bld = nil
		}
	}
}

func (r *Reader) releaseCur() {
	if r.cur != nil {
		r.cur.Release()
		r.cur = nil
	}
}

// finish closes the rows, then runs res.Close. An error closing the rows
// is reported unless an error or the context's end came first (a
// cancelled driver connection fails to close).
func (r *Reader) finish() {
	if r.done {
		return
	}
	r.done = true
	if err := r.rows.Close(); err != nil && r.err == nil && r.ctx.Err() == nil {
		r.err = r.res.Errors(r.ctx, err, r.res.Table, "closing the remote query")
	}
	if r.res.Close != nil {
		r.res.Close()
	}
}

func (r *Reader) fail(err error) bool {
	if r.ctx.Err() != nil {
		err = Canceled(r.ctx.Err(), r.res.Table)
	}
	r.err = err
	r.finish()
	return false
}

// Next reads up to BatchRows rows into the next batch.
func (r *Reader) Next() bool {
	r.releaseCur()
	if r.done {
		return false
	}
	if err := r.ctx.Err(); err != nil {
		return r.fail(err)
	}
	n := 0
	for n < BatchRows && r.rows.Next() {
		if err := r.rows.Scan(r.ptrs...); err != nil {
			return r.fail(r.res.Errors(r.ctx, err, r.res.Table, "reading row %d", r.row+1))
		}
		r.row++
		n++
		if r.bld == nil {
			continue
		}
		if err := r.appendRow(); err != nil {
			return r.fail(err)
		}
	}
	if n == 0 {
		if err := r.rows.Err(); err != nil {
			return r.fail(r.res.Errors(r.ctx, err, r.res.Table, "reading row %d", r.row+1))
		}
		r.finish()
		return false
	}
	if r.bld == nil {
		r.cur = array.NewRecordBatch(r.res.Schema, nil, int64(n))
	} else {
		r.cur = r.bld.NewRecordBatch()
	}
	return true
}

// appendRow appends the scanned row to the builders.
func (r *Reader) appendRow() error {
	for i, c := range r.res.Columns {
		f := r.bld.Field(i)
		var v any
		if c.Raw {
			if r.raws[i] != nil {
				v = []byte(r.raws[i])
			}
		} else {
			v = r.vals[i]
		}
		if v == nil {
			if !c.Nullable {
				return sqlerr.New(sqlerr.NotNullViolation, "foreign table %q: column %q, row %d: NULL in a column declared NOT NULL",
					r.res.Table, c.Name, r.row)
			}
			f.AppendNull()
			continue
		}
		if err := c.Conv(f, v); err != nil {
			return r.valueError(err, c)
		}
	}
	return nil
}

// valueError is a conversion's error naming the table, column and row;
// 22P02 unless it is a *ConvError with its own code.
func (r *Reader) valueError(err error, c Column) error {
	code := sqlerr.InvalidTextRepr
	var ce *ConvError
	if errors.As(err, &ce) {
		code = ce.Code
	}
	return sqlerr.Wrap(err, code, "foreign table %q: column %q (remote %q), row %d", r.res.Table, c.Name, c.Remote, r.row)
}
