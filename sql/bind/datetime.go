package bind

import (
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"vitess.io/vitess/go/vt/sqlparser"

	"github.com/medleysql/medley/sql/plan"
	"github.com/medleysql/medley/sql/sqlerr"
	"github.com/medleysql/medley/sql/types"
)

// intervalDate is `date ± interval 'n' unit` (and DATE_ADD/DATE_SUB).
func (b *binder) intervalDate(ctx *exprCtx, e *sqlparser.IntervalDateExpr) (plan.Expr, error) {
	d, err := b.expr(ctx, e.Date)
	if err != nil {
		return nil, err
	}
	iv, err := b.intervalValue(ctx, e.Interval, e.Unit)
	if err != nil {
		return nil, err
	}
	if b.isUntyped(d) {
		if d, err = b.coerce(d, types.Timestamp); err != nil {
			return nil, err
		}
	}
	switch e.Syntax {
	case sqlparser.IntervalDateExprDateSub, sqlparser.IntervalDateExprSubdate, sqlparser.IntervalDateExprBinarySub:
		return b.arith("-", d, iv)
	case sqlparser.IntervalDateExprBinaryAddLeft:
		return b.arith("+", iv, d)
	}
	return b.arith("+", d, iv)
}

// intervalValue is `interval 'n' unit`: a literal when n is constant, else
// n multiplied by one unit.
func (b *binder) intervalValue(ctx *exprCtx, x sqlparser.Expr, unit sqlparser.IntervalType) (plan.Expr, error) {
	if lit, ok := x.(*sqlparser.Literal); ok {
		if unit == sqlparser.IntervalNone {
			iv, err := plan.ParseInterval(lit.Val)
			if err != nil {
				return nil, err
			}
			return &plan.Literal{Value: iv, Typ: types.Interval}, nil
		}
		n, err := strconv.ParseInt(strings.TrimSpace(lit.Val), 10, 64)
		if err != nil {
			iv, perr := plan.ParseInterval(lit.Val + " " + unit.ToString())
			if perr != nil {
				return nil, sqlerr.New(sqlerr.InvalidDatetimeFormat, "invalid input syntax for type interval: \"%s\"", lit.Val)
			}
			return &plan.Literal{Value: iv, Typ: types.Interval}, nil
		}
		iv, ok := intervalOf(n, unit)
		if !ok {
			return nil, unsupported("interval unit %s is not supported", unit.ToString())
		}
		return &plan.Literal{Value: iv, Typ: types.Interval}, nil
	}
	one, ok := intervalOf(1, unit)
	if !ok {
		return nil, unsupported("interval unit %s is not supported", unit.ToString())
	}
	n, err := b.expr(ctx, x)
	if err != nil {
		return nil, err
	}
	return b.arith("*", &plan.Literal{Value: one, Typ: types.Interval}, n)
}

var extractFields = map[sqlparser.IntervalType]string{
	sqlparser.IntervalYear: "YEAR", sqlparser.IntervalQuarter: "QUARTER", sqlparser.IntervalMonth: "MONTH",
	sqlparser.IntervalWeek: "WEEK", sqlparser.IntervalDay: "DAY", sqlparser.IntervalHour: "HOUR",
	sqlparser.IntervalMinute: "MINUTE", sqlparser.IntervalSecond: "SECOND",
	sqlparser.IntervalMicrosecond: "MICROSECOND",
}

func (b *binder) extract(ctx *exprCtx, e *sqlparser.ExtractFuncExpr) (plan.Expr, error) {
	field, ok := extractFields[e.IntervalType]
	if !ok {
		return nil, unsupported("EXTRACT(%s) is not supported", e.IntervalType.ToString())
	}
	x, err := b.expr(ctx, e.Expr)
	if err != nil {
		return nil, err
	}
	return b.extractField(field, x)
}

// extractField is EXTRACT(field FROM x). It returns bigint, Substrait's
// extract type (PostgreSQL returns numeric).
func (b *binder) extractField(field string, x plan.Expr) (plan.Expr, error) {
	var err error
	if b.isUntyped(x) {
		if x, err = b.coerce(x, types.Timestamp); err != nil {
			return nil, err
		}
	}
	switch x.Type().ID() {
	case arrow.DATE32, arrow.TIMESTAMP, arrow.TIME64:
	default:
		return nil, sqlerr.New(sqlerr.UndefinedFunction, "function extract(unknown, %s) does not exist", types.SQLName(x.Type()))
	}
	return plan.NewCall("extract", types.Int8, &plan.Enum{Value: field}, x), nil
}

