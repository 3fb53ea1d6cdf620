package bind

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"vitess.io/vitess/go/vt/sqlparser"

	"github.com/medleysql/medley/sql/plan"
	"github.com/medleysql/medley/sql/sqlerr"
	"github.com/medleysql/medley/sql/types"
)

var comparisonFuncs = map[string]string{
	"=": "equal", "<>": "not_equal", "<": "lt", "<=": "lte", ">": "gt", ">=": "gte",
	"<=>": "is_not_distinct_from",
}

var comparisonOps = map[sqlparser.ComparisonExprOperator]string{
	sqlparser.EqualOp: "=", sqlparser.NotEqualOp: "<>", sqlparser.LessThanOp: "<",
	sqlparser.LessEqualOp: "<=", sqlparser.GreaterThanOp: ">", sqlparser.GreaterEqualOp: ">=",
	sqlparser.NullSafeEqualOp: "<=>",
}

func (b *binder) comparison(ctx *exprCtx, e *sqlparser.ComparisonExpr) (plan.Expr, error) {
	if x, ok, err := b.rowComparison(ctx, e); ok {
		return x, err
	}
	if e.Modifier != sqlparser.Missing {
		return b.quantified(ctx, e)
	}
	switch e.Operator {
	case sqlparser.InOp, sqlparser.NotInOp:
		return b.in(ctx, e)
	case sqlparser.LikeOp, sqlparser.NotLikeOp, sqlparser.RegexpOp, sqlparser.NotRegexpOp:
		return b.like(ctx, e)
	}
	l, err := b.expr(ctx, e.Left)
	if err != nil {
		return nil, err
	}
	r, err := b.expr(ctx, e.Right)
	if err != nil {
		return nil, err
	}
	return b.compare(comparisonOps[e.Operator], l, r)
}

// compare builds l op r, converting both sides to their common type.
func (b *binder) compare(op string, l, r plan.Expr) (plan.Expr, error) {
	args, err := b.unify(l, r)
	if err != nil {
		return nil, err
	}
	sqlOp := op
	if op == "<=>" {
		sqlOp = "IS NOT DISTINCT FROM"
	}
	t, err := types.Comparison(sqlOp, args[0].Type(), args[1].Type())
	if err != nil {
		return nil, err
	}
	if args, err = b.coerceAll(args, t); err != nil {
		return nil, err
	}
	return plan.NewCall(comparisonFuncs[op], types.Boolean, args...), nil
}

