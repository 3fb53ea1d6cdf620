package types

import (
	"github.com/apache/arrow-go/v18/arrow"

	"github.com/medleysql/medley/sql/sqlerr"
)

// DivScale is the least scale of a numeric quotient and of AVG over integers
// and decimals. PostgreSQL picks a quotient's scale from the operands' values
// (select_div_scale: at least 16 significant digits, at least either input's
// scale); a column needs one scale for all rows, so Medley takes
// max(16, s1, s2), which is PostgreSQL's scale whenever 1 ≤ |quotient| < 10000.
const DivScale = 16

// NoOperator returns error 42883 "operator does not exist: integer + text",
// with PostgreSQL's hint.
func NoOperator(op string, a, b arrow.DataType) error {
	return sqlerr.New(sqlerr.UndefinedFunction, "operator does not exist: %s %s %s", SQLName(a), op, SQLName(b)).
		WithHint("No operator matches the given name and argument types. You might need to add explicit type casts.")
}

// Arithmetic returns the result type of a op b for op in + - * / % and ||,
// by PostgreSQL's operators:
//   - integers: the wider integer type (integer division truncates);
//   - any real or double precision operand: double precision, except
//     real op real which is real;
//   - decimals (integers joining a decimal count as numeric(5|10|19,0)):
//   - and - scale max(s1,s2), precision max(p1-s1, p2-s2)+1+scale;
//   - scale s1+s2, precision p1+p2; / scale max(DivScale, s1, s2), integer
//     digits (p1-s1)+s2 (when capped, the scale stays at least DivScale);
//     % scale max(s1,s2), integer digits min(p1-s1,p2-s2);
//     all capped at MaxPrecision as fitDecimal documents;
//   - date ± integer → date, date - date → integer, date ± interval and
//     date + time → timestamp, timestamp[tz] ± interval → same, timestamp[tz]
//   - timestamp[tz] → interval, time ± interval → time, time - time →
//     interval, interval ± interval → interval, interval * or / a number →
//     interval;
//   - || of text with anything (or bytea with bytea) → text (bytea);
//
// and error 42883 naming the operator and types otherwise. A NULL operand
// takes the other side's type.
func Arithmetic(op string, a, b arrow.DataType) (arrow.DataType, error) {
	ka, kb := kindOf(a), kindOf(b)
	if ka == kNull && kb != kNull {
		a, ka = b, kb
	} else if kb == kNull && ka != kNull {
		b, kb = a, ka
	}
	if op == "||" {
		switch {
		case ka == kBytea && kb == kBytea:
			return Bytea, nil
		case (ka == kText || kb == kText) && ka != kOther && kb != kOther:
			return Text, nil
		}
		return nil, NoOperator(op, a, b)
	}
	if isNumericKind(ka) && isNumericKind(kb) {
		return numericArith(op, a, b, ka, kb)
	}
	if t := temporalArith(op, ka, kb); t != nil {
		return t, nil
	}
	return nil, NoOperator(op, a, b)
}

func numericArith(op string, a, b arrow.DataType, ka, kb kind) (arrow.DataType, error) {
	switch op {
	case "+", "-", "*", "/", "%":
	default:
		return nil, NoOperator(op, a, b)
	}
	switch {
	case ka == kFloat4 && kb == kFloat4:
		if op == "%" {
			return nil, NoOperator(op, a, b)
		}
		return Float4, nil
	case ka >= kFloat4 || kb >= kFloat4:
		if op == "%" {
			return nil, NoOperator(op, a, b)
		}
		return Float8, nil
	case isIntKind(ka) && isIntKind(kb):
		if ka >= kb {
			return a, nil
		}
		return b, nil
	}
	return DecimalArithmetic(op, asDecimal(a), asDecimal(b)), nil
}

// DecimalArithmetic returns the decimal type of a op b for op in + - * / %,
// as Arithmetic documents.
func DecimalArithmetic(op string, a, b *arrow.Decimal128Type) *arrow.Decimal128Type {
	ia, ib := a.Precision-a.Scale, b.Precision-b.Scale
	switch op {
	case "*":
		return fitDecimal(ia+ib, a.Scale+b.Scale)
	case "/":
		s := max(DivScale, a.Scale, b.Scale)
		return fitDecimalKeep(ia+b.Scale, s, min(s, DivScale))
	case "%":
		return fitDecimal(min(ia, ib), max(a.Scale, b.Scale))
	}
	return fitDecimal(max(ia, ib)+1, max(a.Scale, b.Scale))
}

// temporalArith returns the result of date/time arithmetic, nil if none.
func temporalArith(op string, ka, kb kind) arrow.DataType {
	if t, ok := temporalTable[opPair{op, ka, kb}]; ok {
		return t
	}
	if ka == kInterval && isNumericKind(kb) && (op == "*" || op == "/") ||
		kb == kInterval && isNumericKind(ka) && op == "*" {
		return Interval
	}
	return nil
}

