package eval

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/arrow/scalar"
)

func init() {
	register(buildTruthTest, "is_true", "is_not_true", "is_false", "is_not_false")
}

// truthTest is x IS [NOT] TRUE / x IS [NOT] FALSE: true where x is valid
// and equals want (negated by not); never NULL, so NULL IS NOT TRUE is
// true.
type truthTest struct {
	in   Expr
	want bool
	not  bool
}

func buildTruthTest(c *compiler, k *call) (Expr, error) {
	if len(k.args) != 1 {
		return nil, unsupported(k)
	}
	if id := k.args[0].Type().ID(); id != arrow.BOOL && id != arrow.NULL {
		return nil, unsupported(k)
	}
	n := &truthTest{in: k.args[0]}
	switch k.name {
	case "is_true":
		n.want = true
	case "is_not_true":
		n.want, n.not = true, true
	case "is_not_false":
		n.not = true
	}
	return n, nil
}

func (n *truthTest) Type() arrow.DataType { return boolType }

func (n *truthTest) Eval(ctx context.Context, mem memory.Allocator, batch arrow.RecordBatch) (arrow.Array, error) {
	rows := int(batch.NumRows())
	if k := asConst(n.in); k != nil {
		match := false
		if b, ok := k.sc.(*scalar.Boolean); ok && !k.null() {
			match = b.Value == n.want
		}
		return broadcastBool(mem, rows, match != n.not), nil
	}
	a, err := n.in.Eval(ctx, mem, batch)
	if err != nil {
		return nil, err
	}
	defer a.Release()
	buf, bits := allocBits(mem, rows)
	if b, ok := a.(*array.Boolean); ok {
		for i := 0; i < rows; i++ {
			if (b.IsValid(i) && b.Value(i) == n.want) != n.not {
				bits[i>>3] |= 1 << (i & 7)
			}
		}
	} else if n.not { // an all-NULL input
		buf.Release()
		return broadcastBool(mem, rows, true), nil
	}
	return makeArray(boolType, rows, 0, nil, buf), nil
}
