package bind

import (
	"vitess.io/vitess/go/vt/sqlparser"

	"github.com/medleysql/medley/sql/plan"
	"github.com/medleysql/medley/sql/sqlerr"
	"github.com/medleysql/medley/sql/types"
)

// subquery binds a subquery in the scope of ctx and decorrelates it: the
// result reads no outer column, and preds are the correlation conditions
// to join it on.
func (b *binder) subquery(ctx *exprCtx, sub *sqlparser.Subquery) (n plan.Node, preds []plan.Expr, err error) {
	if ctx.input == nil {
		return nil, nil, unsupported("subqueries are not supported in %s", orClause(ctx.clause))
	}
	n, _, err = b.query(sub.Select, ctx.scope)
	if err != nil {
		return nil, nil, err
	}
	return b.decorrelate(n)
}

// oneColumn checks a subquery used as a value.
func oneColumn(n plan.Node) (plan.Column, error) {
	cols := n.Columns()
	if len(cols) != 1 {
		return plan.Column{}, sqlerr.New(sqlerr.SyntaxError, "subquery must return only one column")
	}
	return cols[0], nil
}

// scalarSubquery is (SELECT ...) as a value: a LEFT_SINGLE join.
func (b *binder) scalarSubquery(ctx *exprCtx, sub *sqlparser.Subquery) (plan.Expr, error) {
	if ctx.input == nil {
		return nil, unsupported("subqueries are not supported in %s", orClause(ctx.clause))
	}
	n, _, err := b.query(sub.Select, ctx.scope)
	if err != nil {
		return nil, err
	}
	col, err := oneColumn(n)
	if err != nil {
		return nil, err
	}
	isCount := countOutput(n, col.ID)
	right, preds, err := b.decorrelate(n)
	if err != nil {
		return nil, err
	}
	*ctx.input = &plan.Join{Kind: plan.SingleJoin, Left: *ctx.input, Right: right, Cond: plan.And(preds...)}
	var out plan.Expr = col.Ref()
	if isCount && len(preds) > 0 {
		// count over no rows is 0, not the NULL of an unmatched join.
		out = plan.NewCall("coalesce", col.Type, out, &plan.Literal{Value: int64(0), Typ: col.Type})
	}
	return out, nil
}

// countOutput reports whether column id of n is a count() aggregate.
func countOutput(n plan.Node, id plan.ColumnID) bool {
	for {
		switch x := n.(type) {
		case *plan.Project:
			for i, c := range x.Cols {
				if c.ID == id {
					r, ok := x.Exprs[i].(*plan.ColRef)
					if !ok {
						return false
					}
					id = r.ID
				}
			}
			n = x.Input
		case *plan.Filter:
			n = x.Input
		case *plan.Aggregate:
			for i, c := range x.AggCols {
				if c.ID == id {
					return x.Aggs[i].Func == "count"
				}
			}
			return false
		default:
			return false
		}
	}
}

// existsMark is [NOT] EXISTS outside a WHERE conjunct: a LEFT_MARK join.
func (b *binder) existsMark(ctx *exprCtx, e *sqlparser.ExistsExpr, negate bool) (plan.Expr, error) {
	right, preds, err := b.subquery(ctx, e.Subquery)
	if err != nil {
		return nil, err
	}
	mark := b.newCol("exists", types.Boolean, true)
	*ctx.input = &plan.Join{Kind: plan.MarkJoin, Left: *ctx.input, Right: right, Cond: plan.And(preds...), Mark: mark}
	// The mark is NULL when only NULL comparisons matched; EXISTS is false then.
	var out plan.Expr = plan.NewCall("coalesce", types.Boolean, mark.Ref(), &plan.Literal{Value: false, Typ: types.Boolean})
	if negate {
		out = plan.NewCall("not", types.Boolean, out)
	}
	return out, nil
}

