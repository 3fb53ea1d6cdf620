package bind

import (
	"vitess.io/vitess/go/vt/sqlparser"

	"github.com/medleysql/medley/sql/plan"
	"github.com/medleysql/medley/sql/sqlerr"
	"github.com/medleysql/medley/sql/types"
)

// windowCall binds one window function call with PostgreSQL's signatures:
// row_number, rank and dense_rank are bigint, percent_rank and cume_dist
// double precision, ntile(integer) integer; first_value, last_value and
// nth_value(x, integer) are of x's type (anyelement); lag and lead(x
// [, integer [, default]]) of the common type of x and the default
// (anycompatible). Aggregates over a window keep their aggregate's types.
func (b *binder) windowCall(ctx *exprCtx, e sqlparser.Expr, named sqlparser.NamedWindows) (plan.WindowCall, error) {
	var call plan.WindowCall
	var err error
	switch e := e.(type) {
	case *sqlparser.ArgumentLessWindowExpr:
		call, err = rankingCall(e)
	case *sqlparser.NtileExpr:
		call.Func, call.Typ = "ntile", types.Int4
		call.Args, err = b.windowArgs(ctx, "ntile", nil, e.N)
	case *sqlparser.FirstOrLastValueExpr:
		call.Func = "first_value"
		if e.Type == sqlparser.LastValueExprType {
			call.Func = "last_value"
		}
		call, err = b.valueCall(ctx, call.Func, e.NullTreatmentClause, nil, e.Expr)
	case *sqlparser.NTHValueExpr:
		call, err = b.valueCall(ctx, "nth_value", e.NullTreatmentClause, e.FromFirstLastClause, e.Expr, e.N)
	case *sqlparser.LagLeadExpr:
		call, err = b.lagLeadCall(ctx, e)
	default:
		var agg plan.AggCall
		if agg, err = b.aggCall(ctx, stripOver(e)); err == nil && agg.Distinct {
			err = unsupported("DISTINCT is not implemented for window functions")
		}
		if err == nil {
			call.Func, call.Args, call.Typ = agg.Func, agg.Args, agg.Typ
		}
	}
	if err != nil {
		return call, err
	}
	return call, b.windowSpec(ctx, &call, overOf(e), named)
}

func rankingCall(e *sqlparser.ArgumentLessWindowExpr) (plan.WindowCall, error) {
	call := plan.WindowCall{Typ: types.Int8}
	switch e.Type {
	case sqlparser.RowNumberExprType:
		call.Func = "row_number"
	case sqlparser.RankExprType:
		call.Func = "rank"
	case sqlparser.DenseRankExprType:
		call.Func = "dense_rank"
	case sqlparser.PercentRankExprType:
		call.Func, call.Typ = "percent_rank", types.Float8
	case sqlparser.CumeDistExprType:
		call.Func, call.Typ = "cume_dist", types.Float8
	default:
		return call, unsupported("window function %s is not supported", funcName(e))
	}
	return call, nil
}

// valueCall binds first_value(x), last_value(x) and nth_value(x, n).
// PostgreSQL has neither RESPECT/IGNORE NULLS nor FROM FIRST/LAST.
func (b *binder) valueCall(ctx *exprCtx, name string, nulls *sqlparser.NullTreatmentClause, from *sqlparser.FromFirstLastClause, x sqlparser.Expr, n ...sqlparser.Expr) (plan.WindowCall, error) {
	call := plan.WindowCall{Func: name}
	if nulls != nil {
		return call, b.errAt(sqlerr.SyntaxError, "nulls", "syntax error at or near \"nulls\"")
	}
	if from != nil {
		return call, b.errAt(sqlerr.SyntaxError, "from", "syntax error at or near \"from\"")
	}
	v, err := b.expr(ctx, x)
	if err != nil {
		return call, err
	}
	if b.isUntyped(v) {
		return call, b.errAt(sqlerr.DatatypeMismatch, name, "could not determine polymorphic type because input has type unknown")
	}
	call.Args, err = b.windowArgs(ctx, name, []plan.Expr{v}, n...)
	call.Typ = v.Type()
	return call, err
}

// lagLeadCall binds lag and lead: the value and the default are resolved
// to their common type, as PostgreSQL's anycompatible (lag(int, 1, 0.5) is
// numeric); a default without an offset gets offset 1.
func (b *binder) lagLeadCall(ctx *exprCtx, e *sqlparser.LagLeadExpr) (plan.WindowCall, error) {
	call := plan.WindowCall{Func: "lag"}
	if e.Type == sqlparser.LeadExprType {
		call.Func = "lead"
	}
	if e.NullTreatmentClause != nil {
		return call, b.errAt(sqlerr.SyntaxError, "nulls", "syntax error at or near \"nulls\"")
	}
	v, err := b.expr(ctx, e.Expr)
	if err != nil {
		return call, err
	}
	vals := []plan.Expr{v}
	if e.Default != nil {
		d, err := b.expr(ctx, e.Default)
		if err != nil {
			return call, err
		}
		vals = append(vals, d)
	}
	t, err := b.commonType(call.Func, vals)
	if err != nil {
		return call, b.noFunction(call.Func, b.lagLeadShown(vals))
	}
	if vals, err = b.coerceAll(vals, t); err != nil {
		return call, err
	}
	args := []plan.Expr{vals[0]}
	switch {
	case e.N != nil:
		if args, err = b.windowArgs(ctx, call.Func, args, e.N); err != nil {
			return call, err
		}
	case e.Default != nil:
		args = append(args, &plan.Literal{Value: int64(1), Typ: types.Int4})
	}
	call.Args, call.Typ = append(args, vals[1:]...), t
	return call, nil
}

// lagLeadShown is the argument list of lag or lead for a "does not exist"
// error: value, integer, default.
func (b *binder) lagLeadShown(vals []plan.Expr) []plan.Expr {
	if len(vals) < 2 {
		return vals
	}
	return []plan.Expr{vals[0], &plan.Literal{Value: int64(1), Typ: types.Int4}, vals[1]}
}

// windowArgs appends the integer arguments (ntile's buckets, nth_value's
// position, lag's offset) to pre: each converts to integer implicitly or
// the function does not exist, as in PostgreSQL (lag(x, 2.0) is 42883).
func (b *binder) windowArgs(ctx *exprCtx, name string, pre []plan.Expr, ints ...sqlparser.Expr) ([]plan.Expr, error) {
	out := append([]plan.Expr{}, pre...)
	for _, n := range ints {
		x, err := b.expr(ctx, n)
		if err != nil {
			return nil, err
		}
		if !b.isUntyped(x) && !types.ImplicitCast(x.Type(), types.Int4) {
			return nil, b.noFunction(name, append(append([]plan.Expr{}, out...), x))
		}
		if x, err = b.coerce(x, types.Int4); err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, nil
}
