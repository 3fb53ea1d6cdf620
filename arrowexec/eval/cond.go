package eval

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/substrait-io/substrait-go/v8/expr"

	"github.com/medleysql/medley/sql/sqlerr"
	sqltypes "github.com/medleysql/medley/sql/types"
)

func init() {
	register(buildCoalesce, "coalesce")
	register(buildNullIf, "nullif")
	register(buildExtreme, "greatest", "least", "greatest_skip_null", "least_skip_null")
}

// inListNode is x IN (a, b, ...): the Kleene OR of x = a, x = b, ... so that
// no match with a NULL in the list (or x NULL) is NULL. x is evaluated once;
// constant options use the column-vs-literal comparison kernels.
type inListNode struct {
	value   Expr
	options []Expr
}

func (c *compiler) inList(e *expr.SingularOrList) (Expr, error) {
	v, err := c.compile(e.Value)
	if err != nil {
		return nil, err
	}
	n := &inListNode{value: v}
	t := v.Type()
	for _, o := range e.Options {
		x, err := c.compile(o)
		if err != nil {
			return nil, err
		}
		if t, err = sqltypes.Comparison("=", t, x.Type()); err != nil {
			return nil, err
		}
		n.options = append(n.options, x)
	}
	xs := append([]Expr{n.value}, n.options...)
	if err := castAll(xs, t); err != nil {
		return nil, err
	}
	n.value, n.options = xs[0], xs[1:]
	if !comparable(t) {
		return nil, sqlerrUnsupportedIn(t)
	}
	return fold(n, xs...), nil
}

func (n *inListNode) Type() arrow.DataType { return boolType }

func (n *inListNode) Eval(ctx context.Context, mem memory.Allocator, batch arrow.RecordBatch) (arrow.Array, error) {
	rows := int(batch.NumRows())
	if len(n.options) == 0 {
		return broadcastBool(mem, rows, false), nil
	}
	va, err := n.value.Eval(ctx, mem, batch)
	if err != nil {
		return nil, err
	}
	defer va.Release()
	var acc *boolBits
	defer func() {
		if acc != nil {
			acc.release()
		}
	}()
	for _, o := range n.options {
		term, err := n.term(ctx, mem, batch, va, o)
		if err != nil {
			return nil, err
		}
		if acc == nil {
			acc = &term
			continue
		}
		combine(logicOr, acc, term, mem)
		term.release()
	}
	vb := acc.bufs[0]
	vb.Retain()
	if acc.valid == nil {
		return makeArray(boolType, rows, 0, nil, vb), nil
	}
	mb := acc.bufs[1]
	mb.Retain()
	return makeArray(boolType, rows, rows-bitutil.CountSetBits(acc.valid, 0, rows), mb, vb), nil
}

// term computes value = option as value and validity bits.
func (n *inListNode) term(ctx context.Context, mem memory.Allocator, batch arrow.RecordBatch, va arrow.Array, o Expr) (boolBits, error) {
	rows := va.Len()
	k := asConst(o)
	var oa arrow.Array
	if k != nil && k.null() {
		vb, _ := allocBits(mem, rows)
		mb, m := allocBits(mem, rows)
		return boolBits{val: vb.Bytes(), valid: m, bufs: []*memory.Buffer{vb, mb}}, nil
	}
	if k == nil {
		var err error
		if oa, err = o.Eval(ctx, mem, batch); err != nil {
			return boolBits{}, err
		}
		defer oa.Release()
	}
	vb, val := allocBits(mem, rows)
	if err := compareInto(opEq, va, oa, k, val); err != nil {
		vb.Release()
		return boolBits{}, err
	}
	out := boolBits{val: val, bufs: []*memory.Buffer{vb}}
	if mb, nulls := validity(mem, rows, va, oa); nulls > 0 {
		out.valid = mb.Bytes()
		out.bufs = append(out.bufs, mb)
	}
	return out, nil
}

// coalesceNode returns the first non-NULL argument. Later arguments are
// evaluated only while some row is still NULL.
type coalesceNode struct {
	args []Expr
	out  arrow.DataType
}

func buildCoalesce(c *compiler, k *call) (Expr, error) {
	if len(k.args) == 0 {
		return nil, unsupported(k)
	}
	args := append([]Expr(nil), k.args...)
	if err := castAll(args, k.out); err != nil {
		return nil, err
	}
	return &coalesceNode{args: args, out: k.out}, nil
}

func (n *coalesceNode) Type() arrow.DataType { return n.out }

