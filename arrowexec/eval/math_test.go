package eval

import (
	"testing"

	"github.com/substrait-io/substrait-go/v8/expr"
)

func TestMath(t *testing.T) {
	one := func(name string, out any, from any) func(t testing.TB) expr.Expression {
		return func(t testing.TB) expr.Expression { return fn(t, name, dtOf(out), col(t, 0, dtOf(from))) }
	}
	cases := []exprCase{
		{name: "sqrt", cols: []column{c(f64, 4, 2, nil)}, e: one("sqrt", f64, f64), want: "2|1.4142135623730951|NULL"},
		{name: "sqrt negative", cols: []column{c(f64, -1)}, e: one("sqrt", f64, f64), code: "2201F"},
		{name: "sqrt of int", cols: []column{c(i64, 9)}, e: one("sqrt", f64, i64), want: "3"},
		{name: "exp", cols: []column{c(f64, 0, 1)}, e: one("exp", f64, f64), want: "1|2.718281828459045"},
		{name: "exp overflow", cols: []column{c(f64, 1000)}, e: one("exp", f64, f64), code: "22003"},
		{name: "ln", cols: []column{c(f64, 1)}, e: one("ln", f64, f64), want: "0"},
		{name: "ln zero", cols: []column{c(f64, 0)}, e: one("ln", f64, f64), code: "2201E"},
		{name: "log10", cols: []column{c(f64, 1000)}, e: one("log10", f64, f64), want: "3"},
		{name: "power", cols: []column{c(f64, 2, -8)}, e: func(t testing.TB) expr.Expression {
			return fn(t, "power", f64, col(t, 0, f64), lit(t, 3.0))
		}, want: "8|-512"},
		{name: "power complex", cols: []column{c(f64, -8)}, e: func(t testing.TB) expr.Expression {
			return fn(t, "power", f64, col(t, 0, f64), lit(t, 0.5))
		}, code: "2201F"},
		{name: "floor float", cols: []column{c(f64, 1.5, -1.5)}, e: one("floor", f64, f64), want: "1|-2"},
		{name: "ceil float", cols: []column{c(f64, 1.5, -1.5)}, e: one("ceil", f64, f64), want: "2|-1"},
		{name: "round float half even", cols: []column{c(f64, 2.5, 3.5, -2.5)}, e: one("round", f64, f64), want: "2|4|-2"},
		{name: "floor decimal", cols: []column{c(dec(10, 2), "1.50", "-1.50", "2.00", nil)}, e: one("floor", dec(10, 0), dec(10, 2)), want: "1|-2|2|NULL"},
		{name: "ceil decimal", cols: []column{c(dec(10, 2), "1.50", "-1.50", "2.00")}, e: one("ceil", dec(10, 0), dec(10, 2)), want: "2|-1|2"},
		{name: "round decimal half away", cols: []column{c(dec(10, 2), "2.50", "-2.50", "2.49")}, e: one("round", dec(10, 0), dec(10, 2)), want: "3|-3|2"},
		{name: "round decimal digits", cols: []column{c(dec(10, 3), "2.345", "-2.345")}, e: func(t testing.TB) expr.Expression {
			return fn(t, "round", dec(10, 2), col(t, 0, dec(10, 3)), lit(t, int32(2)))
		}, want: "2.35|-2.35"},
		{name: "round decimal negative digits", cols: []column{c(dec(10, 1), "1250.0")}, e: func(t testing.TB) expr.Expression {
			return fn(t, "round", dec(10, 1), col(t, 0, dec(10, 1)), lit(t, int32(-2)))
		}, want: "1300.0"},
		{name: "round 38 digits", cols: []column{c(dec(38, 1), "9999999999999999999999999999999999999.5")}, e: one("round", dec(38, 0), dec(38, 1)),
			want: "10000000000000000000000000000000000000"},
		{name: "round overflow", cols: []column{c(dec(38, 0), "99999999999999999999999999999999999999")}, e: func(t testing.TB) expr.Expression {
			return fn(t, "round", dec(38, 0), col(t, 0, dec(38, 0)), lit(t, int32(-1)))
		}, code: "22003"},
	}
	runCases(t, cases)
}
