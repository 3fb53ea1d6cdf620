package sqlgen

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/substrait-io/substrait-go/v8/expr"
	"github.com/substrait-io/substrait-go/v8/plan"
)

// joinMark is JOIN_TYPE_LEFT_MARK (proto value 11), which substrait-go
// does not name: the left rows with one more boolean column, TRUE when some
// right row matches, NULL when none does but some comparison was NULL,
// FALSE otherwise (the value of IN / = ANY).
const joinMark plan.JoinType = 11

// join deparses a JoinRel. Inner and outer joins are SQL joins; semi and
// anti joins are EXISTS and NOT EXISTS over the right input, correlated by
// the condition (a right row "matches" when the condition is TRUE, so
// NOT EXISTS keeps left rows whose comparisons are all FALSE or NULL, as
// an anti join does); a mark join is the CASE of two EXISTS.
func (g *relGen) join(r *plan.JoinRel) (block, error) {
	l, err := g.rel(r.Left())
	if err != nil {
		return block{}, err
	}
	rb, err := g.rel(r.Right())
	if err != nil {
		return block{}, err
	}
	both := concatCols(l.cols, rb.cols)
	cond := "TRUE"
	if c := r.Expr(); c != nil {
		if cond, err = Where(g.d, both, c); err != nil {
			return block{}, err
		}
	}
	var b block
	switch r.Type() {
	case plan.JoinTypeInner, plan.JoinTypeLeft, plan.JoinTypeRight, plan.JoinTypeOuter:
		kw := map[plan.JoinType]string{plan.JoinTypeInner: " INNER JOIN ", plan.JoinTypeLeft: " LEFT JOIN ",
			plan.JoinTypeRight: " RIGHT JOIN ", plan.JoinTypeOuter: " FULL JOIN "}[r.Type()]
		b = block{sql: "SELECT * FROM " + g.from(l) + kw + g.from(rb) + " ON " + cond, cols: both}
	case plan.JoinTypeLeftSemi, plan.JoinTypeLeftAnti:
		not := ""
		if r.Type() == plan.JoinTypeLeftAnti {
			not = "NOT "
		}
		b = block{sql: "SELECT * FROM " + g.from(l) + " WHERE " + not + "EXISTS (SELECT 1 FROM " + g.from(rb) + " WHERE " + cond + ")", cols: l.cols}
	case joinMark:
		m := g.column(arrow.FixedWidthTypes.Boolean)
		mark := "CASE WHEN EXISTS (SELECT 1 FROM " + g.from(rb) + " WHERE " + cond + ") THEN TRUE" +
			" WHEN EXISTS (SELECT 1 FROM " + g.from(rb) + " WHERE (" + cond + ") IS NULL) THEN NULL ELSE FALSE END"
		b = block{sql: "SELECT *, " + mark + " AS " + g.quote(m) + " FROM " + g.from(l), cols: append(append([]ColumnRef{}, l.cols...), m)}
	case plan.JoinTypeLeftSingle:
		return block{}, unshippable("single join (a scalar subquery) is not shippable: the remote would not check that it returns at most one row")
	default:
		return block{}, unshippable("join type %s is not shippable", r.Type())
	}
	if f := r.PostJoinFilter(); f != nil && !isTrueLiteral(f) {
		return g.where(b, f)
	}
	return b, nil
}

func isTrueLiteral(e expr.Expression) bool {
	l, ok := e.(*expr.PrimitiveLiteral[bool])
	return ok && l.Value
}
