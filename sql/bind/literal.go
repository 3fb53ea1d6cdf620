package bind

import (
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"vitess.io/vitess/go/vt/sqlparser"

	"github.com/medleysql/medley/sql/plan"
	"github.com/medleysql/medley/sql/sqlerr"
	"github.com/medleysql/medley/sql/types"
)

func (b *binder) literal(e *sqlparser.Literal) (plan.Expr, error) {
	switch e.Type {
	case sqlparser.StrVal:
		l := &plan.Literal{Value: e.Val, Typ: types.Text}
		b.untyped[l] = true
		return l, nil
	case sqlparser.IntVal:
		v, err := strconv.ParseInt(e.Val, 10, 64)
		if err != nil {
			return decimalLiteral(e.Val)
		}
		if v >= -1<<31 && v < 1<<31 {
			return &plan.Literal{Value: v, Typ: types.Int4}, nil
		}
		return &plan.Literal{Value: v, Typ: types.Int8}, nil
	case sqlparser.DecimalVal:
		return decimalLiteral(e.Val)
	case sqlparser.FloatVal:
		v, err := strconv.ParseFloat(e.Val, 64)
		if err != nil {
			return nil, sqlerr.New(sqlerr.InvalidTextRepr, "invalid input syntax for type double precision: \"%s\"", e.Val)
		}
		return &plan.Literal{Value: v, Typ: types.Float8}, nil
	case sqlparser.DateVal:
		return plan.CastLiteral(&plan.Literal{Value: e.Val, Typ: types.Text}, types.Date)
	case sqlparser.TimestampVal:
		return plan.CastLiteral(&plan.Literal{Value: e.Val, Typ: types.Text}, types.Timestamp)
	case sqlparser.TimeVal:
		return plan.CastLiteral(&plan.Literal{Value: e.Val, Typ: types.Time}, types.Time)
	}
	return nil, unsupported("literal %s is not supported", sqlparser.String(e))
}

// decimalLiteral types 12.50 as numeric(4,2), as PostgreSQL does.
func decimalLiteral(s string) (plan.Expr, error) {
	digits := strings.TrimLeft(strings.Replace(s, ".", "", 1), "-+")
	scale := 0
	if i := strings.IndexByte(s, '.'); i >= 0 {
		scale = len(s) - i - 1
	}
	prec := max(len(strings.TrimLeft(digits, "0")), scale, 1)
	if prec > types.MaxPrecision {
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return nil, sqlerr.New(sqlerr.InvalidTextRepr, "invalid input syntax for type numeric: \"%s\"", s)
		}
		return &plan.Literal{Value: f, Typ: types.Float8}, nil
	}
	n, err := decimal128.FromString(s, int32(prec), int32(scale))
	if err != nil {
		return nil, sqlerr.New(sqlerr.InvalidTextRepr, "invalid input syntax for type numeric: \"%s\"", s)
	}
	return &plan.Literal{Value: n, Typ: types.Decimal(int32(prec), int32(scale))}, nil
}

func (b *binder) param(e *sqlparser.Argument) (plan.Expr, error) {
	name := strings.TrimPrefix(e.Name, ":")
	if !strings.HasPrefix(name, "v") {
		return nil, unsupported("parameter %s is not supported", e.Name)
	}
	n, err := strconv.Atoi(name[1:])
	if err != nil || n < 1 || n > 65535 {
		return nil, sqlerr.New(sqlerr.UndefinedParameter, "there is no parameter $%s", name[1:])
	}
	for len(b.params) < n {
		b.params = append(b.params, nil)
	}
	t := b.params[n-1]
	if t == nil {
		t = types.Null
	}
	return &plan.Param{Index: n - 1, Typ: t}, nil
}

// interval returns the interval literal n unit.
func intervalOf(v int64, unit sqlparser.IntervalType) (arrow.MonthDayNanoInterval, bool) {
	const sec = int64(1e9)
	var iv arrow.MonthDayNanoInterval
	switch unit {
	case sqlparser.IntervalYear:
		iv.Months = int32(12 * v)
	case sqlparser.IntervalQuarter:
		iv.Months = int32(3 * v)
	case sqlparser.IntervalMonth:
		iv.Months = int32(v)
	case sqlparser.IntervalWeek:
		iv.Days = int32(7 * v)
	case sqlparser.IntervalDay:
		iv.Days = int32(v)
	case sqlparser.IntervalHour:
		iv.Nanoseconds = v * 3600 * sec
	case sqlparser.IntervalMinute:
		iv.Nanoseconds = v * 60 * sec
	case sqlparser.IntervalSecond:
		iv.Nanoseconds = v * sec
	case sqlparser.IntervalMicrosecond:
		iv.Nanoseconds = v * 1000
	default:
		return iv, false
	}
	return iv, true
}
