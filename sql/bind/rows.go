package bind

import (
	"vitess.io/vitess/go/vt/sqlparser"

	"github.com/medleysql/medley/sql/plan"
	"github.com/medleysql/medley/sql/sqlerr"
	"github.com/medleysql/medley/sql/types"
)

// rowComparison binds comparisons of row constructors, (a, b) op (x, y)
// and (a, b) [NOT] IN ((x, y), ...), as PostgreSQL defines them: = is the
// AND of the pairs' =, <> the OR of their <>, and <, <=, >, >= compare
// lexicographically (decided by the first pair that is not equal, NULL if
// that pair is NULL). ok is false when e has no row constructor on its left.
func (b *binder) rowComparison(ctx *exprCtx, e *sqlparser.ComparisonExpr) (plan.Expr, bool, error) {
	left, ok := e.Left.(sqlparser.ValTuple)
	if !ok {
		return nil, false, nil
	}
	if e.Modifier != sqlparser.Missing {
		return nil, true, unsupported("row constructor with ANY/ALL is not supported")
	}
	switch e.Operator {
	case sqlparser.InOp, sqlparser.NotInOp:
		list, ok := e.Right.(sqlparser.ValTuple)
		if !ok {
			return nil, true, unsupported("(...) IN (subquery) with a row constructor is not supported")
		}
		var alts []plan.Expr
		for _, r := range list {
			row, ok := r.(sqlparser.ValTuple)
			if !ok {
				return nil, true, sqlerr.New(sqlerr.SyntaxError, "IN list of a row constructor must hold row constructors, not %s", sqlparser.String(r))
			}
			eq, err := b.rowCompare(ctx, "=", left, row)
			if err != nil {
				return nil, true, err
			}
			alts = append(alts, eq)
		}
		out := orAll(alts)
		if e.Operator == sqlparser.NotInOp {
			out = plan.NewCall("not", types.Boolean, out)
		}
		return out, true, nil
	}
	right, ok := e.Right.(sqlparser.ValTuple)
	op, known := comparisonOps[e.Operator]
	if !ok || !known || op == "<=>" {
		return nil, true, unsupported("%s with a row constructor is not supported", sqlparser.String(e))
	}
	x, err := b.rowCompare(ctx, op, left, right)
	return x, true, err
}

// rowCompare is left op right for two row constructors of the same length.
func (b *binder) rowCompare(ctx *exprCtx, op string, left, right sqlparser.ValTuple) (plan.Expr, error) {
	if len(left) != len(right) {
		return nil, sqlerr.New(sqlerr.SyntaxError, "unequal number of entries in row expressions")
	}
	ls, err := b.exprs(ctx, left)
	if err != nil {
		return nil, err
	}
	rs, err := b.exprs(ctx, right)
	if err != nil {
		return nil, err
	}
	pair := func(op string, i int) (plan.Expr, error) { return b.compare(op, ls[i], rs[i]) }
	switch op {
	case "=", "<>":
		parts := make([]plan.Expr, len(ls))
		for i := range ls {
			if parts[i], err = pair(op, i); err != nil {
				return nil, err
			}
		}
		if op == "=" {
			return plan.And(parts...), nil
		}
		return orAll(parts), nil
	}
	// Lexicographic: l0 < r0 OR (l0 = r0 AND (l1 < r1 OR (...))); the
	// last pair takes op itself (<= stays <=), the others its strict form.
	strict := map[string]string{"<": "<", "<=": "<", ">": ">", ">=": ">"}[op]
	last := len(ls) - 1
	out, err := pair(op, last)
	if err != nil {
		return nil, err
	}
	for i := last - 1; i >= 0; i-- {
		lt, err := pair(strict, i)
		if err != nil {
			return nil, err
		}
		eq, err := pair("=", i)
		if err != nil {
			return nil, err
		}
		out = orAll([]plan.Expr{lt, plan.And(eq, out)})
	}
	return out, nil
}

func orAll(xs []plan.Expr) plan.Expr {
	out := xs[0]
	for _, x := range xs[1:] {
		out = plan.NewCall("or", types.Boolean, out, x)
	}
	return out
}
