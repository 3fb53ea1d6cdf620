package bind

import (
	"vitess.io/vitess/go/vt/sqlparser"

	"github.com/medleysql/medley/sql/plan"
	"github.com/medleysql/medley/sql/sqlerr"
)

// join binds [INNER|LEFT|RIGHT|FULL|NATURAL|CROSS] JOIN ... [ON|USING].
func (b *binder) join(j *sqlparser.JoinTableExpr) (plan.Node, *scope, error) {
	left, ls, err := b.tableExpr(j.LeftExpr)
	if err != nil {
		return nil, nil, err
	}
	right, rs, err := b.tableExpr(j.RightExpr)
	if err != nil {
		return nil, nil, err
	}
	n := &plan.Join{Kind: plan.InnerJoin, Left: left, Right: right}
	natural := false
	switch j.Join {
	case sqlparser.LeftJoinType:
		n.Kind = plan.LeftJoin
	case sqlparser.RightJoinType:
		n.Kind = plan.RightJoin
	case fullJoinMarker:
		n.Kind = plan.FullJoin
	case sqlparser.NaturalJoinType:
		natural = true
	case sqlparser.NaturalLeftJoinType:
		n.Kind, natural = plan.LeftJoin, true
	case sqlparser.NaturalRightJoinType:
		n.Kind, natural = plan.RightJoin, true
	}
	sc := &scope{cols: append(append([]scopeCol(nil), ls.cols...), rs.cols...)}
	var using []string
	switch {
	case natural:
		using = commonNames(ls, rs)
	case j.Condition != nil && len(j.Condition.Using) > 0:
		for _, c := range j.Condition.Using {
			using = append(using, c.String())
		}
	case j.Condition != nil && isUsingMarker(j.Condition.On):
		for _, a := range j.Condition.On.(*sqlparser.FuncExpr).Exprs {
			c, ok := a.(*sqlparser.ColName)
			if !ok {
				return nil, nil, sqlerr.New(sqlerr.SyntaxError, "malformed USING list")
			}
			using = append(using, c.Name.String())
		}
	case j.Condition != nil && j.Condition.On != nil:
		cond, err := b.boolExpr(&exprCtx{scope: sc}, j.Condition.On, "JOIN/ON")
		if err != nil {
			return nil, nil, err
		}
		n.Cond = cond
	}
	if using != nil {
		if err := b.using(n, sc, ls, rs, using); err != nil {
			return nil, nil, err
		}
	}
	if n.Cond == nil {
		if n.Kind != plan.InnerJoin {
			n.Cond = &plan.Literal{Value: true, Typ: plan.Bool}
		} else {
			n.Kind = plan.CrossJoin
		}
	}
	return n, sc, nil
}

// using turns USING (a, b) into left.a = right.a AND ... and hides the
// duplicate columns from unqualified references and *.
func (b *binder) using(n *plan.Join, sc, ls, rs *scope, names []string) error {
	var conds []plan.Expr
	for _, name := range names {
		ref := &sqlparser.ColName{Name: sqlparser.NewIdentifierCI(name)}
		l, r := ls.lookup(ref), rs.lookup(ref)
		if len(l) != 1 || len(r) != 1 {
			side := "left"
			if len(l) == 1 {
				side = "right"
			}
			if len(l) > 1 || len(r) > 1 {
				return b.errAt(sqlerr.AmbiguousColumn, name, "common column name \"%s\" appears more than once in %s table", name, side)
			}
			return b.errAt(sqlerr.UndefinedColumn, name, "column \"%s\" specified in USING clause does not exist in %s table", name, side)
		}
		eq, err := b.compare("=", l[0].Ref(), r[0].Ref())
		if err != nil {
			return err
		}
		conds = append(conds, eq)
		hide := r[0].ID
		if n.Kind == plan.RightJoin {
			hide = l[0].ID
		}
		for i := range sc.cols {
			if sc.cols[i].col.ID == hide {
				sc.cols[i].hidden = true
			}
		}
	}
	n.Cond = plan.And(conds...)
	return nil
}

func commonNames(ls, rs *scope) []string {
	var out []string
	seen := map[string]bool{}
	for _, l := range ls.cols {
		if l.hidden || seen[l.col.Name] {
			continue
		}
		for _, r := range rs.cols {
			if !r.hidden && r.col.Name == l.col.Name {
				out = append(out, l.col.Name)
				seen[l.col.Name] = true
				break
			}
		}
	}
	return out
}

// isUsingMarker recognizes sql/parse's spelling of FULL JOIN ... USING.
func isUsingMarker(e sqlparser.Expr) bool {
	f, ok := e.(*sqlparser.FuncExpr)
	return ok && f.Name.Lowered() == usingFunc
}
