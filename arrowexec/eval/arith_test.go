package eval

import (
	"testing"

	"github.com/substrait-io/substrait-go/v8/expr"

	"github.com/medleysql/medley/sql/sqlerr"
)

func TestArithmeticIntegers(t *testing.T) {
	two := func(name string) func(t testing.TB) expr.Expression {
		return func(t testing.TB) expr.Expression { return fn(t, name, i64, col(t, 0, i64), col(t, 1, i64)) }
	}
	cases := []exprCase{
		{name: "add", cols: []column{c(i64, 1, nil, -5), c(i64, 2, 3, nil)}, e: two("add"), want: "3|NULL|NULL"},
		{name: "add overflow", cols: []column{c(i64, int64(9223372036854775807)), c(i64, 1)}, e: two("add"),
			code: sqlerr.NumericValueOutOfRange, msg: "bigint out of range"},
		{name: "overflow under NULL is ignored", cols: []column{c(i64, nil, 1), c(i64, 1, 1)},
			e: func(t testing.TB) expr.Expression {
				return fn(t, "multiply", i64, col(t, 0, i64), lit(t, 9223372036854775807))
			}, want: "NULL|9223372036854775807"},
		{name: "subtract", cols: []column{c(i64, 1, 10), c(i64, 2, 3)}, e: two("subtract"), want: "-1|7"},
		{name: "subtract overflow", cols: []column{c(i64, int64(-9223372036854775808)), c(i64, 1)}, e: two("subtract"),
			code: sqlerr.NumericValueOutOfRange},
		{name: "multiply", cols: []column{c(i64, 6, -4), c(i64, 7, 5)}, e: two("multiply"), want: "42|-20"},
		{name: "multiply overflow", cols: []column{c(i64, int64(4294967296)), c(i64, int64(4294967296))}, e: two("multiply"),
			code: sqlerr.NumericValueOutOfRange},
		{name: "divide truncates", cols: []column{c(i64, 7, -7, 7), c(i64, 2, 2, -2)}, e: two("divide"), want: "3|-3|-3"},
		{name: "divide by zero", cols: []column{c(i64, 1), c(i64, 0)}, e: two("divide"), code: sqlerr.DivisionByZero, msg: "division by zero"},
		{name: "divide by zero under NULL", cols: []column{c(i64, nil, 4), c(i64, 0, 2)}, e: two("divide"), want: "NULL|2"},
		{name: "min / -1", cols: []column{c(i64, int64(-9223372036854775808)), c(i64, -1)}, e: two("divide"), code: sqlerr.NumericValueOutOfRange},
		{name: "modulus", cols: []column{c(i64, 7, -7), c(i64, 3, 3)}, e: two("modulus"), want: "1|-1"},
		{name: "modulus zero", cols: []column{c(i64, 7), c(i64, 0)}, e: two("modulus"), code: sqlerr.DivisionByZero},
		{name: "empty batch", cols: []column{c(i64), c(i64)}, e: two("add"), want: ""},
		{name: "int32 overflow", cols: []column{c(i32, 2147483647)}, e: func(t testing.TB) expr.Expression {
			return fn(t, "add", i32, col(t, 0, i32), lit(t, int32(1)))
		}, code: sqlerr.NumericValueOutOfRange, msg: "integer out of range"},
		{name: "int16 widened to int32", cols: []column{c(i16, 32767)}, e: func(t testing.TB) expr.Expression {
			return fn(t, "add", i32, col(t, 0, i16), lit(t, int32(1)))
		}, want: "32768"},
		{name: "constant left", cols: []column{c(i64, 1, 2)}, e: func(t testing.TB) expr.Expression {
			return fn(t, "subtract", i64, lit(t, 10), col(t, 0, i64))
		}, want: "9|8"},
		{name: "constant divisor zero", cols: []column{c(i64, 1)}, e: func(t testing.TB) expr.Expression {
			return fn(t, "divide", i64, col(t, 0, i64), lit(t, 0))
		}, code: sqlerr.DivisionByZero},
		{name: "null constant", cols: []column{c(i64, 1)}, e: func(t testing.TB) expr.Expression {
			return fn(t, "add", i64, col(t, 0, i64), nullLit(t, i64))
		}, want: "NULL"},
		{name: "negate", cols: []column{c(i64, 1, nil)}, e: func(t testing.TB) expr.Expression {
			return fn(t, "negate", i64, col(t, 0, i64))
		}, want: "-1|NULL"},
		{name: "negate min", cols: []column{c(i64, int64(-9223372036854775808))}, e: func(t testing.TB) expr.Expression {
			return fn(t, "negate", i64, col(t, 0, i64))
		}, code: sqlerr.NumericValueOutOfRange},
		{name: "abs", cols: []column{c(i32, -3, 4)}, e: func(t testing.TB) expr.Expression {
			return fn(t, "abs", i32, col(t, 0, i32))
		}, want: "3|4"},
	}
	runCases(t, cases)
}

