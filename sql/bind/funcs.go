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

// Marker functions of sql/parse's PostgreSQL → Vitess rewrite.
const (
	castFunc       = "__medley_cast"
	nullsFirstFunc = "__medley_nulls_first"
	nullsLastFunc  = "__medley_nulls_last"
	usingFunc      = "__medley_using"
	filterFunc     = "__medley_filter"
	extractFunc    = "__medley_extract"
)

// stringFuncs return text and take text arguments.
var stringFuncs = map[string]string{
	"upper": "upper", "lower": "lower", "replace": "replace", "left": "left", "right": "right",
	"lpad": "lpad", "rpad": "rpad", "reverse": "reverse", "initcap": "initcap", "repeat": "repeat",
	"btrim": "trim", "ltrim": "ltrim", "rtrim": "rtrim",
}

// fixedFuncs take exactly their parameters (converted as PostgreSQL
// converts arguments implicitly) and return res.
var fixedFuncs = map[string]struct {
	res    arrow.DataType
	params []arrow.DataType
}{
	"split_part":  {types.Text, []arrow.DataType{types.Text, types.Text, types.Int4}},
	"translate":   {types.Text, []arrow.DataType{types.Text, types.Text, types.Text}},
	"md5":         {types.Text, []arrow.DataType{types.Text}},
	"starts_with": {types.Boolean, []arrow.DataType{types.Text, types.Text}},
	"chr":         {types.Text, []arrow.DataType{types.Int4}},
	"ascii":       {types.Int4, []arrow.DataType{types.Text}},
}

// floatFuncs return double precision and take double precision arguments.
var floatFuncs = map[string]string{
	"sqrt": "sqrt", "exp": "exp", "ln": "ln", "log10": "log10", "power": "power", "pow": "power",
	"sin": "sin", "cos": "cos", "tan": "tan", "atan": "atan", "atan2": "atan2", "cbrt": "cbrt",
}

func (b *binder) funcExpr(ctx *exprCtx, e *sqlparser.FuncExpr) (plan.Expr, error) {
	name := e.Name.Lowered()
	if isAggregate(e) {
		return nil, b.misplacedAggregate(ctx, e)
	}
	switch name {
	case castFunc:
		return b.markerCast(ctx, e)
	case extractFunc:
		return b.markerExtract(ctx, e)
	case nullsFirstFunc, nullsLastFunc:
		return nil, b.errAt(sqlerr.SyntaxError, "nulls", "NULLS FIRST/LAST is only allowed in ORDER BY")
	}
	if x, ok, err := b.clockFunc(ctx, name, e); ok {
		return x, err
	}
	args, err := b.exprs(ctx, e.Exprs)
	if err != nil {
		return nil, err
	}
	if fn, ok := stringFuncs[name]; ok {
		return b.typedCall(fn, types.Text, types.Text, args, true)
	}
	if fn, ok := floatFuncs[name]; ok {
		return b.typedCall(fn, types.Float8, types.Float8, args, false)
	}
	if f, ok := fixedFuncs[name]; ok {
		return b.fixedCall(name, f.res, f.params, args)
	}
	switch name {
	case "to_hex":
		return b.toHex(args)
	case "concat_ws":
		return b.concatWS(args)
	case "regexp_replace":
		return b.regexpReplace(args)
	case "coalesce", "greatest", "least", "nullif":
		return b.variadic(name, args)
	case "length", "char_length", "character_length":
		return b.typedCall("char_length", types.Int4, types.Text, args, true)
	case "octet_length":
		return b.typedCall("octet_length", types.Int4, types.Text, args, true)
	case "strpos":
		return b.typedCall("strpos", types.Int4, types.Text, args, true)
	case "substr", "substring":
		return b.substring(args)
	case "concat":
		return b.concat(args)
	case "abs", "sign":
		return b.sameTypeNumeric(name, args)
	case "round", "trunc":
		return b.round(name, args)
	case "ceil", "ceiling", "floor":
		return b.ceilFloor(strings.TrimSuffix(name, "ing"), args)
	case "mod":
		if len(args) == 2 {
			return b.arith("%", args[0], args[1])
		}
	case "date_part":
		return b.datePart(args)
	case "date_trunc":
		return b.dateTrunc(args)
	}
	return nil, b.noFunction(name, args)
}

func (b *binder) noFunction(name string, args []plan.Expr) error {
	return b.errAt(sqlerr.UndefinedFunction, name, "function %s(%s) does not exist", name, b.argTypes(args)).
		WithHint("No function matches the given name and argument types. You might need to add explicit type casts.")
}

