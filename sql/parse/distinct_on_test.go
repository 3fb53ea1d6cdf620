package parse

import (
	"testing"

	"github.com/medleysql/medley/sql/sqlerr"
)

// TestDistinctOn: the DISTINCT ON keys move to the end of their SELECT
// list, as DistinctOnFunc(keys...).
func TestDistinctOn(t *testing.T) {
	cases := []struct{ in, want string }{
		{"SELECT DISTINCT ON (a, b) a, b, c FROM t ORDER BY a, b, c DESC",
			"select a, b, c, __medley_distinct_on(a, b) from t order by a, b, c desc"},
		{"select distinct on (a) * from t", "select *, __medley_distinct_on(a) from t"},
		{"select distinct on (1) 1, 2", "select 1, 2, __medley_distinct_on(1)"},
		{"select distinct on (a::int, f(b, c)) a is distinct from b, x.* from t x where a > 1",
			"select (a <=> b) is false, x.*, __medley_distinct_on(__medley_cast(a, 'int'), f(b, c)) from t x where a > 1"},
		{"select distinct on (a) a, (select distinct on (b) b from u) from t group by a",
			"select a, (select b, __medley_distinct_on(b) from u), __medley_distinct_on(a) from t group by a"},
		{"select * from (select distinct on (a) a, b from t order by a, b) x",
			"select * from (select a, b, __medley_distinct_on(a) from t order by a, b) x"},
		{"select distinct on (a) a from t union all select distinct on (b) b from u",
			"select a, __medley_distinct_on(a) from t union all select b, __medley_distinct_on(b) from u"},
		{"select distinct on (a) a from t limit 3", "select a, __medley_distinct_on(a) from t limit 3"},
		{"select distinct a from t", "select distinct a from t"},
	}
	for _, c := range cases {
		q := mustQuery(t, c.in)
		if got := q.Rewritten; got != c.want {
			t.Errorf("%s:\n got %s\nwant %s", c.in, got, c.want)
		}
	}
	errs := []struct {
		in   string
		code sqlerr.Code
		pos  int
		msg  string
	}{
		{"select distinct on (a) from t", sqlerr.SyntaxError, 24, `syntax error at or near "from"; expected a select list`},
		{"select distinct on (a)", sqlerr.SyntaxError, 23, "syntax error at end of input; expected a select list"},
		{"select distinct on a from t", sqlerr.SyntaxError, 17, `syntax error at or near "on"`},
	}
	for _, e := range errs {
		_, err := Parse(e.in)
		checkErr(t, e.in, err, e.code, e.pos, e.msg)
	}
}
