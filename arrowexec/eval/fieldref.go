package eval

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/compute"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/substrait-io/substrait-go/v8/expr"

	"github.com/medleysql/medley/sql/sqlerr"
	sqltypes "github.com/medleysql/medley/sql/types"
)

// fieldRef reads a column of the batch. Columns in another encoding of a
// type the kernels know (large or view strings, dictionaries) are converted to
// the plain type on the way in, so kernels see one layout per type.
type fieldRef struct {
	index int
	name  string
	dt    arrow.DataType // the type the kernels see
	conv  bool           // the column must be cast to dt
}

func (f *fieldRef) Type() arrow.DataType { return f.dt }

func (f *fieldRef) Eval(ctx context.Context, mem memory.Allocator, batch arrow.RecordBatch) (arrow.Array, error) {
	if f.index >= int(batch.NumCols()) {
		return nil, sqlerr.New(sqlerr.InternalError, "column %d (%s) is missing from a batch of %d columns",
			f.index, f.name, batch.NumCols())
	}
	col := batch.Column(f.index)
	if !f.conv {
		col.Retain()
		return col, nil
	}
	out, err := compute.CastArray(compute.WithAllocator(ctx, mem), col, compute.SafeCastOptions(f.dt))
	return out, asSQLErr(err)
}

func (c *compiler) fieldRef(r *expr.FieldReference) (Expr, error) {
	if _, ok := r.Root.(expr.OuterReference); ok {
		return nil, sqlerr.New(sqlerr.FeatureNotSupported, "outer references are not supported by the executor (the subquery should have been decorrelated): %s", r)
	}
	if r.Root != expr.RootReference {
		return nil, sqlerr.New(sqlerr.FeatureNotSupported, "field reference %s is not supported by the executor", r)
	}
	seg, ok := r.Reference.(*expr.StructFieldRef)
	if !ok || seg.Child != nil {
		return nil, sqlerr.New(sqlerr.FeatureNotSupported, "field reference %s is not supported by the executor (nested reference)", r)
	}
	i := int(seg.Field)
	if c.input == nil || i < 0 || i >= c.input.NumFields() {
		n := 0
		if c.input != nil {
			n = c.input.NumFields()
		}
		return nil, sqlerr.New(sqlerr.UndefinedColumn, "field reference %d is out of range: the input has %d columns", i, n)
	}
	fld := c.input.Field(i)
	f := &fieldRef{index: i, name: fld.Name, dt: fld.Type}
	if norm, ok := sqltypes.Normalize(fld.Type); ok && !arrow.TypeEqual(norm, fld.Type) {
		f.dt, f.conv = norm, true
	}
	return f, nil
}