type opPair struct {
	op     string
	ka, kb kind
}

var temporalTable = map[opPair]arrow.DataType{
	{"+", kDate, kInt4}: Date, {"+", kInt4, kDate}: Date, {"-", kDate, kInt4}: Date,
	{"+", kDate, kInt2}: Date, {"+", kInt2, kDate}: Date, {"-", kDate, kInt2}: Date,
	{"-", kDate, kDate}:     Int4,
	{"+", kDate, kInterval}: Timestamp, {"+", kInterval, kDate}: Timestamp,
	{"-", kDate, kInterval}: Timestamp,
	{"+", kDate, kTime}:     Timestamp, {"+", kTime, kDate}: Timestamp,
	{"+", kTimestamp, kInterval}: Timestamp, {"+", kInterval, kTimestamp}: Timestamp,
	{"-", kTimestamp, kInterval}:   Timestamp,
	{"+", kTimestampTZ, kInterval}: TimestampTZ, {"+", kInterval, kTimestampTZ}: TimestampTZ,
	{"-", kTimestampTZ, kInterval}: TimestampTZ,
	{"-", kTimestamp, kTimestamp}:  Interval, {"-", kTimestampTZ, kTimestampTZ}: Interval,
	{"-", kTimestamp, kDate}: Interval, {"-", kDate, kTimestamp}: Interval,
	{"+", kTime, kInterval}: Time, {"+", kInterval, kTime}: Time, {"-", kTime, kInterval}: Time,
	{"-", kTime, kTime}:         Interval,
	{"+", kInterval, kInterval}: Interval, {"-", kInterval, kInterval}: Interval,
}

// Comparison returns the type both operands of a comparison operator (=, <>,
// <, <=, >, >=, IS [NOT] DISTINCT FROM) are cast to, or error 42883 naming
// the operator and the types.
func Comparison(op string, a, b arrow.DataType) (arrow.DataType, error) {
	t, err := Common(a, b)
	if err != nil {
		return nil, NoOperator(op, a, b)
	}
	if kindOf(t) == kNull {
		return Text, nil
	}
	return t, nil
}

// Aggregate returns the result type of an aggregate function over an
// argument of type arg, as PostgreSQL: count → bigint; sum(smallint|integer)
// → bigint, sum(bigint) → numeric(38,0), sum(numeric(p,s)) → numeric(38,s),
// sum(real|double|interval) → same; avg(integers) → numeric(38,DivScale),
// avg(numeric(p,s)) → numeric(38,max(s,DivScale)), avg(real|double) → double,
// avg(interval) → interval; min/max → the argument's type; bool_and/bool_or/
// every → boolean over boolean; string_agg → text over text; stddev*/var*
// → double precision over floats, numeric(38,DivScale) otherwise. Unknown
// name/argument pairs are error 42883 "function f(type) does not exist".
func Aggregate(name string, arg arrow.DataType) (arrow.DataType, error) {
	k := kindOf(arg)
	fail := func() (arrow.DataType, error) {
		return nil, sqlerr.New(sqlerr.UndefinedFunction, "function %s(%s) does not exist", name, SQLName(arg)).
			WithHint("No function matches the given name and argument types. You might need to add explicit type casts.")
	}
	switch name {
	case "count":
		return Int8, nil
	case "min", "max":
		if k == kOther {
			return fail()
		}
		return arg, nil
	case "sum":
		switch {
		case k == kInt2 || k == kInt4:
			return Int8, nil
		case k == kInt8 || k == kNumeric:
			return fitDecimal(MaxPrecision-asDecimal(arg).Scale, asDecimal(arg).Scale), nil
		case k == kFloat4 || k == kFloat8 || k == kInterval:
			return arg, nil
		}
	case "avg":
		switch {
		case isIntKind(k) || k == kNumeric:
			s := max(asDecimal(arg).Scale, DivScale)
			return fitDecimal(MaxPrecision-s, s), nil
		case k == kFloat4 || k == kFloat8:
			return Float8, nil
		case k == kInterval:
			return Interval, nil
		}
	case "bool_and", "bool_or", "every":
		if k == kBool || k == kNull {
			return Boolean, nil
		}
	case "string_agg":
		if k == kText || k == kNull {
			return Text, nil
		}
	case "stddev", "stddev_samp", "stddev_pop", "variance", "var_samp", "var_pop":
		switch {
		case k == kFloat4 || k == kFloat8:
			return Float8, nil
		case isIntKind(k) || k == kNumeric:
			return fitDecimal(MaxPrecision-DivScale, DivScale), nil
		}
	}
	return fail()
}
