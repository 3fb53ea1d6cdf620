package eval

import (
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/substrait-io/substrait-go/v8/expr"
	"github.com/substrait-io/substrait-go/v8/types"
)

// TestTrunc: round with the rounding option TRUNCATE is PostgreSQL's
// trunc, toward zero, NULL in NULL out; FLOOR and CEILING take digits.
func TestTrunc(t *testing.T) {
	opt := func(mode string) []*types.FunctionOption {
		return []*types.FunctionOption{{Name: "rounding", Preference: []string{mode}}}
	}
	round := func(mode string, out, in arrow.DataType, digits any) func(t testing.TB) expr.Expression {
		return func(t testing.TB) expr.Expression {
			var d expr.Expression
			switch digits := digits.(type) {
			case nil:
				d = nullLit(t, arrow.PrimitiveTypes.Int32)
			case int:
				d = lit(t, int32(digits))
			}
			var o []*types.FunctionOption
			if mode != "" {
				o = opt(mode)
			}
			return fnOpts(t, "round", out, o, col(t, 0, in), d)
		}
	}
	i32 := arrow.PrimitiveTypes.Int32
	cases := []exprCase{
		{name: "float", cols: []column{c(f64, 2.7, -2.7, -0.5, 1e300, nil)}, e: round("TRUNCATE", f64, f64, 0),
			want: "2|-2|-0|1e+300|NULL"},
		{name: "float specials", cols: []column{c(f64, "NaN", "-Inf")}, e: round("TRUNCATE", f64, f64, 0), want: "NaN|-Infinity"},
		{name: "float digits", cols: []column{c(f64, 2.789, -2.789)}, e: round("TRUNCATE", f64, f64, 1), want: "2.7|-2.7"},
		{name: "decimal", cols: []column{c(dec(10, 2), "2.79", "-2.79", "-0.50", "9.99", nil)}, e: round("TRUNCATE", dec(9, 0), dec(10, 2), 0),
			want: "2|-2|0|9|NULL"},
		{name: "decimal digits", cols: []column{c(dec(10, 3), "2.789", "-2.789", "0.001")}, e: round("TRUNCATE", dec(8, 1), dec(10, 3), 1),
			want: "2.7|-2.7|0.0"},
		{name: "decimal negative digits", cols: []column{c(dec(10, 3), "1234.567", "-1299.999")}, e: round("TRUNCATE", dec(7, 0), dec(10, 3), -2),
			want: "1200|-1200"},
		{name: "decimal more digits", cols: []column{c(dec(5, 1), "2.7")}, e: round("TRUNCATE", dec(7, 3), dec(5, 1), 3), want: "2.700"},
		{name: "decimal NULL digits", cols: []column{c(dec(5, 1), "2.7")}, e: round("TRUNCATE", dec(5, 1), dec(5, 1), nil), want: "NULL"},
		{name: "integer", cols: []column{c(i64, 7, -7)}, e: round("TRUNCATE", dec(19, 0), i64, 0), want: "7|-7"},
		{name: "floor digits", cols: []column{c(dec(10, 3), "2.789", "-2.781")}, e: round("FLOOR", dec(9, 2), dec(10, 3), 2), want: "2.78|-2.79"},
		{name: "ceiling digits", cols: []column{c(dec(10, 3), "2.781", "-2.789")}, e: round("CEILING", dec(9, 2), dec(10, 3), 2), want: "2.79|-2.78"},
		{name: "tie away", cols: []column{c(dec(10, 2), "2.45", "-2.45")}, e: round("TIE_AWAY_FROM_ZERO", dec(10, 1), dec(10, 2), 1), want: "2.5|-2.5"},
		{name: "unknown mode", cols: []column{c(dec(10, 2), "2.45")}, e: round("TIE_TO_ODD", dec(10, 1), dec(10, 2), 1), code: "0A000"},
	}
	// Digits from a column: each row truncated to its own digits, at the
	// input's scale.
	cases = append(cases, exprCase{name: "decimal row digits", cols: []column{c(dec(10, 3), "2.789", "-2.789", "5.555"), c(i32, 1, 2, nil)},
		e: func(t testing.TB) expr.Expression {
			return fnOpts(t, "round", dec(10, 3), opt("TRUNCATE"), col(t, 0, dec(10, 3)), col(t, 1, i32))
		}, want: "2.700|-2.780|NULL"})
	runCases(t, cases)
}
