package eval

import (
	"testing"

	"github.com/substrait-io/substrait-go/v8/expr"
	"github.com/substrait-io/substrait-go/v8/types"

	"github.com/medleysql/medley/sql/sqlerr"
)

func TestStringFunctions(t *testing.T) {
	s := c(str, "héllo wörld", "", nil, "ab")
	f := func(name string, out any, args ...func(t testing.TB) expr.Expression) func(t testing.TB) expr.Expression {
		return func(t testing.TB) expr.Expression {
			xs := make([]types.FuncArg, len(args))
			for i, a := range args {
				xs[i] = a(t)
			}
			return fn(t, name, dtOf(out), xs...)
		}
	}
	c0 := func(t testing.TB) expr.Expression { return col(t, 0, str) }
	l := func(v any) func(t testing.TB) expr.Expression {
		return func(t testing.TB) expr.Expression { return lit(t, v) }
	}
	cases := []exprCase{
		{name: "upper", cols: []column{s}, e: f("upper", str, c0), want: "HÉLLO WÖRLD||NULL|AB"},
		{name: "lower", cols: []column{c(str, "ÄB")}, e: f("lower", str, c0), want: "äb"},
		{name: "char_length", cols: []column{s}, e: f("char_length", i64, c0), want: "11|0|NULL|2"},
		{name: "char_length i32", cols: []column{s}, e: f("char_length", i32, c0), want: "11|0|NULL|2"},
		{name: "octet_length", cols: []column{s}, e: f("octet_length", i32, c0), want: "13|0|NULL|2"},
		{name: "substring", cols: []column{s}, e: f("substring", str, c0, l(int32(2)), l(int32(4))), want: "éllo||NULL|b"},
		{name: "substring from 0", cols: []column{s}, e: f("substring", str, c0, l(int32(0)), l(int32(3))), want: "hé||NULL|ab"},
		{name: "substring no length", cols: []column{s}, e: f("substring", str, c0, l(int32(7))), want: "wörld||NULL|"},
		{name: "substring negative", cols: []column{s}, e: f("substring", str, c0, l(int32(1)), l(int32(-1))), code: "22011"},
		{name: "concat", cols: []column{s}, e: f("concat", str, c0, l("!"), c0), want: "héllo wörld!héllo wörld|!|NULL|ab!ab"},
		{name: "concat int", cols: []column{c(i64, 7)}, e: func(t testing.TB) expr.Expression {
			return fn(t, "concat", str, lit(t, "n="), col(t, 0, i64))
		}, want: "n=7"},
		{name: "trim", cols: []column{c(str, "  x y  ")}, e: f("trim", str, c0), want: "x y"},
		{name: "ltrim chars", cols: []column{c(str, "xxaxx")}, e: f("ltrim", str, c0, l("x")), want: "axx"},
		{name: "rtrim", cols: []column{c(str, " a ")}, e: f("rtrim", str, c0), want: " a"},
		{name: "strpos", cols: []column{s}, e: f("strpos", i64, c0, l("wö")), want: "7|0|NULL|0"},
		{name: "starts_with", cols: []column{s}, e: f("starts_with", bl, c0, l("hé")), want: "true|false|NULL|false"},
		{name: "replace", cols: []column{s}, e: f("replace", str, c0, l("l"), l("L")), want: "héLLo wörLd||NULL|ab"},
		{name: "replace empty", cols: []column{c(str, "ab")}, e: f("replace", str, c0, l(""), l("x")), want: "ab"},
		{name: "lpad", cols: []column{c(str, "hi", "hello")}, e: f("lpad", str, c0, l(int32(5)), l("xy")), want: "xyxhi|hello"},
		{name: "lpad truncates", cols: []column{c(str, "hello")}, e: f("lpad", str, c0, l(int32(2))), want: "he"},
		{name: "rpad", cols: []column{c(str, "hi")}, e: f("rpad", str, c0, l(int32(4))), want: "hi  "},
		{name: "left", cols: []column{s}, e: f("left", str, c0, l(int32(2))), want: "hé||NULL|ab"},
		{name: "left negative", cols: []column{c(str, "hello")}, e: f("left", str, c0, l(int32(-2))), want: "hel"},
		{name: "right", cols: []column{c(str, "hello")}, e: f("right", str, c0, l(int32(2))), want: "lo"},
		{name: "right negative", cols: []column{c(str, "hello")}, e: f("right", str, c0, l(int32(-2))), want: "llo"},
		{name: "reverse", cols: []column{c(str, "añb")}, e: f("reverse", str, c0), want: "bña"},
		{name: "wrong type", cols: []column{c(i64, 1)}, e: func(t testing.TB) expr.Expression {
			return fn(t, "upper", str, col(t, 0, i64))
		}, code: sqlerr.FeatureNotSupported, msg: "upper(bigint)"},
	}
	runCases(t, cases)
}