func (b *binder) ambiguous(name string, args []plan.Expr) error {
	return b.errAt("42725", name, "function %s(%s) is not unique", name, b.argTypes(args)).
		WithHint("Could not choose a best candidate function. You might need to add explicit type casts.")
}

// argTypes lists the arguments' types for errors ("text, unknown"), as
// PostgreSQL without type modifiers ("numeric", not "numeric(15,2)").
func (b *binder) argTypes(args []plan.Expr) string {
	ts := make([]string, len(args))
	for i, a := range args {
		ts[i] = types.SQLName(a.Type())
		if l, r, ok := strings.Cut(ts[i], "("); ok {
			_, after, _ := strings.Cut(r, ")")
			ts[i] = l + after
		}
		if b.isUntyped(a) {
			ts[i] = "unknown"
		}
	}
	return strings.Join(ts, ", ")
}

// typedCall converts the arguments to arg (or checks them when strict is
// false and they are numbers) and returns fn(args) of type res.
func (b *binder) typedCall(fn string, res, arg arrow.DataType, args []plan.Expr, strict bool) (plan.Expr, error) {
	if len(args) == 0 {
		return nil, b.noFunction(fn, args)
	}
	out := make([]plan.Expr, len(args))
	for i, a := range args {
		want := arg
		if i > 0 && (fn == "left" || fn == "right" || fn == "lpad" || fn == "rpad" || fn == "repeat") && i == 1 {
			want = types.Int4
		}
		ok := b.isUntyped(a) || arrow.TypeEqual(a.Type(), want) || !strict && types.ImplicitCast(a.Type(), want)
		if !ok && !(want.ID() == arrow.STRING && a.Type().ID() == arrow.STRING) {
			if !types.ImplicitCast(a.Type(), want) {
				return nil, b.noFunction(fn, args)
			}
		}
		c, err := b.coerce(a, want)
		if err != nil {
			return nil, err
		}
		out[i] = c
	}
	return plan.NewCall(fn, res, out...), nil
}

// fixedCall is name(args) of exactly the parameter types params.
func (b *binder) fixedCall(name string, res arrow.DataType, params []arrow.DataType, args []plan.Expr) (plan.Expr, error) {
	if len(args) != len(params) {
		return nil, b.noFunction(name, args)
	}
	out := make([]plan.Expr, len(args))
	for i, a := range args {
		if !b.isUntyped(a) && !types.ImplicitCast(a.Type(), params[i]) {
			return nil, b.noFunction(name, args)
		}
		c, err := b.coerce(a, params[i])
		if err != nil {
			return nil, err
		}
		out[i] = c
	}
	return plan.NewCall(name, res, out...), nil
}

// toHex is to_hex(integer) or to_hex(bigint); a smallint or an unknown
// argument is ambiguous between them, as in PostgreSQL.
func (b *binder) toHex(args []plan.Expr) (plan.Expr, error) {
	if len(args) == 1 && (b.isUntyped(args[0]) || args[0].Type().ID() == arrow.INT16) {
		return nil, b.ambiguous("to_hex", args)
	}
	if len(args) == 1 && args[0].Type().ID() == arrow.INT64 {
		return plan.NewCall("to_hex", types.Text, args...), nil
	}
	return b.fixedCall("to_hex", types.Text, []arrow.DataType{types.Int4}, args)
}

// regexpReplace is regexp_replace(source, pattern, replacement [, flags]),
// Medley's function of four text arguments (empty flags when absent).
// PostgreSQL 15's forms with a start position and an occurrence are not
// supported.
func (b *binder) regexpReplace(args []plan.Expr) (plan.Expr, error) {
	if len(args) > 3 && (len(args) > 4 || types.IsInteger(args[3].Type()) && !b.isUntyped(args[3])) {
		return nil, unsupported("regexp_replace with a start position or an occurrence is not supported")
	}
	if len(args) == 3 {
		args = append(args, &plan.Literal{Value: "", Typ: types.Text})
	}
	text := []arrow.DataType{types.Text, types.Text, types.Text, types.Text}
	return b.fixedCall("regexp_replace", types.Text, text, args)
}