func (n *coalesceNode) Eval(ctx context.Context, mem memory.Allocator, batch arrow.RecordBatch) (arrow.Array, error) {
	rows := int(batch.NumRows())
	from, at := make([]int32, rows), make([]int32, rows)
	for i := range from {
		from[i], at[i] = -1, int32(i)
	}
	pieces := make([]arrow.Array, len(n.args))
	defer func() { releaseAll(pieces...) }()
	pending := rows
	for j, a := range n.args {
		if pending == 0 {
			break
		}
		if k := asConst(a); k != nil && k.null() {
			continue
		}
		arr, err := a.Eval(ctx, mem, batch)
		if err != nil {
			return nil, err
		}
		pieces[j] = arr
		for i := range from {
			if from[i] < 0 && arr.IsValid(i) {
				from[i] = int32(j)
				pending--
			}
		}
	}
	return choose(ctx, mem, n.out, pieces, from, at)
}

// nullIfNode is NULLIF(a, b): NULL where a = b, else a.
type nullIfNode struct {
	eq *compareNode
	a  Expr
}

func buildNullIf(c *compiler, k *call) (Expr, error) {
	if len(k.args) != 2 {
		return nil, unsupported(k)
	}
	l, r, err := unify("=", k.args[0], k.args[1])
	if err != nil {
		return nil, err
	}
	a, err := newCast(k.args[0], k.out)
	if err != nil {
		return nil, err
	}
	return &nullIfNode{eq: &compareNode{op: opEq, l: l, r: r}, a: a}, nil
}

func (n *nullIfNode) Type() arrow.DataType { return n.a.Type() }

func (n *nullIfNode) Eval(ctx context.Context, mem memory.Allocator, batch arrow.RecordBatch) (arrow.Array, error) {
	a, err := n.a.Eval(ctx, mem, batch)
	if err != nil {
		return nil, err
	}
	defer a.Release()
	eq, err := n.eq.Eval(ctx, mem, batch)
	if err != nil {
		return nil, err
	}
	defer eq.Release()
	rows := a.Len()
	from, at := make([]int32, rows), make([]int32, rows)
	e := eq.(*array.Boolean)
	for i := range from {
		at[i] = int32(i)
		if e.IsValid(i) && e.Value(i) {
			from[i] = -1
		}
	}
	return choose(ctx, mem, n.a.Type(), []arrow.Array{a}, from, at)
}

// extremeNode is GREATEST / LEAST: NULL arguments are ignored, the result
// is NULL only when all are.
type extremeNode struct {
	args []Expr
	op   cmpOp // opGt for greatest, opLt for least
	out  arrow.DataType
}

func buildExtreme(c *compiler, k *call) (Expr, error) {
	if len(k.args) == 0 {
		return nil, unsupported(k)
	}
	args := append([]Expr(nil), k.args...)
	if err := castAll(args, k.out); err != nil {
		return nil, err
	}
	op := opGt
	if k.name == "least" || k.name == "least_skip_null" {
		op = opLt
	}
	return &extremeNode{args: args, op: op, out: k.out}, nil
}

func (n *extremeNode) Type() arrow.DataType { return n.out }

func (n *extremeNode) Eval(ctx context.Context, mem memory.Allocator, batch arrow.RecordBatch) (arrow.Array, error) {
	rows := int(batch.NumRows())
	from, at := make([]int32, rows), make([]int32, rows)
	for i := range from {
		from[i], at[i] = -1, int32(i)
	}
	pieces := make([]arrow.Array, len(n.args))
	defer func() { releaseAll(pieces...) }()
	buf, bits := allocBits(mem, rows)
	defer buf.Release()
	for j, a := range n.args {
		arr, err := a.Eval(ctx, mem, batch)
		if err != nil {
			return nil, err
		}
		pieces[j] = arr
		if j > 0 {
			// compare against the current best of each row, piece by piece
			for p := 0; p < j; p++ {
				clear(bits)
				if err := compareInto(n.op, arr, pieces[p], nil, bits); err != nil {
					return nil, err
				}
				for i := range from {
					if from[i] == int32(p) && arr.IsValid(i) && bitSet(bits, i) {
						from[i] = int32(j)
					}
				}
			}
		}
		for i := range from {
			if from[i] < 0 && arr.IsValid(i) {
				from[i] = int32(j)
			}
		}
	}
	return choose(ctx, mem, n.out, pieces, from, at)
}

func sqlerrUnsupportedIn(t arrow.DataType) error {
	return sqlerr.New(sqlerr.FeatureNotSupported, "IN over %s values is not supported", sqlTypeName(t))
}
