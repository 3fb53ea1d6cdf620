package eval

import (
	"context"
	"math"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/medleysql/medley/sql/sqlerr"
)

type float interface{ ~float32 | ~float64 }

// floatKernel: IEEE arithmetic, but division by zero is 22012 and a finite
// result overflowing to infinity is 22003, as in PostgreSQL.
func floatKernel[T float](op arithOp) binKernel {
	return func(mem memory.Allocator, a, b arrow.Array, bk *constNode, out arrow.DataType) (arrow.Array, error) {
		as, bs, bv := operands[T](a, b, bk)
		n := len(as)
		buf, r := allocFixed[T](mem, n)
		zero := false
		for i, x := range as {
			y := pick(bs, bv, i)
			switch op {
			case opAdd:
				r[i] = x + y
			case opSub:
				r[i] = x - y
			case opMul:
				r[i] = x * y
			case opDiv:
				zero = zero || y == 0
				r[i] = x / y
			case opMod:
				zero = zero || y == 0
				r[i] = T(math.Mod(float64(x), float64(y)))
			}
		}
		if zero && firstBad(a, b, func(i int) bool { return pick(bs, bv, i) == 0 }) >= 0 {
			buf.Release()
			return nil, divByZero()
		}
		valid, nulls := validity(mem, n, a, b)
		return makeArray(out, n, nulls, valid, buf), nil
	}
}

// unaryNode is negate or abs.
type unaryNode struct {
	in  Expr
	out arrow.DataType
	abs bool
}

func buildUnary(c *compiler, k *call) (Expr, error) {
	if len(k.args) != 1 {
		return nil, unsupported(k)
	}
	in := k.args[0]
	if !arrow.TypeEqual(in.Type(), k.out) {
		var err error
		if in, err = newCast(in, k.out); err != nil {
			return nil, err
		}
	}
	if !isNumeric(k.out) && k.out.ID() != arrow.INTERVAL_MONTH_DAY_NANO {
		return nil, unsupported(k)
	}
	return &unaryNode{in: in, out: k.out, abs: k.name == "abs"}, nil
}

func (n *unaryNode) Type() arrow.DataType { return n.out }

func (n *unaryNode) Eval(ctx context.Context, mem memory.Allocator, batch arrow.RecordBatch) (arrow.Array, error) {
	a, err := n.in.Eval(ctx, mem, batch)
	if err != nil {
		return nil, err
	}
	defer a.Release()
	switch n.out.ID() {
	case arrow.INT8:
		return negInts[int8](mem, a, n.out, n.abs)
	case arrow.INT16:
		return negInts[int16](mem, a, n.out, n.abs)
	case arrow.INT32:
		return negInts[int32](mem, a, n.out, n.abs)
	case arrow.INT64:
		return negInts[int64](mem, a, n.out, n.abs)
	case arrow.FLOAT32:
		return mapFixed(mem, a, n.out, func(v float32) (float32, bool) { return negF(v, n.abs), true }, nil)
	case arrow.FLOAT64:
		return mapFixed(mem, a, n.out, func(v float64) (float64, bool) { return negF(v, n.abs), true }, nil)
	case arrow.DECIMAL128:
		return mapFixed(mem, a, n.out, func(v decimal128.Num) (decimal128.Num, bool) {
			if n.abs && v.Sign() >= 0 {
				return v, true
			}
			return v.Negate(), true
		}, nil)
	case arrow.INTERVAL_MONTH_DAY_NANO:
		return mapFixed(mem, a, n.out, func(v arrow.MonthDayNanoInterval) (arrow.MonthDayNanoInterval, bool) {
			return arrow.MonthDayNanoInterval{Months: -v.Months, Days: -v.Days, Nanoseconds: -v.Nanoseconds}, true
		}, nil)
	}
	return nil, sqlerr.New(sqlerr.FeatureNotSupported, "negation of %s is not supported", sqlTypeName(n.out))
}

func negF[T float](v T, abs bool) T {
	if abs {
		return T(math.Abs(float64(v)))
	}
	return -v
}

func negInts[T signed](mem memory.Allocator, a arrow.Array, out arrow.DataType, abs bool) (arrow.Array, error) {
	minT := minOf[T]()
	return mapFixed(mem, a, out, func(v T) (T, bool) {
		if abs && v >= 0 {
			return v, true
		}
		return -v, v != minT
	}, func(T) error { return outOfRange(out) })
}

var _ = array.MakeArrayOfNull
