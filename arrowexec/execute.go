package arrowexec

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/arrow/scalar"
	"github.com/medleysql/medley/connectors"
	"github.com/substrait-io/substrait-go/v8/plan"
	"go.uber.org/zap"
)

// TableResolver finds the connector table behind a NamedTable ReadRel. The
// engine implements it over its catalog and connection pool; privileges are
// checked by then.
type TableResolver interface {
	ResolveTable(ctx context.Context, names []string) (connectors.Table, error)
}

// Options configure one execution.
type Options struct {
	// Threads is the degree of parallelism; 0 means runtime.GOMAXPROCS(0).
	Threads int
	// MemoryLimit is the query's memory limit in bytes; 0 means none.
	MemoryLimit int64
	// Allocator is where the query's memory comes from; nil means
	// memory.DefaultAllocator.
	Allocator memory.Allocator
	// Params are the values of the plan's DynamicParameters, by index.
	Params []scalar.Scalar
	// Pushdown enables offering filters and limits to connectors. When
	// false, scans read every row and the executor filters them.
	Pushdown bool
	// Logger receives debug logs; nil means zap.NewNop().
	Logger *zap.Logger
}

func (o Options) withDefaults() Options {
	if o.Threads <= 0 {
		o.Threads = runtime.GOMAXPROCS(0)
	}
	if o.Allocator == nil {
		o.Allocator = memory.DefaultAllocator
	}
	if o.Logger == nil {
		o.Logger = zap.NewNop()
	}
	return o
}

// Execute starts running a Substrait plan and streams its result. Closing
// (releasing) the reader stops the query and frees its memory; errors while
// running are reported by the reader's Err.
func Execute(ctx context.Context, p *plan.Plan, tables TableResolver, opts Options) (array.RecordReader, error) {
	opts = opts.withDefaults()
	root, err := buildPlan(ctx, p, tables, opts)
	if err != nil {
		return nil, err
	}
	r := newRun(root, opts, tables)
	return startReader(ctx, r, root)
}

func startReader(ctx context.Context, r *run, root node) (*reader, error) {
	qctx, cancel := context.WithCancel(ctx)
	s, err := r.openNode(qctx, root)
	if err != nil {
		cancel()
		return nil, err
	}
	rd := &reader{ctx: qctx, cancel: cancel, s: s, sch: root.schema(), run: r}
	rd.refs.Store(1)
	return rd, nil
}

// reader is the array.RecordReader over a running query.
type reader struct {
	ctx    context.Context
	cancel context.CancelFunc
	s      stream
	sch    *arrow.Schema
	run    *run
	refs   atomic.Int64
	cur    arrow.RecordBatch
	err    error
	done   bool
	once   sync.Once
}

var _ array.RecordReader = (*reader)(nil)

func (rd *reader) Schema() *arrow.Schema { return rd.sch }

func (rd *reader) Next() bool {
	if rd.cur != nil {
		rd.cur.Release()
		rd.cur = nil
	}
	if rd.done {
		return false
	}
	for {
		b, err := rd.s.next(rd.ctx)
		if err != nil {
			rd.err = err
			rd.finish()
			return false
		}
		if b == nil {
			rd.finish()
			return false
		}
		if b.NumRows() == 0 {
			b.Release()
			continue
		}
		rd.cur = b
		return true
	}
}

// finish ends the run early: goroutines stop and memory is freed as soon as
// the result is complete, not only at Release.
func (rd *reader) finish() {
	rd.done = true
	rd.once.Do(func() {
		rd.cancel()
		rd.s.close()
	})
}

func (rd *reader) RecordBatch() arrow.RecordBatch { return rd.cur }

// Record implements the deprecated part of array.RecordReader.
func (rd *reader) Record() arrow.RecordBatch { return rd.cur }

func (rd *reader) Err() error { return rd.err }

func (rd *reader) Retain() { rd.refs.Add(1) }

func (rd *reader) Release() {
	if rd.refs.Add(-1) != 0 {
		return
	}
	if rd.cur != nil {
		rd.cur.Release()
		rd.cur = nil
	}
	rd.done = true
	rd.once.Do(func() {
		rd.cancel()
		rd.s.close()
	})
}
