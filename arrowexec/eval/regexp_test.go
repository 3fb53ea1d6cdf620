package eval

import (
	"testing"

	"github.com/substrait-io/substrait-go/v8/expr"
	"github.com/substrait-io/substrait-go/v8/extensions"
	"github.com/substrait-io/substrait-go/v8/types"

	"github.com/medleysql/medley/sql/sqlerr"
	"github.com/medleysql/medley/sql/substrait/ext"
)

// regexpReplace builds Medley's regexp_replace(source, pattern,
// replacement, flags).
func regexpReplace(args ...func(t testing.TB) expr.Expression) func(t testing.TB) expr.Expression {
	return func(t testing.TB) expr.Expression {
		t.Helper()
		v, ok := ext.Collection().GetScalarFunc(extensions.ID{URN: ext.URN, Name: "regexp_replace:str_str_str_str"})
		if !ok {
			t.Fatal("no Medley regexp_replace")
		}
		xs := make([]types.FuncArg, len(args))
		for i, a := range args {
			xs[i] = a(t)
		}
		f, err := expr.NewCustomScalarFunc(reg, v, st(t, str), nil, xs...)
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
}

// rx is regexp_replace over column 0 with constant pattern, replacement
// and flags.
func rx(pattern, repl, flags string) func(t testing.TB) expr.Expression {
	return regexpReplace(colOf(0, str), litOf(pattern), litOf(repl), litOf(flags))
}

// The expected values are PostgreSQL 15's (UTF8, C.UTF-8).
func TestRegexpReplace(t *testing.T) {
	s := func(vals ...any) []column { return []column{c(str, vals...)} }
	cases := []exprCase{
		{name: "first", cols: s("foobarbaz", "", nil), e: rx("b..", "X", ""), want: "fooXbaz||NULL"},
		{name: "global", cols: s("foobarbaz"), e: rx("b..", "X", "g"), want: "fooXX"},
		{name: "submatches", cols: s("foobarbaz"), e: rx("b(..)", `X\1Y`, "g"), want: "fooXarYXazY"},
		{name: "replacement escapes", cols: s("abc"), e: rx("b", `[\5\&\\\x\0]`, ""), want: `a[b\\x\0]c`},
		{name: "trailing backslash", cols: s("abc"), e: rx("b", `\`, ""), want: `a\c`},
		{name: "longest alternative", cols: s("ab"), e: rx("a|ab", "X", ""), want: "X"},
		{name: "optional groups", cols: s("xabcx"), e: rx("(a|ab)(c|bcd)?", `[\1,\2]`, ""), want: "x[ab,c]x"},
		{name: "unmatched group", cols: s("abcd"), e: rx("(ab)?(abcd)?", `[\1|\2]`, ""), want: "[|abcd]"},
		{name: "empty after match", cols: s("baaac"), e: rx("a*", "-", "g"), want: "-b--c-"},
		{name: "empty matches", cols: s("ab"), e: rx("", "X", "g"), want: "XaXbX"},
		{name: "empty alternative", cols: s("ab"), e: rx("a|", "X", "g"), want: "XXbX"},
		{name: "anchor once", cols: s("aaa"), e: rx("^a", "X", "g"), want: "Xaa"},
		{name: "end anchor", cols: s("a\na"), e: rx("a$", "X", "g"), want: "a\nX"},
		{name: "dot matches newline", cols: s("a\nb"), e: rx("a.b", "-", ""), want: "-"},
		{name: "case-insensitive", cols: s("ÉéAa"), e: rx("é|a", "x", "gi"), want: "xxxx"},
		{name: "last of i and c", cols: s("aAb"), e: rx("a", "X", "gic"), want: "XAb"},
		{name: "embedded option", cols: s("abc"), e: rx("(?i)B", "x", ""), want: "axc"},
		{name: "literal director", cols: s("abc", "a.c"), e: rx("***=.", "x", ""), want: "abc|axc"},
		{name: "quote flag", cols: s("a.c(", "abc"), e: rx(".c(", "x", "q"), want: "ax|abc"},
		{name: "word class", cols: s("é中a_1٣ ²-"), e: rx(`\w`, "X", "g"), want: "XXXXXX ²-"},
		{name: "alpha class", cols: s("é中a_1٣"), e: rx("[[:alpha:]]", "X", "g"), want: "XXX_1X"},
		{name: "space class", cols: s("a\u2003b\u00a0c\vd"), e: rx(`\s`, "X", "g"), want: "aXb\u00a0cXd"},
		{name: "negated classes", cols: s("a b1"), e: rx(`[\W\d]`, "X", "g"), want: "aXbX"},
		{name: "digits are ASCII", cols: s("1٣"), e: rx(`\d`, "X", "g"), want: "X٣"},
		{name: "bracket literals", cols: s("a]b-c^d[e"), e: rx(`[]^[-]`, "X", "g"), want: "aXbXcXdXe"},
		{name: "backspace and backslash", cols: s("a\bb", `a\b`), e: rx(`a\bb|a\Bb`, "X", ""), want: "X|X"},
		{name: "char escapes", cols: s("a\tb", "aéb"), e: rx(`\x9|\u00e9`, "X", ""), want: "aXb|aXb"},
		{name: "literal brace", cols: s("a{b", "a{,2}"), e: rx("a{,2}|a{", "X", ""), want: "Xb|X"},
		{name: "bound", cols: s("aaaa"), e: rx("a{2,3}", "X", "g"), want: "Xa"},
		{name: "pattern column", cols: []column{c(str, "abc", "abc", "abc"), c(str, "b", "[ac]", nil)},
			e: regexpReplace(colOf(0, str), colOf(1, str), litOf("X"), litOf("g")), want: "aXc|XbX|NULL"},
		{name: "replacement column", cols: []column{c(str, "abc", "abc"), c(str, `<\&>`, "")},
			e: regexpReplace(colOf(0, str), litOf("b"), colOf(1, str), litOf("")), want: "a<b>c|ac"},
		{name: "bad flag", cols: s("a"), e: rx("a", "b", "z"), code: sqlerr.InvalidParameterValue, msg: `invalid regular expression option: "z"`},
		{name: "unbalanced", cols: s("a"), e: rx("(", "b", ""), code: "2201B", msg: "parentheses () not balanced"},
		{name: "quantifier operand", cols: s("a"), e: rx("a**", "b", ""), code: "2201B", msg: "quantifier operand invalid"},
		{name: "count", cols: s("a"), e: rx("a{256}", "b", ""), code: "2201B", msg: "invalid repetition count(s)"},
		{name: "bad escape", cols: s("a"), e: rx(`\q`, "b", ""), code: "2201B", msg: `invalid escape \ sequence`},
		{name: "bad class", cols: s("a"), e: rx("[[:foo:]]", "b", ""), code: "2201B", msg: "invalid character class"},
		{name: "non-greedy", cols: s("a"), e: rx("a+?", "b", ""), code: sqlerr.FeatureNotSupported, msg: "non-greedy"},
		{name: "back reference", cols: s("a"), e: rx(`(a)\1`, "b", ""), code: sqlerr.FeatureNotSupported, msg: "back references"},
		{name: "lookahead", cols: s("a"), e: rx("(?=a)a", "b", ""), code: sqlerr.FeatureNotSupported, msg: "lookahead"},
		{name: "word constraint", cols: s("a"), e: rx(`\ya`, "b", ""), code: sqlerr.FeatureNotSupported, msg: "word constraints"},
		{name: "newline-sensitive", cols: s("a"), e: rx("a", "b", "n"), code: sqlerr.FeatureNotSupported, msg: "newline-sensitive"},
		{name: "pattern column error", cols: []column{c(str, "a"), c(str, "(")},
			e: regexpReplace(colOf(0, str), colOf(1, str), litOf("X"), litOf("")), code: "2201B"},
	}
	runCases(t, cases)
}

// An invalid constant pattern fails only when there are rows to match.
func TestRegexpErrorNeedsRows(t *testing.T) {
	runCases(t, []exprCase{{name: "no rows", cols: []column{c(str)}, e: rx("(", "b", ""), want: ""}})
}
