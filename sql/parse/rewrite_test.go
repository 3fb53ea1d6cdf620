package parse

import (
	"testing"

	"vitess.io/vitess/go/vt/sqlparser"

	"github.com/medleysql/medley/sql/sqlerr"
)

// rewriteCases pair a PostgreSQL query with the text Vitess gets.
var rewriteCases = []struct {
	name, in, want string
}{
	{"fold", `SELECT A, "Quoted Ident", "a""b", "x` + "`" + `y" FROM T`,
		"select a, `Quoted Ident`, `a\"b`, `x``y` from t"},
	{"backtick", "select `Mixed` from t", "select `Mixed` from t"},
	{"string", `select 'it''s', 'a\b', E'tab\there\\', E'\x41\101\u00e9', $$dollar's$$, $q$x$q$`,
		`select 'it''s', 'a\\b', 'tab	here\\', 'AAé', 'dollar''s', 'x'`},
	{"coloncast", "select a::int, b.c::numeric(15,2), (a+1)::text, f(x)::double precision, '1'::date, $1::int8 from t",
		"select __medley_cast(a, 'int'), __medley_cast(b.c, 'numeric(15,2)'), __medley_cast((a+1), 'text'), __medley_cast(f(x), 'double precision'), __medley_cast('1', 'date'), __medley_cast(:v1, 'int8') from t"},
	{"coloncast chain", "select a::int::text, a::timestamp with time zone, a::character varying(3) from t",
		"select __medley_cast(__medley_cast(a, 'int'), 'text'), __medley_cast(a, 'timestamp with time zone'), __medley_cast(a, 'character varying(3)') from t"},
	{"cast", "select CAST(a AS NUMERIC(15, 2)), cast(b + 1 as double precision), cast(cast(c as int) as text) from t",
		"select __medley_cast(a, 'numeric(15,2)'), __medley_cast(b + 1, 'double precision'), __medley_cast(__medley_cast(c, 'int'), 'text') from t"},
	{"concat", "select a || b || 'c' from t", "select a | b | 'c' from t"},
	{"ilike", "select * from t where a ilike 'x%' and b not ilike 'y'",
		"select * from t where a regexp 'x%' and b not regexp 'y'"},
	{"not distinct", "select * from t where a is not distinct from b", "select * from t where a <=> b"},
	{"distinct", "select * from t where a + 1 is distinct from b * 2 and c = 1",
		"select * from t where (a + 1 <=> b * 2) is false and c = 1"},
	{"distinct paren", "select (a is distinct from b), f(x is distinct from y) from t",
		"select ((a <=> b) is false), f((x <=> y) is false) from t"},
	{"nulls", "select * from t order by a nulls first, b desc nulls last, f(c, d) asc nulls first",
		"select * from t order by __medley_nulls_first(a), __medley_nulls_last(b) desc, __medley_nulls_first(f(c, d)) asc"},
	{"nulls window", "select rank() over (partition by a order by b desc nulls last) from t",
		"select rank() over (partition by a order by __medley_nulls_last(b) desc) from t"},
	{"full join", "select * from a full outer join b on a.x = b.x full join c using (y)",
		"select * from a straight_join b on a.x = b.x straight_join c on __medley_using(y)"},
	{"dollar params", "select * from t where a = $1 and b = $2", "select * from t where a = :v1 and b = :v2"},
	{"question params", "select * from t where a = ? and b = ?", "select * from t where a = :v1 and b = :v2"},
	{"interval precision", "select date '1998-12-01' - interval '90' day (3)",
		"select date '1998-12-01' - interval '90' day"},
	{"interval text", "select now() + interval '2 days'",
		"select now() + __medley_cast('2 days', 'interval')"},
	{"fetch", "select * from t fetch first 5 rows only", "select * from t limit 5"},
	{"offset fetch", "select * from t offset 10 rows fetch next 5 rows only",
		"select * from t limit 5 offset 10"},
	{"limit offset", "select * from t limit 5 offset 10", "select * from t limit 5 offset 10"},
	{"limit all offset", "select * from t limit all offset 10", "select * from t limit 18446744073709551615 offset 10"},
	{"offset limit", "select * from t offset 10 limit 5", "select * from t limit 5 offset 10"},
	{"offset only", "select * from t offset 10", "select * from t limit 18446744073709551615 offset 10"},
	{"limit all", "select * from t limit all", "select * from t"},
	{"filter", "select count(*) filter (where a > 1), sum(b) filter (where c) from t",
		"select __medley_filter(count(*), a > 1), __medley_filter(sum(b), c) from t"},
	{"extract", "select extract(year from d), extract(epoch from ts), extract('month' from d) from t",
		"select extract(year from d), __medley_extract('epoch', ts), extract(month from d) from t"},
	{"values", "values (1, 'a'), (2, 'b')", "values row(1, 'a'), row(2, 'b')"},
	{"values sub", "select * from (values (1), (2)) as v(x)", "select * from (values row(1), row(2)) as v(x)"},
	{"insert values", "insert into t (a, b) values (1, 2), (3, 4)", "insert into t (a, b) values (1, 2), (3, 4)"},
	{"typed literals", "select timestamptz '2024-01-01 10:00:00+02', TIMESTAMP WITH TIME ZONE '2024-01-01', timestamp without time zone 'x', time with time zone '10:00', timetz 'y', timestamp(3) 'z', timestamptz '1'::text",
		"select __medley_cast('2024-01-01 10:00:00+02', 'timestamptz'), __medley_cast('2024-01-01', 'timestamp with time zone'), __medley_cast('x', 'timestamp without time zone'), __medley_cast('10:00', 'time with time zone'), __medley_cast('y', 'timetz'), __medley_cast('z', 'timestamp(3)'), __medley_cast(__medley_cast('1', 'timestamptz'), 'text')"},
	{"typed literals in where", "select * from t where tz > timestamptz '2024-01-01' and ts < timestamp '2025-01-01' and d = date '2024-01-01' and tm = time '10:00'",
		"select * from t where tz > __medley_cast('2024-01-01', 'timestamptz') and ts < timestamp '2025-01-01' and d = date '2024-01-01' and tm = time '10:00'"},
	{"date/time words", "select timestamptz, time, timetz(x), timestamp from t", "select timestamptz, time, timetz(x), timestamp from t"},
	{"comments", "select /* c */ a -- x\n from t", "select a from t"},
	{"position etc", "select position('a' in b), trim(both 'x' from y), substring(x from 1 for 2) from t",
		"select position('a' in b), trim(both 'x' from y), substring(x from 1 for 2) from t"},
}

