package eval

import (
	"testing"

	"github.com/substrait-io/substrait-go/v8/expr"
	"github.com/substrait-io/substrait-go/v8/types"

	"github.com/medleysql/medley/sql/sqlerr"
)

// callOf builds name(args...) of type out from argument builders.
func callOf(name string, out any, args ...func(t testing.TB) expr.Expression) func(t testing.TB) expr.Expression {
	return func(t testing.TB) expr.Expression {
		xs := make([]types.FuncArg, len(args))
		for i, a := range args {
			xs[i] = a(t)
		}
		return fn(t, name, dtOf(out), xs...)
	}
}

func litOf(v any) func(t testing.TB) expr.Expression {
	return func(t testing.TB) expr.Expression { return lit(t, v) }
}

func colOf(i int, dt any) func(t testing.TB) expr.Expression {
	return func(t testing.TB) expr.Expression { return col(t, i, dtOf(dt)) }
}

// The expected values are PostgreSQL 15's (UTF8, C.UTF-8).
func TestTextFunctions(t *testing.T) {
	c0, c1, c2 := colOf(0, str), colOf(1, str), colOf(2, str)
	cases := []exprCase{
		{name: "initcap", cols: []column{c(str, "hÉllo wORLD-foo_bar 3am", "ABC dEF123ghi o'neil  x-y", "", nil)},
			e: callOf("initcap", str, c0), want: "Héllo World-Foo_Bar 3am|Abc Def123ghi O'Neil  X-Y||NULL"},
		{name: "initcap unicode", cols: []column{c(str, "éa ÿb 中文x ǆa ß١a", "xⅣx x²x x\u0301x xⓐx")},
			e: callOf("initcap", str, c0), want: "Éa Ÿb 中文x Ǆa ß١a|Xⅳx X²X X\u0301X Xⓐx"},
		{name: "split_part n", cols: []column{c(str, "a,b,,c", "a,b,,c", "a,b,,c", "a,b,,c", "a,b,,c", "", "a", "a"),
			c(i32, 2, 3, -1, -4, 5, 1, -2, nil)},
			e: callOf("split_part", str, c0, litOf(","), colOf(1, i32)), want: "b||c|a||||NULL"},
		{name: "split_part empty delimiter", cols: []column{c(str, "abc", "abc", "abc"), c(i32, 1, -1, 2)},
			e: callOf("split_part", str, c0, litOf(""), colOf(1, i32)), want: "abc|abc|"},
		{name: "split_part multibyte delimiter", cols: []column{c(str, "a<>b<>c", "aaa", "xéyéz"), c(str, "<>", "aa", "é")},
			e: callOf("split_part", str, c0, c1, litOf(int32(-2))), want: "b||y"},
		{name: "split_part zero", cols: []column{c(str, "a,b")},
			e: callOf("split_part", str, c0, litOf(","), litOf(int32(0))), code: sqlerr.InvalidParameterValue, msg: "field position must not be zero"},
		{name: "translate", cols: []column{c(str, "12345", "héllo", "1é", nil)},
			e: callOf("translate", str, c0, litOf("143é"), litOf("axE")), want: "a2Ex5|hllo|a|NULL"},
		{name: "translate multibyte", cols: []column{c(str, "héllo")},
			e: callOf("translate", str, c0, litOf("él"), litOf("EL")), want: "hELLo"},
		{name: "translate columns", cols: []column{c(str, "aaa", "abc", "abc", "x"), c(str, "aa", "", "abc", nil), c(str, "xy", "x", "", "y")},
			e: callOf("translate", str, c0, c1, c2), want: "xxx|abc||NULL"},
		{name: "md5", cols: []column{c(str, "", "abc", "héllo", nil)},
			e:    callOf("md5", str, c0),
			want: "d41d8cd98f00b204e9800998ecf8427e|900150983cd24fb0d6963f7d28e17f72|be50e8478cf24ff3595bc7307fb91b50|NULL"},
		{name: "left and right", cols: []column{c(str, "héllo", "héllo", "abc", "abc"), c(i32, -1, 7, -2147483648, 2147483647)},
			e:    callOf("concat", str, callOf("left", str, c0, colOf(1, i32)), litOf("|"), callOf("right", str, c0, colOf(1, i32))),
			want: "héll|éllo|héllo|héllo||abc|abc|abc"},
		{name: "wrong type", cols: []column{c(i64, 1)}, e: callOf("md5", str, colOf(0, i64)),
			code: sqlerr.FeatureNotSupported, msg: "md5(bigint)"},
	}
	runCases(t, cases)
}

func TestCodeFunctions(t *testing.T) {
	cases := []exprCase{
		{name: "ascii", cols: []column{c(str, "A", "", "é", "中文", nil)}, e: callOf("ascii", i32, colOf(0, str)), want: "65|0|233|20013|NULL"},
		{name: "chr", cols: []column{c(i32, 65, 233, 20013, 1114111, 57344, nil)}, e: callOf("chr", str, colOf(0, i32)),
			want: "A|é|中|\U0010FFFF|\uE000|NULL"},
		{name: "chr zero", cols: []column{c(i32, 0)}, e: callOf("chr", str, colOf(0, i32)),
			code: sqlerr.ProgramLimitExceeded, msg: "null character not permitted"},
		{name: "chr negative", cols: []column{c(i32, -1)}, e: callOf("chr", str, colOf(0, i32)),
			code: sqlerr.InvalidParameterValue, msg: "character number must be positive"},
		{name: "chr too large", cols: []column{c(i32, 1114112)}, e: callOf("chr", str, colOf(0, i32)),
			code: sqlerr.ProgramLimitExceeded, msg: "requested character too large for encoding: 1114112"},
		{name: "chr surrogate", cols: []column{c(i32, 55296)}, e: callOf("chr", str, colOf(0, i32)),
			code: sqlerr.ProgramLimitExceeded, msg: "requested character not valid for encoding: 55296"},
		{name: "to_hex i32", cols: []column{c(i32, 255, -1, 0, -2147483648, nil)}, e: callOf("to_hex", str, colOf(0, i32)),
			want: "ff|ffffffff|0|80000000|NULL"},
		{name: "to_hex i64", cols: []column{c(i64, 255, -1, 9223372036854775807)}, e: callOf("to_hex", str, colOf(0, i64)),
			want: "ff|ffffffffffffffff|7fffffffffffffff"},
		{name: "to_hex const", cols: []column{c(i32, 1)}, e: callOf("to_hex", str, litOf(int32(-16))), want: "fffffff0"},
	}
	runCases(t, cases)
}

func TestConcatWS(t *testing.T) {
	c0, c1 := colOf(0, str), colOf(1, str)
	cases := []exprCase{
		{name: "skips NULLs", cols: []column{c(str, ",", ",", nil, "", ","), c(str, "a", nil, "a", "a", nil)},
			e: callOf("concat_ws", str, c0, c1, litOf("b"), c1), want: "a,b,a|b|NULL|aba|b"},
		{name: "all NULL", cols: []column{c(str, nil, "x")}, e: callOf("concat_ws", str, litOf("-"), c0, c0), want: "|x-x"},
		{name: "non-text", cols: []column{c(i64, 1, nil)}, e: func(t testing.TB) expr.Expression {
			return fn(t, "concat_ws", str, lit(t, "/"), lit(t, "n"), col(t, 0, i64))
		}, want: "n/1|n"},
		{name: "one value", cols: []column{c(str, "a")}, e: callOf("concat_ws", str, litOf(","), c0), want: "a"},
	}
	runCases(t, cases)
}
