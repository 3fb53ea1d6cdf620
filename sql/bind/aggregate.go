package bind

import (
	"strconv"

	"vitess.io/vitess/go/vt/sqlparser"

	"github.com/medleysql/medley/sql/plan"
	"github.com/medleysql/medley/sql/sqlerr"
	"github.com/medleysql/medley/sql/types"
)

// aggCtx binds expressions above an Aggregate: grouped expressions and
// aggregate calls are its output columns; other input columns are errors.
type aggCtx struct {
	from   plan.ColumnSet         // the input's columns
	pre    *exprCtx               // binds over the input
	groups map[string]plan.Column // exprKey of a GROUP BY expression → column
	aggs   map[string]plan.Column // aggregate call's SQL → column
}

// aggFuncs maps SQL aggregate names (FuncExpr form) to Substrait's.
var aggFuncs = map[string]string{
	"bool_and": "bool_and", "bool_or": "bool_or", "every": "bool_and", "string_agg": "string_agg",
	"count": "count", "sum": "sum", "avg": "avg", "min": "min", "max": "max",
}

// statAggs maps PostgreSQL's statistical aggregates to Medley's
// extension functions (stddev is stddev_samp, variance is var_samp).
var statAggs = map[string]string{
	"stddev": "stddev_samp", "stddev_samp": "stddev_samp", "stddev_pop": "stddev_pop",
	"variance": "var_samp", "var_samp": "var_samp", "var_pop": "var_pop",
}

// statAgg returns the SQL name, argument and OVER clause of a statistical
// aggregate call, which Vitess parses into nodes of their own. (Its Std is
// MySQL's, not PostgreSQL's, and is not one of them.)
func statAgg(e sqlparser.SQLNode) (name string, arg sqlparser.Expr, over *sqlparser.OverClause, ok bool) {
	switch e := e.(type) {
	case *sqlparser.StdDev:
		return "stddev", e.Arg, e.OverClause, true
	case *sqlparser.StdSamp:
		return "stddev_samp", e.Arg, e.OverClause, true
	case *sqlparser.StdPop:
		return "stddev_pop", e.Arg, e.OverClause, true
	case *sqlparser.Variance:
		return "variance", e.Arg, e.OverClause, true
	case *sqlparser.VarSamp:
		return "var_samp", e.Arg, e.OverClause, true
	case *sqlparser.VarPop:
		return "var_pop", e.Arg, e.OverClause, true
	}
	return "", nil, nil, false
}

// stripStatOver returns a copy of a statistical aggregate call without its
// OVER clause.
func stripStatOver(e sqlparser.Expr) (sqlparser.Expr, bool) {
	switch e := e.(type) {
	case *sqlparser.StdDev:
		return &sqlparser.StdDev{Arg: e.Arg}, true
	case *sqlparser.StdSamp:
		return &sqlparser.StdSamp{Arg: e.Arg}, true
	case *sqlparser.StdPop:
		return &sqlparser.StdPop{Arg: e.Arg}, true
	case *sqlparser.Variance:
		return &sqlparser.Variance{Arg: e.Arg}, true
	case *sqlparser.VarSamp:
		return &sqlparser.VarSamp{Arg: e.Arg}, true
	case *sqlparser.VarPop:
		return &sqlparser.VarPop{Arg: e.Arg}, true
	}
	return e, false
}

// isAggregate reports whether e is an aggregate call (not a window function).
func isAggregate(e sqlparser.SQLNode) bool {
	if _, _, over, ok := statAgg(e); ok {
		return over == nil
	}
	switch e := e.(type) {
	case *sqlparser.CountStar:
		return e.OverClause == nil
	case *sqlparser.Count:
		return e.OverClause == nil
	case *sqlparser.Sum:
		return e.OverClause == nil
	case *sqlparser.Avg:
		return e.OverClause == nil
	case *sqlparser.Min:
		return e.OverClause == nil
	case *sqlparser.Max:
		return e.OverClause == nil
	case *sqlparser.FuncExpr:
		if e.Name.Lowered() == filterFunc {
			return len(e.Exprs) == 2 && isAggregate(e.Exprs[0])
		}
		_, ok := aggFuncs[e.Name.Lowered()]
		return ok
	}
	return false
}

