package bind

import (
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"vitess.io/vitess/go/vt/sqlparser"

	"github.com/medleysql/medley/sql/plan"
	"github.com/medleysql/medley/sql/sqlerr"
	"github.com/medleysql/medley/sql/types"
)

// exprCtx is where an expression is bound.
type exprCtx struct {
	scope *scope
	// input is the plan the expression is evaluated over; subqueries join
	// onto it. nil means subqueries are not allowed here.
	input *plan.Node
	agg   *aggCtx // set after GROUP BY: groups and aggregates are columns
	win   *winCtx // set when window functions have been computed
	// clause names the clause for errors ("WHERE", "JOIN/ON", ...); where
	// aggregates are not allowed it is non-empty and agg is nil.
	clause string
}

// exprKey identifies an expression by structure and column IDs, to match
// SELECT expressions with GROUP BY expressions.
func exprKey(e plan.Expr) string {
	return plan.Rewrite(e, func(x plan.Expr) plan.Expr {
		if r, ok := x.(*plan.ColRef); ok {
			return &plan.ColRef{ID: r.ID, Name: fmt.Sprintf("#%d", r.ID), Typ: r.Typ}
		}
		return x
	}).String()
}

func (b *binder) boolExpr(ctx *exprCtx, e sqlparser.Expr, clause string) (plan.Expr, error) {
	x, err := b.expr(ctx, e)
	if err != nil {
		return nil, err
	}
	return b.asBool(x, clause)
}

// asBool checks that x is boolean (a NULL or unknown literal becomes one).
func (b *binder) asBool(x plan.Expr, clause string) (plan.Expr, error) {
	if x.Type().ID() == arrow.BOOL {
		return x, nil
	}
	if c, err := b.coerce(x, types.Boolean); err == nil && (x.Type().ID() == arrow.NULL || b.isUntyped(x)) {
		return c, nil
	}
	return nil, sqlerr.New(sqlerr.DatatypeMismatch, "argument of %s must be type boolean, not type %s", clause, types.SQLName(x.Type()))
}

// expr binds a scalar expression.
func (b *binder) expr(ctx *exprCtx, e sqlparser.Expr) (plan.Expr, error) {
	if ctx.agg != nil || ctx.win != nil {
		if x, ok, err := b.computed(ctx, e); ok || err != nil {
			return x, err
		}
	}
	switch e := e.(type) {
	case *sqlparser.ColName:
		return b.column(ctx, e)
	case *sqlparser.Literal:
		return b.literal(e)
	case sqlparser.BoolVal:
		return &plan.Literal{Value: bool(e), Typ: types.Boolean}, nil
	case *sqlparser.NullVal:
		return &plan.Literal{Typ: types.Null}, nil
	case *sqlparser.Argument:
		return b.param(e)
	case *sqlparser.AndExpr:
		return b.logical(ctx, "and", e.Left, e.Right)
	case *sqlparser.OrExpr:
		return b.logical(ctx, "or", e.Left, e.Right)
	case *sqlparser.NotExpr:
		return b.not(ctx, e)
	case *sqlparser.ComparisonExpr:
		return b.comparison(ctx, e)
	case *sqlparser.BetweenExpr:
		return b.between(ctx, e)
	case *sqlparser.IsExpr:
		return b.isExpr(ctx, e)
	case *sqlparser.BinaryExpr:
		return b.binary(ctx, e)
	case *sqlparser.UnaryExpr:
		return b.unary(ctx, e)
	case *sqlparser.CaseExpr:
		return b.caseExpr(ctx, e)
	case *sqlparser.FuncExpr:
		return b.funcExpr(ctx, e)
	case *sqlparser.CastExpr:
		return b.castExpr(ctx, e.Expr, e.Type)
	case *sqlparser.ConvertExpr:
		return b.castExpr(ctx, e.Expr, e.Type)
	case *sqlparser.IntervalDateExpr:
		return b.intervalDate(ctx, e)
	case *sqlparser.ExtractFuncExpr:
		return b.extract(ctx, e)
	case *sqlparser.SubstrExpr:
		return b.substr(ctx, e)
	case *sqlparser.LocateExpr:
		return b.locate(ctx, e)
	case *sqlparser.TrimFuncExpr:
		return b.trim(ctx, e)
	case *sqlparser.CollateExpr:
		return b.expr(ctx, e.Expr)
	case *sqlparser.IntroducerExpr:
		return b.expr(ctx, e.Expr)
	case *sqlparser.Subquery:
		return b.scalarSubquery(ctx, e)
	case *sqlparser.ExistsExpr:
		return b.existsMark(ctx, e, false)
	case *sqlparser.CurTimeFuncExpr:
		return b.curTime(e)
	}
	if isAggregate(e) {
		return nil, b.misplacedAggregate(ctx, e)
	}
	if isWindow(e) {
		return nil, sqlerr.At(sqlerr.WindowingError, b.pos(funcName(e)), "window functions are not allowed in %s", orClause(ctx.clause))
	}
	return nil, unsupported("expression %s is not supported", sqlparser.String(e))
}

func orClause(c string) string {
	if c == "" {
		return "this context"
	}
	return c
}

func (b *binder) misplacedAggregate(ctx *exprCtx, e sqlparser.Expr) error {
	name := funcName(e)
	if ctx.clause != "" {
		return b.errAt(sqlerr.GroupingError, name, "aggregate functions are not allowed in %s", ctx.clause)
	}
	return b.errAt(sqlerr.GroupingError, name, "aggregate function calls cannot be nested")
}

// funcName is the name of a function call node, for positions.
func funcName(e sqlparser.Expr) string {
	s := sqlparser.String(e)
	if i := strings.IndexByte(s, '('); i > 0 {
		return s[:i]
	}
	return s
}

func (b *binder) column(ctx *exprCtx, ref *sqlparser.ColName) (plan.Expr, error) {
	c, err := b.resolve(ctx.scope, ref)
	if err != nil {
		return nil, err
	}
	if ctx.agg != nil && ctx.agg.from.Has(c.ID) {
		name := c.Name
		if q := ref.Qualifier.Name.String(); q != "" {
			name = q + "." + name
		}
		return nil, b.errAt(sqlerr.GroupingError, ref.Name.String(),
			"column \"%s\" must appear in the GROUP BY clause or be used in an aggregate function", name)
	}
	return c.Ref(), nil
}

func (b *binder) logical(ctx *exprCtx, fn string, l, r sqlparser.Expr) (plan.Expr, error) {
	le, err := b.boolExpr(ctx, l, strings.ToUpper(fn))
	if err != nil {
		return nil, err
	}
	re, err := b.boolExpr(ctx, r, strings.ToUpper(fn))
	if err != nil {
		return nil, err
	}
	return plan.NewCall(fn, types.Boolean, le, re), nil
}

func (b *binder) not(ctx *exprCtx, e *sqlparser.NotExpr) (plan.Expr, error) {
	if ex, ok := e.Expr.(*sqlparser.ExistsExpr); ok {
		return b.existsMark(ctx, ex, true)
	}
	x, err := b.boolExpr(ctx, e.Expr, "NOT")
	if err != nil {
		return nil, err
	}
	return plan.NewCall("not", types.Boolean, x), nil
}

func (b *binder) exprs(ctx *exprCtx, es []sqlparser.Expr) ([]plan.Expr, error) {
	out := make([]plan.Expr, len(es))
	for i, e := range es {
		x, err := b.expr(ctx, e)
		if err != nil {
			return nil, err
		}
		out[i] = x
	}
	return out, nil
}