func TestArithmeticFloats(t *testing.T) {
	cases := []exprCase{
		{name: "add", cols: []column{c(f64, 1.5, nil)}, e: func(t testing.TB) expr.Expression {
			return fn(t, "add", f64, col(t, 0, f64), lit(t, 1.0))
		}, want: "2.5|NULL"},
		{name: "int to float", cols: []column{c(i64, 3)}, e: func(t testing.TB) expr.Expression {
			return fn(t, "divide", f64, col(t, 0, i64), lit(t, 2.0))
		}, want: "1.5"},
		{name: "divide by zero", cols: []column{c(f64, 1.0)}, e: func(t testing.TB) expr.Expression {
			return fn(t, "divide", f64, col(t, 0, f64), lit(t, 0.0))
		}, code: sqlerr.DivisionByZero},
	}
	runCases(t, cases)
}

func TestArithmeticDecimals(t *testing.T) {
	cases := []exprCase{
		{name: "add scales", cols: []column{c(dec(15, 2), "1.25", nil, "-3.10")}, e: func(t testing.TB) expr.Expression {
			return fn(t, "add", dec(17, 3), col(t, 0, dec(15, 2)), decLit(t, "0.005", 4, 3))
		}, want: "1.255|NULL|-3.095"},
		{name: "tpch discount", cols: []column{c(dec(15, 2), "901.00", "55.55"), c(dec(15, 2), "0.04", "0.10")},
			e: func(t testing.TB) expr.Expression {
				one := decLit(t, "1", 1, 0)
				disc := fn(t, "subtract", dec(16, 2), one, col(t, 1, dec(15, 2)))
				return fn(t, "multiply", dec(31, 4), col(t, 0, dec(15, 2)), disc)
			}, want: "864.9600|49.9950"},
		{name: "multiply rounds half away", cols: []column{c(dec(10, 2), "1.25", "-1.25")}, e: func(t testing.TB) expr.Expression {
			return fn(t, "multiply", dec(12, 1), col(t, 0, dec(10, 2)), decLit(t, "0.5", 2, 1))
		}, want: "0.6|-0.6"},
		{name: "divide", cols: []column{c(dec(10, 2), "1.00", "2.00", "-2.00")}, e: func(t testing.TB) expr.Expression {
			return fn(t, "divide", dec(20, 6), col(t, 0, dec(10, 2)), decLit(t, "3", 1, 0))
		}, want: "0.333333|0.666667|-0.666667"},
		{name: "divide by zero", cols: []column{c(dec(10, 2), "1.00")}, e: func(t testing.TB) expr.Expression {
			return fn(t, "divide", dec(20, 6), col(t, 0, dec(10, 2)), decLit(t, "0", 1, 0))
		}, code: sqlerr.DivisionByZero},
		{name: "38 digits", cols: []column{c(dec(38, 0), "99999999999999999999999999999999999999")}, e: func(t testing.TB) expr.Expression {
			return fn(t, "subtract", dec(38, 0), col(t, 0, dec(38, 0)), decLit(t, "1", 1, 0))
		}, want: "99999999999999999999999999999999999998"},
		{name: "38 digits overflow", cols: []column{c(dec(38, 0), "99999999999999999999999999999999999999")}, e: func(t testing.TB) expr.Expression {
			return fn(t, "add", dec(38, 0), col(t, 0, dec(38, 0)), decLit(t, "1", 1, 0))
		}, code: sqlerr.NumericValueOutOfRange, msg: "numeric field overflow"},
		{name: "big multiply", cols: []column{c(dec(38, 10), "12345678901234567890.1234567891")}, e: func(t testing.TB) expr.Expression {
			return fn(t, "multiply", dec(38, 6), col(t, 0, dec(38, 10)), decLit(t, "2.5", 2, 1))
		}, want: "30864197253086419725.308642"},
		{name: "integer operand", cols: []column{c(i32, 3)}, e: func(t testing.TB) expr.Expression {
			return fn(t, "multiply", dec(13, 2), col(t, 0, i32), decLit(t, "1.50", 3, 2))
		}, want: "4.50"},
		{name: "modulus", cols: []column{c(dec(10, 2), "7.50", "-7.50")}, e: func(t testing.TB) expr.Expression {
			return fn(t, "modulus", dec(10, 2), col(t, 0, dec(10, 2)), decLit(t, "2", 1, 0))
		}, want: "1.50|-1.50"},
		{name: "negate", cols: []column{c(dec(10, 2), "7.50", nil)}, e: func(t testing.TB) expr.Expression {
			return fn(t, "negate", dec(10, 2), col(t, 0, dec(10, 2)))
		}, want: "-7.50|NULL"},
	}
	runCases(t, cases)
}
