package eval

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

func init() {
	register(buildCompare, "equal", "not_equal", "lt", "lte", "gt", "gte")
	register(buildBetween, "between")
	register(buildNullTest, "is_null", "is_not_null")
	register(buildDistinct, "is_distinct_from", "is_not_distinct_from")
}

func buildCompare(c *compiler, k *call) (Expr, error) {
	if len(k.args) != 2 {
		return nil, unsupported(k)
	}
	op := cmpNames[k.name]
	l, r, err := unify(cmpSymbols[op], k.args[0], k.args[1])
	if err != nil {
		return nil, err
	}
	if !comparable(l.Type()) {
		return nil, unsupported(k)
	}
	return &compareNode{op: op, l: l, r: r}, nil
}

func comparable(dt arrow.DataType) bool {
	switch dt.ID() {
	case arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64, arrow.FLOAT32, arrow.FLOAT64, arrow.DECIMAL128,
		arrow.STRING, arrow.BINARY, arrow.BOOL, arrow.DATE32, arrow.TIMESTAMP, arrow.TIME64,
		arrow.INTERVAL_MONTH_DAY_NANO, arrow.UINT8, arrow.NULL:
		return true
	}
	return false
}

// between(x, lo, hi) is x >= lo AND x <= hi.
func buildBetween(c *compiler, k *call) (Expr, error) {
	if len(k.args) != 3 {
		return nil, unsupported(k)
	}
	x, lo, err := unify(">=", k.args[0], k.args[1])
	if err != nil {
		return nil, err
	}
	x2, hi, err := unify("<=", k.args[0], k.args[2])
	if err != nil {
		return nil, err
	}
	ge := fold(&compareNode{op: opGe, l: x, r: lo}, x, lo)
	le := fold(&compareNode{op: opLe, l: x2, r: hi}, x2, hi)
	return &logicNode{op: logicAnd, args: []Expr{ge, le}}, nil
}

// nullTest is IS [NOT] NULL: never NULL itself.
type nullTest struct {
	in  Expr
	not bool
}

func buildNullTest(c *compiler, k *call) (Expr, error) {
	if len(k.args) != 1 {
		return nil, unsupported(k)
	}
	return &nullTest{in: k.args[0], not: k.name == "is_not_null"}, nil
}

func (n *nullTest) Type() arrow.DataType { return boolType }

func (n *nullTest) Eval(ctx context.Context, mem memory.Allocator, batch arrow.RecordBatch) (arrow.Array, error) {
	rows := int(batch.NumRows())
	if k := asConst(n.in); k != nil {
		return broadcastBool(mem, rows, k.null() != n.not), nil
	}
	a, err := n.in.Eval(ctx, mem, batch)
	if err != nil {
		return nil, err
	}
	defer a.Release()
	if a.NullN() == 0 {
		return broadcastBool(mem, rows, n.not), nil
	}
	buf, bits := allocBits(mem, rows)
	bm := a.NullBitmapBytes()
	off := a.Data().Offset()
	for i := 0; i < rows; i++ {
		if bitSet(bm, off+i) == n.not {
			bits[i>>3] |= 1 << (i & 7)
		}
	}
	return makeArray(boolType, rows, 0, nil, buf), nil
}

// broadcastBool is an array of n copies of v, without NULLs.
func broadcastBool(mem memory.Allocator, n int, v bool) arrow.Array {
	if v {
		buf, _ := allocSetBits(mem, n)
		return makeArray(boolType, n, 0, nil, buf)
	}
	buf, _ := allocBits(mem, n)
	return makeArray(boolType, n, 0, nil, buf)
}

// distinctNode is IS [NOT] DISTINCT FROM: NULLs compare equal to each
// other and unequal to values; the result is never NULL.
type distinctNode struct {
	eq  *compareNode
	not bool // is_not_distinct_from
}

func buildDistinct(c *compiler, k *call) (Expr, error) {
	if len(k.args) != 2 {
		return nil, unsupported(k)
	}
	l, r, err := unify("IS DISTINCT FROM", k.args[0], k.args[1])
	if err != nil {
		return nil, err
	}
	return &distinctNode{eq: &compareNode{op: opEq, l: l, r: r}, not: k.name == "is_not_distinct_from"}, nil
}

func (n *distinctNode) Type() arrow.DataType { return boolType }

func (n *distinctNode) Eval(ctx context.Context, mem memory.Allocator, batch arrow.RecordBatch) (arrow.Array, error) {
	rows := int(batch.NumRows())
	la, err := n.eq.l.Eval(ctx, mem, batch)
	if err != nil {
		return nil, err
	}
	defer la.Release()
	ra, err := n.eq.r.Eval(ctx, mem, batch)
	if err != nil {
		return nil, err
	}
	defer ra.Release()
	buf, bits := allocBits(mem, rows)
	if err := compareInto(opEq, la, ra, nil, bits); err != nil {
		buf.Release()
		return nil, err
	}
	if la.NullN() > 0 || ra.NullN() > 0 {
		for i := 0; i < rows; i++ {
			lv, rv := la.IsValid(i), ra.IsValid(i)
			if !lv || !rv {
				eq := lv == rv
				if eq {
					bits[i>>3] |= 1 << (i & 7)
				} else {
					bits[i>>3] &^= 1 << (i & 7)
				}
			}
		}
	}
	if !n.not {
		for i := range bits {
			bits[i] = ^bits[i]
		}
	}
	return makeArray(boolType, rows, 0, nil, buf), nil
}

var _ = array.MakeArrayOfNull