func TestRewrite(t *testing.T) {
	for _, tt := range rewriteCases {
		st, err := ParseOne(tt.in)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		q, ok := st.(*Query)
		if !ok {
			t.Errorf("%s: %T", tt.name, st)
			continue
		}
		if q.Rewritten != tt.want {
			t.Errorf("%s:\n got %s\nwant %s", tt.name, q.Rewritten, tt.want)
		}
	}
}

func TestRewriteAST(t *testing.T) {
	q := mustQuery(t, `select "A b", 'x\y', E'a\'b' from t`)
	sel := q.AST.(*sqlparser.Select)
	col := sel.SelectExprs.Exprs[0].(*sqlparser.AliasedExpr).Expr.(*sqlparser.ColName)
	if col.Name.String() != "A b" {
		t.Errorf("quoted ident = %q", col.Name.String())
	}
	for k, want := range []string{`x\y`, `a'b`} {
		lit := sel.SelectExprs.Exprs[k+1].(*sqlparser.AliasedExpr).Expr.(*sqlparser.Literal)
		if lit.Val != want {
			t.Errorf("string %d = %q, want %q", k, lit.Val, want)
		}
	}
	j := mustQuery(t, "select * from a full join b on a.x = b.x").AST.(*sqlparser.Select)
	if jt := j.From[0].(*sqlparser.JoinTableExpr); jt.Join != sqlparser.StraightJoinType {
		t.Errorf("full join = %v", jt.Join)
	}
	if p := mustQuery(t, "select $1, $3").Params; p != 3 {
		t.Errorf("params = %d", p)
	}
	if p := mustQuery(t, "select ?, ? from t limit ?").Params; p != 3 {
		t.Errorf("params = %d", p)
	}
}

func mustQuery(t *testing.T, text string) *Query {
	t.Helper()
	st, err := ParseOne(text)
	if err != nil {
		t.Fatalf("%s: %v", text, err)
	}
	q, ok := st.(*Query)
	if !ok {
		t.Fatalf("%s: %T", text, st)
	}
	return q
}

func TestQueryErrors(t *testing.T) {
	tests := []struct {
		in   string
		code sqlerr.Code
		pos  int
		msg  string
	}{
		{"select a from from t", sqlerr.SyntaxError, 15, `syntax error at or near "from"`},
		{"select a, from t", sqlerr.SyntaxError, 11, `syntax error at or near "from"`},
		{"select (a from t", sqlerr.SyntaxError, 11, `syntax error at or near "from"`},
		{"select a from t where", sqlerr.SyntaxError, 22, "syntax error at end of input"},
		{"select \"Weird\" from", sqlerr.SyntaxError, 20, "syntax error at end of input"},
		{"select a ~ 'x' from t", sqlerr.FeatureNotSupported, 10, "regular expression operator ~ is not supported; use LIKE or ILIKE"},
		{"select a # b", sqlerr.SyntaxError, 10, `syntax error at or near "#"`},
		{"select $1, ?", sqlerr.SyntaxError, 12, "cannot mix $n and ? parameters"},
		{"select 'abc", sqlerr.SyntaxError, 8, `unterminated quoted string at or near "'abc"`},
		{"select a::", sqlerr.SyntaxError, 11, `syntax error at or near ""; expected a type name`},
		{"select * from a straight_join b", sqlerr.FeatureNotSupported, 17, "STRAIGHT_JOIN is not supported"},
		{"  select\n  x y z from t", sqlerr.SyntaxError, 16, `syntax error at or near "z"`},
	}
	for _, tt := range tests {
		_, err := Parse(tt.in)
		checkErr(t, tt.in, err, tt.code, tt.pos, tt.msg)
	}
}

func checkErr(t *testing.T, in string, err error, code sqlerr.Code, pos int, msg string) {
	t.Helper()
	var e *sqlerr.Error
	if !asErr(err, &e) {
		t.Errorf("%q: error %v (%T), want *sqlerr.Error", in, err, err)
		return
	}
	if e.Code != code || e.Position != pos || e.Message != msg {
		t.Errorf("%q:\n got %s @%d %q\nwant %s @%d %q", in, e.Code, e.Position, e.Message, code, pos, msg)
	}
}
