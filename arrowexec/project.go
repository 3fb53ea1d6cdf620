package arrowexec

import (
	"context"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/substrait-io/substrait-go/v8/expr"
)

// projectOp appends computed columns to its input and then keeps the
// columns of the emit mapping (ProjectRel semantics). Only expressions the
// mapping keeps are evaluated.
type projectOp struct {
	exprs []expr.Expression
	cols  []int // indexes into input ++ exprs
	in    *arrow.Schema
	out   *arrow.Schema
}

// newProjectOp builds the op; types are those of the compiled expressions.
func newProjectOp(r *run, in *arrow.Schema, exprs []expr.Expression, mapping []int32) (*projectOp, error) {
	total := in.NumFields() + len(exprs)
	cols := make([]int, 0, total)
	if mapping == nil {
		for i := 0; i < total; i++ {
			cols = append(cols, i)
		}
	} else {
		for _, m := range mapping {
			cols = append(cols, int(m))
		}
	}
	fields := make([]arrow.Field, len(cols))
	for i, c := range cols {
		if c < in.NumFields() {
			fields[i] = in.Field(c)
			continue
		}
		ev, err := r.compile(exprs[c-in.NumFields()], in)
		if err != nil {
			return nil, err
		}
		fields[i] = arrow.Field{Name: colName(c), Type: ev.Type(), Nullable: true}
	}
	return &projectOp{exprs: exprs, cols: cols, in: in, out: arrow.NewSchema(fields, nil)}, nil
}

func (p *projectOp) outSchema() *arrow.Schema { return p.out }

func (p *projectOp) describe() string {
	var ss []string
	for _, c := range p.cols {
		if c < p.in.NumFields() {
			ss = append(ss, fmt.Sprintf("$%d", c))
		} else {
			ss = append(ss, describeExpr(p.exprs[c-p.in.NumFields()]))
		}
	}
	return "Project: " + joinStrings(ss)
}

func (p *projectOp) prepare(r *run, in *arrow.Schema) (batchFn, error) {
	nIn := in.NumFields()
	evs := make([]evaluator, len(p.cols))
	for i, c := range p.cols {
		if c >= nIn {
			ev, err := r.compile(p.exprs[c-nIn], in)
			if err != nil {
				return nil, err
			}
			evs[i] = ev
		}
	}
	return func(ctx context.Context, mem memory.Allocator, b arrow.RecordBatch) (arrow.RecordBatch, error) {
		defer b.Release()
		arrs := make([]arrow.Array, len(p.cols))
		defer func() {
			for _, a := range arrs {
				if a != nil {
					a.Release()
				}
			}
		}()
		for i, c := range p.cols {
			if c < nIn {
				arrs[i] = b.Column(c)
				arrs[i].Retain()
				continue
			}
			a, err := evs[i].Eval(ctx, mem, b)
			if err != nil {
				return nil, err
			}
			arrs[i] = a
		}
		return array.NewRecordBatch(p.out, arrs, b.NumRows()), nil
	}, nil
}