func (b *binder) datePart(args []plan.Expr) (plan.Expr, error) {
	if len(args) != 2 {
		return nil, b.noFunction("date_part", args)
	}
	l, ok := args[0].(*plan.Literal)
	if !ok || l.Value == nil {
		return nil, unsupported("date_part with a non-constant field is not supported")
	}
	field, _ := l.Value.(string)
	return b.extractField(strings.ToUpper(field), args[1])
}

func (b *binder) substr(ctx *exprCtx, e *sqlparser.SubstrExpr) (plan.Expr, error) {
	args := []sqlparser.Expr{e.Name, e.From}
	if e.From == nil {
		args[1] = sqlparser.NewIntLiteral("1")
	}
	if e.To != nil {
		args = append(args, e.To)
	}
	xs, err := b.exprs(ctx, args)
	if err != nil {
		return nil, err
	}
	return b.substring(xs)
}

// locate is POSITION(sub IN str) → strpos(str, sub).
func (b *binder) locate(ctx *exprCtx, e *sqlparser.LocateExpr) (plan.Expr, error) {
	if e.Pos != nil {
		return nil, unsupported("LOCATE with a start position is not supported")
	}
	xs, err := b.exprs(ctx, []sqlparser.Expr{e.Str, e.SubStr})
	if err != nil {
		return nil, err
	}
	return b.typedCall("strpos", types.Int4, types.Text, xs, true)
}

func (b *binder) trim(ctx *exprCtx, e *sqlparser.TrimFuncExpr) (plan.Expr, error) {
	fn := "trim"
	switch {
	case e.TrimFuncType == sqlparser.LTrimType || e.Type == sqlparser.LeadingTrimType:
		fn = "ltrim"
	case e.TrimFuncType == sqlparser.RTrimType || e.Type == sqlparser.TrailingTrimType:
		fn = "rtrim"
	}
	chars := e.TrimArg
	if chars == nil {
		chars = sqlparser.NewStrLiteral(" ")
	}
	xs, err := b.exprs(ctx, []sqlparser.Expr{e.StringArg, chars})
	if err != nil {
		return nil, err
	}
	return b.typedCall(fn, types.Text, types.Text, xs, true)
}

// inList is x [NOT] IN (a, b, ...).
func (b *binder) inList(ctx *exprCtx, x plan.Expr, list sqlparser.ValTuple, negate bool) (plan.Expr, error) {
	items, err := b.exprs(ctx, list)
	if err != nil {
		return nil, err
	}
	all, err := b.unify(append([]plan.Expr{x}, items...)...)
	if err != nil {
		return nil, err
	}
	t, err := b.commonType("IN", all)
	if err != nil {
		return nil, err
	}
	if all, err = b.coerceAll(all, t); err != nil {
		return nil, err
	}
	var out plan.Expr = &plan.InList{Input: all[0], List: all[1:]}
	if negate {
		out = plan.NewCall("not", types.Boolean, out)
	}
	return out, nil
}

// markerExtract is sql/parse's __medley_extract('field', x) for the
// PostgreSQL fields Vitess cannot parse (epoch, dow, doy, isodow, ...). The
// enum is the field's name in upper case, with PostgreSQL's meaning.
func (b *binder) markerExtract(ctx *exprCtx, e *sqlparser.FuncExpr) (plan.Expr, error) {
	if len(e.Exprs) != 2 {
		return nil, sqlerr.New(sqlerr.SyntaxError, "malformed EXTRACT")
	}
	lit, ok := e.Exprs[0].(*sqlparser.Literal)
	if !ok {
		return nil, sqlerr.New(sqlerr.SyntaxError, "malformed EXTRACT")
	}
	x, err := b.expr(ctx, e.Exprs[1])
	if err != nil {
		return nil, err
	}
	return b.extractField(strings.ToUpper(lit.Val), x)
}
