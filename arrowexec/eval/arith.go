package eval

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/medleysql/medley/sql/sqlerr"
)

func init() {
	register(buildArith, "add", "subtract", "multiply", "divide", "modulus")
	register(buildUnary, "negate", "abs")
}

type arithOp int

const (
	opAdd arithOp = iota
	opSub
	opMul
	opDiv
	opMod
)

var arithOps = map[string]arithOp{"add": opAdd, "subtract": opSub, "multiply": opMul, "divide": opDiv, "modulus": opMod}

var arithSymbols = [...]string{"+", "-", "*", "/", "%"}

// binKernel computes a op b for whole arrays; b is nil when bk (a valid
// constant) is the right operand. Values under NULL rows are arbitrary and
// must never raise errors.
type binKernel func(mem memory.Allocator, a, b arrow.Array, bk *constNode, out arrow.DataType) (arrow.Array, error)

// arithNode is a binary operator over operands converted to its kernel's
// types.
type arithNode struct {
	l, r   Expr
	out    arrow.DataType
	kernel binKernel
	commut bool // the kernel is commutative: a constant left operand may swap sides
	// rev, when set, computes k op a for a constant left operand k and
	// the evaluated right operand a (passed as a, with k as bk).
	rev binKernel
}

func (n *arithNode) Type() arrow.DataType { return n.out }

func (n *arithNode) Eval(ctx context.Context, mem memory.Allocator, batch arrow.RecordBatch) (arrow.Array, error) {
	rows := int(batch.NumRows())
	l, r := n.l, n.r
	lk, rk := asConst(l), asConst(r)
	if (lk != nil && lk.null()) || (rk != nil && rk.null()) {
		return array.MakeArrayOfNull(mem, n.out, rows), nil
	}
	if lk != nil && rk == nil && n.commut {
		l, r, rk = r, l, lk
	} else if lk != nil && rk == nil && n.rev != nil {
		ra, err := r.Eval(ctx, mem, batch)
		if err != nil {
			return nil, err
		}
		defer ra.Release()
		return n.rev(mem, ra, nil, lk, n.out)
	}
	la, err := l.Eval(ctx, mem, batch)
	if err != nil {
		return nil, err
	}
	defer la.Release()
	var ra arrow.Array
	if rk == nil {
		if ra, err = r.Eval(ctx, mem, batch); err != nil {
			return nil, err
		}
		defer ra.Release()
	}
	return n.kernel(mem, la, ra, rk, n.out)
}

func buildArith(c *compiler, k *call) (Expr, error) {
	if len(k.args) != 2 {
		return nil, unsupported(k)
	}
	op := arithOps[k.name]
	l, r := k.args[0], k.args[1]
	lt, rt := l.Type(), r.Type()
	switch {
	case isTemporal(lt) || isTemporal(rt) || lt.ID() == arrow.INTERVAL_MONTH_DAY_NANO || rt.ID() == arrow.INTERVAL_MONTH_DAY_NANO:
		return buildDatetimeArith(k, op)
	case !isNumeric(lt) && lt.ID() != arrow.NULL || !isNumeric(rt) && rt.ID() != arrow.NULL:
		return nil, sqlerr.New(sqlerr.UndefinedFunction, "operator does not exist: %s %s %s",
			sqlTypeName(lt), arithSymbols[op], sqlTypeName(rt))
	case isDecimal(k.out):
		return buildDecimalArith(k, op)
	case isInteger(k.out) || isFloat(k.out):
		var err error
		if l, err = newCast(l, k.out); err != nil {
			return nil, err
		}
		if r, err = newCast(r, k.out); err != nil {
			return nil, err
		}
		l, r = fold(l, l), fold(r, r)
		kern := numKernel(op, k.out)
		if kern == nil {
			return nil, unsupported(k)
		}
		return &arithNode{l: l, r: r, out: k.out, kernel: kern, commut: op == opAdd || op == opMul}, nil
	}
	return nil, unsupported(k)
}

// numKernel picks the integer or float kernel for op on type dt.
func numKernel(op arithOp, dt arrow.DataType) binKernel {
	switch dt.ID() {
	case arrow.INT8:
		return intKernel[int8](op)
	case arrow.INT16:
		return intKernel[int16](op)
	case arrow.INT32:
		return intKernel[int32](op)
	case arrow.INT64:
		return intKernel[int64](op)
	case arrow.FLOAT32:
		return floatKernel[float32](op)
	case arrow.FLOAT64:
		return floatKernel[float64](op)
	}
	return nil
}

// operands returns the value slices of a binary kernel's operands; with a
// constant right operand bs holds it and b is nil.
func operands[T arrow.FixedWidthType](a, b arrow.Array, bk *constNode) (as, bs []T, bv T) {
	as = arrow.GetValues[T](a.Data(), 1)
	if bk != nil {
		return as, nil, constValue[T](bk)
	}
	return as, arrow.GetValues[T](b.Data(), 1), bv
}

// firstBad returns the first valid row (of a and b) for which bad is true,
// or -1; used only after a kernel has flagged a problem.
func firstBad(a, b arrow.Array, bad func(i int) bool) int {
	for i := 0; i < a.Len(); i++ {
		if isValid(a, i) && isValid(b, i) && bad(i) {
			return i
		}
	}
	return -1
}

func divByZero() error { return sqlerr.New(sqlerr.DivisionByZero, "division by zero") }
