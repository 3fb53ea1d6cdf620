package arrowexec

import (
	"context"
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/compute"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// batchOp is a stateless batch-to-batch operator (filter, project, emit).
// One batchOp may run on several partitions at once.
type batchOp interface {
	outSchema() *arrow.Schema
	describe() string
	// prepare compiles the op for a run.
	prepare(r *run, in *arrow.Schema) (batchFn, error)
}

// batchFn transforms one batch. It consumes b (releases it) and returns a
// new batch, or nil when no row is left.
type batchFn func(ctx context.Context, mem memory.Allocator, b arrow.RecordBatch) (arrow.RecordBatch, error)

// pipeNode runs a batchOp over its child. Over a partitioned child it is
// partitioned too: the op runs on the child's partition goroutines.
type pipeNode struct {
	child node
	op    batchOp
}

func (p *pipeNode) schema() *arrow.Schema { return p.op.outSchema() }
func (p *pipeNode) children() []node      { return []node{p.child} }
func (p *pipeNode) describe() string      { return p.op.describe() }

func (p *pipeNode) open(ctx context.Context, r *run) (stream, error) {
	if _, ok := p.child.(partitioned); ok {
		parts, err := p.parts(ctx, r, false)
		if err != nil {
			return nil, err
		}
		return r.gather(ctx, parts)
	}
	fn, err := p.op.prepare(r, p.child.schema())
	if err != nil {
		return nil, err
	}
	in, err := r.openNode(ctx, p.child)
	if err != nil {
		return nil, err
	}
	return &pipeStream{in: in, fn: fn, mem: r.alloc(p)}, nil
}

func (p *pipeNode) parts(ctx context.Context, r *run, measure bool) ([]partFn, error) {
	pc, ok := p.child.(partitioned)
	if !ok {
		return []partFn{func(ctx context.Context) (stream, error) { return p.open(ctx, r) }}, nil
	}
	fn, err := p.op.prepare(r, p.child.schema())
	if err != nil {
		return nil, err
	}
	in, err := pc.parts(ctx, r, true)
	if err != nil {
		return nil, err
	}
	out := make([]partFn, len(in))
	mem := r.alloc(p)
	for i, open := range in {
		out[i] = func(ctx context.Context) (stream, error) {
			s, err := open(ctx)
			if err != nil {
				return nil, err
			}
			ps := &pipeStream{in: s, fn: fn, mem: mem}
			if !measure {
				return ps, nil
			}
			return r.measure(p, ps), nil
		}
	}
	return out, nil
}

type pipeStream struct {
	in  stream
	fn  batchFn
	mem memory.Allocator
}

func (s *pipeStream) next(ctx context.Context) (arrow.RecordBatch, error) {
	for {
		b, err := s.in.next(ctx)
		if err != nil || b == nil {
			return nil, err
		}
		out, err := s.fn(ctx, s.mem, b)
		if err != nil {
			return nil, err
		}
		if out != nil {
			return out, nil
		}
	}
}

func (s *pipeStream) close() { s.in.close() }

// --- emit ----------------------------------------------------------------------

// emitOp selects and reorders columns (RelCommon.emit) without copying.
type emitOp struct {
	cols []int
	out  *arrow.Schema
}

func newEmitOp(in *arrow.Schema, mapping []int32) *emitOp {
	cols := make([]int, len(mapping))
	fields := make([]arrow.Field, len(mapping))
	for i, m := range mapping {
		cols[i] = int(m)
		fields[i] = in.Field(int(m))
	}
	return &emitOp{cols: cols, out: arrow.NewSchema(fields, nil)}
}

func (e *emitOp) outSchema() *arrow.Schema { return e.out }
func (e *emitOp) describe() string         { return fmt.Sprintf("Emit %v", e.cols) }

func (e *emitOp) prepare(*run, *arrow.Schema) (batchFn, error) {
	return func(_ context.Context, _ memory.Allocator, b arrow.RecordBatch) (arrow.RecordBatch, error) {
		defer b.Release()
		return selectColumns(b, e.cols, e.out), nil
	}, nil
}

// selectColumns returns a batch of b's columns cols with schema out.
func selectColumns(b arrow.RecordBatch, cols []int, out *arrow.Schema) arrow.RecordBatch {
	arrs := make([]arrow.Array, len(cols))
	for i, c := range cols {
		arrs[i] = b.Column(c)
	}
	return array.NewRecordBatch(out, arrs, b.NumRows())
}

// withAlloc is ctx carrying mem for arrow compute kernels.
func withAlloc(ctx context.Context, mem memory.Allocator) context.Context {
	return compute.WithAllocator(ctx, mem)
}

func joinStrings(ss []string) string { return strings.Join(ss, ", ") }
