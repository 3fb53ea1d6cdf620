package bind

import (
	"strings"

	"vitess.io/vitess/go/vt/sqlparser"

	"github.com/medleysql/medley/sql/parse"
	"github.com/medleysql/medley/sql/plan"
	"github.com/medleysql/medley/sql/sqlerr"
)

// query binds a query; outer is the enclosing query's scope for a subquery.
func (b *binder) query(stmt sqlparser.TableStatement, outer *scope) (plan.Node, []string, error) {
	if err := b.ctx.Err(); err != nil {
		return nil, nil, sqlerr.Wrap(err, sqlerr.QueryCanceled, "canceling statement")
	}
	var (
		n   plan.Node
		err error
	)
	switch s := stmt.(type) {
	case *sqlparser.Select:
		n, err = b.selectStmt(s, outer)
	case *sqlparser.Union:
		n, err = b.union(s, outer)
	case *parse.SetOpQuery:
		n, err = b.nestedSetOp(s, outer)
	case *sqlparser.ValuesStatement:
		n, err = b.values(s)
	default:
		return nil, nil, unsupported("query %s is not supported", sqlparser.String(stmt))
	}
	if err != nil {
		return nil, nil, err
	}
	cols := n.Columns()
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.Name
	}
	return n, names, nil
}

func (b *binder) selectStmt(s *sqlparser.Select, outer *scope) (plan.Node, error) {
	restore, err := b.with(s.With)
	if err != nil {
		return nil, err
	}
	defer restore()
	if s.Into != nil || s.Lock != sqlparser.NoLock {
		return nil, unsupported("SELECT INTO and locking clauses are not supported")
	}
	n, sc, err := b.from(s.From)
	if err != nil {
		return nil, err
	}
	sc.parent = outer
	ctx := &exprCtx{scope: sc}
	if s.Where != nil {
		if n, err = b.filter(n, &exprCtx{scope: sc, clause: "WHERE"}, s.Where.Expr, "WHERE"); err != nil {
			return nil, err
		}
	}
	var selExprs []sqlparser.SelectExpr
	if s.SelectExprs != nil {
		selExprs = s.SelectExprs.Exprs
	}
	selExprs, on := splitDistinctOn(selExprs)
	keyed := withKeys(s, on) // the DISTINCT ON keys may call aggregates and window functions too
	if needsAggregate(keyed, selExprs) {
		if n, ctx, err = b.aggregate(n, sc, keyed, selExprs); err != nil {
			return nil, err
		}
	}
	if s.Having != nil {
		if n, err = b.filter(n, ctx, s.Having.Expr, "HAVING"); err != nil {
			return nil, err
		}
	}
	if needsWindow(selExprs, keyed.OrderBy) {
		if n, ctx, err = b.windows(n, ctx, keyed, selExprs); err != nil {
			return nil, err
		}
	}
	proj, err := b.project(n, ctx, selExprs)
	if err != nil {
		return nil, err
	}
	if on != nil {
		return b.finishDistinctOn(proj, ctx, s.OrderBy, s.Limit, on)
	}
	return b.finish(proj, ctx, s.OrderBy, s.Limit, s.Distinct)
}

// filter applies a WHERE or HAVING condition. Top-level EXISTS / IN
// (subquery) conjuncts become semi and anti joins; the rest a Filter.
func (b *binder) filter(n plan.Node, ctx *exprCtx, e sqlparser.Expr, clause string) (plan.Node, error) {
	var conds []plan.Expr
	for _, c := range splitAnd(e, nil) {
		j, ok, err := b.semiJoin(n, ctx, c)
		if err != nil {
			return nil, err
		}
		if ok {
			n = j
			continue
		}
		cctx := *ctx
		cctx.input, cctx.clause = &n, clause
		x, err := b.boolExpr(&cctx, c, clause)
		if err != nil {
			return nil, err
		}
		conds = append(conds, x)
	}
	if len(conds) > 0 {
		n = &plan.Filter{Input: n, Cond: plan.And(conds...)}
	}
	return n, nil
}

func splitAnd(e sqlparser.Expr, out []sqlparser.Expr) []sqlparser.Expr {
	if a, ok := e.(*sqlparser.AndExpr); ok {
		return splitAnd(a.Right, splitAnd(a.Left, out))
	}
	return append(out, e)
}

