package eval

//go:generate python3 gen/compare.py

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/medleysql/medley/sql/sqlerr"
)

// ordered are the fixed-width types compared with Go's operators (dates,
// times and timestamps are integers underneath). Floats compare as IEEE 754:
// unlike PostgreSQL, NaN is not equal to itself nor greater than all numbers.
type ordered interface {
	~int8 | ~int16 | ~int32 | ~int64 | ~uint8 | ~uint16 | ~uint32 | ~uint64 | ~float32 | ~float64
}

type cmpOp int

const (
	opEq cmpOp = iota
	opNe
	opLt
	opLe
	opGt
	opGe
)

var cmpNames = map[string]cmpOp{"equal": opEq, "not_equal": opNe, "lt": opLt, "lte": opLe, "gt": opGt, "gte": opGe}

var cmpSymbols = [...]string{"=", "<>", "<", "<=", ">", ">="}

// flip returns the operator with its operands swapped (a < b ⇔ b > a).
func (o cmpOp) flip() cmpOp {
	return [...]cmpOp{opEq, opNe, opGt, opGe, opLt, opLe}[o]
}

// strs is a view of a string or binary array's offsets and bytes.
type strs struct {
	offs []int32
	data []byte
	n    int
}

func (s strs) at(i int) []byte { return s.data[s.offs[i]:s.offs[i+1]] }

func strsOf(a arrow.Array) strs {
	var offs []int32
	switch a := a.(type) {
	case *array.String:
		offs = a.ValueOffsets()
	case *array.Binary:
		offs = a.ValueOffsets()
	}
	var data []byte
	if b := a.Data().Buffers()[2]; b != nil {
		data = b.Bytes()
	}
	return strs{offs: offs, data: data, n: a.Len()}
}

// compareNode is one of = <> < <= > >= over operands of one type.
type compareNode struct {
	op   cmpOp
	l, r Expr
}

func (n *compareNode) Type() arrow.DataType { return boolType }

