package parse

import (
	"testing"

	"vitess.io/vitess/go/vt/sqlparser"
)

// TestBetweenSymmetric: the lower bound is marked for Vitess, and Vitess'
// tree holds PostgreSQL's expansion.
func TestBetweenSymmetric(t *testing.T) {
	cases := []struct{ in, rewritten, tree string }{
		{"select x between symmetric 3 and 1 from t",
			"select x between __medley_symmetric(3) and 1 from t",
			"select x between 3 and 1 or x between 1 and 3 from t"},
		{"select * from t where x NOT BETWEEN SYMMETRIC a + 1 AND f(b, c) and y = 2",
			"select * from t where x not between __medley_symmetric(a + 1) and f(b, c) and y = 2",
			"select * from t where x not between a + 1 and f(b, c) and x not between f(b, c) and a + 1 and y = 2"},
		// The expansion is one operand of what surrounds it.
		{"select * from t where not x between symmetric 1 and 2 and y",
			"select * from t where not x between __medley_symmetric(1) and 2 and y",
			"select * from t where not (x between 1 and 2 or x between 2 and 1) and y"},
		// The lower bound ends at the AND of its own depth.
		{"select x between symmetric case when p and q then 1 end and (2) from t",
			"select x between __medley_symmetric(case when p and q then 1 end) and (2) from t",
			"select x between case when p and q then 1 end and 2 or x between 2 and case when p and q then 1 end from t"},
		{"select x::int between symmetric $1::int and $2 from t",
			"select __medley_cast(x, 'int') between __medley_symmetric(__medley_cast(:v1, 'int')) and :v2 from t",
			"select __medley_cast(x, 'int') between __medley_cast(:v1, 'int') and :v2 or __medley_cast(x, 'int') between :v2 and __medley_cast(:v1, 'int') from t"},
		{"select (select 1 where 2 between symmetric 3 and 1) from t",
			"select (select 1 where 2 between __medley_symmetric(3) and 1) from t",
			"select (select 1 from dual where 2 between 3 and 1 or 2 between 1 and 3) from t"},
		{"select x between asymmetric 1 and 3, x not between asymmetric 1 and 3 from t",
			"select x between 1 and 3, x not between 1 and 3 from t",
			"select x between 1 and 3, x not between 1 and 3 from t"},
		{"select sum(x) over (rows between 1 preceding and current row) from t",
			"select sum(x) over (rows between 1 preceding and current row) from t",
			"select sum(x) over (rows between 1 preceding and current row) from t"},
	}
	for _, c := range cases {
		q := mustQuery(t, c.in)
		if q.Rewritten != c.rewritten {
			t.Errorf("%s:\n got %s\nwant %s", c.in, q.Rewritten, c.rewritten)
		}
		if got := sqlparser.String(q.AST); got != c.tree {
			t.Errorf("%s: tree\n got %s\nwant %s", c.in, got, c.tree)
		}
	}
	_, err := Parse("select x between symmetric 1 from t")
	checkErr(t, "between symmetric without and", err, "42601", 30, `syntax error at or near "from"`)
}