// in is x [NOT] IN (list) or x [NOT] IN (subquery) as a value.
func (b *binder) in(ctx *exprCtx, e *sqlparser.ComparisonExpr) (plan.Expr, error) {
	x, err := b.expr(ctx, e.Left)
	if err != nil {
		return nil, err
	}
	negate := e.Operator == sqlparser.NotInOp
	switch r := e.Right.(type) {
	case sqlparser.ValTuple:
		return b.inList(ctx, x, r, negate)
	case *sqlparser.Subquery:
		right, cond, err := b.inSubquery(ctx, x, r)
		if err != nil {
			return nil, err
		}
		mark := b.newCol("in", types.Boolean, true)
		*ctx.input = &plan.Join{Kind: plan.MarkJoin, Left: *ctx.input, Right: right, Cond: cond, Mark: mark}
		var out plan.Expr = mark.Ref()
		if negate {
			out = plan.NewCall("not", types.Boolean, out)
		}
		return out, nil
	}
	return nil, unsupported("IN %s is not supported", sqlparser.String(e.Right))
}

// inSubquery binds the subquery of x IN (subquery) and returns it with the
// join condition x = column AND correlation.
func (b *binder) inSubquery(ctx *exprCtx, x plan.Expr, sub *sqlparser.Subquery) (plan.Node, plan.Expr, error) {
	right, preds, err := b.subquery(ctx, sub)
	if err != nil {
		return nil, nil, err
	}
	col, err := oneColumn(right)
	if err != nil {
		return nil, nil, err
	}
	eq, err := b.compare("=", x, col.Ref())
	if err != nil {
		return nil, nil, err
	}
	return right, plan.And(append([]plan.Expr{eq}, preds...)...), nil
}

// semiJoin turns a WHERE/HAVING conjunct EXISTS, NOT EXISTS, IN (subquery)
// or NOT IN (subquery) over non-nullable values into a semi or anti join.
func (b *binder) semiJoin(n plan.Node, ctx *exprCtx, c sqlparser.Expr) (plan.Node, bool, error) {
	sctx := *ctx
	sctx.input = &n
	kind := plan.SemiJoin
	if not, ok := c.(*sqlparser.NotExpr); ok {
		if ex, ok := not.Expr.(*sqlparser.ExistsExpr); ok {
			kind, c = plan.AntiJoin, ex
		}
	}
	switch e := c.(type) {
	case *sqlparser.ExistsExpr:
		right, preds, err := b.subquery(&sctx, e.Subquery)
		if err != nil {
			return nil, false, err
		}
		return &plan.Join{Kind: kind, Left: n, Right: right, Cond: plan.And(preds...)}, true, nil
	case *sqlparser.ComparisonExpr:
		sub, ok := e.Right.(*sqlparser.Subquery)
		if !ok || e.Operator != sqlparser.InOp && e.Operator != sqlparser.NotInOp {
			return nil, false, nil
		}
		x, err := b.expr(&sctx, e.Left)
		if err != nil {
			return nil, false, err
		}
		right, cond, err := b.inSubquery(&sctx, x, sub)
		if err != nil {
			return nil, false, err
		}
		if e.Operator == sqlparser.NotInOp {
			if mayBeNull(x, n) || mayBeNull(right.Columns()[0].Ref(), right) {
				// NOT IN over NULLs needs the mark join's three values.
				mark := b.newCol("in", types.Boolean, true)
				j := &plan.Join{Kind: plan.MarkJoin, Left: n, Right: right, Cond: cond, Mark: mark}
				return &plan.Filter{Input: j, Cond: plan.NewCall("not", types.Boolean, mark.Ref())}, true, nil
			}
			kind = plan.AntiJoin
		}
		return &plan.Join{Kind: kind, Left: n, Right: right, Cond: cond}, true, nil
	}
	return nil, false, nil
}

// mayBeNull reports whether x, evaluated over n, may be NULL.
func mayBeNull(x plan.Expr, n plan.Node) bool {
	switch x := x.(type) {
	case *plan.Literal:
		return x.Value == nil
	case *plan.ColRef:
		for _, c := range n.Columns() {
			if c.ID == x.ID {
				return c.Nullable
			}
		}
	case *plan.Cast:
		return mayBeNull(x.Input, n)
	}
	return true
}