// collect finds the nodes of e matching pred, not looking into subqueries
// nor into matches.
func collect(e sqlparser.SQLNode, pred func(sqlparser.SQLNode) bool, out []sqlparser.Expr) []sqlparser.Expr {
	_ = sqlparser.Walk(func(n sqlparser.SQLNode) (bool, error) {
		if _, ok := n.(*sqlparser.Subquery); ok {
			return false, nil
		}
		if x, ok := n.(sqlparser.Expr); ok && pred(n) {
			out = append(out, x)
			return false, nil
		}
		return true, nil
	}, e)
	return out
}

func needsAggregate(s *sqlparser.Select, sel []sqlparser.SelectExpr) bool {
	if s.GroupBy != nil && len(s.GroupBy.Exprs) > 0 || s.Having != nil {
		return true
	}
	for _, se := range sel {
		if len(collect(se, isAggregate, nil)) > 0 {
			return true
		}
	}
	return len(collect(s.OrderBy, isAggregate, nil)) > 0
}

// aggregate builds the Aggregate of a grouped query and returns the context
// for binding the SELECT list, HAVING and ORDER BY over it.
func (b *binder) aggregate(n plan.Node, sc *scope, s *sqlparser.Select, sel []sqlparser.SelectExpr) (plan.Node, *exprCtx, error) {
	pre := &exprCtx{scope: sc, clause: "GROUP BY"}
	ac := &aggCtx{from: plan.ColumnsOf(n.Columns()), pre: pre, groups: map[string]plan.Column{}, aggs: map[string]plan.Column{}}
	agg := &plan.Aggregate{Input: n}
	if s.GroupBy != nil {
		for _, g := range s.GroupBy.Exprs {
			if err := b.groupKey(agg, ac, sc, g, sel); err != nil {
				return nil, nil, err
			}
		}
	}
	var calls []sqlparser.Expr
	for _, se := range sel {
		calls = collect(se, isAggregate, calls)
	}
	if s.Having != nil {
		calls = collect(s.Having.Expr, isAggregate, calls)
	}
	calls = collect(s.OrderBy, isAggregate, calls)
	argCtx := &exprCtx{scope: sc, clause: "aggregate function calls"}
	for _, c := range calls {
		key := sqlparser.String(c)
		if _, ok := ac.aggs[key]; ok {
			continue
		}
		call, err := b.aggCall(argCtx, c)
		if err != nil {
			return nil, nil, err
		}
		col := b.newCol(defaultName(c), call.Typ, call.Func != "count")
		agg.Aggs, agg.AggCols = append(agg.Aggs, call), append(agg.AggCols, col)
		ac.aggs[key] = col
	}
	return agg, &exprCtx{scope: sc, agg: ac}, nil
}

// groupKey adds one GROUP BY item: an expression, an output column's
// ordinal, or an output column's name (input columns take precedence).
func (b *binder) groupKey(agg *plan.Aggregate, ac *aggCtx, sc *scope, g sqlparser.Expr, sel []sqlparser.SelectExpr) error {
	if lit, ok := g.(*sqlparser.Literal); ok && lit.Type == sqlparser.IntVal {
		i, err := strconv.Atoi(lit.Val)
		if err != nil || i < 1 || i > len(sel) {
			return b.errAt(sqlerr.InvalidColumnReference, lit.Val, "GROUP BY position %s is not in select list", lit.Val)
		}
		ae, ok := sel[i-1].(*sqlparser.AliasedExpr)
		if !ok {
			return unsupported("GROUP BY position of * is not supported")
		}
		g = ae.Expr
	} else if cn, ok := g.(*sqlparser.ColName); ok && cn.Qualifier.IsEmpty() && len(sc.lookup(cn)) == 0 {
		for _, se := range sel {
			if ae, ok := se.(*sqlparser.AliasedExpr); ok && ae.As.String() == cn.Name.String() {
				g = ae.Expr
				break
			}
		}
	}
	x, err := b.expr(ac.pre, g)
	if err != nil {
		return err
	}
	key := exprKey(x)
	if _, ok := ac.groups[key]; ok {
		return nil
	}
	var col plan.Column
	if r, ok := x.(*plan.ColRef); ok {
		for _, c := range agg.Input.Columns() {
			if c.ID == r.ID {
				col = c
			}
		}
	}
	if col.ID == 0 {
		col = b.newCol(defaultName(g), x.Type(), true)
	}
	agg.Groups, agg.GroupCols = append(agg.Groups, x), append(agg.GroupCols, col)
	ac.groups[key] = col
	return nil
}

