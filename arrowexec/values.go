package arrowexec

import (
	"context"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/compute"
	"github.com/medleysql/medley/sql/sqlerr"
	"github.com/substrait-io/substrait-go/v8/expr"
	"github.com/substrait-io/substrait-go/v8/plan"
)

// valuesNode produces the rows of a VirtualTableReadRel (VALUES, FROM-less
// SELECT). Each row's expressions are evaluated over one empty row.
type valuesNode struct {
	rows [][]expr.Expression
	out  *arrow.Schema
}

func (pl *planner) values(rel *plan.VirtualTableReadRel) (node, error) {
	bs := rel.BaseSchema()
	dts := make([]arrow.DataType, len(bs.Struct.Types))
	for i, t := range bs.Struct.Types {
		dt, err := arrowType(t)
		if err != nil {
			return nil, err
		}
		dts[i] = dt
	}
	vals := rel.Values()
	rows := make([][]expr.Expression, len(vals))
	for i, v := range vals {
		if len(v) != len(dts) {
			return nil, sqlerr.New(sqlerr.DatatypeMismatch, "VALUES row %d has %d columns, expected %d", i+1, len(v), len(dts))
		}
		rows[i] = v
	}
	if len(vals) == 0 && len(dts) == 0 {
		rows = [][]expr.Expression{{}} // a FROM-less SELECT: one empty row
	}
	return &valuesNode{rows: rows, out: schemaOf(bs.Names, dts)}, nil
}

func (v *valuesNode) schema() *arrow.Schema { return v.out }
func (v *valuesNode) children() []node      { return nil }
func (v *valuesNode) describe() string      { return fmt.Sprintf("Values: %d rows", len(v.rows)) }

func (v *valuesNode) open(ctx context.Context, r *run) (stream, error) {
	mem := r.alloc(v)
	one := array.NewRecordBatch(arrow.NewSchema(nil, nil), nil, 1)
	defer one.Release()
	if v.out.NumFields() == 0 {
		b := array.NewRecordBatch(v.out, nil, int64(len(v.rows)))
		return &sliceStream{batches: []arrow.RecordBatch{b}}, nil
	}
	cols := make([][]arrow.Array, v.out.NumFields())
	defer func() {
		for _, c := range cols {
			for _, a := range c {
				a.Release()
			}
		}
	}()
	for _, row := range v.rows {
		for j, e := range row {
			a, err := v.evalCell(ctx, r, e, j, one)
			if err != nil {
				return nil, err
			}
			cols[j] = append(cols[j], a)
		}
	}
	out := make([]arrow.Array, len(cols))
	for j, c := range cols {
		a, err := array.Concatenate(c, mem)
		if err != nil {
			releaseAll(out)
			return nil, sqlerr.Wrap(err, sqlerr.DatatypeMismatch, "VALUES column %d", j+1)
		}
		out[j] = a
	}
	b := array.NewRecordBatch(v.out, out, int64(len(v.rows)))
	releaseAll(out)
	return &sliceStream{batches: []arrow.RecordBatch{b}}, nil
}

func (v *valuesNode) evalCell(ctx context.Context, r *run, e expr.Expression, j int, one arrow.RecordBatch) (arrow.Array, error) {
	mem := r.alloc(v)
	ev, err := r.compile(e, one.Schema())
	if err != nil {
		return nil, err
	}
	a, err := ev.Eval(ctx, mem, one)
	if err != nil {
		return nil, err
	}
	want := v.out.Field(j).Type
	if arrow.TypeEqual(a.DataType(), want) {
		return a, nil
	}
	defer a.Release()
	c, err := compute.CastArray(withAlloc(ctx, mem), a, compute.SafeCastOptions(want))
	if err != nil {
		return nil, sqlerr.Wrap(err, sqlerr.DatatypeMismatch, "VALUES column %d", j+1)
	}
	return c, nil
}

// releaseAll releases the non-nil arrays.
func releaseAll(arrs []arrow.Array) {
	for _, a := range arrs {
		if a != nil {
			a.Release()
		}
	}
}
