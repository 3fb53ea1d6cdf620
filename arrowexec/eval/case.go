package eval

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/arrow/scalar"
	"github.com/substrait-io/substrait-go/v8/expr"

	"github.com/medleysql/medley/sql/sqlerr"
	sqltypes "github.com/medleysql/medley/sql/types"
)

// caseNode is CASE WHEN c1 THEN v1 ... ELSE e END. Each row takes the value
// of the first condition that is true. A branch (condition or value) is
// only evaluated on the rows that reach it, so an error such as a division
// by zero in a branch no row takes is not raised; when every part is
// error-free (columns, constants, comparisons, logic) all parts are
// evaluated on the whole batch instead, which avoids copying the batch.
type caseNode struct {
	conds, vals []Expr // vals has one more entry than conds: the ELSE (nil for NULL)
	out         arrow.DataType
	safe        bool
}

func (c *compiler) ifThen(e *expr.IfThen) (Expr, error) {
	n := &caseNode{}
	var err error
	for i := 0; i < e.NIfs(); i++ {
		p := e.IfPair(i)
		cond, err := c.compile(p.If)
		if err != nil {
			return nil, err
		}
		if cond.Type().ID() == arrow.NULL {
			cond = &constNode{dt: boolType, sc: scalar.NewBooleanScalar(false)}
		}
		if cond.Type().ID() != arrow.BOOL {
			return nil, sqlerr.New(sqlerr.DatatypeMismatch, "argument of CASE/WHEN must be type boolean, not type %s", sqlTypeName(cond.Type()))
		}
		v, err := c.compile(p.Then)
		if err != nil {
			return nil, err
		}
		n.conds, n.vals = append(n.conds, cond), append(n.vals, v)
	}
	var els Expr
	if e.Else() != nil {
		if els, err = c.compile(e.Else()); err != nil {
			return nil, err
		}
	}
	n.vals = append(n.vals, els)
	if n.out, err = arrowType(e.GetType()); err != nil {
		return nil, err
	}
	if err := castAll(n.vals, n.out); err != nil {
		return nil, err
	}
	n.safe = allSafe(n.conds) && allSafe(n.vals)
	return n, nil
}

// castAll converts every non-nil expression to type dt.
func castAll(xs []Expr, dt arrow.DataType) error {
	for i, x := range xs {
		if x == nil || arrow.TypeEqual(x.Type(), dt) {
			continue
		}
		if _, err := sqltypes.Common(x.Type(), dt); err != nil && x.Type().ID() != arrow.NULL {
			return err
		}
		y, err := newCast(x, dt)
		if err != nil {
			return err
		}
		xs[i] = fold(y, x)
	}
	return nil
}

// allSafe reports whether evaluating the expressions can never fail.
func allSafe(xs []Expr) bool {
	for _, x := range xs {
		if x != nil && !safe(x) {
			return false
		}
	}
	return true
}

func safe(x Expr) bool {
	switch x := x.(type) {
	case *constNode, *fieldRef:
		return true
	case *compareNode:
		return safe(x.l) && safe(x.r)
	case *logicNode:
		return allSafe(x.args)
	case *notNode:
		return safe(x.in)
	case *nullTest:
		return safe(x.in)
	}
	return false
}

func (n *caseNode) Type() arrow.DataType { return n.out }

func (n *caseNode) Eval(ctx context.Context, mem memory.Allocator, batch arrow.RecordBatch) (arrow.Array, error) {
	rows := int(batch.NumRows())
	from, at := make([]int32, rows), make([]int32, rows)
	for i := range from {
		from[i] = -2 // undecided
	}
	pieces := make([]arrow.Array, len(n.vals))
	defer func() { releaseAll(pieces...) }()
	var err error
	if n.safe {
		err = n.evalWhole(ctx, mem, batch, pieces, from, at)
	} else {
		err = n.evalLazy(ctx, mem, batch, pieces, from, at)
	}
	if err != nil {
		return nil, err
	}
	return choose(ctx, mem, n.out, pieces, from, at)
}

