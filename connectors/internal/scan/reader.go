// Package scan holds what the embedded connectors share to read: a
// RecordReader that applies exact filters, projects, honours a limit and
// stops on cancellation, over any Source of batches; filter negotiation;
// and partition grouping.
package scan

import (
	"context"
	"sync/atomic"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/compute"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/medleysql/medley/connectors/internal/pred"

	"github.com/medleysql/medley/arrowexec/eval"
)

// Source produces batches of the columns a reader reads.
type Source interface {
	// Next returns the next batch, or nil at the end. The caller releases
	// the batch. Every column is in the order of Config.ReadCols.
	Next(ctx context.Context) (arrow.RecordBatch, error)
	// Close releases the source; it is called once.
	Close() error
}

// Config describes a Reader.
type Config struct {
	Source   Source
	ReadCols []int        // table column index of each source column
	Filters  []*pred.Node // applied exactly, over table column indexes
	OutCols  []int        // table columns to return, in order
	Schema   *arrow.Schema
	Limit    int64 // -1 for none
	Mem      memory.Allocator
}

// Reader is an array.RecordReader over a Source. It is bound to the
// context it was opened with: once that is cancelled, Next returns false
// and Err returns the context's error.
type Reader struct {
	ctx    context.Context
	cfg    Config
	pos    map[int]int // table column -> source column
	refs   atomic.Int64
	cur    arrow.RecordBatch
	err    error
	rows   int64
	done   bool
	closed bool
}

// NewReader returns a reader; it owns cfg.Source and closes it.
func NewReader(ctx context.Context, cfg Config) *Reader {
	r := &Reader{ctx: ctx, cfg: cfg, pos: make(map[int]int, len(cfg.ReadCols))}
	for i, c := range cfg.ReadCols {
		r.pos[c] = i
	}
	r.refs.Store(1)
	return r
}

// Schema is the schema of the returned batches.
func (r *Reader) Schema() *arrow.Schema { return r.cfg.Schema }

// RecordBatch returns the current batch, valid until the next call to Next.
func (r *Reader) RecordBatch() arrow.RecordBatch { return r.cur }

// Record is RecordBatch, for older callers.
func (r *Reader) Record() arrow.RecordBatch { return r.cur }

// Err is the error that ended the reader, if any.
func (r *Reader) Err() error { return r.err }

// Retain adds a reference.
func (r *Reader) Retain() { r.refs.Add(1) }

// Release drops a reference; the last one frees everything.
func (r *Reader) Release() {
	if r.refs.Add(-1) == 0 {
		r.release()
		r.finish()
	}
}

func (r *Reader) release() {
	if r.cur != nil {
		r.cur.Release()
		r.cur = nil
	}
}

func (r *Reader) finish() {
	r.done = true
	if !r.closed {
		r.closed = true
		if err := r.cfg.Source.Close(); err != nil && r.err == nil {
			r.err = err
		}
	}
}

// Next advances to the next non-empty batch.
func (r *Reader) Next() bool {
	r.release()
	for !r.done {
		if err := r.ctx.Err(); err != nil {
			r.err = err
			r.finish()
			return false
		}
		if r.cfg.Limit >= 0 && r.rows >= r.cfg.Limit {
			r.finish()
			return false
		}
		in, err := r.cfg.Source.Next(r.ctx)
		if err != nil || in == nil {
			r.err = err
			r.finish()
			return false
		}
		out, err := r.process(in)
		in.Release()
		if err != nil {
			r.err = err
			r.finish()
			return false
		}
		if out == nil {
			continue
		}
		if r.cfg.Limit >= 0 && r.rows+out.NumRows() > r.cfg.Limit {
			cut := out.NewSlice(0, r.cfg.Limit-r.rows)
			out.Release()
			out = cut
		}
		r.rows += out.NumRows()
		r.cur = out
		return true
	}
	return false
}

// process filters and projects one source batch; nil when no row is left.
func (r *Reader) process(in arrow.RecordBatch) (arrow.RecordBatch, error) {
	n := int(in.NumRows())
	if n == 0 {
		return nil, nil
	}
	var mask []bool
	kept := n
	if len(r.cfg.Filters) > 0 {
		mask, kept = r.evalFilters(in)
		if kept == 0 {
			return nil, nil
		}
		if kept == n {
			mask = nil
		}
	}
	cols := make([]arrow.Array, len(r.cfg.OutCols))
	for i, c := range r.cfg.OutCols {
		cols[i] = in.Column(r.pos[c])
	}
	proj := array.NewRecordBatch(r.cfg.Schema, cols, int64(n))
	if mask == nil {
		return proj, nil
	}
	defer proj.Release()
	if len(cols) == 0 {
		return array.NewRecordBatch(r.cfg.Schema, nil, int64(kept)), nil
	}
	b := array.NewBooleanBuilder(r.cfg.Mem)
	defer b.Release()
	b.AppendValues(mask, nil)
	sel := b.NewBooleanArray()
	defer sel.Release()
	ec := compute.DefaultExecCtx()
	ec.NumParallel = 1
	ctx := compute.SetExecCtx(r.ctx, ec)
	return eval.FilterRecordBatch(ctx, r.cfg.Mem, proj, sel, compute.DefaultFilterOptions())
}

func (r *Reader) evalFilters(in arrow.RecordBatch) ([]bool, int) {
	n := int(in.NumRows())
	cols := func(c int) arrow.Array { return in.Column(r.pos[c]) }
	mask := make([]bool, n)
	for i := range mask {
		mask[i] = true
	}
	for _, f := range r.cfg.Filters {
		res := pred.Eval(f, cols, n)
		for i, v := range res {
			if v != pred.True {
				mask[i] = false
			}
		}
	}
	kept := 0
	for _, m := range mask {
		if m {
			kept++
		}
	}
	return mask, kept
}

var _ array.RecordReader = (*Reader)(nil)
