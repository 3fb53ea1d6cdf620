package bind

import (
	"vitess.io/vitess/go/vt/sqlparser"

	"github.com/medleysql/medley/sql/plan"
	"github.com/medleysql/medley/sql/types"
)

// negatedComparison is the comparison that is true exactly where op is
// false (for non-NULL operands).
var negatedComparison = map[string]string{"=": "<>", "<>": "=", "<": ">=", "<=": ">", ">": "<=", ">=": "<"}

// quantified binds x op ANY|SOME (subquery) and x op ALL (subquery) with
// PostgreSQL's three-valued results. ANY is a mark join on x op y: true
// when some row compares true, NULL when none does but some comparison is
// NULL (x or y NULL), false otherwise (also for an empty subquery). ALL is
// NOT (x negop ANY (subquery)): false when some row makes x op y false,
// NULL when none does but some comparison is NULL, true otherwise.
func (b *binder) quantified(ctx *exprCtx, e *sqlparser.ComparisonExpr) (plan.Expr, error) {
	sub, ok := e.Right.(*sqlparser.Subquery)
	if !ok {
		return nil, unsupported("%s %s (%s) is not supported: only a subquery may follow ANY or ALL",
			e.Operator.ToString(), modifierName(e.Modifier), sqlparser.String(e.Right))
	}
	op, ok := comparisonOps[e.Operator]
	if !ok || op == "<=>" {
		return nil, unsupported("%s %s (subquery) is not supported", e.Operator.ToString(), modifierName(e.Modifier))
	}
	all := e.Modifier == sqlparser.All
	if all {
		op = negatedComparison[op]
	}
	x, err := b.expr(ctx, e.Left)
	if err != nil {
		return nil, err
	}
	right, preds, err := b.subquery(ctx, sub)
	if err != nil {
		return nil, err
	}
	col, err := oneColumn(right)
	if err != nil {
		return nil, err
	}
	cmp, err := b.compare(op, x, col.Ref())
	if err != nil {
		return nil, err
	}
	mark := b.newCol(modifierName(e.Modifier), types.Boolean, true)
	*ctx.input = &plan.Join{Kind: plan.MarkJoin, Left: *ctx.input, Right: right,
		Cond: plan.And(append([]plan.Expr{cmp}, preds...)...), Mark: mark}
	var out plan.Expr = mark.Ref()
	if all {
		out = plan.NewCall("not", types.Boolean, out)
	}
	return out, nil
}

func modifierName(m sqlparser.ComparisonModifier) string {
	if m == sqlparser.All {
		return "all"
	}
	return "any"
}
