package memory

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/compute"
	"github.com/substrait-io/substrait-go/v8/expr"

	"github.com/medleysql/medley/arrowexec/eval"
	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/sql/sqlerr"
)

// Memory tables evaluate UPDATE's and DELETE's expressions themselves,
// with the engine's expression evaluator (arrowexec/eval, which depends
// on nothing but sql/types and sql/sqlerr): the table is its own source.

var (
	_ connectors.Updater = (*Table)(nil)
	_ connectors.Deleter = (*Table)(nil)
)

// Update sets the columns of set to their values in every row where
// matches (all rows when where is nil). It is atomic: the new chunks are
// built first and replace the old ones only when all are ready; writers
// are serialised by the table's lock.
func (m *Table) Update(ctx context.Context, set map[int]expr.Expression, where expr.Expression) (int64, error) {
	t := m.t
	exprs := make(map[int]eval.Expr, len(set))
	for i, e := range set {
		if i < 0 || i >= t.schema.NumFields() {
			return 0, sqlerr.New(sqlerr.InternalError, "UPDATE of memory table %q: no column %d", key(t.name), i)
		}
		if where != nil {
			old, err := expr.NewRootFieldRefFromType(expr.NewStructFieldRef(int32(i)), e.GetType())
			if err != nil {
				return 0, sqlerr.Wrap(err, sqlerr.InternalError, "UPDATE of memory table %q", key(t.name))
			}
			if e, err = expr.NewIfThen(expr.IfThenPair{If: where, Then: e}, old); err != nil {
				return 0, sqlerr.Wrap(err, sqlerr.InternalError, "UPDATE of memory table %q", key(t.name))
			}
		}
		x, err := eval.Compile(e, t.schema, eval.Options{})
		if err != nil {
			return 0, err
		}
		exprs[i] = x
	}
	return t.rewrite(ctx, where, func(b arrow.RecordBatch, _ *array.Boolean) (arrow.RecordBatch, error) {
		return t.updateBatch(ctx, b, exprs)
	})
}

// Delete removes the rows where matches (all rows when where is nil).
func (m *Table) Delete(ctx context.Context, where expr.Expression) (int64, error) {
	t := m.t
	return t.rewrite(ctx, where, func(b arrow.RecordBatch, mask *array.Boolean) (arrow.RecordBatch, error) {
		if mask == nil {
			return nil, nil
		}
		keep := array.NewBooleanBuilder(t.mem)
		defer keep.Release()
		for r := 0; r < mask.Len(); r++ {
			keep.Append(!(mask.IsValid(r) && mask.Value(r)))
		}
		k := keep.NewBooleanArray()
		defer k.Release()
		return eval.FilterRecordBatch(ctx, t.mem, b, k, compute.DefaultFilterOptions())
	})
}

// rewrite replaces every chunk that has rows matching where by fn's
// result (nil: no rows), and returns the number of matching rows. fn gets
// the batch and the evaluated condition (nil when where is nil).
func (t *table) rewrite(ctx context.Context, where expr.Expression,
	fn func(b arrow.RecordBatch, mask *array.Boolean) (arrow.RecordBatch, error)) (int64, error) {
	var cond eval.Expr
	if where != nil {
		var err error
		if cond, err = eval.Compile(where, t.schema, eval.Options{}); err != nil {
			return 0, err
		}
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.dropped {
		return 0, sqlerr.New(sqlerr.UndefinedTable, "memory table %q was dropped", key(t.name))
	}
	next := make([]*chunk, 0, len(t.chunks))
	var replaced []*chunk
	release := func() {
		for _, c := range next {
			if c.rec != nil && !contains(t.chunks, c) {
				c.rec.Release()
			}
		}
	}
	var n int64
	for _, c := range t.chunks {
		if err := ctx.Err(); err != nil {
			release()
			return 0, sqlerr.Wrap(err, sqlerr.QueryCanceled, "canceling statement due to user request")
		}
		b, err := resolve(c)
		if err != nil {
			release()
			return 0, sqlerr.New(sqlerr.UndefinedTable, "memory table %q was dropped", key(t.name))
		}
		out, hits, err := t.rewriteBatch(ctx, b, cond, fn)
		b.Release()
		if err != nil {
			release()
			return 0, err
		}
		n += hits
		if hits == 0 {
			next = append(next, c)
			continue
		}
		replaced = append(replaced, c)
		if out != nil && out.NumRows() > 0 {
			next = append(next, &chunk{rec: out, rows: out.NumRows()})
		} else if out != nil {
			out.Release()
		}
	}
	for _, c := range replaced {
		if c.rec != nil {
			c.rec.Release()
			c.rec = nil
		}
		c.into = nil
	}
	t.chunks = next
	return n, nil
}

func contains(cs []*chunk, c *chunk) bool {
	for _, x := range cs {
		if x == c {
			return true
		}
	}
	return false
}

// rewriteBatch evaluates cond over b and, when rows match, calls fn.
func (t *table) rewriteBatch(ctx context.Context, b arrow.RecordBatch, cond eval.Expr,
	fn func(arrow.RecordBatch, *array.Boolean) (arrow.RecordBatch, error)) (arrow.RecordBatch, int64, error) {
	if b.NumRows() == 0 {
		return nil, 0, nil
	}
	if cond == nil {
		out, err := fn(b, nil)
		return out, b.NumRows(), err
	}
	a, err := cond.Eval(ctx, t.mem, b)
	if err != nil {
		return nil, 0, err
	}
	defer a.Release()
	mask, ok := a.(*array.Boolean)
	if !ok {
		return nil, 0, sqlerr.New(sqlerr.DatatypeMismatch, "argument of WHERE must be type boolean, not %s", a.DataType())
	}
	var hits int64
	for r := 0; r < mask.Len(); r++ {
		if mask.IsValid(r) && mask.Value(r) {
			hits++
		}
	}
	if hits == 0 {
		return nil, 0, nil
	}
	out, err := fn(b, mask)
	return out, hits, err
}

// updateBatch is b with the columns of exprs replaced by their values,
// converted to the table's types and checked against NOT NULL.
func (t *table) updateBatch(ctx context.Context, b arrow.RecordBatch, exprs map[int]eval.Expr) (arrow.RecordBatch, error) {
	cols := make([]arrow.Array, b.NumCols())
	defer func() {
		for _, c := range cols {
			if c != nil {
				c.Release()
			}
		}
	}()
	for i := range cols {
		x, ok := exprs[i]
		if !ok {
			cols[i] = b.Column(i)
			cols[i].Retain()
			continue
		}
		v, err := x.Eval(ctx, t.mem, b)
		if err != nil {
			return nil, err
		}
		f := t.schema.Field(i)
		if !arrow.TypeEqual(v.DataType(), f.Type) {
			c, err := copyAs(ctx, v, f.Type, t.mem)
			v.Release()
			if err != nil {
				return nil, sqlerr.Wrap(err, sqlerr.DatatypeMismatch, "column %q of memory table %q is of type %s", f.Name, key(t.name), f.Type)
			}
			v = c
		}
		cols[i] = v
		if !f.Nullable && v.NullN() > 0 {
			return nil, sqlerr.New(sqlerr.NotNullViolation, "null value in column %q of memory table %q violates not-null constraint", f.Name, key(t.name))
		}
	}
	return array.NewRecordBatch(t.schema, cols, b.NumRows()), nil
}