func (n *compareNode) Eval(ctx context.Context, mem memory.Allocator, batch arrow.RecordBatch) (arrow.Array, error) {
	rows := int(batch.NumRows())
	l, r, op := n.l, n.r, n.op
	if asConst(l) != nil && asConst(r) == nil {
		l, r, op = r, l, op.flip()
	}
	rk := asConst(r)
	if (rk != nil && rk.null()) || (asConst(l) != nil && asConst(l).null()) {
		return array.MakeArrayOfNull(mem, boolType, rows), nil
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
	valid, nulls := validity(mem, rows, la, ra)
	buf, bits := allocBits(mem, rows)
	if err := compareInto(op, la, ra, rk, bits); err != nil {
		buf.Release()
		if valid != nil {
			valid.Release()
		}
		return nil, err
	}
	return makeArray(boolType, rows, nulls, valid, buf), nil
}

// compareInto writes op(la, ra or rk) for every row into out (garbage for
// NULL rows).
func compareInto(op cmpOp, la, ra arrow.Array, rk *constNode, out []byte) error {
	switch la.DataType().ID() {
	case arrow.INT8:
		cmpFixed[int8](op, la, ra, rk, out)
	case arrow.INT16:
		cmpFixed[int16](op, la, ra, rk, out)
	case arrow.INT32, arrow.DATE32, arrow.TIME32:
		cmpFixed[int32](op, la, ra, rk, out)
	case arrow.INT64, arrow.TIMESTAMP, arrow.TIME64, arrow.DATE64:
		cmpFixed[int64](op, la, ra, rk, out)
	case arrow.UINT8, arrow.BOOL:
		if la.DataType().ID() == arrow.BOOL {
			cmpBool(op, la, ra, rk, out)
			return nil
		}
		cmpFixed[uint8](op, la, ra, rk, out)
	case arrow.FLOAT32:
		cmpFixed[float32](op, la, ra, rk, out)
	case arrow.FLOAT64:
		cmpFixed[float64](op, la, ra, rk, out)
	case arrow.DECIMAL128:
		cmpDecimal(op, la, ra, rk, out)
	case arrow.STRING, arrow.BINARY:
		cmpStrings(op, la, ra, rk, out)
	case arrow.INTERVAL_MONTH_DAY_NANO:
		cmpInterval(op, la, ra, rk, out)
	default:
		return sqlerr.New(sqlerr.FeatureNotSupported, "comparison of %s values is not supported", sqlTypeName(la.DataType()))
	}
	return nil
}

func cmpFixed[T ordered](op cmpOp, la, ra arrow.Array, rk *constNode, out []byte) {
	a := arrow.GetValues[T](la.Data(), 1)
	if rk != nil {
		b := constValue[T](rk)
		[...]func([]T, T, []byte){cmpEqVS[T], cmpNeVS[T], cmpLtVS[T], cmpLeVS[T], cmpGtVS[T], cmpGeVS[T]}[op](a, b, out)
		return
	}
	b := arrow.GetValues[T](ra.Data(), 1)
	[...]func([]T, []T, []byte){cmpEqVV[T], cmpNeVV[T], cmpLtVV[T], cmpLeVV[T], cmpGtVV[T], cmpGeVV[T]}[op](a, b, out)
}

func cmpDecimal(op cmpOp, la, ra arrow.Array, rk *constNode, out []byte) {
	a := arrow.GetValues[decimal128.Num](la.Data(), 1)
	if rk != nil {
		b := constValue[decimal128.Num](rk)
		[...]func([]decimal128.Num, decimal128.Num, []byte){decCmpEqVS, decCmpNeVS, decCmpLtVS, decCmpLeVS, decCmpGtVS, decCmpGeVS}[op](a, b, out)
		return
	}
	b := arrow.GetValues[decimal128.Num](ra.Data(), 1)
	[...]func([]decimal128.Num, []decimal128.Num, []byte){decCmpEqVV, decCmpNeVV, decCmpLtVV, decCmpLeVV, decCmpGtVV, decCmpGeVV}[op](a, b, out)
}

func cmpStrings(op cmpOp, la, ra arrow.Array, rk *constNode, out []byte) {
	a := strsOf(la)
	if rk != nil {
		b := []byte(constString(rk))
		[...]func(strs, []byte, []byte){strCmpEqVS, strCmpNeVS, strCmpLtVS, strCmpLeVS, strCmpGtVS, strCmpGeVS}[op](a, b, out)
		return
	}
	b := strsOf(ra)
	[...]func(strs, strs, []byte){strCmpEqVV, strCmpNeVV, strCmpLtVV, strCmpLeVV, strCmpGtVV, strCmpGeVV}[op](a, b, out)
}

// decCmp compares two decimals of the same scale.
func decCmp(a, b decimal128.Num) int {
	ah, bh := a.HighBits(), b.HighBits()
	switch {
	case ah < bh:
		return -1
	case ah > bh:
		return 1
	}
	al, bl := a.LowBits(), b.LowBits()
	switch {
	case al < bl:
		return -1
	case al > bl:
		return 1
	}
	return 0
}

// cmpResult applies op to a three-way comparison result.
func cmpResult(op cmpOp, c int) bool {
	switch op {
	case opEq:
		return c == 0
	case opNe:
		return c != 0
	case opLt:
		return c < 0
	case opLe:
		return c <= 0
	case opGt:
		return c > 0
	}
	return c >= 0
}

func cmpBool(op cmpOp, la, ra arrow.Array, rk *constNode, out []byte) {
	a := la.(*array.Boolean)
	for i := 0; i < a.Len(); i++ {
		var bv bool
		if rk != nil {
			bv = rk.sc.(interface{ String() string }).String() == "true"
		} else {
			bv = ra.(*array.Boolean).Value(i)
		}
		if cmpResult(op, b2i(a.Value(i))-b2i(bv)) {
			out[i>>3] |= 1 << (i & 7)
		}
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// intervalSpan orders intervals as PostgreSQL does: a month is 30 days, a
// day 24 hours.
func intervalSpan(v arrow.MonthDayNanoInterval) (int64, int64) {
	days := int64(v.Months)*30 + int64(v.Days)
	const dayNanos = 86400 * 1e9
	days += v.Nanoseconds / dayNanos
	return days, v.Nanoseconds % dayNanos
}

func cmpInterval(op cmpOp, la, ra arrow.Array, rk *constNode, out []byte) {
	a := arrow.GetValues[arrow.MonthDayNanoInterval](la.Data(), 1)
	for i := range a {
		var b arrow.MonthDayNanoInterval
		if rk != nil {
			b = constValue[arrow.MonthDayNanoInterval](rk)
		} else {
			b = arrow.GetValues[arrow.MonthDayNanoInterval](ra.Data(), 1)[i]
		}
		ad, an := intervalSpan(a[i])
		bd, bn := intervalSpan(b)
		c := cmp3(ad, bd)
		if c == 0 {
			c = cmp3(an, bn)
		}
		if cmpResult(op, c) {
			out[i>>3] |= 1 << (i & 7)
		}
	}
}

func cmp3[T ordered](a, b T) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
