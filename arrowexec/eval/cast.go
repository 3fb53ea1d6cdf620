package eval

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/substrait-io/substrait-go/v8/expr"

	"github.com/medleysql/medley/sql/sqlerr"
	sqltypes "github.com/medleysql/medley/sql/types"
)

// castFn converts a whole array; it must not fail on NULL rows.
type castFn func(mem memory.Allocator, a arrow.Array, to arrow.DataType) (arrow.Array, error)

// castNode is CAST(in AS to).
type castNode struct {
	in Expr
	to arrow.DataType
	fn castFn
}

func (n *castNode) Type() arrow.DataType { return n.to }

func (n *castNode) Eval(ctx context.Context, mem memory.Allocator, batch arrow.RecordBatch) (arrow.Array, error) {
	a, err := n.in.Eval(ctx, mem, batch)
	if err != nil {
		return nil, err
	}
	defer a.Release()
	return n.fn(mem, a, n.to)
}

func (c *compiler) cast(e *expr.Cast) (Expr, error) {
	in, err := c.compile(e.Input)
	if err != nil {
		return nil, err
	}
	to, err := arrowType(e.Type)
	if err != nil {
		return nil, err
	}
	n, err := newCast(in, to)
	if err != nil {
		return nil, err
	}
	return fold(n, in), nil
}

// newCast returns in converted to type to (in itself when it has that type).
func newCast(in Expr, to arrow.DataType) (Expr, error) {
	from := in.Type()
	if arrow.TypeEqual(from, to) {
		return in, nil
	}
	if from.ID() == arrow.NULL {
		return &castNode{in: in, to: to, fn: castNull}, nil
	}
	fn := castFor(from, to)
	if fn == nil {
		return nil, sqlerr.New(sqlerr.CannotCoerce, "cannot cast type %s to %s", sqlTypeName(from), sqlTypeName(to))
	}
	return &castNode{in: in, to: to, fn: fn}, nil
}

// castFor picks the kernel for a pair of types, nil when there is none.
func castFor(from, to arrow.DataType) castFn {
	switch {
	case to.ID() == arrow.STRING:
		return castToString
	case from.ID() == arrow.STRING:
		return castFromString(to)
	case isNumeric(from) && isNumeric(to):
		return castNumeric(from, to)
	case from.ID() == arrow.BOOL && isInteger(to):
		return castBoolToInt
	case isInteger(from) && to.ID() == arrow.BOOL:
		return castIntToBool
	case isTemporal(from) && isTemporal(to):
		return castTemporal(from, to)
	case from.ID() == arrow.BINARY && to.ID() == arrow.STRING:
		return castToString
	}
	return nil
}

func castNull(mem memory.Allocator, a arrow.Array, to arrow.DataType) (arrow.Array, error) {
	return broadcastNull(mem, to, a.Len()), nil
}

// unify converts l and r to a common type for comparison, as PostgreSQL's
// implicit casts would (the compiler normally has done so already).
func unify(name string, l, r Expr) (Expr, Expr, error) {
	lt, rt := l.Type(), r.Type()
	if arrow.TypeEqual(lt, rt) {
		return l, r, nil
	}
	t, err := sqltypes.Comparison(name, lt, rt)
	if err != nil {
		return nil, nil, err
	}
	if l, err = newCast(l, t); err != nil {
		return nil, nil, err
	}
	if r, err = newCast(r, t); err != nil {
		return nil, nil, err
	}
	return fold(l, l), fold(r, r), nil
}

func isTemporal(dt arrow.DataType) bool {
	switch dt.ID() {
	case arrow.DATE32, arrow.TIMESTAMP, arrow.TIME64:
		return true
	}
	return false
}
