package eval

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

func init() {
	register(buildConcatWS, "concat_ws")
}

// concatWSNode is concat_ws(sep, v1, ...): the non-NULL values joined by
// sep, NULLs skipped (no separator for them); NULL when sep is NULL, ”
// when every value is NULL (PostgreSQL's, and the standard function's
// only sensible reading).
type concatWSNode struct{ row *rowNode }

// buildConcatWS casts non-text arguments to text, as buildConcat does.
func buildConcatWS(c *compiler, k *call) (Expr, error) {
	if k.out.ID() != arrow.STRING || len(k.args) < 2 {
		return nil, unsupported(k)
	}
	args := append([]Expr(nil), k.args...)
	for i, a := range args {
		if a.Type().ID() != arrow.STRING {
			x, err := newCast(a, arrow.BinaryTypes.String)
			if err != nil {
				return nil, err
			}
			args[i] = fold(x, a)
		}
	}
	return &concatWSNode{row: &rowNode{name: k.name, args: args, out: k.out}}, nil
}

func (n *concatWSNode) Type() arrow.DataType { return n.row.out }

func (n *concatWSNode) Eval(ctx context.Context, mem memory.Allocator, batch arrow.RecordBatch) (arrow.Array, error) {
	rows := int(batch.NumRows())
	vs, release, err := n.row.views(ctx, mem, batch)
	if err != nil {
		return nil, err
	}
	defer release()
	b := array.NewStringBuilder(mem)
	defer b.Release()
	b.Reserve(rows)
	var scratch []byte
	for i := 0; i < rows; i++ {
		if !vs[0].valid(i) {
			b.AppendNull()
			continue
		}
		sep, first := vs[0].str(i), true
		scratch = scratch[:0]
		for j := 1; j < len(vs); j++ {
			if !vs[j].valid(i) {
				continue
			}
			if !first {
				scratch = append(scratch, sep...)
			}
			scratch, first = append(scratch, vs[j].str(i)...), false
		}
		b.BinaryBuilder.Append(scratch)
	}
	return b.NewArray(), nil
}