// aggCall binds one aggregate call's arguments and result type.
func (b *binder) aggCall(ctx *exprCtx, e sqlparser.Expr) (plan.AggCall, error) {
	var (
		name     string // Substrait's
		sqlName  string // PostgreSQL's, for the result type and errors
		args     []sqlparser.Expr
		distinct bool
	)
	if f, ok := e.(*sqlparser.FuncExpr); ok && f.Name.Lowered() == filterFunc {
		call, err := b.aggCall(ctx, f.Exprs[0])
		if err != nil {
			return call, err
		}
		fctx := *ctx
		fctx.clause = "FILTER"
		call.Filter, err = b.boolExpr(&fctx, f.Exprs[1], "FILTER")
		return call, err
	}
	switch e := e.(type) {
	case *sqlparser.CountStar:
		return plan.AggCall{Func: "count", Typ: types.Int8}, nil
	case *sqlparser.Count:
		name, args, distinct = "count", e.Args, e.Distinct
	case *sqlparser.Sum:
		name, args, distinct = "sum", []sqlparser.Expr{e.Arg}, e.Distinct
	case *sqlparser.Avg:
		name, args, distinct = "avg", []sqlparser.Expr{e.Arg}, e.Distinct
	case *sqlparser.Min:
		name, args, distinct = "min", []sqlparser.Expr{e.Arg}, e.Distinct
	case *sqlparser.Max:
		name, args, distinct = "max", []sqlparser.Expr{e.Arg}, e.Distinct
	case *sqlparser.FuncExpr:
		name, args = aggFuncs[e.Name.Lowered()], e.Exprs
	default:
		if n, arg, _, ok := statAgg(e); ok {
			name, sqlName, args = statAggs[n], n, []sqlparser.Expr{arg}
		}
	}
	if sqlName == "" {
		sqlName = name
	}
	xs, err := b.exprs(ctx, args)
	if err != nil {
		return plan.AggCall{}, err
	}
	want := 1
	if name == "string_agg" {
		want = 2
	}
	if len(xs) != want {
		return plan.AggCall{}, b.noFunction(sqlName, xs)
	}
	for i, x := range xs {
		if b.isUntyped(x) {
			if xs[i], err = b.coerce(x, types.Text); err != nil {
				return plan.AggCall{}, err
			}
		}
	}
	t, err := types.Aggregate(sqlName, xs[0].Type())
	if err != nil {
		return plan.AggCall{}, b.positioned(err, funcName(e))
	}
	return plan.AggCall{Func: name, Args: xs, Distinct: distinct, Typ: t}, nil
}

// computed returns the column of an expression already computed below: a
// window function, an aggregate call or a GROUP BY expression.
func (b *binder) computed(ctx *exprCtx, e sqlparser.Expr) (plan.Expr, bool, error) {
	if ctx.win != nil && isWindow(e) {
		if c, ok := ctx.win.funcs[sqlparser.String(e)]; ok {
			return c.Ref(), true, nil
		}
	}
	if ctx.agg == nil {
		return nil, false, nil
	}
	if isAggregate(e) {
		if c, ok := ctx.agg.aggs[sqlparser.String(e)]; ok {
			return c.Ref(), true, nil
		}
		return nil, false, b.misplacedAggregate(ctx, e)
	}
	switch e.(type) {
	case *sqlparser.Literal, *sqlparser.NullVal, sqlparser.BoolVal, *sqlparser.Argument,
		*sqlparser.Subquery, *sqlparser.ExistsExpr:
		return nil, false, nil
	}
	if len(collect(e, func(n sqlparser.SQLNode) bool { return isAggregate(n) || isWindow(n) }, nil)) > 0 || hasSubquery(e) {
		return nil, false, nil
	}
	saved := len(b.params)
	x, err := b.expr(ctx.agg.pre, e)
	if err != nil {
		b.params = b.params[:saved]
		return nil, false, nil
	}
	if c, ok := ctx.agg.groups[exprKey(x)]; ok {
		return c.Ref(), true, nil
	}
	return nil, false, nil
}

func hasSubquery(e sqlparser.SQLNode) bool {
	found := false
	_ = sqlparser.Walk(func(n sqlparser.SQLNode) (bool, error) {
		if _, ok := n.(*sqlparser.Subquery); ok {
			found = true
		}
		return !found, nil
	}, e)
	return found
}
