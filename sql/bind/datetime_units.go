package bind

import (
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/medleysql/medley/sql/plan"
	"github.com/medleysql/medley/sql/sqlerr"
	"github.com/medleysql/medley/sql/types"
)

// deltaUnits are PostgreSQL's spellings of date/time units (datetime.c's
// deltatktbl), mapped to the canonical field the executor's extract and
// date_trunc take. PostgreSQL compares a unit's first 10 bytes (TOKMAXLEN),
// so "microseconds" and "microsecond" are both "microsecon".
var deltaUnits = map[string]string{
	"microsecon": "MICROSECONDS", "us": "MICROSECONDS", "usec": "MICROSECONDS", "usecond": "MICROSECONDS",
	"useconds": "MICROSECONDS", "usecs": "MICROSECONDS",
	"millisecon": "MILLISECONDS", "ms": "MILLISECONDS", "msec": "MILLISECONDS", "msecond": "MILLISECONDS",
	"mseconds": "MILLISECONDS", "msecs": "MILLISECONDS",
	"s": "SECOND", "sec": "SECOND", "second": "SECOND", "seconds": "SECOND", "secs": "SECOND",
	"m": "MINUTE", "min": "MINUTE", "mins": "MINUTE", "minute": "MINUTE", "minutes": "MINUTE",
	"h": "HOUR", "hour": "HOUR", "hours": "HOUR", "hr": "HOUR", "hrs": "HOUR",
	"d": "DAY", "day": "DAY", "days": "DAY",
	"w": "WEEK", "week": "WEEK", "weeks": "WEEK",
	"mon": "MONTH", "mons": "MONTH", "month": "MONTH", "months": "MONTH",
	"qtr": "QUARTER", "quarter": "QUARTER",
	"y": "YEAR", "year": "YEAR", "years": "YEAR", "yr": "YEAR", "yrs": "YEAR",
	"dec": "DECADE", "decade": "DECADE", "decades": "DECADE", "decs": "DECADE",
	"c": "CENTURY", "cent": "CENTURY", "centuries": "CENTURY", "century": "CENTURY",
	"mil": "MILLENNIUM", "millennia": "MILLENNIUM", "millennium": "MILLENNIUM", "mils": "MILLENNIUM",
	"timezone": "TIMEZONE", "timezone_h": "TIMEZONE_HOUR", "timezone_m": "TIMEZONE_MINUTE",
}

// specialUnits are the further fields of EXTRACT and date_part
// (datetime.c's datetktbl entries PostgreSQL looks up after deltatktbl).
var specialUnits = map[string]string{
	"epoch": "EPOCH", "dow": "DOW", "doy": "DOY", "isodow": "ISODOW", "isoyear": "ISOYEAR",
	"j": "JULIAN", "jd": "JULIAN", "julian": "JULIAN",
}

// lookupUnit returns the canonical field of a unit as written, "" when
// PostgreSQL does not recognize it; special includes EXTRACT's fields.
func lookupUnit(unit string, special bool) string {
	u := strings.ToLower(unit)
	if len(u) > 10 {
		u = u[:10]
	}
	if f, ok := deltaUnits[u]; ok {
		return f
	}
	if special {
		return specialUnits[u]
	}
	return ""
}

// unitErr is PostgreSQL's error for a unit a function does not take:
// 22023 when the unit is not a unit at all, 0A000 when it is one the
// function lacks for the type (known reports which).
func unitErr(unit string, known bool, t arrow.DataType) error {
	if !known {
		return sqlerr.New(sqlerr.InvalidParameterValue, "unit \"%s\" not recognized for type %s", strings.ToLower(unit), types.SQLName(t))
	}
	return sqlerr.New(sqlerr.FeatureNotSupported, "unit \"%s\" not supported for type %s", strings.ToLower(unit), types.SQLName(t))
}

// timeFields are the fields of EXTRACT from a time; a date has the others.
var timeFields = map[string]bool{"MICROSECONDS": true, "MILLISECONDS": true, "SECOND": true, "MINUTE": true,
	"HOUR": true, "EPOCH": true}