// textArgs converts the arguments of concat and concat_ws to text as
// PostgreSQL's output functions write them: a boolean is t or f (its cast
// to text is true or false).
func (b *binder) textArgs(args []plan.Expr) ([]plan.Expr, error) {
	out := make([]plan.Expr, len(args))
	for i, a := range args {
		if a.Type().ID() == arrow.BOOL && !b.isUntyped(a) {
			out[i] = &plan.Case{Typ: types.Text, Whens: []plan.When{
				{Cond: a, Then: &plan.Literal{Value: "t", Typ: types.Text}},
				{Cond: plan.NewCall("not", types.Boolean, a), Then: &plan.Literal{Value: "f", Typ: types.Text}},
			}}
			continue
		}
		c, err := b.coerce(a, types.Text)
		if err != nil {
			return nil, err
		}
		out[i] = c
	}
	return out, nil
}

// concatWS is concat_ws(sep, v1, ...): the values as text, NULLs skipped;
// NULL when sep is NULL.
func (b *binder) concatWS(args []plan.Expr) (plan.Expr, error) {
	if len(args) < 2 || !b.isUntyped(args[0]) && !types.ImplicitCast(args[0].Type(), types.Text) {
		return nil, b.noFunction("concat_ws", args)
	}
	out, err := b.textArgs(args)
	if err != nil {
		return nil, err
	}
	return plan.NewCall("concat_ws", types.Text, out...), nil
}

func (b *binder) variadic(name string, args []plan.Expr) (plan.Expr, error) {
	if len(args) == 0 || name == "nullif" && len(args) != 2 {
		return nil, b.noFunction(name, args)
	}
	t, err := b.commonType(strings.ToUpper(name), args)
	if err != nil {
		return nil, err
	}
	if args, err = b.coerceAll(args, t); err != nil {
		return nil, err
	}
	return plan.NewCall(name, t, args...), nil
}

