package bind_test

import (
	"strings"
	"testing"

	"github.com/medleysql/medley/sql/plan"
	"github.com/medleysql/medley/sql/sqlerr"
	"github.com/medleysql/medley/sql/types"
)

// TestBindStringFunctions: PostgreSQL's text functions, their result
// types and the calls they bind to.
func TestBindStringFunctions(t *testing.T) {
	cases := []struct{ expr, typ, call string }{
		{"initcap(x)", "text", "initcap(st.x)"},
		{"split_part(x, ',', i)", "text", "split_part(st.x, ',', st.i)"},
		{"split_part(x, ',', s)", "text", "split_part(st.x, ',', CAST(st.s AS integer))"},
		{"split_part(x, ',', '2')", "text", "split_part(st.x, ',', 2)"},
		{"concat_ws(',', x, i, n, NULL)", "text", "concat_ws(',', st.x, CAST(st.i AS text), CAST(st.n AS text), NULL)"},
		{"concat_ws(x, i > 1)", "text", "concat_ws(st.x, CASE WHEN (st.i > 1) THEN 't' WHEN NOT (st.i > 1) THEN 'f' END)"},
		{"concat('a', i > 1)", "text", "('a' || CASE WHEN (st.i > 1) THEN 't' WHEN NOT (st.i > 1) THEN 'f' END)"},
		{"md5(x)", "text", "md5(st.x)"},
		{"translate(x, 'ab', 'c')", "text", "translate(st.x, 'ab', 'c')"},
		{"starts_with(x, 'a')", "boolean", "starts_with(st.x, 'a')"},
		{"chr(i)", "text", "chr(st.i)"},
		{"chr('65')", "text", "chr(65)"},
		{"ascii(x)", "integer", "ascii(st.x)"},
		{"to_hex(i)", "text", "to_hex(st.i)"},
		{"to_hex(b)", "text", "to_hex(st.b)"},
		{`"regexp_replace"(x, 'a+', 'b')`, "text", "regexp_replace(st.x, 'a+', 'b', '')"},
		{`"regexp_replace"(x, 'a+', 'b', 'gi')`, "text", "regexp_replace(st.x, 'a+', 'b', 'gi')"},
		{`"ltrim"(x, 'ab')`, "text", "ltrim(st.x, 'ab')"},
		{`"rtrim"(x, 'ab')`, "text", "rtrim(st.x, 'ab')"},
		{"btrim(x, 'ab')", "text", "trim(st.x, 'ab')"},
		{"left(x, -2)", "text", "left(st.x, -2)"},
	}
	cat := statsCatalog()
	for _, c := range cases {
		sql := "select " + c.expr + " from st"
		res, err := bindSQL(cat, "alice", sql)
		if err != nil {
			t.Errorf("%s: %v", sql, err)
			continue
		}
		if got := types.SQLName(res.Root.Columns()[0].Type); got != c.typ {
			t.Errorf("%s: type %s, want %s", sql, got, c.typ)
		}
		if got := plan.FormatBrief(res.Root); !strings.Contains(got, c.call) {
			t.Errorf("%s: plan lacks %s:\n%s", sql, c.call, got)
		}
	}
}

// TestBindStringFunctionErrors: PostgreSQL's errors for arguments no
// function takes, positioned at the function's name.
func TestBindStringFunctionErrors(t *testing.T) {
	cases := []struct {
		expr string
		code sqlerr.Code
		msg  string
	}{
		{"split_part(x, ',', b)", sqlerr.UndefinedFunction, "function split_part(text, unknown, bigint) does not exist"},
		{"split_part(x, ',')", sqlerr.UndefinedFunction, "function split_part(text, unknown) does not exist"},
		{"md5(i)", sqlerr.UndefinedFunction, "function md5(integer) does not exist"},
		{"ascii(i)", sqlerr.UndefinedFunction, "function ascii(integer) does not exist"},
		{"chr(b)", sqlerr.UndefinedFunction, "function chr(bigint) does not exist"},
		{"chr(x)", sqlerr.UndefinedFunction, "function chr(text) does not exist"},
		{"to_hex(n)", sqlerr.UndefinedFunction, "function to_hex(numeric) does not exist"},
		{"to_hex(s)", "42725", "function to_hex(smallint) is not unique"},
		{"to_hex('1')", "42725", "function to_hex(unknown) is not unique"},
		{"concat_ws(',')", sqlerr.UndefinedFunction, "function concat_ws(unknown) does not exist"},
		{"concat_ws(i, x)", sqlerr.UndefinedFunction, "function concat_ws(integer, text) does not exist"},
		{"starts_with(x, i)", sqlerr.UndefinedFunction, "function starts_with(text, integer) does not exist"},
		{`"regexp_replace"(x, 'a', 'b', 2)`, sqlerr.FeatureNotSupported, "start position"},
		{`"regexp_replace"(x, 'a')`, sqlerr.UndefinedFunction, "function regexp_replace(text, unknown) does not exist"},
	}
	cat := statsCatalog()
	for _, c := range cases {
		sql := "select " + c.expr + " from st"
		e := bindError(t, cat, sql, c.code, c.msg)
		if e == nil {
			continue
		}
		if c.code != sqlerr.FeatureNotSupported && e.Position != len("select ")+1 {
			t.Errorf("%s: position %d, want %d", sql, e.Position, len("select ")+1)
		}
	}
}

// TestBindIntervalMinMax: min and max of intervals are intervals.
func TestBindIntervalMinMax(t *testing.T) {
	cat := statsCatalog()
	cat.Add("public", "iv", "", -1, "g integer, v interval")
	for _, sql := range []string{
		"select max(v) from iv",
		"select g, min(v) from iv group by g",
		"select max(v) over (partition by g) from iv",
	} {
		res, err := bindSQL(cat, "alice", sql)
		if err != nil {
			t.Errorf("%s: %v", sql, err)
			continue
		}
		cols := res.Root.Columns()
		if got := types.SQLName(cols[len(cols)-1].Type); got != "interval" {
			t.Errorf("%s: type %s, want interval", sql, got)
		}
	}
}
