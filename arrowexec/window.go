package arrowexec

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/medleysql/medley/sql/sqlerr"
	"github.com/substrait-io/substrait-go/v8/expr"
)

// windowNode is a ProjectRel with window functions: it materializes its
// input, computes each window function over partitions sorted by its
// ordering, and appends the results (and the plain expressions) to the
// input columns.
type windowNode struct {
	child node
	exprs []expr.Expression
	out   *arrow.Schema
}

// hasWindow reports whether some expression contains a window function.
func hasWindow(exprs []expr.Expression) bool {
	found := false
	var visit expr.VisitFunc
	visit = func(x expr.Expression) expr.Expression {
		if _, ok := x.(*expr.WindowFunction); ok {
			found = true
			return x
		}
		return x.Visit(visit)
	}
	for _, e := range exprs {
		visit(e)
	}
	return found
}

func (pl *planner) window(in node, exprs []expr.Expression) (node, error) {
	fields := append([]arrow.Field{}, in.schema().Fields()...)
	for i, e := range exprs {
		var dt arrow.DataType
		if wf, ok := e.(*expr.WindowFunction); ok {
			t, err := arrowType(wf.GetType())
			if err != nil {
				return nil, err
			}
			dt = t
		} else {
			if hasWindow([]expr.Expression{e}) {
				return nil, sqlerr.New(sqlerr.FeatureNotSupported, "window functions nested in expressions are not supported; project them first")
			}
			ev, err := compileExpr(e, in.schema(), pl.opts.Params)
			if err != nil {
				return nil, err
			}
			dt = ev.Type()
		}
		fields = append(fields, arrow.Field{Name: colName(len(fields)), Type: dt, Nullable: true})
		_ = i
	}
	return &windowNode{child: in, exprs: exprs, out: arrow.NewSchema(fields, nil)}, nil
}

func (w *windowNode) schema() *arrow.Schema { return w.out }
func (w *windowNode) children() []node      { return []node{w.child} }

func (w *windowNode) describe() string {
	var ss []string
	for _, e := range w.exprs {
		ss = append(ss, describeExpr(e))
	}
	return "Window: " + joinStrings(ss)
}

func (w *windowNode) open(ctx context.Context, r *run) (stream, error) {
	in, err := r.openNode(ctx, w.child)
	if err != nil {
		return nil, err
	}
	return &windowStream{node: w, r: r, in: in, mem: r.alloc(w)}, nil
}

type windowStream struct {
	node *windowNode
	r    *run
	in   stream
	mem  *opAlloc
	out  *sliceStream
}

func (s *windowStream) next(ctx context.Context) (arrow.RecordBatch, error) {
	if s.out == nil {
		out, err := s.compute(ctx)
		if err != nil {
			return nil, err
		}
		s.out = out
	}
	return s.out.next(ctx)
}

func (s *windowStream) compute(ctx context.Context) (*sliceStream, error) {
	var bs []arrow.RecordBatch
	defer func() {
		for _, b := range bs {
			b.Release()
		}
	}()
	for {
		b, err := s.in.next(ctx)
		if err != nil {
			return nil, err
		}
		if b == nil {
			break
		}
		bs = append(bs, b)
	}
	s.in.close()
	if len(bs) == 0 {
		return &sliceStream{}, nil
	}
	all, err := concatBatches(s.mem, bs)
	if err != nil {
		return nil, err
	}
	defer all.Release()
	cols := append([]arrow.Array{}, all.Columns()...)
	var owned []arrow.Array
	defer func() { releaseAll(owned) }()
	for _, e := range s.node.exprs {
		var a arrow.Array
		if wf, ok := e.(*expr.WindowFunction); ok {
			a, err = s.windowFunc(ctx, all, wf)
		} else {
			var ev evaluator
			if ev, err = s.r.compile(e, all.Schema()); err == nil {
				a, err = ev.Eval(ctx, s.mem, all)
			}
		}
		if err != nil {
			return nil, err
		}
		owned = append(owned, a)
		cols = append(cols, a)
	}
	whole := array.NewRecordBatch(s.node.out, cols, all.NumRows())
	defer whole.Release()
	out := &sliceStream{}
	for lo := int64(0); lo < whole.NumRows(); lo += outBatchRows {
		out.batches = append(out.batches, whole.NewSlice(lo, min(lo+outBatchRows, whole.NumRows())))
	}
	return out, nil
}

func (s *windowStream) close() {
	s.in.close()
	if s.out != nil {
		s.out.close()
	}
}