// project binds the SELECT list.
func (b *binder) project(n plan.Node, ctx *exprCtx, sel []sqlparser.SelectExpr) (*plan.Project, error) {
	p := &plan.Project{}
	var exprs []plan.Expr
	var cols []plan.Column
	for _, se := range sel {
		switch se := se.(type) {
		case *sqlparser.StarExpr:
			if ctx.agg != nil {
				return nil, sqlerr.New(sqlerr.GroupingError, "SELECT * is not allowed with GROUP BY")
			}
			star, err := b.star(ctx.scope, se)
			if err != nil {
				return nil, err
			}
			for _, c := range star {
				exprs, cols = append(exprs, c.Ref()), append(cols, c)
			}
		case *sqlparser.AliasedExpr:
			cctx := *ctx
			cctx.input = &n
			x, err := b.expr(&cctx, se.Expr)
			if err != nil {
				return nil, err
			}
			x, err = b.resolveUnknown(x)
			if err != nil {
				return nil, err
			}
			exprs, cols = append(exprs, x), append(cols, b.outputCol(n, x, se))
		default:
			return nil, unsupported("select expression %s is not supported", sqlparser.String(se))
		}
	}
	p.Input, p.Exprs, p.Cols = n, exprs, cols
	return p, nil
}

// resolveUnknown types a still-unknown output ('x', NULL, $1) as text.
func (b *binder) resolveUnknown(x plan.Expr) (plan.Expr, error) {
	if b.isUntyped(x) {
		if l, ok := x.(*plan.Literal); ok && l.Value != nil {
			c := &plan.Literal{Value: l.Value, Typ: l.Typ}
			return c, nil
		}
		return b.coerce(x, textType)
	}
	return x, nil
}

// outputCol names a SELECT list column as PostgreSQL does.
func (b *binder) outputCol(in plan.Node, x plan.Expr, se *sqlparser.AliasedExpr) plan.Column {
	name := se.As.String()
	if r, ok := x.(*plan.ColRef); ok {
		for _, c := range in.Columns() {
			if c.ID == r.ID {
				if name != "" && name != c.Name {
					c.Name, c.Table = name, ""
				}
				return c
			}
		}
	}
	if name == "" {
		name = defaultName(se.Expr)
	}
	nullable := true
	if l, ok := x.(*plan.Literal); ok && l.Value != nil {
		nullable = false
	}
	return b.newCol(name, x.Type(), nullable)
}

func defaultName(e sqlparser.Expr) string {
	switch e := e.(type) {
	case *sqlparser.ColName:
		return e.Name.String()
	case *sqlparser.FuncExpr:
		switch n := e.Name.Lowered(); {
		case n == extractFunc:
			return "extract"
		case n != castFunc:
			return n
		case len(e.Exprs) == 2:
			return defaultName(e.Exprs[0])
		}
	case *sqlparser.CurTimeFuncExpr:
		return e.Name.Lowered()
	case *sqlparser.CountStar, *sqlparser.Count:
		return "count"
	case *sqlparser.Sum:
		return "sum"
	case *sqlparser.Avg:
		return "avg"
	case *sqlparser.Min:
		return "min"
	case *sqlparser.Max:
		return "max"
	case *sqlparser.StdDev, *sqlparser.StdSamp, *sqlparser.StdPop, *sqlparser.Variance, *sqlparser.VarSamp, *sqlparser.VarPop,
		*sqlparser.FirstOrLastValueExpr, *sqlparser.NTHValueExpr, *sqlparser.NtileExpr:
		return strings.ToLower(funcName(e))
	case *sqlparser.CaseExpr:
		return "case"
	case *sqlparser.ExtractFuncExpr:
		return "extract"
	case *sqlparser.SubstrExpr:
		return "substring"
	case *sqlparser.ExistsExpr:
		return "exists"
	case *sqlparser.CastExpr:
		return defaultName(e.Expr)
	case *sqlparser.ArgumentLessWindowExpr, *sqlparser.LagLeadExpr:
		return funcName(e)
	}
	return "?column?"
}