func (b *binder) like(ctx *exprCtx, e *sqlparser.ComparisonExpr) (plan.Expr, error) {
	if e.Escape != nil {
		if l, ok := e.Escape.(*sqlparser.Literal); !ok || l.Val != `\` {
			return nil, unsupported("LIKE ... ESCAPE other than '\\' is not supported")
		}
	}
	l, err := b.expr(ctx, e.Left)
	if err != nil {
		return nil, err
	}
	r, err := b.expr(ctx, e.Right)
	if err != nil {
		return nil, err
	}
	op := "~~"
	if e.Operator == sqlparser.RegexpOp || e.Operator == sqlparser.NotRegexpOp {
		op = "~~*"
	}
	args := []plan.Expr{l, r}
	for i, a := range args {
		if b.isUntyped(a) {
			a, _ = b.coerce(a, types.Text)
			args[i] = a
		}
		if a.Type().ID() != arrow.STRING {
			return nil, types.NoOperator(op, l.Type(), r.Type())
		}
	}
	call := plan.NewCall("like", types.Boolean, args...)
	if op == "~~*" {
		call.Options = map[string]string{"case_sensitivity": "CASE_INSENSITIVE"}
	}
	if e.Operator == sqlparser.NotLikeOp || e.Operator == sqlparser.NotRegexpOp {
		return plan.NewCall("not", types.Boolean, call), nil
	}
	return call, nil
}

func (b *binder) between(ctx *exprCtx, e *sqlparser.BetweenExpr) (plan.Expr, error) {
	x, err := b.expr(ctx, e.Left)
	if err != nil {
		return nil, err
	}
	from, err := b.expr(ctx, e.From)
	if err != nil {
		return nil, err
	}
	to, err := b.expr(ctx, e.To)
	if err != nil {
		return nil, err
	}
	op1, op2, join := ">=", "<=", "and"
	if !e.IsBetween {
		op1, op2, join = "<", ">", "or"
	}
	lo, err := b.compare(op1, x, from)
	if err != nil {
		return nil, err
	}
	hi, err := b.compare(op2, x, to)
	if err != nil {
		return nil, err
	}
	return plan.NewCall(join, types.Boolean, lo, hi), nil
}

var isFuncs = map[sqlparser.IsExprOperator]string{
	sqlparser.IsNullOp: "is_null", sqlparser.IsNotNullOp: "is_not_null",
	sqlparser.IsTrueOp: "is_true", sqlparser.IsNotTrueOp: "is_not_true",
	sqlparser.IsFalseOp: "is_false", sqlparser.IsNotFalseOp: "is_not_false",
}

func (b *binder) isExpr(ctx *exprCtx, e *sqlparser.IsExpr) (plan.Expr, error) {
	x, err := b.expr(ctx, e.Left)
	if err != nil {
		return nil, err
	}
	if e.Right != sqlparser.IsNullOp && e.Right != sqlparser.IsNotNullOp {
		if x, err = b.asBool(x, "IS TRUE/FALSE"); err != nil {
			return nil, err
		}
	}
	return plan.NewCall(isFuncs[e.Right], types.Boolean, x), nil
}

var arithOps = map[sqlparser.BinaryExprOperator]string{
	sqlparser.PlusOp: "+", sqlparser.MinusOp: "-", sqlparser.MultOp: "*", sqlparser.DivOp: "/",
	sqlparser.IntDivOp: "/", sqlparser.ModOp: "%",
}

var arithFuncs = map[string]string{"+": "add", "-": "subtract", "*": "multiply", "/": "divide", "%": "modulus"}

func (b *binder) binary(ctx *exprCtx, e *sqlparser.BinaryExpr) (plan.Expr, error) {
	l, err := b.expr(ctx, e.Left)
	if err != nil {
		return nil, err
	}
	r, err := b.expr(ctx, e.Right)
	if err != nil {
		return nil, err
	}
	if op, ok := arithOps[e.Operator]; ok {
		return b.arith(op, l, r)
	}
	if e.Operator == sqlparser.BitOrOp {
		return b.concatOrBitOr(l, r)
	}
	return nil, unsupported("operator %s is not supported", e.Operator.ToString())
}

// arith builds l op r for + - * / % with PostgreSQL's result types.
func (b *binder) arith(op string, l, r plan.Expr) (plan.Expr, error) {
	args, err := b.unify(l, r)
	if err != nil {
		return nil, err
	}
	t, err := types.Arithmetic(op, args[0].Type(), args[1].Type())
	if err != nil {
		return nil, err
	}
	if types.IsNumeric(t) && !isDate(args[0]) && !isDate(args[1]) { // date - date is integer
		for i, a := range args {
			if args[i], err = b.coerce(a, operandType(a.Type(), t)); err != nil {
				return nil, err
			}
		}
	}
	call := plan.NewCall(arithFuncs[op], t, args...)
	if types.IsInteger(t) {
		call.Options = map[string]string{"overflow": "ERROR"}
	}
	return call, nil
}

func isDate(x plan.Expr) bool { return x.Type().ID() == arrow.DATE32 }

// operandType is the type an operand of a numeric operator with result
// type res is converted to: decimals stay as they are (the decimal
// functions take any precision), integers joining a decimal become
// numeric(n,0), everything else becomes the result type.
func operandType(arg, res arrow.DataType) arrow.DataType {
	if res.ID() != arrow.DECIMAL128 {
		return res
	}
	switch arg.ID() {
	case arrow.DECIMAL128:
		return arg
	case arrow.INT16:
		return types.Decimal(5, 0)
	case arrow.INT32:
		return types.Decimal(10, 0)
	case arrow.INT64:
		return types.Decimal(19, 0)
	}
	return res
}

// concatOrBitOr is `|`, which sql/parse makes of PostgreSQL's `||`: string
// concatenation when either side is a string, bitwise or on integers.
func (b *binder) concatOrBitOr(l, r plan.Expr) (plan.Expr, error) {
	lt, rt := l.Type().ID(), r.Type().ID()
	if types.IsInteger(l.Type()) && types.IsInteger(r.Type()) {
		t, err := types.Common(l.Type(), r.Type())
		if err != nil {
			return nil, err
		}
		args, err := b.coerceAll([]plan.Expr{l, r}, t)
		if err != nil {
			return nil, err
		}
		return plan.NewCall("bitwise_or", t, args...), nil
	}
	if b.isUntyped(l) && b.isUntyped(r) || lt == arrow.STRING || rt == arrow.STRING || b.isUntyped(l) || b.isUntyped(r) {
		t, err := types.Arithmetic("||", textOrSelf(b, l), textOrSelf(b, r))
		if err != nil {
			return nil, err
		}
		args, err := b.coerceAll([]plan.Expr{l, r}, t)
		if err != nil {
			return nil, err
		}
		return plan.NewCall("concat", t, args...), nil
	}
	return nil, types.NoOperator("||", l.Type(), r.Type())
}

func textOrSelf(b *binder, x plan.Expr) arrow.DataType {
	if b.isUntyped(x) {
		return types.Text
	}
	return x.Type()
}

func (b *binder) unary(ctx *exprCtx, e *sqlparser.UnaryExpr) (plan.Expr, error) {
	x, err := b.expr(ctx, e.Expr)
	if err != nil {
		return nil, err
	}
	switch e.Operator {
	case sqlparser.UPlusOp:
		return x, nil
	case sqlparser.UMinusOp:
		if b.isUntyped(x) {
			if x, err = b.coerce(x, types.Float8); err != nil {
				return nil, err
			}
		}
		if l, ok := x.(*plan.Literal); ok {
			if v, ok := negate(l.Value); ok {
				return &plan.Literal{Value: v, Typ: l.Typ}, nil
			}
		}
		if !types.IsNumeric(x.Type()) && x.Type().ID() != arrow.INTERVAL_MONTH_DAY_NANO {
			return nil, sqlerr.New(sqlerr.UndefinedFunction, "operator does not exist: - %s", types.SQLName(x.Type()))
		}
		return plan.NewCall("negate", x.Type(), x), nil
	case sqlparser.BangOp:
		if x, err = b.asBool(x, "NOT"); err != nil {
			return nil, err
		}
		return plan.NewCall("not", types.Boolean, x), nil
	}
	return nil, unsupported("operator %s is not supported", e.Operator.ToString())
}

func negate(v any) (any, bool) {
	switch v := v.(type) {
	case int64:
		return -v, true
	case float64:
		return -v, true
	case decimal128.Num:
		return v.Negate(), true
	case nil:
		return nil, true
	}
	return nil, false
}

func (b *binder) caseExpr(ctx *exprCtx, e *sqlparser.CaseExpr) (plan.Expr, error) {
	var subject plan.Expr
	if e.Expr != nil {
		s, err := b.expr(ctx, e.Expr)
		if err != nil {
			return nil, err
		}
		subject = s
	}
	var results []plan.Expr
	c := &plan.Case{}
	for _, w := range e.Whens {
		cond, err := b.expr(ctx, w.Cond)
		if err != nil {
			return nil, err
		}
		if subject != nil {
			cond, err = b.compare("=", subject, cond)
		} else {
			cond, err = b.asBool(cond, "CASE/WHEN")
		}
		if err != nil {
			return nil, err
		}
		then, err := b.expr(ctx, w.Val)
		if err != nil {
			return nil, err
		}
		c.Whens = append(c.Whens, plan.When{Cond: cond, Then: then})
		results = append(results, then)
	}
	if e.Else != nil {
		el, err := b.expr(ctx, e.Else)
		if err != nil {
			return nil, err
		}
		c.Else = el
		results = append(results, el)
	}
	t, err := b.commonType("CASE", results)
	if err != nil {
		return nil, err
	}
	for i := range c.Whens {
		if c.Whens[i].Then, err = b.coerce(c.Whens[i].Then, t); err != nil {
			return nil, err
		}
	}
	if c.Else != nil {
		if c.Else, err = b.coerce(c.Else, t); err != nil {
			return nil, err
		}
	}
	c.Typ = t
	return c, nil
}