// evalWhole evaluates every part on the whole batch.
func (n *caseNode) evalWhole(ctx context.Context, mem memory.Allocator, batch arrow.RecordBatch, pieces []arrow.Array, from, at []int32) error {
	for b, cond := range n.conds {
		mask, err := cond.Eval(ctx, mem, batch)
		if err != nil {
			return err
		}
		bits, release := selection(mem, boolOrFalse(mask))
		taken := false
		for i := range from {
			if from[i] == -2 && bitSet(bits, i) {
				from[i], at[i], taken = int32(b), int32(i), true
			}
		}
		release()
		mask.Release()
		if taken {
			if pieces[b], err = n.vals[b].Eval(ctx, mem, batch); err != nil {
				return err
			}
		}
	}
	return n.evalElse(ctx, mem, batch, pieces, from, at, nil)
}

// evalElse gives the undecided rows the ELSE value; rows maps the rows of
// batch to the original rows (nil: identity).
func (n *caseNode) evalElse(ctx context.Context, mem memory.Allocator, batch arrow.RecordBatch, pieces []arrow.Array, from, at, rows []int32) error {
	last := len(n.vals) - 1
	pending := false
	for i := range from {
		if from[i] == -2 {
			from[i], at[i], pending = int32(last), int32(i), true
			if n.vals[last] == nil {
				from[i] = -1
			}
		}
	}
	if !pending || n.vals[last] == nil {
		return nil
	}
	var err error
	pieces[last], err = n.vals[last].Eval(ctx, mem, batch)
	if err == nil && rows != nil {
		for j, r := range rows {
			at[r] = int32(j)
		}
	}
	return err
}

// evalLazy evaluates each condition on the rows not yet decided and each
// value on the rows that take it.
func (n *caseNode) evalLazy(ctx context.Context, mem memory.Allocator, batch arrow.RecordBatch, pieces []arrow.Array, from, at []int32) error {
	cur := batch
	cur.Retain()
	defer func() { cur.Release() }()
	var rows []int32 // original row of each row of cur; nil while cur is batch
	for b, cond := range n.conds {
		if cur.NumRows() == 0 {
			break
		}
		mask, err := cond.Eval(ctx, mem, cur)
		if err != nil {
			return err
		}
		m := boolOrFalse(mask)
		taken, rest, err := split(ctx, mem, cur, m)
		if err == nil && taken.NumRows() > 0 {
			pieces[b], err = n.vals[b].Eval(ctx, mem, taken)
		}
		if err == nil {
			rows = n.assign(m, rows, int32(b), from, at)
		}
		mask.Release()
		taken.Release()
		cur.Release()
		cur = rest
		if err != nil {
			return err
		}
	}
	if rows == nil && cur.NumRows() == int64(len(from)) {
		return n.evalElse(ctx, mem, cur, pieces, from, at, nil)
	}
	return n.evalElse(ctx, mem, cur, pieces, from, at, rows)
}

// assign marks the rows selected by m as taken by branch b and returns the
// original rows of those left.
func (n *caseNode) assign(m *array.Boolean, rows []int32, b int32, from, at []int32) []int32 {
	var left []int32
	k := int32(0)
	for j := 0; j < m.Len(); j++ {
		r := int32(j)
		if rows != nil {
			r = rows[j]
		}
		if m.IsValid(j) && m.Value(j) {
			from[r], at[r] = b, k
			k++
		} else {
			left = append(left, r)
		}
	}
	if left == nil {
		left = []int32{}
	}
	return left
}

// split returns the rows of b where m is true and the others.
func split(ctx context.Context, mem memory.Allocator, b arrow.RecordBatch, m *array.Boolean) (arrow.RecordBatch, arrow.RecordBatch, error) {
	taken, err := FilterByMask(ctx, mem, b, m)
	if err != nil {
		return nil, nil, err
	}
	bits, release := selection(mem, m)
	buf, inv := allocBits(mem, m.Len())
	for i := range inv {
		inv[i] = ^bits[i]
	}
	release()
	notM := makeArray(boolType, m.Len(), 0, nil, buf)
	defer notM.Release()
	rest, err := FilterByMask(ctx, mem, b, notM.(*array.Boolean))
	if err != nil {
		taken.Release()
		return nil, nil, err
	}
	return taken, rest, nil
}

// boolOrFalse views a condition result as a boolean array.
func boolOrFalse(a arrow.Array) *array.Boolean { return a.(*array.Boolean) }
