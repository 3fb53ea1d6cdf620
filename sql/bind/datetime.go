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

func (b *binder) extract(ctx *exprCtx, e *sqlparser.ExtractFuncExpr) (plan.Expr, error) {
	x, err := b.expr(ctx, e.Expr)
	if err != nil {
		return nil, err
	}
	return b.extractField(strings.ToLower(e.IntervalType.ToString()), x)
}

// extractField is EXTRACT(unit FROM x) for a date, time or timestamp x;
// unit is as the statement spells it (PostgreSQL's spellings,
// datetime_units.go). The enum argument is the canonical field in upper case with
// PostgreSQL's meaning. PostgreSQL returns numeric; Medley returns
// numeric only where the value has a fraction (SECOND, MILLISECONDS and
// EPOCH of a timestamp or time, with PostgreSQL's scales 6, 3 and 6) and
// bigint otherwise, which prints the same.
func (b *binder) extractField(unit string, x plan.Expr) (plan.Expr, error) {
	var err error
	if b.isUntyped(x) {
		if x, err = b.coerce(x, types.Timestamp); err != nil {
			return nil, err
		}
	}
	if !isTemporal(x.Type()) {
		return nil, sqlerr.New(sqlerr.UndefinedFunction, "function extract(unknown, %s) does not exist", types.SQLName(x.Type()))
	}
	field, err := extractUnit(unit, x.Type())
	if err != nil {
		return nil, err
	}
	return plan.NewCall("extract", extractType(field, x.Type()), &plan.Enum{Value: field}, x), nil
}

// extractType is the result type of EXTRACT(field FROM a value of type t).
func extractType(field string, t arrow.DataType) arrow.DataType {
	if t.ID() == arrow.DATE32 {
		return types.Int8
	}
	switch field {
	case "SECOND":
		return types.Decimal(8, 6)
	case "MILLISECONDS":
		return types.Decimal(8, 3)
	case "EPOCH":
		if t.ID() == arrow.TIME64 {
			return types.Decimal(11, 6)
		}
		return types.Decimal(19, 6)
	}
	return types.Int8
}

// datePart is date_part(text, x): EXTRACT as double precision, with a date
// taken as a timestamp (PostgreSQL's date_part(text, date) casts it).
func (b *binder) datePart(args []plan.Expr) (plan.Expr, error) {
	if len(args) != 2 {
		return nil, b.noFunction("date_part", args)
	}
	l, ok := args[0].(*plan.Literal)
	if !ok {
		return nil, unsupported("date_part with a non-constant field is not supported")
	}
	x := args[1]
	if x.Type().ID() == arrow.DATE32 {
		var err error
		if x, err = b.coerce(x, types.Timestamp); err != nil {
			return nil, err
		}
	}
	unit, isText := l.Value.(string)
	if l.Value != nil && !isText {
		return nil, b.noFunction("date_part", args)
	}
	if l.Value == nil { // a NULL field: NULL, for any date/time x
		if !b.isUntyped(x) && !isTemporal(x.Type()) {
			return nil, b.noFunction("date_part", args)
		}
		return &plan.Literal{Typ: types.Float8}, nil
	}
	e, err := b.extractField(unit, x)
	if err != nil {
		return nil, err
	}
	c := e.(*plan.Call)
	c.Typ = types.Float8
	return c, nil
}

func isTemporal(t arrow.DataType) bool {
	switch t.ID() {
	case arrow.DATE32, arrow.TIMESTAMP, arrow.TIME64:
		return true
	}
	return false
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
	return b.extractField(lit.Val, x)
}
