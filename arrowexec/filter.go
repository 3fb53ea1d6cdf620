package arrowexec

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/compute"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/substrait-io/substrait-go/v8/expr"

	"github.com/medleysql/medley/arrowexec/eval"
	"github.com/medleysql/medley/sql/sqlerr"
)

// filterOp keeps the rows whose condition is true (not false, not NULL).
type filterOp struct {
	cond expr.Expression
	in   *arrow.Schema
	// label is the EXPLAIN title ("Filter", or "Recheck" for pushed filters
	// a connector did not answer exactly).
	label string
}

func (f *filterOp) outSchema() *arrow.Schema { return f.in }
func (f *filterOp) describe() string         { return f.label + ": " + describeExpr(f.cond) }

func (f *filterOp) prepare(r *run, in *arrow.Schema) (batchFn, error) {
	ev, err := r.compile(f.cond, in)
	if err != nil {
		return nil, err
	}
	if ev.Type().ID() != arrow.BOOL {
		return nil, sqlerr.New(sqlerr.DatatypeMismatch, "filter condition must be boolean, not %s", ev.Type())
	}
	return func(ctx context.Context, mem memory.Allocator, b arrow.RecordBatch) (arrow.RecordBatch, error) {
		defer b.Release()
		mask, err := ev.Eval(ctx, mem, b)
		if err != nil {
			return nil, err
		}
		defer mask.Release()
		return filterBatch(ctx, mem, b, mask.(*array.Boolean))
	}, nil
}

// filterBatch returns the rows of b where mask is true; b itself (retained)
// when every row passes, a slice when they form one run, nil when none.
func filterBatch(ctx context.Context, mem memory.Allocator, b arrow.RecordBatch, mask *array.Boolean) (arrow.RecordBatch, error) {
	n := mask.Len()
	first, last, count := -1, -1, 0
	for i := 0; i < n; i++ {
		if mask.IsValid(i) && mask.Value(i) {
			if first < 0 {
				first = i
			}
			last = i
			count++
		}
	}
	switch {
	case count == 0:
		return nil, nil
	case count == n:
		b.Retain()
		return b, nil
	case last-first+1 == count:
		return b.NewSlice(int64(first), int64(last+1)), nil
	}
	return eval.FilterRecordBatch(ctx, mem, b, mask, compute.DefaultFilterOptions())
}