func (b *binder) substring(args []plan.Expr) (plan.Expr, error) {
	if len(args) < 2 || len(args) > 3 {
		return nil, b.noFunction("substring", args)
	}
	str, err := b.coerce(args[0], types.Text)
	if err != nil {
		return nil, err
	}
	out := []plan.Expr{str}
	for _, a := range args[1:] {
		if !b.isUntyped(a) && !types.IsInteger(a.Type()) {
			return nil, b.noFunction("substring", args)
		}
		c, err := b.coerce(a, types.Int4)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return plan.NewCall("substring", types.Text, out...), nil
}

// concat is PostgreSQL's concat(): every argument as text, NULLs skipped.
func (b *binder) concat(args []plan.Expr) (plan.Expr, error) {
	if len(args) == 0 {
		return nil, b.noFunction("concat", args)
	}
	out, err := b.textArgs(args)
	if err != nil {
		return nil, err
	}
	c := plan.NewCall("concat", types.Text, out...)
	c.Options = map[string]string{"null_handling": "IGNORE_NULLS"}
	return c, nil
}

func (b *binder) sameTypeNumeric(name string, args []plan.Expr) (plan.Expr, error) {
	if len(args) != 1 || !types.IsNumeric(args[0].Type()) && !b.isUntyped(args[0]) {
		return nil, b.noFunction(name, args)
	}
	x, err := b.unifyNumeric(args[0])
	if err != nil {
		return nil, err
	}
	return plan.NewCall(name, x.Type(), x), nil
}

func (b *binder) unifyNumeric(x plan.Expr) (plan.Expr, error) {
	if b.isUntyped(x) {
		return b.coerce(x, types.Float8)
	}
	return x, nil
}

// round is round(x), round(x, n), trunc(x) and trunc(x, n): Substrait's
// round, trunc with the rounding option TRUNCATE (toward zero). Floats
// give double precision (trunc takes no digits over them, as PostgreSQL
// has no trunc(double precision, integer)); integers are numeric(19,0);
// numeric(p,s) gives the scale PostgreSQL's values have (roundScale).
func (b *binder) round(name string, args []plan.Expr) (plan.Expr, error) {
	if len(args) < 1 || len(args) > 2 || !types.IsNumeric(args[0].Type()) && !b.isUntyped(args[0]) {
		return nil, b.noFunction(name, args)
	}
	x := args[0]
	var err error
	switch {
	case b.isUntyped(x) && len(args) == 2: // only round/trunc(numeric, integer) take digits
		x, err = b.coerce(x, types.UnconstrainedNumeric)
	default:
		x, err = b.unifyNumeric(x)
	}
	if err != nil {
		return nil, err
	}
	res := x.Type()
	if name == "trunc" && len(args) == 2 && (res.ID() == arrow.FLOAT32 || res.ID() == arrow.FLOAT64) {
		return nil, b.noFunction(name, []plan.Expr{x, args[1]})
	}
	var digits plan.Expr = &plan.Literal{Value: int64(0), Typ: types.Int4}
	if len(args) == 2 {
		if digits, err = b.coerce(args[1], types.Int4); err != nil {
			return nil, err
		}
	}
	switch {
	case types.IsInteger(res):
		if x, err = b.coerce(x, types.Decimal(19, 0)); err != nil {
			return nil, err
		}
		res = types.Decimal(19, 0)
	case res.ID() == arrow.FLOAT32:
		res = types.Float8
		if x, err = b.coerce(x, res); err != nil {
			return nil, err
		}
	}
	if d, ok := res.(*arrow.Decimal128Type); ok {
		res = roundScale(name, d, digits)
	}
	call := plan.NewCall("round", res, x, digits)
	if name == "trunc" {
		call.Options = map[string]string{"rounding": "TRUNCATE"}
	}
	return call, nil
}

// roundScale is the type of round/trunc(numeric(p,s), digits). With
// constant digits n it has PostgreSQL's scale max(n, 0) (trunc(2.7, 3) is
// 2.700) and the integer digits of the input, one more when round can
// carry (round(9.9) is 10); a scale that does not fit in 38 digits stays
// at least s, every value being exact at s. Digits that vary by row keep
// the scale s (and round its carry digit).
func roundScale(name string, d *arrow.Decimal128Type, digits plan.Expr) arrow.DataType {
	intDigits := d.Precision - d.Scale
	rs, carry := d.Scale, name == "round"
	if l, ok := digits.(*plan.Literal); ok && l.Value != nil {
		n := l.Value.(int64)
		rs = int32(max(min(n, types.MaxPrecision), 0))
		carry = carry && n < int64(d.Scale)
	}
	p := intDigits + rs
	if carry {
		p++ // a carry: round(9.9) is 10
	}
	if p > types.MaxPrecision {
		rs = max(d.Scale, types.MaxPrecision-intDigits)
		p = min(intDigits+rs, types.MaxPrecision)
	}
	return types.Decimal(max(p, 1), rs)
}

func (b *binder) ceilFloor(name string, args []plan.Expr) (plan.Expr, error) {
	if len(args) != 1 || !types.IsNumeric(args[0].Type()) && !b.isUntyped(args[0]) {
		return nil, b.noFunction(name, args)
	}
	x, err := b.unifyNumeric(args[0])
	if err != nil {
		return nil, err
	}
	res := x.Type()
	switch {
	case types.IsInteger(res):
		return x, nil
	case res.ID() == arrow.DECIMAL128:
		d := res.(*arrow.Decimal128Type)
		res = types.Decimal(min(d.Precision-d.Scale+1, types.MaxPrecision), 0)
	default:
		res = types.Float8
		if x, err = b.coerce(x, res); err != nil {
			return nil, err
		}
	}
	return plan.NewCall(name, res, x), nil
}

func (b *binder) markerCast(ctx *exprCtx, e *sqlparser.FuncExpr) (plan.Expr, error) {
	if len(e.Exprs) != 2 {
		return nil, sqlerr.New(sqlerr.SyntaxError, "malformed cast")
	}
	lit, ok := e.Exprs[1].(*sqlparser.Literal)
	if !ok {
		return nil, sqlerr.New(sqlerr.SyntaxError, "malformed cast")
	}
	return b.castTo(ctx, e.Exprs[0], lit.Val)
}

func (b *binder) castExpr(ctx *exprCtx, x sqlparser.Expr, ct *sqlparser.ConvertType) (plan.Expr, error) {
	text := strings.ToLower(ct.Type)
	switch {
	case ct.Length != nil && ct.Scale != nil:
		text += fmt.Sprintf("(%d,%d)", *ct.Length, *ct.Scale)
	case ct.Length != nil:
		text += fmt.Sprintf("(%d)", *ct.Length)
	}
	switch text {
	case "signed", "signed integer":
		text = "bigint"
	case "char", "nchar":
		text = "text"
	}
	return b.castTo(ctx, x, text)
}

func (b *binder) castTo(ctx *exprCtx, x sqlparser.Expr, typeText string) (plan.Expr, error) {
	to, err := types.Parse(typeText)
	if err != nil {
		return nil, b.positioned(err, typeText)
	}
	v, err := b.expr(ctx, x)
	if err != nil {
		return nil, err
	}
	if b.isUntyped(v) {
		return b.coerce(v, to)
	}
	if !types.CanCast(v.Type(), to) {
		return nil, sqlerr.New(sqlerr.CannotCoerce, "cannot cast type %s to %s", types.SQLName(v.Type()), types.SQLName(to))
	}
	return b.coerce(v, to)
}
