package eval

import (
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/substrait-io/substrait-go/v8/expr"
	"github.com/substrait-io/substrait-go/v8/types"

	"github.com/medleysql/medley/sql/sqlerr"
	sqltypes "github.com/medleysql/medley/sql/types"
)

func cast(t testing.TB, e expr.Expression, to arrow.DataType) expr.Expression {
	return &expr.Cast{Type: st(t, to), Input: e, FailureBehavior: types.BehaviorThrowException}
}

func TestCast(t *testing.T) {
	cs := func(from arrow.DataType, to arrow.DataType) func(t testing.TB) expr.Expression {
		return func(t testing.TB) expr.Expression { return cast(t, col(t, 0, from), to) }
	}
	f32 := arrow.PrimitiveTypes.Float32
	cases := []exprCase{
		{name: "int widen", cols: []column{c(i32, 1, nil)}, e: cs(i32, i64), want: "1|NULL"},
		{name: "int narrow", cols: []column{c(i64, 70000)}, e: cs(i64, i16), code: sqlerr.NumericValueOutOfRange, msg: "smallint out of range"},
		{name: "int narrow ok", cols: []column{c(i64, -32768)}, e: cs(i64, i16), want: "-32768"},
		{name: "int to decimal", cols: []column{c(i32, 12, -3)}, e: cs(i32, dec(5, 2)), want: "12.00|-3.00"},
		{name: "int to decimal overflow", cols: []column{c(i32, 1000)}, e: cs(i32, dec(5, 2)), code: sqlerr.NumericValueOutOfRange, msg: "numeric field overflow"},
		{name: "decimal round half away", cols: []column{c(dec(10, 3), "1.005", "-1.005", "1.004")}, e: cs(dec(10, 3), dec(10, 2)), want: "1.01|-1.01|1.00"},
		{name: "decimal to int rounds", cols: []column{c(dec(10, 1), "2.5", "-2.5", "2.4")}, e: cs(dec(10, 1), i32), want: "3|-3|2"},
		{name: "decimal to float", cols: []column{c(dec(10, 2), "0.10", "123.45")}, e: cs(dec(10, 2), f64), want: "0.1|123.45"},
		{name: "float to int even", cols: []column{c(f64, 2.5, 3.5, -2.5)}, e: cs(f64, i32), want: "2|4|-2"},
		{name: "float to int overflow", cols: []column{c(f64, 1e10)}, e: cs(f64, i32), code: sqlerr.NumericValueOutOfRange},
		{name: "float to decimal", cols: []column{c(f64, 0.1, 2.675, -1.5)}, e: cs(f64, dec(10, 2)), want: "0.10|2.68|-1.50"},
		{name: "float narrow", cols: []column{c(f64, 1.5)}, e: cs(f64, f32), want: "1.5"},
		{name: "string to int", cols: []column{c(str, " 42 ", "-7", nil)}, e: cs(str, i32), want: "42|-7|NULL"},
		{name: "string to int bad", cols: []column{c(str, "abc")}, e: cs(str, i32), code: sqlerr.InvalidTextRepr, msg: `invalid input syntax for type integer: "abc"`},
		{name: "string to int range", cols: []column{c(str, "99999999999")}, e: cs(str, i32), code: sqlerr.NumericValueOutOfRange, msg: "out of range for type integer"},
		{name: "string to decimal", cols: []column{c(str, "1.235", "-0.5e1", ".5")}, e: cs(str, dec(6, 2)), want: "1.24|-5.00|0.50"},
		{name: "string to decimal bad", cols: []column{c(str, "1.2.3")}, e: cs(str, dec(6, 2)), code: sqlerr.InvalidTextRepr, msg: "numeric"},
		{name: "string to decimal overflow", cols: []column{c(str, "12345")}, e: cs(str, dec(6, 2)), code: sqlerr.NumericValueOutOfRange},
		{name: "string to 38 digits", cols: []column{c(str, "12345678901234567890123456789012345678")}, e: cs(str, dec(38, 0)), want: "12345678901234567890123456789012345678"},
		{name: "string to float", cols: []column{c(str, "1.5", "NaN", "-Infinity")}, e: cs(str, f64), want: "1.5|NaN|-Infinity"},
		{name: "string to float bad", cols: []column{c(str, "0x10")}, e: cs(str, f64), code: sqlerr.InvalidTextRepr, msg: "double precision"},
		{name: "string to bool", cols: []column{c(str, "t", "FALSE", "yes", "0", " on ")}, e: cs(str, bl), want: "true|false|true|false|true"},
		{name: "string to bool bad", cols: []column{c(str, "maybe")}, e: cs(str, bl), code: sqlerr.InvalidTextRepr, msg: "boolean"},
		{name: "string to date", cols: []column{c(str, "1998-12-01")}, e: cs(str, dt32), want: "1998-12-01"},
		{name: "string to date bad", cols: []column{c(str, "1998-13-01")}, e: cs(str, dt32), code: sqlerr.DatetimeFieldOverflow},
		{name: "string to date syntax", cols: []column{c(str, "yesterday-ish")}, e: cs(str, dt32), code: sqlerr.InvalidDatetimeFormat},
		{name: "string to timestamp", cols: []column{c(str, "2020-01-02 03:04:05.5", "2020-01-02T03:04:05+01:00", "2020-01-02")}, e: cs(str, ts),
			want: "2020-01-02 03:04:05.5|2020-01-02 03:04:05|2020-01-02 00:00:00"}, // the offset is ignored for timestamp without time zone, as in PostgreSQL
		{name: "int to string", cols: []column{c(i64, -12, nil)}, e: cs(i64, str), want: "-12|NULL"},
		{name: "decimal to string keeps scale", cols: []column{c(dec(10, 3), "1.500", "-0.010")}, e: cs(dec(10, 3), str), want: "1.500|-0.010"},
		{name: "bool to string", cols: []column{c(bl, true, false)}, e: cs(bl, str), want: "true|false"},
		{name: "float to string", cols: []column{c(f64, 0.1, 1e20, 1e-5, 123456.0)}, e: cs(f64, str), want: "0.1|1e+20|1e-05|123456"},
		{name: "date to string", cols: []column{c(dt32, "2024-02-29")}, e: cs(dt32, str), want: "2024-02-29"},
		{name: "timestamp to string", cols: []column{c(ts, "2024-02-29 01:02:03.04")}, e: cs(ts, str), want: "2024-02-29 01:02:03.04"},
		{name: "date to timestamp", cols: []column{c(dt32, "2024-02-29")}, e: cs(dt32, ts), want: "2024-02-29 00:00:00"},
		{name: "timestamp to date", cols: []column{c(ts, "1969-12-31 23:00:00")}, e: cs(ts, dt32), want: "1969-12-31"},
		{name: "timestamp to timestamptz", cols: []column{c(ts, "2024-02-29 01:00:00")}, e: cs(ts, sqltypes.TimestampTZ), want: "2024-02-29 01:00:00+00"},
		{name: "int to bool", cols: []column{c(i32, 0, 5)}, e: cs(i32, bl), want: "false|true"},
		{name: "bool to int", cols: []column{c(bl, true, false)}, e: cs(bl, i32), want: "1|0"},
		{name: "unsupported", cols: []column{c(dt32, "2024-02-29")}, e: cs(dt32, i32), code: sqlerr.CannotCoerce},
		{name: "null literal", cols: []column{c(i64, 1)}, e: func(t testing.TB) expr.Expression {
			return cast(t, nullLit(t, str), i64)
		}, want: "NULL"},
		{name: "interval to string", cols: []column{c(i64, 1)}, e: func(t testing.TB) expr.Expression {
			return cast(t, ivl(13, -2, 3723), str)
		}, want: "1 year 1 mon -2 days 01:02:03"},
	}
	runCases(t, cases)
}

func TestParseBytea(t *testing.T) {
	for in, want := range map[string]string{
		`\x0102ff`: "\x01\x02\xff", `\x01 02`: "\x01\x02", `\x`: "", `abc`: "abc",
		`a\\b`: `a\b`, `\001\377`: "\x01\xff",
	} {
		got, err := parseBytea(in, nil)
		if err != nil || string(got.([]byte)) != want {
			t.Errorf("parseBytea(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{`\x0`, `\xzz`, `a\b`, `\4000`} {
		if _, err := parseBytea(in, nil); err == nil {
			t.Errorf("parseBytea(%q): want an error", in)
		}
	}
}