// extractUnit returns the field of EXTRACT(unit FROM a value of type t),
// with PostgreSQL's errors: a date has no time fields, a time only those,
// and the executor has no JULIAN nor time zone fields (0A000).
func extractUnit(unit string, t arrow.DataType) (string, error) {
	f := lookupUnit(unit, true)
	ok := f != ""
	switch {
	case f == "" || f == "JULIAN" || strings.HasPrefix(f, "TIMEZONE"):
		ok = false
	case t.ID() == arrow.DATE32:
		ok = !timeFields[f] || f == "EPOCH"
	case t.ID() == arrow.TIME64:
		ok = timeFields[f]
	}
	if !ok {
		return "", unitErr(unit, f != "", t)
	}
	return f, nil
}

// truncFields are the fields of date_trunc.
var truncFields = map[string]bool{"MICROSECONDS": true, "MILLISECONDS": true, "SECOND": true, "MINUTE": true,
	"HOUR": true, "DAY": true, "WEEK": true, "MONTH": true, "QUARTER": true, "YEAR": true, "DECADE": true,
	"CENTURY": true, "MILLENNIUM": true}

// ambiguousFunction is SQLSTATE 42725, PostgreSQL's ambiguous_function.
const ambiguousFunction sqlerr.Code = "42725"

// dateTrunc is date_trunc(field, source) with PostgreSQL's signatures:
// (text, timestamp) → timestamp and (text, timestamptz) → timestamptz. A
// date is cast to timestamptz, PostgreSQL's preferred type among date's
// implicit casts, and an unknown-typed source is ambiguous (42725), as
// there. The field must be a constant (0A000 otherwise): the binder checks
// it, with PostgreSQL's errors, and passes it as the enum argument of
// Medley's date_trunc (sql/substrait/CONVENTIONS.md). A NULL field is NULL.
func (b *binder) dateTrunc(args []plan.Expr) (plan.Expr, error) {
	if len(args) == 3 {
		return nil, b.errAt(sqlerr.FeatureNotSupported, "date_trunc", "date_trunc with a time zone argument is not supported")
	}
	if len(args) != 2 {
		return nil, b.noFunction("date_trunc", args)
	}
	field, src := args[0], args[1]
	if !b.isUntyped(field) && field.Type().ID() != arrow.STRING {
		return nil, b.noFunction("date_trunc", args)
	}
	if b.isUntyped(src) {
		return nil, b.errAt(ambiguousFunction, "date_trunc", "function date_trunc(%s, unknown) is not unique", argTypeName(b, field)).
			WithHint("Could not choose a best candidate function. You might need to add explicit type casts.")
	}
	var err error
	switch src.Type().ID() {
	case arrow.TIMESTAMP:
	case arrow.DATE32:
		if src, err = b.coerce(src, types.TimestampTZ); err != nil {
			return nil, err
		}
	case arrow.INTERVAL_MONTH_DAY_NANO:
		return nil, b.errAt(sqlerr.FeatureNotSupported, "date_trunc", "date_trunc(text, interval) is not supported")
	default:
		return nil, b.noFunction("date_trunc", args)
	}
	res := types.Timestamp
	if src.Type().(*arrow.TimestampType).TimeZone != "" {
		res = types.TimestampTZ
	}
	l, ok := field.(*plan.Literal)
	if !ok {
		return nil, b.errAt(sqlerr.FeatureNotSupported, "date_trunc", "date_trunc with a non-constant field is not supported")
	}
	if l.Value == nil {
		return &plan.Literal{Typ: res}, nil
	}
	unit, _ := l.Value.(string)
	f := lookupUnit(unit, false)
	if !truncFields[f] {
		return nil, unitErr(unit, f != "", res)
	}
	return plan.NewCall("date_trunc", res, &plan.Enum{Value: f}, src), nil
}

func argTypeName(b *binder, x plan.Expr) string {
	if b.isUntyped(x) {
		return "unknown"
	}
	return types.SQLName(x.Type())
}