func TestLike(t *testing.T) {
	s := c(str, "PROMO BURNISHED", "STANDARD POLISHED", "", nil, "50% off", "a_b", "Ünïcode")
	like := func(p string, opts ...*types.FunctionOption) func(t testing.TB) expr.Expression {
		return func(t testing.TB) expr.Expression {
			return fnOpts(t, "like", bl, opts, col(t, 0, str), lit(t, p))
		}
	}
	ci := &types.FunctionOption{Name: "case_sensitivity", Preference: []string{"CASE_INSENSITIVE"}}
	cases := []exprCase{
		{name: "prefix", cols: []column{s}, e: like("PROMO%"), want: "true|false|false|NULL|false|false|false"},
		{name: "suffix", cols: []column{s}, e: like("%ISHED"), want: "true|true|false|NULL|false|false|false"},
		{name: "contains", cols: []column{s}, e: like("%ISH%"), want: "true|true|false|NULL|false|false|false"},
		{name: "general", cols: []column{s}, e: like("%A_D%POL%"), want: "false|true|false|NULL|false|false|false"},
		{name: "underscore unicode", cols: []column{s}, e: like("_nïcod_"), want: "false|false|false|NULL|false|false|true"},
		{name: "escaped percent", cols: []column{s}, e: like(`50\% %`), want: "false|false|false|NULL|true|false|false"},
		{name: "escaped underscore", cols: []column{s}, e: like(`a\_b`), want: "false|false|false|NULL|false|true|false"},
		{name: "underscore wildcard", cols: []column{s}, e: like(`a_b`), want: "false|false|false|NULL|false|true|false"},
		{name: "empty pattern", cols: []column{s}, e: like(""), want: "false|false|true|NULL|false|false|false"},
		{name: "percent only", cols: []column{s}, e: like("%"), want: "true|true|true|NULL|true|true|true"},
		{name: "ilike", cols: []column{s}, e: like("promo%", ci), want: "true|false|false|NULL|false|false|false"},
		{name: "ilike unicode", cols: []column{s}, e: like("üNÏ%", ci), want: "false|false|false|NULL|false|false|true"},
		{name: "trailing escape", cols: []column{s}, e: like(`abc\`), code: sqlerr.InvalidEscapeSequence},
		{name: "explicit escape", cols: []column{s}, e: func(t testing.TB) expr.Expression {
			return fn(t, "like", bl, col(t, 0, str), lit(t, "50#%%"), lit(t, "#"))
		}, want: "false|false|false|NULL|true|false|false"},
		{name: "pattern column", cols: []column{c(str, "abc", "abd", "x"), c(str, "a%", "%c", nil)}, e: func(t testing.TB) expr.Expression {
			return fn(t, "like", bl, col(t, 0, str), col(t, 1, str))
		}, want: "true|false|NULL"},
		{name: "backtracking", cols: []column{c(str, "aaaaaaaaaaaaaaaaaaaab", "ababab")}, e: like("%a%a%b"), want: "true|true"},
	}
	runCases(t, cases)
}
