package eval

import (
	"testing"

	"github.com/substrait-io/substrait-go/v8/expr"
	"github.com/substrait-io/substrait-go/v8/types"

	sqltypes "github.com/medleysql/medley/sql/types"
)

func ivl(months, days, secs int32) expr.Expression {
	return expr.IntervalCompoundLiteral{Months: months, Days: days, Seconds: secs,
		SubSecondPrecision: types.PrecisionMicroSeconds, Nullability: types.NullabilityNullable}
}

func TestDateArithmetic(t *testing.T) {
	d := c(dt32, "1998-12-01", "2020-01-31", nil, "2000-02-29")
	iv := sqltypes.Interval
	cases := []exprCase{
		{name: "date - interval days", cols: []column{d}, e: func(t testing.TB) expr.Expression {
			return fn(t, "subtract", ts, col(t, 0, dt32), ivl(0, 90, 0))
		}, want: "1998-09-02 00:00:00|2019-11-02 00:00:00|NULL|1999-12-01 00:00:00"},
		{name: "date + interval month clamps", cols: []column{d}, e: func(t testing.TB) expr.Expression {
			return fn(t, "add", ts, col(t, 0, dt32), ivl(1, 0, 0))
		}, want: "1999-01-01 00:00:00|2020-02-29 00:00:00|NULL|2000-03-29 00:00:00"},
		{name: "date + interval year", cols: []column{d}, e: func(t testing.TB) expr.Expression {
			return fn(t, "add", ts, col(t, 0, dt32), ivl(12, 0, 3600))
		}, want: "1999-12-01 01:00:00|2021-01-31 01:00:00|NULL|2001-02-28 01:00:00"},
		{name: "interval + date", cols: []column{d}, e: func(t testing.TB) expr.Expression {
			return fn(t, "add", ts, ivl(0, 1, 0), col(t, 0, dt32))
		}, want: "1998-12-02 00:00:00|2020-02-01 00:00:00|NULL|2000-03-01 00:00:00"},
		{name: "date + integer", cols: []column{d}, e: func(t testing.TB) expr.Expression {
			return fn(t, "add", dt32, col(t, 0, dt32), lit(t, int32(30)))
		}, want: "1998-12-31|2020-03-01|NULL|2000-03-30"},
		{name: "date - date", cols: []column{d, c(dt32, "1998-01-01", "2020-01-01", "2000-01-01", "2000-03-01")}, e: func(t testing.TB) expr.Expression {
			return fn(t, "subtract", i32, col(t, 0, dt32), col(t, 1, dt32))
		}, want: "334|30|NULL|-1"},
		{name: "date - interval as date", cols: []column{d}, e: func(t testing.TB) expr.Expression {
			return fn(t, "subtract", dt32, col(t, 0, dt32), ivl(3, 0, 0))
		}, want: "1998-09-01|2019-10-31|NULL|1999-11-29"},
		{name: "timestamp - timestamp", cols: []column{c(ts, "2020-01-02 03:00:00"), c(ts, "2020-01-01 00:00:00")}, e: func(t testing.TB) expr.Expression {
			return fn(t, "subtract", iv, col(t, 0, ts), col(t, 1, ts))
		}, want: "1 day 03:00:00"},
		{name: "interval * 2", cols: []column{c(i64, 2)}, e: func(t testing.TB) expr.Expression {
			return fn(t, "multiply", iv, ivl(1, 1, 1), col(t, 0, i64))
		}, want: "2 mons 2 days 00:00:02"},
		{name: "interval + interval", cols: []column{c(i64, 2)}, e: func(t testing.TB) expr.Expression {
			return fn(t, "add", iv, ivl(14, 1, 0), ivl(0, 2, 61))
		}, want: "1 year 2 mons 3 days 00:01:01"},
	}
	runCases(t, cases)
}

func TestExtract(t *testing.T) {
	tss := c(ts, "2024-02-29 13:45:30.25", "1969-12-31 23:59:59", nil)
	dates := c(dt32, "2024-02-29", "1970-01-04", "2021-01-01")
	exd := func(field string, out any, idx ...string) func(t testing.TB) expr.Expression {
		return func(t testing.TB) expr.Expression {
			args := []types.FuncArg{types.Enum(field)}
			for _, i := range idx {
				args = append(args, types.Enum(i))
			}
			return fn(t, "extract", dtOf(out), append(args, col(t, 0, dt32))...)
		}
	}
	ext := func(field string, out any) func(t testing.TB) expr.Expression {
		return func(t testing.TB) expr.Expression {
			return fn(t, "extract", dtOf(out), types.Enum(field), col(t, 0, ts))
		}
	}
	cases := []exprCase{
		{name: "year", cols: []column{dates}, e: exd("YEAR", i64), want: "2024|1970|2021"},
		{name: "year numeric", cols: []column{dates}, e: exd("YEAR", dec(38, 0)), want: "2024|1970|2021"},
		{name: "month", cols: []column{dates}, e: exd("MONTH", i32, "ONE"), want: "2|1|1"},
		{name: "month zero", cols: []column{dates}, e: exd("MONTH", i32, "ZERO"), want: "1|0|0"},
		{name: "day", cols: []column{dates}, e: exd("DAY", i64), want: "29|4|1"},
		{name: "quarter", cols: []column{dates}, e: exd("QUARTER", i64), want: "1|1|1"},
		{name: "dow", cols: []column{dates}, e: exd("DOW", i64), want: "4|0|5"},
		{name: "isodow", cols: []column{dates}, e: exd("ISODOW", i64), want: "4|7|5"},
		{name: "doy", cols: []column{dates}, e: exd("DOY", i64), want: "60|4|1"},
		{name: "week", cols: []column{dates}, e: exd("WEEK", i64), want: "9|1|53"},
		{name: "isoyear", cols: []column{dates}, e: exd("ISOYEAR", i64), want: "2024|1970|2020"},
		{name: "epoch date", cols: []column{dates}, e: exd("EPOCH", i64), want: "1709164800|259200|1609459200"},
		{name: "hour", cols: []column{tss}, e: ext("HOUR", i64), want: "13|23|NULL"},
		{name: "minute", cols: []column{tss}, e: ext("MINUTE", i64), want: "45|59|NULL"},
		{name: "second numeric", cols: []column{tss}, e: ext("SECOND", dec(8, 6)), want: "30.250000|59.000000|NULL"},
		{name: "second int", cols: []column{tss}, e: ext("SECOND", i64), want: "30|59|NULL"},
		{name: "epoch", cols: []column{tss}, e: ext("EPOCH", dec(20, 6)), want: "1709214330.250000|-1.000000|NULL"},
		{name: "century", cols: []column{dates}, e: exd("CENTURY", i64), want: "21|20|21"},
		{name: "unknown field", cols: []column{dates}, e: exd("FORTNIGHT", i64), code: "0A000"},
	}
	runCases(t, cases)
}
